/* Studio editor for the needs-assessment block: saves through studio_submit, shows the server's
 * validation message (which names the element at fault) without losing the author's text. */
function LpNeedsAssessmentStudio(runtime, element, args) {
  "use strict";
  var root = element.querySelector("#" + args.prefix) || element;
  var form = root.querySelector("form");
  var errorBox = root.querySelector(".lp-na__error");
  var status = root.querySelector(".lp-na__status");

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errorBox.textContent = "";
    status.textContent = "";
    var body = {
      display_name: form.elements.display_name.value,
      kind: form.elements.kind.value,
      allow_retake: form.elements.allow_retake.checked,
      instrument_xml: form.elements.instrument_xml.value
    };
    if (runtime.notify) { runtime.notify("save", {state: "start"}); }
    fetch(runtime.handlerUrl(element, "studio_submit"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": LpCommon.csrfToken()},
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) { return {ok: response.ok, data: data}; });
    }).then(function (reply) {
      if (!reply.ok) {
        errorBox.textContent = reply.data.error;
        if (runtime.notify) { runtime.notify("error", {title: "", message: reply.data.error}); }
        var field = reply.data.field && form.elements[reply.data.field];
        if (field) { field.setAttribute("aria-invalid", "true"); field.focus(); }
        return;
      }
      status.textContent = args.saved;
      if (runtime.notify) { runtime.notify("save", {state: "end"}); }
    });
  });
  return {};
}
