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
   * or {error: statusText} when the reply is not JSON). Rejects only when the server is unreachable. */
  function post(runtime, element, handler, body) {
    return fetch(runtime.handlerUrl(element, handler), {
      method: "POST",
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

  return {fmt: fmt, el: el, csrfToken: csrfToken, post: post, announcer: announcer, paragraphs: paragraphs,
          pageData: pageData, domElement: domElement, blockRoot: blockRoot};
}());
