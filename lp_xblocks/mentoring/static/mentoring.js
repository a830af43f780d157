/* The mentoring scheme's page: the coordinator's pairs, the mentor's mentees, the mentee's agreement, session
 * log and closing review. Every text goes in as text (LpCommon.el): nothing a person typed becomes markup. */
function LpMentoring(runtime, element, args) {
  "use strict";
  var C = window.LpCommon;
  var el = C.el;
  var root = C.blockRoot(element, args.prefix);
  var P = args.prefix;
  var page = C.pageData(root, P);
  var S = page.strings;
  var body = root.querySelector("#" + P + "-body");
  var errorBox = root.querySelector("#" + P + "-error");
  var say = C.announcer(root.querySelector("#" + P + "-status"));
  var savers = [];    // {key, saver, collect} of the forms on the page
  var pending = {};   // key -> values typed but not yet autosaved when the page was redrawn
  var editing = null;  // the session number being changed, or null for a new one

  function id(name) { return P + "-" + name; }

  function field(form, name, label, kind, value, extra) {
    var wrap = el("p", {"class": "lp-mt__field"});
    wrap.appendChild(el("label", {"for": id(form + "-" + name)}, label));
    var input = kind === "textarea" ? el("textarea", {rows: 5}) : el("input", {type: kind || "text"});
    input.id = id(form + "-" + name);
    input.name = name;
    Object.keys(extra || {}).forEach(function (key) { input.setAttribute(key, extra[key]); });
    input.value = value || "";
    wrap.appendChild(input);
    return wrap;
  }

  function button(text, handler, kind) {
    var node = el("button", {type: kind || "button", "class": "lp-mt__button"}, text);
    if (handler) { node.addEventListener("click", handler); }
    return node;
  }

  function heading(level, text, key) { return el("h" + level, {id: id(key)}, text); }

  function section(key, title) {
    var node = el("section", {"class": "lp-mt__section", "aria-labelledby": id(key + "-title")});
    node.appendChild(heading(3, title, key + "-title"));
    return node;
  }

  /* Send to a handler; on success redraw from the reply, on a refusal show every problem at once. */
  function send(handler, data, form, saver) {
    if (saver) { saver.hold(); }
    return C.post(runtime, element, handler, data).then(function (reply) {
      if (reply.ok) {
        C.clearErrors(errorBox, root);
        if (saver) { saver.markSaved(null); }
        page.state = reply.data;
        render();
        say(reply.data.saved ? C.fmt(S.pairedCounts, reply.data.saved) : S.saved);
        return true;
      }
      var problems = (reply.data.errors || [{field: reply.data.field, message: reply.data.error}]).map(function (item) {
        var target = form && item.field ? form.querySelector("[name='" + item.field + "']") : null;
        return {message: item.message || reply.data.error, fields: target ? [target] : []};
      });
      C.showErrors(errorBox, form || root, S.errorsTitle, problems);
      if (saver) { saver.changed(); }
      return false;
    }, function () { say(C.fmt(S.notSaved, {error: S.offline})); return false; });
  }

  function autosave(form, key) {
    var saver = C.autosave({runtime: runtime, element: element, form: form, key: key,
                            status: form.querySelector(".lp-mt__draft"), strings: S});
    keep(key, saver, function () { return C.formValues(form); }, function (typed) { C.setFormValues(form, typed); });
    return saver;
  }

  /* Track a form's autosave; put back what was typed before a redraw (or else the server's draft). */
  function keep(key, saver, collect, restore) {
    savers.push({key: key, saver: saver, collect: collect});
    if (pending[key]) {
      restore(pending[key]);
      delete pending[key];
      saver.changed();
    } else {
      saver.restore((page.state.drafts || {})[key]);
    }
  }

  function values(form) {
    var data = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[name], textarea[name], select[name]"), function (node) {
      if (node.type === "radio") { if (node.checked) { data[node.name] = node.value; } }
      else if (node.type !== "file") { data[node.name] = node.value; }
    });
    return data;
  }

  /* ------------------------------------------------------------------ agreement */

  function terms(agreement) {
    var list = el("dl", {"class": "lp-mt__terms"});
    ["goals", "frequency", "confidentiality", "review_date"].forEach(function (name) {
      if (!agreement.terms || !agreement.terms[name]) { return; }
      list.appendChild(el("dt", {}, S[name]));
      var dd = el("dd");
      dd.appendChild(name === "review_date" ? document.createTextNode(C.date(agreement.terms[name]))
                                            : C.paragraphs(agreement.terms[name]));
      list.appendChild(dd);
    });
    return list;
  }

  function agreementStatus(agreement, status) {
    return C.fmt(S["status_" + (status || "none")], {version: agreement.version || 0,
                                                     agreed: agreement.agreed ? agreement.agreed.version : ""});
  }

  function signatures(agreement, role, mentee) {
    var box = el("div", {"class": "lp-mt__signatures"});
    Object.keys(agreement.signatures || {}).forEach(function (party) {
      box.appendChild(el("p", {}, C.fmt(S.signedBy, {role: S[party], time: C.dateTime(agreement.signatures[party])})));
    });
    if (agreement.version && !(agreement.signatures || {})[role]) {
      box.appendChild(button(C.fmt(S.signAs, {version: agreement.version}), function () {
        var data = {version: agreement.version};
        if (mentee) { data.mentee = mentee; }
        send("sign_agreement", data, null);
      }));
    } else if (agreement.version && Object.keys(agreement.signatures || {}).length < 2) {
      box.appendChild(el("p", {}, S.waiting));
    }
    return box;
  }

  function agreementForm(agreement) {
    var form = el("form", {id: id("agreement-form"), novalidate: true, "class": "lp-mt__form"});
    var current = agreement.terms || {};
    form.appendChild(field("agreement", "goals", S.goals, "textarea", current.goals));
    form.appendChild(field("agreement", "frequency", S.frequency, "text", current.frequency, {maxlength: 200}));
    form.appendChild(field("agreement", "confidentiality", S.confidentiality, "textarea", current.confidentiality));
    form.appendChild(field("agreement", "review_date", S.review_date, "date", current.review_date, {min: page.today}));
    form.appendChild(el("p", {"class": "lp-mt__draft", role: "status"}));
    form.appendChild(button(S.saveTerms, null, "submit"));
    var saver = autosave(form, "agreement");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = values(form);
      data.version = agreement.version || 0;
      send("save_agreement", data, form, saver);
    });
    return form;
  }

  /* ------------------------------------------------------------------ sessions */

  function actionRow(table, row, number) {
    var tr = el("tr");
    ["what", "where", "whom", "when"].forEach(function (name) {
      var td = el("td");
      var input = el("input", {type: "text", "data-col": name, "aria-label": S[name] + " " + number});
      input.value = (row && row[name]) || "";
      td.appendChild(input);
      tr.appendChild(td);
    });
    var td = el("td");
    td.appendChild(button(C.fmt(S.removeAction, {number: number}), function () {
      tr.parentNode.removeChild(tr);
    }));
    tr.appendChild(td);
    table.tBodies[0].appendChild(tr);
  }

  function sessionForm(session) {
    var key = session ? "session:" + session.session_id : "session";
    var form = el("form", {id: id("session-form"), novalidate: true, "class": "lp-mt__form",
                           "aria-labelledby": id("session-form-title")});
    form.appendChild(heading(4, session ? C.fmt(S.editTitle, {number: session.session_id}) : S.logTitle,
                             "session-form-title"));
    form.appendChild(field("session", "date", S.date, "date", session ? session.date : "", {max: page.today}));
    form.appendChild(field("session", "focus", S.focus, "text", session ? session.focus : "", {maxlength: 200}));
    form.appendChild(field("session", "discussed", S.discussed, "textarea", session ? session.discussed : ""));
    var table = el("table", {"class": "lp-mt__table"});
    table.appendChild(el("caption", {id: id("actions-caption")}, S.actions));
    var head = el("tr");
    ["what", "where", "whom", "when"].forEach(function (name) { head.appendChild(el("th", {scope: "col"}, S[name])); });
    head.appendChild(el("th", {scope: "col"}, ""));
    table.appendChild(el("thead")).appendChild(head);
    table.appendChild(el("tbody"));
    var rows = session ? session.actions : [];
    (rows.length ? rows : [null]).forEach(function (row, index) { actionRow(table, row, index + 1); });
    form.appendChild(C.scrollRegion(table, S.actions));
    form.appendChild(el("p", {"class": "lp-mt__help"}, S.whenHelp));
    form.appendChild(button(S.addAction, function () {
      actionRow(table, null, table.tBodies[0].rows.length + 1);
      saver.changed();
    }));
    form.appendChild(el("p", {"class": "lp-mt__draft", role: "status"}));
    form.appendChild(button(S.saveSession, null, "submit"));
    if (session) {
      form.appendChild(button(S.cancelEdit, function () { editing = null; saver.discard(); render(); }));
    }
    function collect() {
      var data = values(form);
      data.actions = Array.prototype.map.call(table.tBodies[0].rows, function (tr) {
        var row = {};
        Array.prototype.forEach.call(tr.querySelectorAll("input[data-col]"), function (input) {
          row[input.getAttribute("data-col")] = input.value;
        });
        return row;
      });
      return data;
    }
    function flat() {
      var data = collect();
      data.actions = JSON.stringify(data.actions);
      return data;
    }
    function restore(draft) {
      ["date", "focus", "discussed"].forEach(function (name) {
        form.querySelector("[name='" + name + "']").value = draft[name] || "";
      });
      var saved = [];
      try { saved = JSON.parse(draft.actions || "[]"); } catch (ignore) { saved = []; }
      table.tBodies[0].textContent = "";
      (saved.length ? saved : [null]).forEach(function (row, index) { actionRow(table, row, index + 1); });
    }
    var saver = C.autosave({runtime: runtime, element: element, form: form, key: key, strings: S,
                            status: form.querySelector(".lp-mt__draft"), collect: flat, restore: restore});
    keep(key, saver, flat, restore);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = collect();
      if (session) { data.session_id = session.session_id; }
      send("log_session", data, form, saver).then(function (ok) { if (ok) { editing = null; render(); } });
    });
    return form;
  }

  function sessionItem(session, mentee) {
    var item = el("li", {"class": "lp-mt__session lp-mt__session--" + session.state});
    item.appendChild(el("h5", {}, C.fmt(S.sessionHeading, {number: session.session_id, focus: session.focus,
                                                           date: C.date(session.date)})));
    item.appendChild(el("p", {"class": "lp-mt__state"}, S["state_" + session.state]));
    item.appendChild(C.paragraphs(session.discussed));
    if (session.actions.length) {
      var list = el("ul", {"class": "lp-mt__actions"});
      session.actions.forEach(function (row) {
        list.appendChild(el("li", {}, [row.what, row.where, row.whom, row.when].join(" | ")));
      });
      item.appendChild(list);
    }
    if (session.comment && session.state === "commented") {
      item.appendChild(el("p", {"class": "lp-mt__comment"}, C.fmt(S.mentorComment, {comment: session.comment})));
    }
    if (mentee && session.state === "logged") {
      item.appendChild(button(C.fmt(S.confirm, {number: session.session_id}), function () {
        send("confirm_session", {mentee: mentee, session_id: session.session_id, version: session.version}, null);
      }));
      var form = el("form", {novalidate: true, "class": "lp-mt__form"});
      form.appendChild(field("comment-" + mentee.replace(/[^\w-]/g, "_") + "-" + session.session_id, "comment",
                             S.comment, "textarea", ""));
      form.appendChild(button(C.fmt(S.sendComment, {number: session.session_id}), null, "submit"));
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        send("comment_session", {mentee: mentee, session_id: session.session_id, version: session.version,
                                 comment: form.querySelector("textarea").value}, form);
      });
      item.appendChild(form);
    }
    if (!mentee && session.state !== "confirmed") {
      item.appendChild(button(C.fmt(S.edit, {number: session.session_id}), function () {
        editing = session.session_id;
        render();
        var target = root.querySelector("#" + id("session-date"));
        if (target) { target.focus(); }
      }));
    }
    return item;
  }

  function sessionList(sessions, mentee) {
    if (!sessions.length) { return el("p", {}, S.noSessions); }
    var list = el("ul", {"class": "lp-mt__sessions"});
    sessions.forEach(function (session) { list.appendChild(sessionItem(session, mentee)); });
    return list;
  }

  /* ------------------------------------------------------------------ the sections */

  function reviewForm(pair) {
    var form = el("form", {id: id("review-form"), novalidate: true, "class": "lp-mt__form"});
    var review = pair.review || {};
    var group = el("fieldset");
    group.appendChild(el("legend", {}, S.goals_met));
    ["yes", "partly", "no"].forEach(function (value) {
      var input = el("input", {type: "radio", name: "goals_met", value: value, id: id("review-goals-" + value)});
      input.checked = review.goals_met === value;
      group.appendChild(input);
      group.appendChild(el("label", {"for": input.id}, S[value]));
    });
    form.appendChild(group);
    form.appendChild(field("review", "what_next", S.what_next, "textarea", review.what_next));
    var carry = el("p", {"class": "lp-mt__field"});
    var tick = el("input", {type: "checkbox", id: id("review-continue"), name: "continue", value: "yes"});
    tick.checked = review["continue"] === true;
    carry.appendChild(tick);
    carry.appendChild(el("label", {"for": tick.id}, S["continue"]));
    form.appendChild(carry);
    form.appendChild(el("p", {"class": "lp-mt__draft", role: "status"}));
    form.appendChild(button(S.saveReview, null, "submit"));
    var saver = autosave(form, "review");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = values(form);
      data["continue"] = tick.checked;
      send("save_review", data, form, saver);
    });
    if (pair.reviewed_at) { form.appendChild(el("p", {}, C.fmt(S.reviewSaved, {time: C.dateTime(pair.reviewed_at)}))); }
    return form;
  }

  function menteeSection(pair) {
    var node = section("mentee", S.agreementTitle);
    node.insertBefore(el("p", {"class": "lp-mt__mentor"}, C.fmt(pair.organisation ? S.yourMentorOrg : S.yourMentor,
      {mentor: pair.mentor, organisation: pair.organisation})), node.firstChild);
    node.appendChild(el("p", {}, S.agreementIntro));
    node.appendChild(el("p", {"class": "lp-mt__agreement-status"}, agreementStatus(pair.agreement, pair.agreement_status)));
    node.appendChild(terms(pair.agreement));
    node.appendChild(signatures(pair.agreement, "mentee", null));
    node.appendChild(agreementForm(pair.agreement));
    var log = section("sessions", S.sessionsTitle);
    var current = editing === null ? null : pair.sessions.filter(function (s) { return s.session_id === editing; })[0];
    log.appendChild(sessionForm(current || null));
    log.appendChild(sessionList(pair.sessions, null));
    var review = section("review", S.reviewTitle);
    review.appendChild(reviewForm(pair));
    return [node, log, review];
  }

  function mentorSection(state) {
    var node = section("mentees", S.mentorTitle);
    state.mentees.forEach(function (pair, index) {
      var part = el("article", {"class": "lp-mt__mentee", "aria-labelledby": id("mentee-" + index)});
      part.appendChild(heading(4, C.fmt(S.menteeHeading, {mentee: pair.mentee}), "mentee-" + index));
      part.appendChild(el("p", {"class": "lp-mt__agreement-status"}, agreementStatus(pair.agreement, pair.agreement_status)));
      part.appendChild(terms(pair.agreement));
      part.appendChild(signatures(pair.agreement, "mentor", pair.mentee));
      part.appendChild(sessionList(pair.sessions, pair.mentee));
      node.appendChild(part);
    });
    return node;
  }

  function coordinatorSection(state) {
    var node = section("pairs", S.coordinatorTitle);
    node.appendChild(el("p", {}, S.coordinatorIntro));
    if (!state.pairs.length) {
      node.appendChild(el("p", {}, S.noPairs));
    } else {
      var table = el("table", {"class": "lp-mt__table"});
      table.appendChild(el("caption", {id: id("pairs-caption")}, S.pairsCaption));
      var head = el("tr");
      [S.mentee, S.mentor, S.organisation, S.agreement, S.logged, S.confirmed, S.review, ""].forEach(function (text) {
        head.appendChild(el("th", {scope: "col"}, text));
      });
      table.appendChild(el("thead")).appendChild(head);
      var tbody = table.appendChild(el("tbody"));
      state.pairs.forEach(function (pair) {
        var tr = el("tr");
        tr.appendChild(el("th", {scope: "row"}, pair.mentee));
        [pair.mentor, pair.organisation, S["agreement_" + pair.agreement_status] || pair.agreement_status,
         pair.sessions_logged, pair.sessions_confirmed, pair.reviewed ? S.done : S.notDone].forEach(function (text) {
          tr.appendChild(el("td", {}, text));
        });
        var td = el("td");
        td.appendChild(button(C.fmt(S.unpair, {mentee: pair.mentee}), function () { send("unpair", {mentee: pair.mentee}, null); }));
        tr.appendChild(td);
        tbody.appendChild(tr);
      });
      node.appendChild(C.scrollRegion(table, S.pairsCaption));
      node.appendChild(el("p")).appendChild(el("a", {href: runtime.handlerUrl(element, "pairs_csv")}, S.download));
    }
    var form = el("form", {id: id("pair-form"), novalidate: true, "class": "lp-mt__form", "aria-labelledby": id("pair-title")});
    form.appendChild(heading(4, S.pairTitle, "pair-title"));
    form.appendChild(field("pair", "mentee", S.menteeUsername, "text", "", {autocomplete: "off"}));
    form.appendChild(field("pair", "mentor", S.mentorUsername, "text", "", {autocomplete: "off"}));
    form.appendChild(field("pair", "organisation", S.organisation, "text", "", {maxlength: 200}));
    form.appendChild(button(S.pairButton, null, "submit"));
    form.addEventListener("submit", function (event) { event.preventDefault(); send("pair", values(form), form); });
    node.appendChild(form);
    var upload = el("form", {id: id("upload-form"), novalidate: true, "class": "lp-mt__form", "aria-labelledby": id("upload-title")});
    upload.appendChild(heading(4, S.uploadTitle, "upload-title"));
    upload.appendChild(el("p", {id: id("upload-help")}, S.uploadHelp));
    var file = field("upload", "csv", S.csvFile, "file", "", {accept: ".csv,text/csv", "aria-describedby": id("upload-help")});
    upload.appendChild(file);
    upload.appendChild(button(S.uploadButton, null, "submit"));
    upload.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = file.querySelector("input");
      if (!input.files || !input.files.length) { input.focus(); return; }
      input.files[0].text().then(function (text) { send("upload_pairs", {csv: text}, upload); });
    });
    node.appendChild(upload);
    return node;
  }

  function briefing(text) {
    var node = section("briefing", S.briefingTitle);
    node.appendChild(C.paragraphs(text));
    return node;
  }

  function render() {
    var state = page.state;
    savers.forEach(function (item) {
      if (item.saver.dirty()) { pending[item.key] = item.collect(); }
      item.saver.hold();
      item.saver.markSaved(null);
    });
    savers = [];
    body.textContent = "";
    if (!state.username) { body.appendChild(el("p", {}, S.signIn)); return; }
    if (state.pairs) { body.appendChild(coordinatorSection(state)); }
    if (state.briefing !== null && state.briefing !== undefined && (state.mentees.length || state.coordinator)) {
      if (state.briefing) { body.appendChild(briefing(state.briefing)); }
    }
    if (state.mentees.length) { body.appendChild(mentorSection(state)); }
    if (state.mentee) {
      menteeSection(state.mentee).forEach(function (node) { body.appendChild(node); });
    } else if (!state.mentees.length && !state.coordinator) {
      body.appendChild(el("p", {}, S.notPaired));
    }
  }

  render();
}
