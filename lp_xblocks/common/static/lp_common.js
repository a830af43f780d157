/* Helpers shared by every lp block's JavaScript. Loaded before each block's own script; defining it
 * twice on a page with several blocks is harmless. Nothing here ever inserts HTML: text goes in as
 * text nodes, so learner and author text cannot become markup. */
window.LpCommon = window.LpCommon || (function () {
  "use strict";

  /* The DOM element a runtime passed to an initialiser. The LMS passes the element itself; Studio's
   * XBlock.initializeBlock (and the libraries iframe) pass it wrapped by jQuery. Unwrapped once, here;
   * the initialiser keeps the ORIGINAL object for runtime.handlerUrl, which some runtimes key on it. */
  function domElement(element) {
    if (element && element.nodeType === 1) { return element; }
    if (element && typeof element.length === "number" && element.length > 0 && element[0] && element[0].nodeType === 1) {
      return element[0];
    }
    throw new TypeError("lp-xblocks: the runtime passed no DOM element to the block's initialiser");
  }

  /* The block's root node: the element with id ``prefix`` inside what the runtime passed (a DOM element
   * or a jQuery object), or that element itself. */
  function blockRoot(element, prefix) {
    var node = domElement(element);
    return node.querySelector("#" + prefix) || node;
  }

  /* "{name}" placeholders filled from values; unknown placeholders stay as they are. */
  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  /* An element with attributes and, optionally, text content (never HTML). */
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (attrs[key] !== null && attrs[key] !== undefined && attrs[key] !== false) {
        node.setAttribute(key, attrs[key] === true ? "" : attrs[key]);
      }
    });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* POST JSON to one of the block's handlers (``element``: exactly what the runtime passed the
   * initialiser, handed on untouched to runtime.handlerUrl); resolves to {ok, status, data} (data is the JSON reply,
   * or {error: statusText} when the reply is not JSON). Rejects only when the server is unreachable.
   * options.keepalive: the request outlives the page (for leaving the page, like a beacon). */
  function post(runtime, element, handler, body, options) {
    return fetch(runtime.handlerUrl(element, handler), {
      method: "POST",
      keepalive: !!(options && options.keepalive),
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest"},
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () { return {error: response.statusText}; })
        .then(function (data) { return {ok: response.ok, status: response.status, data: data}; });
    });
  }

  /* A function that announces text in an aria-live region; clearing first makes screen readers read
   * a repeated message again. */
  function announcer(region) {
    return function (text) {
      region.textContent = "";
      window.setTimeout(function () { region.textContent = text; }, 50);
    };
  }

  /* Plain text as paragraphs (blank lines) and line breaks, all as text nodes. */
  function paragraphs(text) {
    var fragment = document.createDocumentFragment();
    String(text || "").replace(/\r\n?/g, "\n").split(/\n{2,}/).forEach(function (block) {
      if (!block.trim()) { return; }
      var p = document.createElement("p");
      block.split("\n").forEach(function (line, index) {
        if (index) { p.appendChild(document.createElement("br")); }
        p.appendChild(document.createTextNode(line));
      });
      fragment.appendChild(p);
    });
    return fragment;
  }

  /* The block's page data: JSON the server rendered with Django's json_script into an element with id
   * "<prefix>-data" (escaped there, so free text can never end the script early). */
  function pageData(root, prefix) {
    return JSON.parse(root.querySelector("#" + prefix + "-data").textContent);
  }

  /* Times and dates, one format everywhere: in the learner's browser time zone, with the zone named
   * ("14:05 GMT", "26 Nov 2026, 14:05 GMT"); a calendar date ("2026-09-01") is shown as "1 Sept 2026". */
  function locale() { return document.documentElement.lang || navigator.language || "en-GB"; }
  function parsed(iso) { var when = new Date(iso); return isNaN(when.getTime()) ? null : when; }
  function time(iso) {
    var when = iso ? parsed(iso) : null;
    if (!when) { return ""; }
    return new Intl.DateTimeFormat(locale(), {hour: "2-digit", minute: "2-digit", timeZoneName: "short"}).format(when);
  }
  function dateTime(iso) {
    var when = iso ? parsed(iso) : null;
    if (!when) { return ""; }
    return new Intl.DateTimeFormat(locale(), {day: "numeric", month: "short", year: "numeric", hour: "2-digit",
                                              minute: "2-digit", timeZoneName: "short"}).format(when);
  }
  function date(isoDay) {
    var when = isoDay ? parsed(String(isoDay).slice(0, 10) + "T00:00:00Z") : null;
    if (!when) { return isoDay || ""; }
    return new Intl.DateTimeFormat(locale(), {day: "numeric", month: "short", year: "numeric", timeZone: "UTC"}).format(when);
  }

  /* A message with a count in the right plural form: forms is {one, other} (from ngettext on the server),
   * values fill its placeholders ({count} is n). */
  function plural(forms, n, values) {
    if (typeof forms === "string") { return fmt(forms, values || {count: n}); }
    var form = "other";
    try { form = new Intl.PluralRules(locale()).select(n); } catch (ignore) { form = n === 1 ? "one" : "other"; }
    var template = forms[form] || (n === 1 ? forms.one : forms.other) || forms.other;
    var all = {count: n};
    Object.keys(values || {}).forEach(function (key) { all[key] = values[key]; });
    return fmt(template, all);
  }

  /* A wide table in its own labelled, focusable region that scrolls sideways on a narrow screen, so the
   * page itself never does. */
  function scrollRegion(table, label) {
    var region = el("div", {"class": "lp-scroll", role: "region", tabindex: "0",
                            "aria-label": label || (table.caption ? table.caption.textContent : "")});
    region.appendChild(table);
    return region;
  }

  /* ------------------------------------------------------------------ error summary (GOV.UK pattern) */

  function describedBy(node, id, add) {
    var ids = (node.getAttribute("aria-describedby") || "").split(" ").filter(function (item) { return item && item !== id; });
    if (add) { ids.unshift(id); }
    if (ids.length) { node.setAttribute("aria-describedby", ids.join(" ")); } else { node.removeAttribute("aria-describedby"); }
  }

  /* Remove a summary and every field's own message and invalid mark inside `scope`. */
  function clearErrors(box, scope) {
    box.hidden = true;
    box.textContent = "";
    Array.prototype.forEach.call(scope.querySelectorAll(".lp-field-error"), function (message) {
      Array.prototype.forEach.call(scope.querySelectorAll("[aria-describedby~='" + message.id + "']"), function (node) {
        describedBy(node, message.id, false);
        node.removeAttribute("aria-invalid");
      });
      message.parentNode.removeChild(message);
    });
  }

  /* Every problem at once: a summary (heading, then one link per problem, "Label: message", to its field)
   * that takes the focus, and each field's own message just before it, tied to it by aria-describedby.
   *   problems: [{label, message, fields: [elements] (the first is the link's target), before: element}] */
  function showErrors(box, scope, title, problems) {
    clearErrors(box, scope);
    var titleId = box.id + "-title";
    box.setAttribute("tabindex", "-1");
    box.setAttribute("aria-labelledby", titleId);
    box.appendChild(el("h4", {"class": "lp-error-summary__title", id: titleId}, title));
    var list = el("ul", {"class": "lp-error-summary__list"});
    problems.forEach(function (problem, index) {
      var text = problem.label ? problem.label + ": " + problem.message : problem.message;
      var fields = (problem.fields || []).filter(Boolean);
      var item = el("li");
      if (fields.length && fields[0].id) {
        var link = el("a", {href: "#" + fields[0].id}, text);
        link.addEventListener("click", function (event) { event.preventDefault(); fields[0].focus(); });
        item.appendChild(link);
        var message = el("span", {"class": "lp-field-error", id: box.id + "-" + index}, text);
        var before = problem.before || fields[0];
        before.parentNode.insertBefore(message, before);
        fields.forEach(function (node) { node.setAttribute("aria-invalid", "true"); describedBy(node, message.id, true); });
      } else {
        item.textContent = text;
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    box.hidden = false;
    box.focus();
  }

  /* ------------------------------------------------------------------ autosave */

  /* Forms with changes the server does not have yet; while there is one, leaving the page asks first. */
  var unsaved = [];
  window.addEventListener("beforeunload", function (event) {
    if (!unsaved.length) { return undefined; }
    event.preventDefault();
    event.returnValue = "";
    return "";
  });

  /* A form's values, generic over its inputs: text by name (or id), a radio group by name, ticked
   * checkboxes of a name as a list. */
  function formValues(form) {
    var values = {};
    Array.prototype.forEach.call(form.querySelectorAll("input, select, textarea"), function (node) {
      var name = node.name || node.id;
      if (!name || node.type === "button" || node.type === "submit" || node.type === "hidden" || node.disabled) { return; }
      if (node.type === "radio") {
        if (node.checked) { values[name] = node.value; }
      } else if (node.type === "checkbox") {
        values[name] = values[name] || [];
        if (node.checked) { values[name].push(node.value); }
      } else {
        values[name] = node.value;
      }
    });
    return values;
  }

  function setFormValues(form, values) {
    Array.prototype.forEach.call(form.querySelectorAll("input, select, textarea"), function (node) {
      var name = node.name || node.id;
      if (!name || !Object.prototype.hasOwnProperty.call(values, name)) { return; }
      var value = values[name];
      if (node.type === "radio") { node.checked = node.value === value; }
      else if (node.type === "checkbox") { node.checked = Array.isArray(value) && value.indexOf(node.value) >= 0; }
      else if (node.type !== "button" && node.type !== "submit" && node.type !== "hidden") { node.value = value; }
    });
  }

  /* Save a form as the learner types: changes are sent `delay` ms after the last one, the visible status
   * says "Saved at 14:05 GMT" (announced politely), and leaving the page warns while a change is unsent.
   *   options: runtime, element, form (the node whose inputs are watched), key (the draft's name),
   *            status (a node for the status line), strings {savedAt, saving, notSaved},
   *            collect() / restore(values) (default: every named input of the form),
   *            save(values) -> Promise of {ok, savedAt, error} (default: the block's save_form_draft handler),
   *            delay (ms, default 1500).
   *   returns  {restore(draft), flush() -> Promise of true when saved, discard() (forget the server copy),
   *            markSaved(iso), dirty(), setKey(key)} */
  function autosave(options) {
    var S = options.strings;
    var delay = options.delay === undefined ? 1500 : options.delay;
    var key = options.key;
    var collect = options.collect || function () { return formValues(options.form); };
    var restoreValues = options.restore || function (values) { setFormValues(options.form, values); };
    var timer = null;
    var sending = null;
    var lastSent = JSON.stringify(collect());
    var isDirty = false;

    function setDirty(flag) {
      isDirty = flag;
      var index = unsaved.indexOf(api);
      if (flag && index < 0) { unsaved.push(api); }
      if (!flag && index >= 0) { unsaved.splice(index, 1); }
    }

    function say(text) { if (options.status) { options.status.textContent = text; } }

    function defaultSave(values) {
      return post(options.runtime, options.element, "save_form_draft", {form: key, values: values}).then(function (reply) {
        return {ok: reply.ok, savedAt: reply.data.saved_at, error: reply.data.error || String(reply.status)};
      });
    }

    function send() {
      timer = null;
      if (sending) { return sending.then(send); }  // one request at a time, in order
      var values = collect();
      var text = JSON.stringify(values);
      if (text === lastSent) { setDirty(false); return Promise.resolve(true); }
      say(S.saving);
      sending = (options.save || defaultSave)(values).then(function (result) {
        sending = null;
        if (!result.ok) { say(fmt(S.notSaved, {error: result.error})); return false; }
        lastSent = text;
        if (JSON.stringify(collect()) === text) { setDirty(false); }
        say(fmt(S.savedAt, {time: time(result.savedAt)}));
        return true;
      }, function () {
        sending = null;
        say(fmt(S.notSaved, {error: S.offline || ""}));
        return false;
      });
      return sending;
    }

    function changed() {
      if (JSON.stringify(collect()) === lastSent) { return; }
      setDirty(true);
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(send, delay);
    }

    options.form.addEventListener("input", changed);
    options.form.addEventListener("change", changed);

    var api = {
      /* A change the input events do not show (a row added or removed); also re-arms the autosave after a
       * real save failed. */
      changed: changed,
      /* The form is being saved for real: no autosave may land after it (call changed() if that fails). */
      hold: function () { if (timer) { window.clearTimeout(timer); timer = null; } },
      /* Put an autosaved draft ({values, saved_at}) back in the form. */
      restore: function (draft) {
        if (!draft || !draft.values) { return false; }
        restoreValues(draft.values);
        lastSent = JSON.stringify(collect());
        setDirty(false);
        say(fmt(S.restored || S.savedAt, {time: time(draft.saved_at)}));
        return true;
      },
      flush: function () {
        if (timer) { window.clearTimeout(timer); timer = null; }
        if (sending) { return sending.then(function () { return api.flush(); }); }
        return isDirty ? send() : Promise.resolve(true);
      },
      /* The form was saved for real (or emptied): what it holds now is what the server has. */
      markSaved: function (iso) {
        if (timer) { window.clearTimeout(timer); timer = null; }
        lastSent = JSON.stringify(collect());
        setDirty(false);
        say(iso ? fmt(S.savedAt, {time: time(iso)}) : "");
      },
      discard: function () {
        if (timer) { window.clearTimeout(timer); timer = null; }
        setDirty(false);
        say("");
        return post(options.runtime, options.element, "discard_form_draft", {form: key}).catch(function () { return null; });
      },
      dirty: function () { return isDirty; },
      setKey: function (newKey) { key = newKey; }
    };
    return api;
  }

  return {fmt: fmt, el: el, csrfToken: csrfToken, post: post, announcer: announcer, paragraphs: paragraphs,
          pageData: pageData, domElement: domElement, blockRoot: blockRoot,
          time: time, dateTime: dateTime, date: date, autosave: autosave,
          showErrors: showErrors, clearErrors: clearErrors, plural: plural,
          scrollRegion: scrollRegion,
          formValues: formValues, setFormValues: setFormValues};
}());
