/* Reflective-log block: the learner's portfolio (entries, form, feedback, coverage) and, for tutors,
 * the marking queue and marking panel. Every learner, tutor or author text goes on the page as a
 * text node (LpCommon.el / LpCommon.paragraphs), never as HTML. */
function LpReflectiveLog(runtime, element, init) {
  "use strict";
  var P = init.prefix;
  var root = LpCommon.blockRoot(element, P);  // element: a DOM element or a jQuery object
  var args = LpCommon.pageData(root, P);
  var S = args.strings;
  var fmt = LpCommon.fmt, el = LpCommon.el, paragraphs = LpCommon.paragraphs;
  var announce = LpCommon.announcer(root.querySelector("#" + P + "-status"));
  var WORD = /\p{Nd}+(?:[.,]\p{Nd}+)+|[\p{L}\p{N}\p{M}]+(?:['\u2019\-][\p{L}\p{N}\p{M}]+)*/gu;  // as rules.count_words

  function byId(suffix) { return root.querySelector("#" + CSS.escape(P + suffix)); }
  function post(handler, body) { return LpCommon.post(runtime, element, handler, body); }
  var moment = LpCommon.dateTime;
  function withQuery(url, name, value) {
    return url + (url.indexOf("?") >= 0 ? "&" : "?") + encodeURIComponent(name) + "=" + encodeURIComponent(value);
  }

  var criteria = {};
  args.criteria.forEach(function (criterion) { criteria[criterion.id] = criterion; });
  var typeLabels = {};
  args.entryTypes.forEach(function (type) { typeLabels[type.id] = type.label; });
  function typeLabel(id) { return typeLabels[id] || id || ""; }
  function statusLabel(status) { return S.statuses[status] || status; }

  /* ------------------------------------------------------------ shared: versions and feedback */

  function feedbackBlock(item, level) {
    var box = el("div", {"class": "lp-rl__feedback"});
    box.appendChild(el("h" + level, {"class": "lp-rl__feedback-heading"}, fmt(S.feedbackHeading, {
      marker: item.marker, date: moment(item.marked_at), decision: S.decisions[item.decision || ""]
    })));
    var marks = Object.keys(item.criteria || {});
    if (marks.length) {
      var list = el("ul", {"class": "lp-rl__marks"});
      marks.forEach(function (id) {
        var mark = item.criteria[id];
        var li = el("li");
        li.appendChild(el("strong", {}, id + (mark.decision ? ": " + S.criterionDecisions[mark.decision] : "")));
        if (mark.comment) { li.appendChild(document.createTextNode(" \u2014 " + mark.comment)); }
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    if (item.feedback) {
      box.appendChild(el("p", {"class": "lp-rl__label"}, S.overallFeedback));
      box.appendChild(paragraphs(item.feedback));
    }
    return box;
  }

  function fileSize(bytes) { return fmt(S.sizeKb, {size: Math.max(1, Math.ceil(bytes / 1024))}); }

  function fileItem(file) {
    var li = el("li", {"class": "lp-rl__file"});
    li.appendChild(el("a", {"class": "lp-rl__link", href: withQuery(args.evidenceUrl, "file", file.file_id),
                            download: file.name}, file.name));
    li.appendChild(document.createTextNode(" (" + file.content_type + ", " + fileSize(file.size) + ")"));
    li.appendChild(el("span", {"class": "lp-rl__help lp-rl__sha"}, "sha256 " + file.sha256));
    return li;
  }

  /* A version's evidence: files, witness statements, cited records, the authenticity declaration. */
  function evidenceBlock(version) {
    var box = el("div", {"class": "lp-rl__evidence-block"});
    if (version.files && version.files.length) {
      box.appendChild(el("p", {"class": "lp-rl__label"}, S.files));
      var list = el("ul", {"class": "lp-rl__file-list"});
      version.files.forEach(function (file) { list.appendChild(fileItem(file)); });
      box.appendChild(list);
    }
    (version.witnesses || []).forEach(function (witness) {
      var item = el("div", {"class": "lp-rl__witness-statement"});
      item.appendChild(el("p", {"class": "lp-rl__label"}, S.witnesses + ": " + fmt(S.witnessLine, {
        name: witness.name, role: witness.role, relationship: witness.relationship, date: LpCommon.date(witness.date)})));
      item.appendChild(paragraphs(witness.statement));
      item.appendChild(el("p", {"class": "lp-rl__help"}, witness.confirmed ? S.witnessConfirmed : S.witnessNotConfirmed));
      if (witness.email) { item.appendChild(el("p", {"class": "lp-rl__help"}, fmt(S.witnessEmail, {email: witness.email}))); }
      box.appendChild(item);
    });
    if (version.citations && version.citations.length) {
      box.appendChild(el("p", {"class": "lp-rl__label"}, S.citations));
      var cited = el("ul");
      version.citations.forEach(function (citation) {
        var item = citation.resolved;
        cited.appendChild(el("li", {}, item ? item.label + ": " + item.title + (item.date ? " (" + LpCommon.date(item.date) + ")" : "") +
          (item.summary ? " — " + item.summary : "") : fmt(S.citationGone, {kind: citation.kind, id: citation.id})));
      });
      box.appendChild(cited);
    }
    if (version.declaration) {
      box.appendChild(el("p", {"class": "lp-rl__help"}, S.declaration + ": " +
        fmt(S.declared, {version: version.declaration.version, date: moment(version.declaration.at)})));
    }
    return box;
  }

  function versionBlock(version, level) {
    var box = el("article", {"class": "lp-rl__version"});
    box.appendChild(el("h" + level, {}, fmt(S.versionHeading, {number: version.number, date: moment(version.submitted_at)})));
    box.appendChild(el("p", {"class": "lp-rl__meta"}, version.title + " \u2014 " +
      fmt(S.activity, {date: LpCommon.date(version.activity_date), type: typeLabel(version.entry_type)})));
    var body = el("div", {"class": "lp-rl__body"});
    body.appendChild(paragraphs(version.body));
    box.appendChild(body);
    box.appendChild(el("p", {"class": "lp-rl__label"}, S.claims));
    var claims = el("ul", {"class": "lp-rl__claims"});
    version.criteria.forEach(function (id) {
      claims.appendChild(el("li", {}, id + (criteria[id] ? ": " + criteria[id].text : "")));
    });
    box.appendChild(claims);
    box.appendChild(evidenceBlock(version));
    if (version.feedback && version.feedback.length) {
      version.feedback.forEach(function (item) { box.appendChild(feedbackBlock(item, Math.min(level + 1, 6))); });
    } else {
      box.appendChild(el("p", {"class": "lp-rl__note"}, S.noFeedback));
    }
    return box;
  }

  function auditList(audit) {
    var list = el("ol", {"class": "lp-rl__audit"});
    (audit || []).forEach(function (event) {
      list.appendChild(el("li", {}, fmt(S.auditLine, {
        at: moment(event.at), actor: event.actor, role: S.roles[event.role] || event.role,
        action: S.actions[event.action] || event.action,
        from: event.from ? statusLabel(event.from) : "\u2014", to: statusLabel(event.to), version: event.version
      })));
    });
    return list;
  }

  function coverageTable(coverage, caption) {
    var table = el("table", {"class": "lp-rl__table"});
    if (caption) { table.appendChild(el("caption", {}, caption)); }
    var head = el("tr");
    head.appendChild(el("th", {scope: "col"}, S.criterion));
    head.appendChild(el("th", {scope: "col"}, S.status));
    table.appendChild(el("thead")).appendChild(head);
    fillCoverage(table.appendChild(el("tbody")), coverage);
    return table;
  }

  function fillCoverage(tbody, coverage) {
    tbody.textContent = "";
    coverage.forEach(function (item) {
      var row = el("tr", {"class": item.met ? "lp-rl__met" : ""});
      var name = el("th", {scope: "row"});
      name.appendChild(el("strong", {}, item.id));
      name.appendChild(document.createTextNode(" " + item.text));
      row.appendChild(name);
      row.appendChild(el("td", {}, item.met ? fmt(S.coverageMet, {
        titles: item.evidence.map(function (e) { return e.title; }).join("; ")
      }) : S.coverageNotYet));
      tbody.appendChild(row);
    });
  }

  /* ------------------------------------------------------------ learner side */

  var state = {entries: args.entries || [], coverage: args.coverage || [], score: args.score, editing: null};
  var form = byId("-form");

  function renderCoverage() {
    var summary = byId("-coverage-summary");
    if (!summary) { return; }
    summary.textContent = fmt(S.coverageSummary, {met: state.score.points, total: state.score.possible});
    fillCoverage(byId("-coverage-table").querySelector("tbody"), state.coverage);
  }

  function entryActionLabel(entry) {
    if (entry.status === "referred") { return S.revise; }
    return entry.editable ? S.edit : S.view;
  }

  function renderEntries() {
    var target = byId("-entries");
    if (!target) { return; }
    target.textContent = "";
    if (!state.entries.length) { target.appendChild(el("p", {"class": "lp-rl__note"}, S.noEntries)); return; }
    var table = el("table", {"class": "lp-rl__table lp-rl__entry-table"});
    var head = el("tr");
    [S.title, S.type, S.status, S.submittedAt, ""].forEach(function (label) { head.appendChild(el("th", {scope: "col"}, label)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    state.entries.forEach(function (entry) {
      var title = (entry.draft && entry.status === "draft" ? entry.draft.title : entry.title) || S.untitled;
      var row = el("tr", {"data-entry": entry.entry_id});
      row.appendChild(el("th", {scope: "row"}, title));
      row.appendChild(el("td", {}, typeLabel(entry.entry_type || (entry.draft || {}).entry_type)));
      row.appendChild(el("td", {"class": "lp-rl__status-" + entry.status}, statusLabel(entry.status)));
      row.appendChild(el("td", {}, moment(entry.submitted_at)));
      var cell = el("td");
      if (entry.versions.length) {
        var view = el("button", {type: "button", "class": "lp-rl__button lp-rl__button--small lp-rl__button--secondary",
          "aria-label": S.view + ": " + title}, S.view);
        view.addEventListener("click", function () { showDetail(entry.entry_id); });
        cell.appendChild(view);
      }
      if (entry.status === "draft" && !entry.versions.length) {
        var remove = el("button", {type: "button", "class": "lp-rl__button lp-rl__button--small lp-rl__button--secondary lp-rl__delete",
          "aria-label": fmt(S.deleteLabel, {title: title})}, S["delete"]);
        remove.addEventListener("click", function () { deleteDraft(entry, title); });
        cell.appendChild(remove);
      }
      if (entry.editable) {
        var action = entryActionLabel(entry);
        var edit = el("button", {type: "button", "class": "lp-rl__button lp-rl__button--small",
          "aria-label": action + ": " + title}, action);
        edit.addEventListener("click", function () { openForm(entry.entry_id); });
        cell.appendChild(edit);
      }
      row.appendChild(cell);
      body.appendChild(row);
    });
    target.appendChild(LpCommon.scrollRegion(table, S.myEntries));
  }

  function findEntry(id) {
    for (var i = 0; i < state.entries.length; i += 1) { if (state.entries[i].entry_id === id) { return state.entries[i]; } }
    return null;
  }

  function putEntry(entry) {
    var existing = findEntry(entry.entry_id);
    if (existing) { state.entries[state.entries.indexOf(existing)] = entry; } else { state.entries.push(entry); }
  }

  function deleteDraft(entry, title) {
    if (!window.confirm(fmt(S.deleteConfirm, {title: title}))) { return; }
    post("delete_draft", {entry_id: entry.entry_id}).then(function (reply) {
      if (!reply.ok) { announce(fmt(S.failed, {error: reply.data.error || reply.status})); return; }
      state.entries = state.entries.filter(function (item) { return item.entry_id !== entry.entry_id; });
      if (state.editing === entry.entry_id) { closeForm(); }
      renderEntries();
      byId("-new").focus();
      announce(S.deleted);
    }).catch(function () { announce(S.network); });
  }

  function showDetail(id) {
    var entry = findEntry(id);
    var section = byId("-detail");
    var body = byId("-detail-body");
    if (!entry || !section) { return; }
    body.textContent = "";
    byId("-detail-heading").textContent = entry.title + " \u2014 " + statusLabel(entry.status);
    if (entry.draft && entry.status === "referred") { body.appendChild(el("p", {"class": "lp-rl__note"}, S.workingCopy)); }
    entry.versions.slice().reverse().forEach(function (version) { body.appendChild(versionBlock(version, 4)); });
    section.hidden = false;
    byId("-detail-heading").focus();
  }

  function fields() {
    return {
      title: byId("-f-title"), activity_date: byId("-f-date"), entry_type: byId("-f-type"),
      body: byId("-f-body"), criteria: form.querySelectorAll("input[name=criteria]"),
      witnesses: byId("-f-w-name"), file: byId("-f-file"), declaration: byId("-f-declaration"),
      citations: byId("-f-citations")
    };
  }

  var WITNESS_KEYS = ["name", "role", "relationship", "date", "statement", "email"];
  function witnessInput(key) { return byId("-f-w-" + key); }

  /* The form's one witness statement as the handler takes it ([] while every witness field is empty). */
  function collectWitnesses() {
    var witness = {};
    var any = false;
    WITNESS_KEYS.forEach(function (key) { witness[key] = witnessInput(key).value; any = any || !!witness[key].trim(); });
    witness.confirmed = byId("-f-w-confirmed").checked;
    return (any || witness.confirmed) ? [witness] : [];
  }

  function fillWitness(witnesses) {
    var witness = (witnesses && witnesses[0]) || {};
    WITNESS_KEYS.forEach(function (key) { witnessInput(key).value = witness[key] || ""; });
    byId("-f-w-confirmed").checked = !!witness.confirmed;
  }

  /* ------------------------------------------------------------ evidence files and cited records */

  function renderDraftFiles(files) {
    var list = byId("-f-file-list");
    if (!list) { return; }
    list.textContent = "";
    (files || []).forEach(function (file) {
      var li = fileItem(file);
      var remove = el("button", {type: "button", "class": "lp-rl__button lp-rl__button--secondary lp-rl__button--small"},
        S.delete);
      remove.setAttribute("aria-label", fmt(S.remove, {name: file.name}));
      remove.addEventListener("click", function () {
        post("remove_evidence", {entry_id: state.editing, file_id: file.file_id}).then(function (reply) {
          if (!reply.ok) { showFormError(reply.data); return; }
          putEntry(reply.data.entry);
          renderDraftFiles(reply.data.entry.draft_files);
          byId("-f-file-status").textContent = S.removed;
          byId("-f-file").focus();
        }).catch(function () { showFormError({error: S.network}); });
      });
      li.appendChild(remove);
      list.appendChild(li);
    });
  }

  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* Upload the chosen file to the entry (saved as a draft first when it is new); progress is announced. */
  function uploadChosen() {
    var input = byId("-f-file");
    var status = byId("-f-file-status");
    var file = input.files && input.files[0];
    if (!file) { return; }
    clearErrors();
    var ready = state.editing ? autosaver.flush() : (status.textContent = S.uploadNeedsDraft, send("save_draft", S.saved));
    Promise.resolve(ready).then(function () {
      if (!state.editing) { return; }
      status.textContent = fmt(S.uploading, {name: file.name});
      var data = new FormData();
      data.append("entry_id", state.editing);
      data.append("file", file, file.name);
      var request = new XMLHttpRequest();
      request.open("POST", args.uploadUrl);
      request.setRequestHeader("X-CSRFToken", csrf());
      request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      request.onload = function () {
        var reply = {};
        try { reply = JSON.parse(request.responseText); } catch (error) { reply = {error: request.statusText}; }
        input.value = "";
        if (request.status !== 200) {
          status.textContent = fmt(S.uploadFailed, {name: file.name, error: reply.error || request.status});
          showFormError(reply);
          return;
        }
        putEntry(reply.entry);
        renderDraftFiles(reply.entry.draft_files);
        status.textContent = fmt(S.uploaded, {name: reply.file.name});
      };
      // Progress in quarters: often enough to reassure, seldom enough not to flood a screen reader.
      var announced = 0;
      request.upload.onprogress = function (event) {
        if (!event.lengthComputable) { return; }
        var quarter = Math.floor(event.loaded / event.total * 4) * 25;
        if (quarter > announced && quarter < 100) {
          announced = quarter;
          status.textContent = fmt(S.uploadProgress, {name: file.name, percent: quarter});
        }
      };
      request.onerror = function () {
        status.textContent = fmt(S.uploadFailed, {name: file.name, error: S.network});
      };
      request.send(data);
    });
  }

  var citable = null;
  function loadCitable(chosen) {
    var box = byId("-f-citations");
    if (!box) { return; }
    var list = byId("-f-citation-list");
    (citable ? Promise.resolve(citable) : post("citable_records", {}).then(function (reply) {
      citable = reply.ok ? reply.data.sources : [];
      return citable;
    })).then(function (sources) {
      list.textContent = "";
      var count = 0;
      sources.forEach(function (source) {
        source.items.forEach(function (item) {
          count += 1;
          var id = P + "-f-cite-" + count;
          var option = el("span", {"class": "lp-rl__option"});
          var box2 = el("input", {type: "checkbox", id: id, name: "citations"});
          box2.dataset.kind = source.kind;
          box2.dataset.id = item.id;
          box2.checked = (chosen || []).some(function (c) { return c.kind === source.kind && c.id === item.id; });
          option.appendChild(box2);
          option.appendChild(el("label", {"for": id}, source.label + ": " + item.title + (item.date ? " (" + LpCommon.date(item.date) + ")" : "")));
          list.appendChild(option);
        });
      });
      box.hidden = count === 0;
    }).catch(function () { box.hidden = true; });
  }

  function collectCitations() {
    return Array.prototype.filter.call(form.querySelectorAll("input[name=citations]"), function (box) { return box.checked; })
      .map(function (box) { return {kind: box.dataset.kind, id: box.dataset.id}; });
  }

  function countWords(text) { return (String(text).match(WORD) || []).length; }

  function updateWords() {
    var f = fields();
    byId("-f-words").textContent = LpCommon.plural(S.words, countWords(f.body.value), {min: args.minWords, max: args.maxWords});
  }

  function clearErrors() { LpCommon.clearErrors(byId("-error"), form); }

  /* Where each field's problem is shown: the inputs it marks, and the node its message goes before. */
  function fieldNodes(field) {
    var f = fields();
    if (field === "criteria") {
      var boxes = Array.prototype.slice.call(f.criteria);
      return {fields: boxes, before: boxes.length ? boxes[0].parentNode : null};
    }
    if (field === "witnesses") { return {fields: [witnessInput("name")], before: byId("-f-witness-help")}; }
    if (field === "declaration" && f.declaration) { return {fields: [f.declaration], before: f.declaration.parentNode}; }
    if (field === "entry_id" && f.file) { return {fields: [f.file], before: f.file}; }
    return f[field] ? {fields: [f[field]], before: f[field]} : {fields: []};
  }

  /* Every problem of the reply at once, with a summary linked to the fields (GOV.UK pattern). */
  function showFormError(data) {
    var problems = (data.errors && data.errors.length) ? data.errors :
      [{field: data.field || null, label: "", message: data.error || String(data.status || "")}];
    LpCommon.showErrors(byId("-error"), form, S.problemTitle, problems.map(function (problem) {
      var nodes = problem.field ? fieldNodes(problem.field) : {fields: []};
      return {label: problem.label, message: problem.message, fields: nodes.fields, before: nodes.before};
    }));
    announce(S.problemTitle);
  }

  function openForm(id) {
    var entry = id ? findEntry(id) : null;
    var source = {title: "", activity_date: "", entry_type: "", body: "", criteria: []};
    if (entry) {
      var latest = entry.versions[entry.versions.length - 1];
      source = entry.draft || latest || source;
    }
    var f = fields();
    state.editing = entry ? entry.entry_id : null;
    f.title.value = source.title || "";
    f.activity_date.value = source.activity_date || "";
    f.entry_type.value = source.entry_type || "";
    f.body.value = source.body || "";
    f.criteria.forEach(function (box) { box.checked = (source.criteria || []).indexOf(box.value) >= 0; });
    fillWitness(source.witnesses);
    if (f.declaration) { f.declaration.checked = false; }
    renderDraftFiles(entry ? entry.draft_files : []);
    if (byId("-f-file-status")) { byId("-f-file-status").textContent = ""; }
    loadCitable(source.citations);
    clearErrors();
    updateWords();
    form.hidden = false;
    autosaver.markSaved(entry && entry.draft ? entry.updated_at : null);
    f.title.focus();
  }

  function closeForm() {
    form.hidden = true;
    state.editing = null;
    autosaver.markSaved(null);
  }

  function collect() {
    var f = fields();
    var body = {
      title: f.title.value, activity_date: f.activity_date.value, entry_type: f.entry_type.value, body: f.body.value,
      criteria: Array.prototype.filter.call(f.criteria, function (box) { return box.checked; }).map(function (box) { return box.value; }),
      witnesses: collectWitnesses()
    };
    if (f.citations && !f.citations.hidden) { body.citations = collectCitations(); }
    if (state.editing) { body.entry_id = state.editing; }
    return body;
  }

  function send(handler, doneMessage) {
    clearErrors();
    var buttons = form.querySelectorAll("button");
    var pressed = document.activeElement;
    function enable() {
      buttons.forEach(function (button) { button.disabled = false; });
      // Disabling the pressed button dropped focus to the page: give it back.
      if (pressed && form.contains(pressed) && (document.activeElement === document.body || !document.activeElement)) { pressed.focus(); }
    }
    buttons.forEach(function (button) { button.disabled = true; });
    // Any autosave still on its way lands first (it may create the entry this request then names).
    return autosaver.flush().then(function () {
      var values = collect();
      if (handler === "submit_entry") {
        var declaration = fields().declaration;
        values.declaration = declaration && declaration.checked ? declaration.value : false;
      }
      return post(handler, values);
    }).then(function (reply) {
      enable();
      if (!reply.ok) {
        showFormError(reply.data);
        return null;
      }
      putEntry(reply.data.entry);
      state.editing = reply.data.entry.entry_id;
      autosaver.markSaved(reply.data.entry.updated_at);
      if (reply.data.coverage) { state.coverage = reply.data.coverage; state.score = reply.data.score; }
      renderEntries();
      renderCoverage();
      announce(doneMessage);
      return reply.data.entry;
    }).catch(function () {
      enable();
      showFormError({error: S.network});
      return null;
    });
  }

  /* Autosave: the entry is saved as a draft as the learner types (created on the first change). */
  var autosaver = form ? LpCommon.autosave({
    runtime: runtime, element: element, form: form, key: "entry", status: byId("-autosave"), strings: S.autosave,
    collect: function () { var values = collect(); delete values.entry_id; return values; },
    save: function (values) {
      if (state.editing) { values.entry_id = state.editing; }
      return post("save_draft", values).then(function (reply) {
        if (!reply.ok) { return {ok: false, error: reply.data.error || String(reply.status)}; }
        putEntry(reply.data.entry);
        state.editing = reply.data.entry.entry_id;
        renderEntries();
        return {ok: true, savedAt: reply.data.entry.updated_at};
      });
    }
  }) : null;

  if (form) {
    byId("-f-body").addEventListener("input", updateWords);
    if (byId("-f-file")) { byId("-f-file").addEventListener("change", uploadChosen); }
    byId("-new").addEventListener("click", function () { openForm(null); });
    byId("-save").addEventListener("click", function () { send("save_draft", S.saved); });
    byId("-cancel").addEventListener("click", function () {
      // What was typed is saved (as a draft) before the form closes; only if that fails is the learner asked.
      autosaver.flush().then(function (saved) {
        if (!saved && !window.confirm(S.closeUnsaved)) { return; }
        closeForm();
        byId("-new").focus();
      });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send("submit_entry", S.submitted).then(function (entry) {
        if (!entry) { return; }
        closeForm();
        showDetail(entry.entry_id);
      });
    });
    renderEntries();
    renderCoverage();
  }

  /* ------------------------------------------------------------ tutor side */

  // Quality assurance (appeals, verification, returned entries, adjustments): static/reflective_log_quality.js.
  LpReflectiveLogQuality({post: post, root: root, prefix: P, args: args, byId: byId, versionBlock: versionBlock,
                          auditList: auditList});
  if (!args.isTutor) { return {}; }

  var queue = {status: "submitted", page: 1, pages: 0, counts: {}};
  var marking = {entryId: null, entry: null, holding: false};
  var ENTRY_HASH = "#" + P + "-entry-";

  function loadQueue(status, page) {
    var target = byId("-queue");
    target.setAttribute("aria-busy", "true");
    return post("queue", {status: status, page: page}).then(function (reply) {
      target.removeAttribute("aria-busy");
      if (!reply.ok) { target.textContent = fmt(S.loadFailed, {error: reply.data.error}); return; }
      queue.status = status;
      queue.page = reply.data.page;
      queue.pages = reply.data.pages;
      queue.counts = reply.data.counts;
      renderQueue(reply.data);
    }).catch(function () { target.removeAttribute("aria-busy"); target.textContent = fmt(S.loadFailed, {error: ""}); });
  }

  function renderQueue(data) {
    root.querySelectorAll(".lp-rl__filter").forEach(function (button) {
      var status = button.getAttribute("data-status");
      button.textContent = fmt(S.queueStatuses[status], {count: data.counts[status] || 0});
      button.setAttribute("aria-pressed", status === queue.status ? "true" : "false");
    });
    var target = byId("-queue");
    target.textContent = "";
    var pages = Math.max(data.pages, 1);
    if (!data.entries.length) {
      target.appendChild(el("p", {"class": "lp-rl__note"}, S.queueEmpty));
    } else {
      var table = el("table", {"class": "lp-rl__table lp-rl__queue-table"});
      table.appendChild(el("caption", {}, fmt(S.queueCaption, {
        status: statusLabel(queue.status), page: data.page, pages: pages
      })));
      var head = el("tr");
      [S.learner, S.title, S.type, S.submittedAt, S.version, S.referrals, S.lockedBy].forEach(function (label) {
        head.appendChild(el("th", {scope: "col"}, label));
      });
      table.appendChild(el("thead")).appendChild(head);
      var body = table.appendChild(el("tbody"));
      data.entries.forEach(function (entry) {
        var row = el("tr", {"data-entry": entry.entry_id});
        row.appendChild(el("td", {}, entry.learner));
        var titleCell = el("th", {scope: "row"});
        var link = el("a", {href: ENTRY_HASH + entry.entry_id, "class": "lp-rl__entry-link"}, entry.title);
        link.addEventListener("click", function () { openEntry(entry.entry_id); });
        titleCell.appendChild(link);
        var returned = (data.returned || {})[entry.entry_id];
        if (returned) {  // a verifier disagreed with the last decision: their note goes with the entry
          titleCell.appendChild(el("p", {"class": "lp-rl__returned-note"}, fmt(args.qaStrings.returnedNote, {
            verifier: returned.verifier, comment: returned.comment})));
        }
        row.appendChild(titleCell);
        row.appendChild(el("td", {}, typeLabel(entry.entry_type)));
        row.appendChild(el("td", {}, moment(entry.submitted_at)));
        row.appendChild(el("td", {}, entry.version));
        row.appendChild(el("td", {}, entry.referrals));
        row.appendChild(el("td", {}, entry.lock ? entry.lock.holder : ""));
        body.appendChild(row);
      });
      target.appendChild(LpCommon.scrollRegion(table));
    }
    byId("-page").textContent = fmt(S.page, {page: data.page, pages: pages});
    byId("-prev").disabled = data.page <= 1;
    byId("-next").disabled = data.page >= data.pages;
  }

  function openEntry(id) {
    marking.entryId = id;
    var section = byId("-marking");
    byId("-marking-body").textContent = S.loading;
    section.hidden = false;
    return post("open_entry", {entry_id: id}).then(function (reply) {
      if (!reply.ok) { byId("-marking-body").textContent = fmt(S.loadFailed, {error: reply.data.error}); return; }
      renderMarking(reply.data);
      byId("-marking-heading").focus();
    });
  }

  /* The lock is the tutor's only while they mark: given back on Close, after marking and when the page goes. */
  function releaseHeld(useBeacon) {
    if (!marking.holding || !marking.entryId) { return; }
    var body = {entry_id: marking.entryId};
    marking.holding = false;
    if (useBeacon) {
      // A keepalive request outlives the page, like navigator.sendBeacon, and (unlike a beacon) carries
      // the CSRF header the LMS and the workbench ask of a POST.
      LpCommon.post(runtime, element, "release_lock", body, {keepalive: true}).catch(function () { return null; });
    } else {
      post("release_lock", body).then(function () { loadQueue(queue.status, queue.page); });
    }
  }
  window.addEventListener("pagehide", function () { releaseHeld(true); });

  function renderMarking(data) {
    var entry = data.entry;
    marking.entry = entry;
    marking.holding = !!data.holding;
    byId("-marking-heading").textContent = fmt(S.markingHeading, {title: entry.title, learner: entry.learner});
    var body = byId("-marking-body");
    body.textContent = "";
    body.appendChild(el("p", {"class": "lp-rl__meta"}, statusLabel(entry.status)));
    if (entry.lock && !data.holding) {
      body.appendChild(el("p", {"class": "lp-rl__lock lp-rl__lock--other"},
        fmt(S.lockOther, {holder: entry.lock.holder, time: LpCommon.time(entry.lock.expires_at)})));
    } else if (entry.status !== "submitted") {
      body.appendChild(el("p", {"class": "lp-rl__note"}, S.notWaiting));
    }
    // The work first (newest version on top), then the marking form below it.
    var latest = entry.versions[entry.versions.length - 1];
    marking.guidance = data.guidance || {};
    entry.versions.slice().reverse().forEach(function (version) { body.appendChild(versionBlock(version, 5)); });
    if (data.can_mark && latest) {
      if (data.holding) {
        body.appendChild(el("p", {"class": "lp-rl__lock"}, fmt(S.lockMine, {time: LpCommon.time(entry.lock.expires_at)})));
        body.appendChild(markingForm(entry, latest));
      } else {
        var start = el("button", {type: "button", "class": "lp-rl__button lp-rl__start-marking"}, S.startMarking);
        start.addEventListener("click", function () {
          start.disabled = true;
          post("start_marking", {entry_id: entry.entry_id}).then(function (reply) {
            start.disabled = false;
            if (!reply.ok) { announce(reply.data.error || String(reply.status)); openEntry(entry.entry_id); return; }
            renderMarking(reply.data);
            announce(fmt(S.lockMine, {time: LpCommon.time(reply.data.entry.lock.expires_at)}));
            var first = byId("-marking-body").querySelector(".lp-rl__mark-form input, .lp-rl__mark-form textarea");
            if (first) { first.focus(); }
            loadQueue(queue.status, queue.page);
          }).catch(function () { start.disabled = false; announce(S.network); });
        });
        body.appendChild(start);
      }
    }
    if (entry.audit) {
      body.appendChild(el("h5", {}, S.audit));
      body.appendChild(auditList(entry.audit));
    }
    var close = el("button", {type: "button", "class": "lp-rl__button lp-rl__button--secondary lp-rl__close-marking"}, S.close);
    close.addEventListener("click", function () {
      releaseHeld(false);
      byId("-marking").hidden = true;
      marking.entryId = null;
      if (window.location.hash.indexOf(ENTRY_HASH) === 0) { history.replaceState(null, "", window.location.pathname + window.location.search); }
      byId("-filter-" + queue.status).focus();
    });
    body.appendChild(close);
  }

  function markingForm(entry, version) {
    var formNode = el("form", {"class": "lp-rl__mark-form", novalidate: true, "aria-label": fmt(S.markingHeading, {title: entry.title, learner: entry.learner})});
    var error = el("div", {"class": "lp-rl__error lp-error-summary", id: P + "-mark-error", role: "alert", hidden: true});
    formNode.appendChild(error);
    version.criteria.forEach(function (id, index) {
      var base = P + "-mark-" + index;
      var set = el("fieldset", {"class": "lp-rl__mark", "data-criterion": id});
      set.appendChild(el("legend", {}, fmt(S.markCriterion, {id: id, text: criteria[id] ? criteria[id].text : ""})));
      var guide = marking.guidance[id];
      if (guide) {
        // The catalogue's marking guidance beside the decision: what "met" looks like, two exemplars, the evidence asked for.
        var details = el("details", {"class": "lp-rl__guidance"});
        details.appendChild(el("summary", {}, fmt(S.guidanceHeading, {id: id})));
        var list = el("dl", {});
        [[S.guidanceMet, guide.met], [S.guidanceExemplarMet, guide.exemplar_met],
         [S.guidanceExemplarNotYet, guide.exemplar_not_yet], [S.guidanceEvidence, (guide.evidence || []).join("; ")]
        ].forEach(function (pair) {
          if (!pair[1]) { return; }
          list.appendChild(el("dt", {}, pair[0]));
          list.appendChild(el("dd", {}, pair[1]));
        });
        details.appendChild(list);
        set.appendChild(details);
      }
      ["met", "not_yet_met"].forEach(function (value) {
        var option = el("span", {"class": "lp-rl__option"});
        option.appendChild(el("input", {type: "radio", name: base, id: base + "-" + value, value: value}));
        option.appendChild(el("label", {"for": base + "-" + value}, S.criterionDecisions[value]));
        set.appendChild(option);
      });
      var comment = el("p", {"class": "lp-rl__field"});
      comment.appendChild(el("label", {"for": base + "-comment"}, fmt(S.comment, {id: id})));
      comment.appendChild(el("textarea", {id: base + "-comment", rows: "2"}));
      set.appendChild(comment);
      formNode.appendChild(set);
    });
    var overall = el("p", {"class": "lp-rl__field"});
    overall.appendChild(el("label", {"for": P + "-mark-feedback"}, S.overallFeedback));
    overall.appendChild(el("textarea", {id: P + "-mark-feedback", rows: "5"}));
    formNode.appendChild(overall);
    var actions = el("p", {"class": "lp-rl__actions"});
    [[null, S.saveFeedback, "lp-rl__button--secondary"], ["pass", S.pass, ""], ["refer", S.refer, ""]].forEach(function (spec) {
      var button = el("button", {type: "button", "class": "lp-rl__button " + spec[2], "data-decision": spec[0] || ""}, spec[1]);
      button.addEventListener("click", function () { mark(formNode, version, spec[0]); });
      actions.appendChild(button);
    });
    var release = el("button", {type: "button", "class": "lp-rl__button lp-rl__button--secondary"}, S.release);
    release.addEventListener("click", function () {
      post("release_lock", {entry_id: entry.entry_id}).then(function (reply) {
        if (!reply.ok) { error.textContent = reply.data.error; error.hidden = false; announce(reply.data.error); return; }
        announce(S.released);
        openEntry(entry.entry_id);
        loadQueue(queue.status, queue.page);
      });
    });
    actions.appendChild(release);
    formNode.appendChild(actions);
    formNode.addEventListener("submit", function (event) { event.preventDefault(); });
    return formNode;
  }

  function mark(formNode, version, decision) {
    var error = formNode.querySelector(".lp-rl__error");
    LpCommon.clearErrors(error, formNode);
    var marks = {};
    formNode.querySelectorAll(".lp-rl__mark").forEach(function (set) {
      var chosen = set.querySelector("input[type=radio]:checked");
      marks[set.getAttribute("data-criterion")] = {
        decision: chosen ? chosen.value : null, comment: set.querySelector("textarea").value
      };
    });
    var body = {
      entry_id: marking.entryId, version: version.number, criteria: marks,
      feedback: formNode.querySelector("#" + CSS.escape(P + "-mark-feedback")).value, decision: decision
    };
    formNode.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
    post("mark_entry", body).then(function (reply) {
      formNode.querySelectorAll("button").forEach(function (button) { button.disabled = false; });
      if (!reply.ok) {
        // Every problem at once in a summary linked to the criteria or the feedback at fault.
        var problems = (reply.data.errors && reply.data.errors.length) ? reply.data.errors :
          [{field: reply.data.field, label: "", message: reply.data.error || String(reply.status)}];
        LpCommon.showErrors(error, formNode, S.problemTitle, problems.map(function (problem) {
          var fieldsAt = [];
          if (problem.field === "criteria") {
            formNode.querySelectorAll(".lp-rl__mark").forEach(function (set) {
              if (!set.querySelector("input:checked")) {
                fieldsAt = fieldsAt.concat(Array.prototype.slice.call(set.querySelectorAll("input[type=radio]")));
              }
            });
          } else if (problem.field === "feedback") {
            fieldsAt = [formNode.querySelector("#" + CSS.escape(P + "-mark-feedback"))];
          } else {
            fieldsAt = [formNode.querySelector("button[data-decision='" + (decision || "") + "']")];
          }
          return {label: problem.label, message: problem.message, fields: fieldsAt};
        }));
        announce(reply.data.error || "");
        return;
      }
      renderMarking(reply.data);
      announce(fmt(S.marked, {decision: S.decisions[decision || ""]}));
      byId("-marking-heading").focus();
      loadQueue(queue.status, queue.page);
    }).catch(function () {
      formNode.querySelectorAll("button").forEach(function (button) { button.disabled = false; });
      error.textContent = S.network;
      error.hidden = false;
    });
  }

  root.querySelectorAll(".lp-rl__filter").forEach(function (button) {
    button.addEventListener("click", function () { loadQueue(button.getAttribute("data-status"), 1); });
  });
  byId("-prev").addEventListener("click", function () { loadQueue(queue.status, Math.max(1, queue.page - 1)); });
  byId("-next").addEventListener("click", function () { loadQueue(queue.status, queue.page + 1); });

  byId("-lookup").addEventListener("submit", function (event) {
    event.preventDefault();
    var learner = byId("-lookup-learner").value.trim();
    if (!learner) { byId("-lookup-learner").focus(); return; }
    post("portfolio", {learner: learner}).then(function (reply) {
      var section = byId("-portfolio");
      var body = byId("-portfolio-body");
      body.textContent = "";
      section.hidden = false;
      if (!reply.ok) { body.appendChild(el("p", {"class": "lp-rl__error"}, reply.data.error)); return; }
      byId("-portfolio-heading").textContent = fmt(S.portfolioHeading, {learner: reply.data.learner});
      body.appendChild(el("p", {}, fmt(S.coverageSummary, {met: reply.data.score.points, total: reply.data.score.possible})));
      body.appendChild(LpCommon.scrollRegion(coverageTable(reply.data.coverage, null), S.criterion));
      body.appendChild(el("a", {"class": "lp-rl__link", href: withQuery(args.portfolioUrl, "learner", reply.data.learner)},
        fmt(S.downloadPortfolio, {learner: reply.data.learner})));
      body.appendChild(el("a", {"class": "lp-rl__link", href: withQuery(args.programmeUrl, "learner", reply.data.learner)},
        fmt(S.downloadProgramme, {learner: reply.data.learner})));
      body.appendChild(el("a", {"class": "lp-rl__link", href: withQuery(args.zipUrl, "learner", reply.data.learner)},
        fmt(S.downloadZip, {learner: reply.data.learner})));
      var programme = el("section", {"class": "lp-rl__programme", "aria-label": fmt(S.programmeHeading, {learner: reply.data.learner})});
      body.appendChild(programme);
      loadProgramme(programme, reply.data.learner);
      reply.data.entries.forEach(function (entry) {
        var article = el("section", {"class": "lp-rl__portfolio-entry"});
        article.appendChild(el("h5", {}, entry.title + " \u2014 " + statusLabel(entry.status)));
        entry.versions.slice().reverse().forEach(function (version) { article.appendChild(versionBlock(version, 6)); });
        body.appendChild(article);
      });
      byId("-portfolio-heading").focus();
    });
  });

  /* The tutors' learner view: all of a learner's work in the course, every block. */
  function loadProgramme(target, learner) {
    post("programme_record", {learner: learner}).then(function (reply) {
      if (!reply.ok) { target.appendChild(el("p", {"class": "lp-rl__error"}, reply.data.error)); return; }
      var data = reply.data;
      target.appendChild(el("h5", {}, fmt(S.programmeHeading, {learner: data.learner})));
      function part(title, items, render) {
        target.appendChild(el("h6", {}, title));
        if (!items.length) { target.appendChild(el("p", {"class": "lp-rl__note"}, S.programmeNone)); return; }
        var list = el("ul", {"class": "lp-rl__programme-list"});
        items.forEach(function (item) {
          var li = el("li");
          li.appendChild(el("span", {"class": "lp-rl__meta"}, fmt(S.programmeBlock, {block: item.block_key})));
          render(item, li);
          list.appendChild(li);
        });
        target.appendChild(list);
      }
      part(S.programmeLogs, data.logs, function (log, li) {
        var inner = el("ul");
        log.entries.forEach(function (entry) {
          inner.appendChild(el("li", {}, fmt(S.programmeEntry, {title: entry.title, status: statusLabel(entry.status), version: entry.version})));
        });
        li.appendChild(inner);
      });
      part(S.programmeExercises, data.exercises, function (exercise, li) {
        var inner = el("ul");
        exercise.attempts.forEach(function (attempt) {
          var result = attempt.ending_id ? fmt(S.programmeScore, {points: attempt.points, max: attempt.max_points,
            result: attempt.passed ? S.programmePassed : S.programmeNotYet}) : S.programmeInProgress;
          inner.appendChild(el("li", {}, fmt(S.programmeAttempt, {attempt: attempt.attempt, result: result})));
        });
        li.appendChild(inner);
        if (exercise.plan) {
          li.appendChild(el("p", {}, fmt(S.programmePlan, {date: moment(exercise.plan.saved_at)})));
          var plan = el("ul");
          exercise.plan.rows.forEach(function (row) { plan.appendChild(el("li", {}, fmt(S.programmePlanRow, row))); });
          li.appendChild(plan);
          if (exercise.plan.reflection) { li.appendChild(paragraphs(exercise.plan.reflection)); }
        }
      });
      part(S.programmeAssessments, data.assessments, function (assessment, li) {
        var inner = el("ul");
        assessment.attempts.forEach(function (attempt) {
          inner.appendChild(el("li", {}, fmt(S.programmeAnswered, {attempt: attempt.attempt, date: moment(attempt.submitted_at),
            overall: attempt.overall})));
        });
        li.appendChild(inner);
      });
    }).catch(function () { target.appendChild(el("p", {"class": "lp-rl__error"}, S.network)); });
  }

  function openFromHash() {
    var hash = window.location.hash;
    if (hash.indexOf(ENTRY_HASH) === 0) {
      var id = decodeURIComponent(hash.slice(ENTRY_HASH.length));
      if (id && id !== marking.entryId) { openEntry(id); }
    }
  }
  window.addEventListener("hashchange", openFromHash);

  loadQueue("submitted", 1);
  openFromHash();
  return {};
}
