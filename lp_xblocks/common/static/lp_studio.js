/* The Studio editor every lp block uses: saves the form's named fields through the block's
 * studio_submit handler (checkboxes as true/false, everything else as text) and shows the server's
 * validation message, which names the element at fault, without losing the author's text. The
 * form's error box has role=alert, its status box role=status. */
function LpStudioEditor(runtime, element, args) {
  "use strict";
  var root = LpCommon.blockRoot(element, args.prefix);  // element: a DOM element or a jQuery object
  var form = root.querySelector("form");
  var errorBox = root.querySelector("[role=alert]");
  var status = root.querySelector("[role=status]");

  function values() {
    var body = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name) { return; }
      body[field.name] = field.type === "checkbox" ? field.checked : field.value;
    });
    return body;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errorBox.textContent = "";
    status.textContent = "";
    form.querySelectorAll("[aria-invalid]").forEach(function (field) { field.removeAttribute("aria-invalid"); });
    if (runtime.notify) { runtime.notify("save", {state: "start"}); }
    LpCommon.post(runtime, element, "studio_submit", values()).then(function (reply) {
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
