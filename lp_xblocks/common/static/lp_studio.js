/* The Studio editor every lp block uses: a form built from the block's schema (lists with add, remove and
 * reorder by buttons or Alt+Up/Alt+Down), checked as the author types by the block's validate_draft handler
 * (the same validators the OLX path uses; every problem next to its field, Save disabled while any remains),
 * an "Advanced (XML)" tab kept in step with the form, a live preview, and Studio's modal conventions
 * (runtime.notify save start/end, error, cancel). Author text only ever goes in as text nodes or values.
 *
 * ``element`` may be a DOM element or a jQuery object (Studio); it is unwrapped once by LpCommon.blockRoot and
 * handed unchanged to runtime.handlerUrl. */
function LpStudioEditor(runtime, element, init) {
  "use strict";
  var P = init.prefix;
  var root = LpCommon.blockRoot(element, P);
  var data = LpCommon.pageData(root, P);
  var S = data.strings, schema = data.schema;
  var fmt = LpCommon.fmt, el = LpCommon.el;
  var initialDraft = JSON.stringify(data.draft), initialXml = data.xml;
  var draft = JSON.parse(initialDraft);
  var form = root.querySelector("form");
  var fieldsBox = root.querySelector("#" + P + "-fields");
  var xmlBox = root.querySelector("#" + P + "-xml");
  var errorBox = root.querySelector("#" + P + "-error");
  var problemList = root.querySelector("#" + P + "-problem-list");
  var status = root.querySelector("#" + P + "-status");
  var saveButton = form.querySelector(".lp-editor__save");
  var cancelButton = form.querySelector(".lp-editor__cancel");
  var previewBody = root.querySelector("#" + P + "-preview-body");
  var tabs = {form: root.querySelector("#" + P + "-tab-form"), xml: root.querySelector("#" + P + "-tab-xml")};
  var panels = {form: root.querySelector("#" + P + "-panel-form"), xml: root.querySelector("#" + P + "-panel-xml")};
  var announce = LpCommon.announcer(status);
  var mode = "form", xmlDirty = false, last = null, sequence = 0, timer = null, playing = null, sample = null;

  function post(handler, body) { return LpCommon.post(runtime, element, handler, body); }
  function notify(name, args) { if (runtime.notify) { runtime.notify(name, args || {}); } }

  // ------------------------------------------------------------------ paths into the draft

  function join(path, key) { return path === "" ? String(key) : path + "." + key; }
  function parts(path) { return path === "" ? [] : path.split("."); }
  function getAt(path) {
    return parts(path).reduce(function (value, key) { return value === undefined || value === null ? undefined : value[key]; }, draft);
  }
  function setAt(path, value) {
    var keys = parts(path), target = draft;
    keys.slice(0, -1).forEach(function (key) { target = target[key]; });
    target[keys[keys.length - 1]] = value;
  }
  function fieldId(path) { return P + "-f-" + (path || "root").replace(/[^A-Za-z0-9_-]/g, "-"); }
  function schemaAt(path) {
    var fields = schema, field = null;
    parts(path).forEach(function (key) {
      if (/^\d+$/.test(key)) { fields = field.item; return; }
      field = fields.filter(function (candidate) { return candidate.key === key; })[0];
    });
    return field;
  }
  function idsOf(listKeys) {
    var ids = [];
    (listKeys || []).forEach(function (key) {
      (draft[key] || []).forEach(function (item) { if (item && item.id) { ids.push([key, item.id]); } });
    });
    return ids;
  }
  function itemName(field, index, item) {
    var title = field.title_key && item && item[field.title_key] ? String(item[field.title_key]) : "";
    if (title.length > 60) { title = title.slice(0, 57) + "..."; }
    return field.item_label + " " + (index + 1) + (title ? ": " + title : "");
  }

  // ------------------------------------------------------------------ the form

  function describe(input, path, help) {
    var ids = [];
    if (help) { ids.push(fieldId(path) + "-help"); }
    ids.push(fieldId(path) + "-error");
    input.setAttribute("aria-describedby", ids.join(" "));
  }

  function refOptions(select, field, value) {
    select.textContent = "";
    select.appendChild(el("option", {value: ""}, S.choose));
    var found = false;
    idsOf(field.ref).forEach(function (pair) {
      var kind = pair[0] === "endings" ? S.endingKind : (pair[0] === "scenes" ? S.scene : pair[0]);
      var option = el("option", {value: pair[1]}, pair[1] + " (" + kind + ")");
      if (pair[1] === value) { option.selected = true; found = true; }
      select.appendChild(option);
    });
    if (value && !found) { select.appendChild(el("option", {value: value, selected: true}, value)); }
  }

  function renderInput(field, path) {
    var value = getAt(path);
    var id = fieldId(path);
    var wrap = el("div", {"class": "lp-editor__field lp-editor__field--" + field.type, "data-path": path});
    var input;
    if (field.type === "refs") {
      input = el("fieldset", {"class": "lp-editor__refs", id: id, "data-path": path, "data-type": "refs"});
      input.appendChild(el("legend", {}, field.label));
      var chosen = value || [];
      var ids = idsOf(field.ref);
      if (!ids.length) { input.appendChild(el("p", {"class": "lp-editor__help"}, S.none)); }
      ids.forEach(function (pair, index) {
        var boxId = id + "-" + index;
        var box = el("input", {type: "checkbox", id: boxId, value: pair[1], "data-path": path, "data-type": "refs"});
        box.checked = chosen.indexOf(pair[1]) !== -1;
        var line = el("span", {"class": "lp-editor__ref"});
        line.appendChild(box);
        line.appendChild(el("label", {"for": boxId}, pair[1]));
        input.appendChild(line);
      });
      wrap.appendChild(input);
    } else if (field.type === "checkbox") {
      input = el("input", {type: "checkbox", id: id, "data-path": path, "data-type": field.type});
      input.checked = Boolean(value);
      wrap.appendChild(input);
      wrap.appendChild(el("label", {"for": id}, field.label));
    } else {
      wrap.appendChild(el("label", {"for": id}, field.label));
      if (field.type === "textarea") {
        input = el("textarea", {id: id, rows: field.rows || 3, "data-path": path, "data-type": field.type});
        input.value = value === undefined || value === null ? "" : String(value);
      } else if (field.type === "select" || field.type === "ref") {
        input = el("select", {id: id, "data-path": path, "data-type": field.type});
        if (field.type === "ref") {
          refOptions(input, field, value);
        } else {
          (field.options || []).forEach(function (option) {
            input.appendChild(el("option", {value: option[0], selected: option[0] === value}, option[1]));
          });
        }
      } else {
        input = el("input", {type: "text", id: id, "data-path": path, "data-type": field.type,
                             "data-numeric": field.numeric ? "true" : null,
                             inputmode: field.type === "integer" ? "numeric" : (field.type === "number" ? "decimal" : null),
                             "class": field.type === "text" ? null : "lp-editor__short"});
        input.value = value === undefined || value === null ? "" : String(value);
      }
      if (field.required) { input.setAttribute("aria-required", "true"); }
      wrap.appendChild(input);
    }
    if (field.help) { wrap.appendChild(el("span", {"class": "lp-editor__help", id: id + "-help"}, field.help)); }
    wrap.appendChild(el("p", {"class": "lp-editor__field-error", id: id + "-error"}));
    describe(input, path, field.help);
    return wrap;
  }

  function renderList(field, path) {
    var items = getAt(path);
    if (!Array.isArray(items)) { items = []; setAt(path, items); }
    var id = fieldId(path);
    var box = el("fieldset", {"class": "lp-editor__list", id: id, "data-path": path, tabindex: "-1"});
    box.appendChild(el("legend", {}, field.label));
    if (field.help) { box.appendChild(el("p", {"class": "lp-editor__help", id: id + "-help"}, field.help)); }
    box.appendChild(el("p", {"class": "lp-editor__field-error", id: id + "-error"}));
    describe(box, path, field.help);
    var list = el("ol", {"class": "lp-editor__items"});
    items.forEach(function (item, index) {
      var itemPath = join(path, index);
      var li = el("li", {"class": "lp-editor__item", "data-path": itemPath, "data-list": path, "data-index": index});
      var group = el("fieldset", {"class": "lp-editor__item-fields", id: fieldId(itemPath), tabindex: "-1"});
      group.appendChild(el("legend", {"class": "lp-editor__item-title"}, itemName(field, index, item)));
      group.appendChild(el("p", {"class": "lp-editor__field-error", id: fieldId(itemPath) + "-error"}));
      describe(group, itemPath, false);
      renderFields(field.item, itemPath, group);
      var actions = el("div", {"class": "lp-editor__item-actions"});
      var name = field.item_label + " " + (index + 1);
      [[S.moveUp, "up", "\u2191 "], [S.moveDown, "down", "\u2193 "], [S.remove, "remove", ""]].forEach(function (spec) {
        var label = fmt(spec[0], {item: name});
        var button = el("button", {type: "button", "class": "lp-editor__button lp-editor__small",
                                   "data-action": spec[1], "data-path": path, "data-index": index}, spec[2] + label);
        if ((spec[1] === "up" && index === 0) || (spec[1] === "down" && index === items.length - 1)) {
          button.disabled = true;
        }
        actions.appendChild(button);
      });
      if (field.play) {
        actions.appendChild(el("button", {type: "button", "class": "lp-editor__button lp-editor__small",
                                          "data-action": "play", "data-path": path, "data-index": index},
                               S.playHere + " (" + name + ")"));
      }
      group.appendChild(actions);
      li.appendChild(group);
      list.appendChild(li);
    });
    box.appendChild(list);
    if (field.picker === "criteria" && data.catalogue && data.catalogue.length) { box.appendChild(picker(path)); }
    box.appendChild(el("button", {type: "button", "class": "lp-editor__button lp-editor__add", "data-action": "add",
                                  "data-path": path}, fmt(S.add, {item: field.item_label})));
    return box;
  }

  /* Criteria picked from the accreditation catalogue, a unit at a time. */
  function picker(path) {
    var wrap = el("div", {"class": "lp-editor__picker"});
    var id = fieldId(path) + "-unit";
    wrap.appendChild(el("label", {"for": id}, S.pickUnit));
    var select = el("select", {id: id});
    data.catalogue.forEach(function (unit, index) {
      select.appendChild(el("option", {value: index}, unit.title));
    });
    wrap.appendChild(select);
    wrap.appendChild(el("button", {type: "button", "class": "lp-editor__button lp-editor__small", "data-action": "pick",
                                   "data-path": path}, S.pickAdd));
    return wrap;
  }

  /* Keys of the definition the schema does not name (a feature added to the OLX later, such as an ending's pass
   * flag) are still editable when they hold a flag, a number or a short text, under their own name. */
  function extraFields(fields, value) {
    var known = fields.map(function (field) { return field.key; });
    return Object.keys(value || {}).filter(function (key) { return known.indexOf(key) === -1; }).map(function (key) {
      var type = typeof value[key];
      if (type !== "boolean" && type !== "number" && type !== "string") { return null; }
      var label = key.replace(/_/g, " ").replace(/^./, function (first) { return first.toUpperCase(); });
      return {key: key, label: label, type: type === "boolean" ? "checkbox" : "text", numeric: type === "number",
              extra: true};
    }).filter(Boolean);
  }

  function renderFields(fields, path, container) {
    fields.concat(extraFields(fields, path === "" ? draft : getAt(path))).forEach(function (field) {
      var fieldPath = join(path, field.key);
      container.appendChild(field.type === "list" ? renderList(field, fieldPath) : renderInput(field, fieldPath));
    });
  }

  function render(focusId) {
    fieldsBox.textContent = "";
    renderFields(schema, "", fieldsBox);
    if (last) { showProblems(last.problems); } else { problemList.textContent = ""; }
    if (focusId) {
      var target = root.querySelector("#" + focusId);
      if (target) { target.focus(); }
    }
  }

  function refreshRefs() {
    fieldsBox.querySelectorAll("select[data-type=ref]").forEach(function (select) {
      refOptions(select, schemaAt(select.getAttribute("data-path")), getAt(select.getAttribute("data-path")));
    });
  }

  // ------------------------------------------------------------------ editing

  function readInput(input) {
    var path = input.getAttribute("data-path"), type = input.getAttribute("data-type");
    if (type === "refs") {
      var group = fieldsBox.querySelector("#" + fieldId(path));
      setAt(path, Array.prototype.map.call(group.querySelectorAll("input:checked"), function (box) { return box.value; }));
    } else if (type === "checkbox") {
      setAt(path, input.checked);
    } else if (input.getAttribute("data-numeric") && input.value.trim() !== "" && isFinite(Number(input.value))) {
      setAt(path, Number(input.value));
    } else {
      setAt(path, input.value);
    }
    var key = parts(path).slice(-1)[0];
    if (key === "id") { refreshRefs(); }
    var item = input.closest(".lp-editor__item");
    if (item) {
      var listField = schemaAt(item.getAttribute("data-list"));
      var index = Number(item.getAttribute("data-index"));
      item.querySelector(".lp-editor__item-title").textContent = itemName(listField, index, getAt(item.getAttribute("data-path")));
    }
    changed();
  }

  /* data-busy on the editor while a draft waits to be checked (tests and styles can wait on it). */
  function busy(on) { if (on) { root.setAttribute("data-busy", "true"); } else { root.removeAttribute("data-busy"); } }

  function changed() {
    saveButton.disabled = true;  // until the server has checked this draft
    busy(true);
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 250);
  }

  /* Move an item; focus follows it: the same field (``relative``: its path inside the item) after Alt+Up/Down,
   * else the same move button, or the other one when it has reached the end of the list. */
  function move(path, index, to, relative) {
    var items = getAt(path);
    if (to < 0 || to >= items.length) { return; }
    var item = items.splice(index, 1)[0];
    items.splice(to, 0, item);
    var field = schemaAt(path);
    last = null;
    render(null);
    var target = null;
    if (relative) {
      target = fieldsBox.querySelector("#" + fieldId(join(join(path, to), relative)));
    } else {
      var selector = "[data-path='" + path + "'][data-index='" + to + "']";
      target = fieldsBox.querySelector("[data-action=" + (to < index ? "up" : "down") + "]" + selector);
      if (!target || target.disabled) { target = fieldsBox.querySelector("[data-action=" + (to < index ? "down" : "up") + "]" + selector); }
    }
    (target || fieldsBox.querySelector("#" + fieldId(join(path, to)))).focus();
    announce(fmt(S.moved, {item: field.item_label, position: to + 1}));
    changed();
  }

  fieldsBox.addEventListener("input", function (event) {
    if (event.target.getAttribute("data-path")) { readInput(event.target); }
  });
  fieldsBox.addEventListener("change", function (event) {
    var type = event.target.getAttribute("data-type");
    if (type === "select" || type === "ref" || type === "checkbox" || type === "refs") { readInput(event.target); }
  });
  fieldsBox.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) { return; }
    var action = button.getAttribute("data-action"), path = button.getAttribute("data-path");
    var index = Number(button.getAttribute("data-index"));
    var field = schemaAt(path), items = getAt(path);
    if (action === "add") {
      items.push(JSON.parse(JSON.stringify(field.new_item || {})));
      last = null;
      render(null);
      var added = fieldsBox.querySelector("#" + fieldId(join(path, items.length - 1)));
      var first = added && added.querySelector("input, textarea, select");
      (first || added).focus();
      announce(fmt(S.added, {item: field.item_label + " " + items.length}));
      changed();
    } else if (action === "remove") {
      items.splice(index, 1);
      last = null;
      render(null);
      var next = fieldsBox.querySelector("#" + fieldId(join(path, Math.min(index, items.length - 1))));
      (next || fieldsBox.querySelector("#" + fieldId(path))).focus();
      announce(fmt(S.removed, {item: field.item_label + " " + (index + 1)}));
      changed();
    } else if (action === "up") {
      move(path, index, index - 1);
    } else if (action === "down") {
      move(path, index, index + 1);
    } else if (action === "play") {
      play(getAt(join(path, index)).id);
    } else if (action === "pick") {
      var unit = data.catalogue[Number(fieldsBox.querySelector("#" + fieldId(path) + "-unit").value)];
      var have = items.map(function (item) { return item.id; });
      var count = 0;
      unit.criteria.forEach(function (criterion) {
        if (have.indexOf(criterion.id) === -1) { items.push({id: criterion.id, text: criterion.text}); count += 1; }
      });
      last = null;
      render(fieldId(path) + "-unit");
      announce(fmt(S.picked, {count: count}));
      changed();
    }
  });
  fieldsBox.addEventListener("keydown", function (event) {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) { return; }
    var item = event.target.closest(".lp-editor__item");
    if (!item) { return; }
    event.preventDefault();
    var index = Number(item.getAttribute("data-index"));
    var itemPath = item.getAttribute("data-path"), own = event.target.getAttribute("data-path") || "";
    var relative = own.indexOf(itemPath + ".") === 0 ? own.slice(itemPath.length + 1) : null;
    if (relative && event.target.id !== fieldId(own)) { relative = null; }  // e.g. one checkbox of a group
    move(item.getAttribute("data-list"), index, event.key === "ArrowUp" ? index - 1 : index + 1, relative);
  });

  // ------------------------------------------------------------------ checking

  function clearProblems() {
    root.querySelectorAll(".lp-editor__field-error").forEach(function (slot) { slot.textContent = ""; });
    root.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
    problemList.textContent = "";
  }

  function placeOf(path) {
    if (path === "xml") { return xmlBox; }
    var probe = path;
    while (true) {
      var node = root.querySelector("#" + fieldId(probe));
      if (node || probe === "") { return node; }
      probe = parts(probe).slice(0, -1).join(".");
    }
  }

  function showProblems(problems) {
    clearProblems();
    (problems || []).forEach(function (problem) {
      var node = placeOf(problem.path);
      if (node) {
        var slot = root.querySelector("#" + node.id + "-error");
        if (slot) { slot.textContent = (slot.textContent ? slot.textContent + " " : "") + problem.message; }
        node.setAttribute("aria-invalid", "true");
      }
      var line = el("li", {});
      var link = el("a", {href: "#" + (node ? node.id : P + "-fields"), "class": "lp-editor__problem"}, problem.message);
      link.addEventListener("click", function (event) {
        event.preventDefault();
        if (node) { node.focus(); }
      });
      line.appendChild(link);
      problemList.appendChild(line);
    });
  }

  function check() {
    var mine = ++sequence;
    busy(true);
    var body = mode === "xml" ? {xml: xmlBox.value} : {draft: draft};
    return post("validate_draft", body).then(function (reply) {
      if (mine !== sequence) { return null; }  // a newer draft is being checked
      busy(false);
      if (!reply.ok) { busy(false); errorBox.textContent = reply.data.error; return null; }
      last = reply.data;
      showProblems(last.problems);
      if (!last.problems.length) { problemList.appendChild(el("li", {"class": "lp-editor__ok"}, S.noProblems)); }
      if (mode === "form" && last.xml !== null && !xmlDirty) { xmlBox.value = last.xml; }
      saveButton.disabled = !last.valid;
      preview();
      return last;
    }).catch(function () {
      if (mine === sequence) { busy(false); errorBox.textContent = S.network; saveButton.disabled = false; }
      return null;
    });
  }

  // ------------------------------------------------------------------ tabs

  function show(which) {
    mode = which;
    ["form", "xml"].forEach(function (name) {
      tabs[name].setAttribute("aria-selected", String(name === which));
      tabs[name].tabIndex = name === which ? 0 : -1;
      panels[name].hidden = name !== which;
    });
  }

  function switchTo(which) {
    if (which === mode) { return Promise.resolve(true); }
    errorBox.textContent = "";
    if (which === "xml") {
      if (last && last.xml !== null) { xmlBox.value = last.xml; }
      xmlDirty = false;
      show("xml");
      return Promise.resolve(true);
    }
    if (!xmlDirty) { show("form"); render(null); return Promise.resolve(true); }
    return post("validate_draft", {xml: xmlBox.value}).then(function (reply) {
      if (!reply.ok) { errorBox.textContent = reply.data.error; return false; }
      if (!reply.data.draft) {
        showProblems(reply.data.problems);
        errorBox.textContent = S.xmlFirst;
        xmlBox.focus();
        return false;
      }
      draft = reply.data.draft;
      last = reply.data;
      xmlDirty = false;
      show("form");
      render(null);
      saveButton.disabled = !last.valid;
      preview();
      return true;
    });
  }

  Object.keys(tabs).forEach(function (name) {
    tabs[name].addEventListener("click", function () { switchTo(name).then(function () { tabs[mode].focus(); }); });
    tabs[name].addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight" || event.key === "ArrowLeft" || event.key === "Home" || event.key === "End") {
        event.preventDefault();
        var other = name === "form" ? "xml" : "form";
        switchTo(other).then(function () { tabs[mode].focus(); });
      }
    });
  });
  xmlBox.addEventListener("input", function () { xmlDirty = true; changed(); });

  // ------------------------------------------------------------------ saving

  function settings() {
    var body = {};
    data.settings.forEach(function (name) {
      var field = form.elements[name];
      body[name] = field.type === "checkbox" ? field.checked : field.value;
    });
    return body;
  }

  function fail(message, fieldName) {
    status.textContent = "";
    errorBox.textContent = message;
    notify("error", {title: S.saveFailed, message: message});
    var field = fieldName && form.elements[fieldName];
    if (field && field.setAttribute) { field.setAttribute("aria-invalid", "true"); field.focus(); }
  }

  // A block may answer a successful save with warnings (a scenario weak as an assessment): listed under
  // the status until the next save.
  var warningBox = root.querySelector("#" + P + "-warnings");
  function showWarnings(warnings) {
    var list = warningBox.querySelector("ul");
    list.textContent = "";
    warnings.forEach(function (text) { list.appendChild(el("li", {}, text)); });
    warningBox.hidden = !warnings.length;
  }

  function submit(xml) {
    var body = settings();
    body[data.xmlField] = xml;
    return post("studio_submit", body).then(function (reply) {
      if (!reply.ok) {
        if (reply.data.field === data.xmlField && mode === "form") { switchTo("xml"); }
        fail(reply.data.error, reply.data.field);
        return;
      }
      initialDraft = JSON.stringify(draft);
      initialXml = xml;
      initialSettings = JSON.stringify(settings());
      showWarnings((reply.data && reply.data.warnings) || []);
      announce(init.saved);
      notify("save", {state: "end"});
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errorBox.textContent = "";
    form.querySelectorAll(".lp-editor__settings [aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
    window.clearTimeout(timer);
    notify("save", {state: "start"});
    status.textContent = S.saving;
    if (mode === "xml") {
      submit(xmlBox.value).catch(function () { fail(S.network); });
      return;
    }
    check().then(function (reply) {
      if (!reply) { fail(errorBox.textContent || S.network); return; }
      if (!reply.valid) {
        fail(S.fixFirst);
        var first = placeOf(reply.problems[0].path);
        if (first) { first.focus(); }
        return;
      }
      return submit(reply.xml);
    }).catch(function () { fail(S.network); });
  });

  cancelButton.addEventListener("click", function () {
    var saved = JSON.parse(initialSettings);
    data.settings.forEach(function (name) {
      var field = form.elements[name], value = saved[name];
      if (field.type === "checkbox") { field.checked = value; } else { field.value = value; }
    });
    draft = JSON.parse(initialDraft);
    xmlBox.value = initialXml;
    xmlDirty = false;
    last = null;
    show("form");
    render(null);
    announce(S.cancelled);
    notify("cancel");
    check();
  });

  // ------------------------------------------------------------------ previews

  function preview() {
    if (data.editor === "facilitation") { return playing ? null : graph(); }
    if (data.editor === "needs_assessment") { return questionnaire(); }
    if (data.editor === "reflective_log") { return logPreview(); }
    return listPreview();
  }

  /* Any other block's editor: each list of the schema with its items' titles. */
  function listPreview() {
    previewBody.textContent = "";
    data.schema.forEach(function (field) {
      if (field.type !== "list") { return; }
      previewBody.appendChild(el("h4", {}, field.label));
      var items = el("ul");
      (draft[field.key] || []).forEach(function (item) {
        items.appendChild(el("li", {}, (item && field.title_key && item[field.title_key]) || "\u2026"));
      });
      previewBody.appendChild(items);
    });
  }

  function questionnaire() {
    previewBody.textContent = "";
    var scale = (draft.scale || []).filter(function (point) { return point && point.label; });
    (draft.themes || []).forEach(function (theme, t) {
      var box = el("fieldset", {"class": "lp-editor__pv-theme"});
      box.appendChild(el("legend", {}, theme.title || "\u2026"));
      (theme.statements || []).forEach(function (statement, s) {
        var group = el("fieldset", {"class": "lp-editor__pv-statement"});
        group.appendChild(el("legend", {}, statement.text || "\u2026"));
        scale.forEach(function (point, v) {
          var id = P + "-pv-" + t + "-" + s + "-" + v;
          var line = el("span", {"class": "lp-editor__pv-option"});
          line.appendChild(el("input", {type: "radio", id: id, name: P + "-pv-" + t + "-" + s, value: point.value}));
          line.appendChild(el("label", {"for": id}, point.label));
          group.appendChild(line);
        });
        box.appendChild(group);
      });
      previewBody.appendChild(box);
    });
    if (!last || !last.valid || !last.samples) { return; }
    var values = Object.keys(last.samples);
    if (sample === null || values.indexOf(sample) === -1) { sample = values[Math.floor((values.length - 1) / 2)]; }
    var result = el("div", {"class": "lp-editor__pv-result"});
    result.appendChild(el("h4", {}, S.sampleHeading));
    var id = P + "-pv-sample";
    result.appendChild(el("label", {"for": id}, S.sampleAnswer));
    var select = el("select", {id: id});
    (last.draft.scale || []).forEach(function (point) {
      select.appendChild(el("option", {value: String(point.value), selected: String(point.value) === sample},
                            point.value + " " + point.label));
    });
    select.addEventListener("change", function () { sample = select.value; preview(); root.querySelector("#" + id).focus(); });
    result.appendChild(select);
    var outcome = last.samples[sample];
    var table = el("table", {"class": "lp-editor__pv-table"});
    var head = el("tr", {});
    [S.theme, S.score, S.band].forEach(function (name) { head.appendChild(el("th", {scope: "col"}, name)); });
    table.appendChild(el("thead", {})).appendChild(head);
    var body = el("tbody", {});
    outcome.themes.forEach(function (theme) {
      var row = el("tr", {});
      row.appendChild(el("th", {scope: "row"}, theme.title));
      row.appendChild(el("td", {}, theme.score));
      row.appendChild(el("td", {}, theme.band + (theme.recommendation ? ": " + theme.recommendation : "")));
      body.appendChild(row);
    });
    table.appendChild(body);
    result.appendChild(table);
    result.appendChild(el("p", {}, fmt(S.overall, {score: outcome.overall})));
    if (outcome.stage) { result.appendChild(el("p", {}, fmt(S.stage, {stage: outcome.stage}))); }
    previewBody.appendChild(result);
  }

  function logPreview() {
    previewBody.textContent = "";
    var prompt = el("div", {"class": "lp-editor__pv-prompt"});
    prompt.appendChild(LpCommon.paragraphs(draft.prompt || ""));
    previewBody.appendChild(prompt);
    previewBody.appendChild(el("h4", {}, schemaAt("entry_types").label));
    var types = el("ul", {"class": "lp-editor__pv-types"});
    (draft.entry_types || []).forEach(function (type) { types.appendChild(el("li", {}, type.label || type.id || "\u2026")); });
    previewBody.appendChild(types);
    previewBody.appendChild(el("h4", {}, schemaAt("criteria").label));
    var criteria = el("ul", {"class": "lp-editor__pv-criteria"});
    (draft.criteria || []).forEach(function (criterion) {
      criteria.appendChild(el("li", {}, (criterion.id || "\u2026") + " " + (criterion.text || "")));
    });
    previewBody.appendChild(criteria);
  }

  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* Scenes and endings as a layered map (columns by distance from the first scene), choices as arrows;
   * unreachable scenes and dead ends are marked in the drawing and in the list that is its text alternative. */
  function graph() {
    previewBody.textContent = "";
    if (!last || !last.graph) { return; }
    var nodes = last.graph.nodes, edges = last.graph.edges;
    var depth = {}, start = (nodes.filter(function (node) { return node.start; })[0] || {}).id;
    var queue = start ? [start] : [];
    if (start) { depth[start] = 0; }
    while (queue.length) {
      var here = queue.shift();
      edges.forEach(function (edge) {
        if (edge.from === here && !edge.missing && depth[edge.to] === undefined) {
          depth[edge.to] = depth[here] + 1;
          queue.push(edge.to);
        }
      });
    }
    var columns = {}, maxColumn = 0;
    nodes.forEach(function (node) { if (depth[node.id] !== undefined) { maxColumn = Math.max(maxColumn, depth[node.id]); } });
    nodes.forEach(function (node) {
      var column = depth[node.id] !== undefined ? depth[node.id] : maxColumn + 1;
      (columns[column] = columns[column] || []).push(node);
      node.column = column;
      node.row = columns[column].length - 1;
    });
    // Levels top to bottom (distance from the first scene; unreachable nodes last), nodes side by side.
    var W = 150, H = 46, GX = 20, GY = 40;
    var levelCount = Object.keys(columns).length, across = 0;
    Object.keys(columns).forEach(function (key) { across = Math.max(across, columns[key].length); });
    var width = Math.max(1, across) * (W + GX), height = Math.max(1, levelCount) * (H + GY);
    var titleId = P + "-graph-title", descId = P + "-graph-desc";
    var drawing = svg("svg", {"class": "lp-editor__graph", viewBox: "0 0 " + width + " " + height, role: "img",
                              "aria-labelledby": titleId + " " + descId, width: "100%",
                              style: "min-width: " + Math.min(width, across * 120) + "px"});
    drawing.appendChild(svg("title", {id: titleId}, S.graphHeading));
    drawing.appendChild(svg("desc", {id: descId}, S.edges.replace("{edges}", String(edges.length))));
    var defs = svg("defs", {});
    var marker = svg("marker", {id: P + "-arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto"});
    marker.appendChild(svg("path", {d: "M0,0 L10,5 L0,10 z", "class": "lp-editor__graph-arrow"}));
    defs.appendChild(marker);
    drawing.appendChild(defs);
    var position = {};
    nodes.forEach(function (node) {
      position[node.id] = {x: node.row * (W + GX) + 5, y: node.column * (H + GY) + 5};
    });
    edges.forEach(function (edge) {
      var a = position[edge.from], b = position[edge.to];
      if (!a || !b) { return; }
      var down = b.y > a.y;
      drawing.appendChild(svg("line", {x1: a.x + (W - 10) / 2, y1: down ? a.y + H : a.y, x2: b.x + (W - 10) / 2,
                                       y2: down ? b.y : b.y + H, "class": "lp-editor__graph-edge",
                                       "marker-end": "url(#" + P + "-arrow)"}));
    });
    nodes.forEach(function (node) {
      var p = position[node.id];
      var cls = "lp-editor__graph-node lp-editor__graph-node--" + node.kind +
        (node.unreachable ? " lp-editor__graph-node--unreachable" : "") +
        (node.kind === "scene" && node.dead_end ? " lp-editor__graph-node--dead-end" : "");
      var group = svg("g", {"class": cls, "data-node": node.id || ""});
      group.appendChild(svg("rect", {x: p.x, y: p.y, width: W - 10, height: H, rx: node.kind === "ending" ? 18 : 4}));
      group.appendChild(svg("text", {x: p.x + 8, y: p.y + 18}, String(node.id || "?").slice(0, 20)));
      group.appendChild(svg("text", {x: p.x + 8, y: p.y + 36, "class": "lp-editor__graph-title"}, String(node.title).slice(0, 20)));
      drawing.appendChild(group);
    });
    var scroller = el("div", {"class": "lp-editor__graph-scroll", tabindex: "0", role: "region", "aria-label": S.graphHeading});
    scroller.appendChild(drawing);
    previewBody.appendChild(scroller);
    var list = el("ul", {"class": "lp-editor__graph-list"});
    nodes.forEach(function (node) {
      var notes = [];
      if (node.start) { notes.push(S.start); }
      if (node.unreachable) { notes.push(S.unreachable); }
      if (node.kind === "scene" && node.dead_end) { notes.push(S.deadEnd); }
      var item = el("li", {"class": "lp-editor__graph-item" + (node.unreachable || (node.kind === "scene" && node.dead_end) ? " lp-editor__graph-item--problem" : ""),
                           "data-node": node.id || ""},
                    fmt(S.graphNode, {kind: node.kind === "ending" ? S.endingKind : S.scene, id: node.id || "?", title: node.title}) +
                    (notes.length ? " (" + notes.join("; ") + ")" : ""));
      var targets = edges.filter(function (edge) { return edge.from === node.id; })
        .map(function (edge) { return edge.choice + " \u2192 " + (edge.to || "?"); });
      if (targets.length) { item.appendChild(el("span", {"class": "lp-editor__help"}, " " + fmt(S.edges, {edges: targets.join(", ")}))); }
      list.appendChild(item);
    });
    previewBody.appendChild(list);
  }

  /* Play the draft (saved or not) from a scene: its narrative, its moves, each move's feedback and where it leads. */
  function play(sceneId) {
    playing = sceneId;
    previewBody.textContent = "";
    var scenes = draft.scenes || [], endings = draft.endings || [];
    var scene = scenes.filter(function (item) { return item.id === sceneId; })[0];
    var ending = endings.filter(function (item) { return item.id === sceneId; })[0];
    var box = el("div", {"class": "lp-editor__play"});
    var heading = el("h4", {tabindex: "-1", "class": "lp-editor__play-title"},
                     scene ? fmt(S.playing, {title: scene.title || scene.id}) : fmt(S.ending, {title: ending ? ending.title : sceneId}));
    box.appendChild(heading);
    if (scene) {
      box.appendChild(LpCommon.paragraphs(scene.narrative || ""));
      var moves = el("ul", {"class": "lp-editor__play-moves"});
      (scene.choices || []).forEach(function (choice, index) {
        var line = el("li", {});
        var button = el("button", {type: "button", "class": "lp-editor__button lp-editor__small"}, choice.text || ("#" + (index + 1)));
        button.addEventListener("click", function () {
          var result = el("div", {"class": "lp-editor__play-feedback"});
          result.appendChild(el("p", {}, S.feedback + ": " + (choice.feedback || "")));
          result.appendChild(el("p", {}, fmt(S.points, {points: choice.points})));
          var target = choice.goto;
          var known = scenes.concat(endings).some(function (item) { return item.id === target; });
          if (known) {
            var go = el("button", {type: "button", "class": "lp-editor__button lp-editor__small"}, fmt(S.leadsTo, {target: target}));
            go.addEventListener("click", function () { play(target); });
            result.appendChild(go);
          } else {
            result.appendChild(el("p", {"class": "lp-editor__field-error"}, S.missingTarget));
          }
          var old = box.querySelector(".lp-editor__play-feedback");
          if (old) { old.remove(); }
          box.appendChild(result);
          var focusable = result.querySelector("button");
          if (!focusable) { result.tabIndex = -1; focusable = result; }
          focusable.focus();
        });
        line.appendChild(button);
        moves.appendChild(line);
      });
      box.appendChild(moves);
    } else if (ending) {
      box.appendChild(LpCommon.paragraphs(ending.text || ""));
    }
    var back = el("button", {type: "button", "class": "lp-editor__button lp-editor__small lp-editor__play-back"}, S.restart);
    back.addEventListener("click", function () {
      playing = null;
      preview();
      var sceneIndex = scenes.map(function (item) { return item.id; }).indexOf(sceneId);
      var target = sceneIndex >= 0 && fieldsBox.querySelector("[data-action=play][data-index='" + sceneIndex + "']");
      if (target) { target.focus(); }
    });
    box.appendChild(back);
    previewBody.appendChild(box);
    heading.focus();
  }

  /* Nothing typed is lost silently: leaving with unsaved changes asks first. */
  var initialSettings = JSON.stringify(settings());
  function unsaved() {
    return JSON.stringify(draft) !== initialDraft || (xmlDirty && xmlBox.value !== initialXml) ||
      JSON.stringify(settings()) !== initialSettings;
  }
  window.addEventListener("beforeunload", function (event) {
    if (!unsaved()) { return undefined; }
    event.preventDefault();
    event.returnValue = "";
    return "";
  });

  render(null);
  check();
  return {};
}
