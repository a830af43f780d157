/* Helpers shared by every lp block's JavaScript. Loaded before each block's own script; defining it
 * twice on a page with several blocks is harmless. Nothing here ever inserts HTML: text goes in as
 * text nodes, so learner and author text cannot become markup. */
window.LpCommon = window.LpCommon || (function () {
  "use strict";

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

  /* POST JSON to one of the block's handlers; resolves to {ok, status, data} (data is the JSON reply,
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

  return {fmt: fmt, el: el, csrfToken: csrfToken, post: post, announcer: announcer, paragraphs: paragraphs,
          pageData: pageData, time: time, dateTime: dateTime, date: date};
}());
