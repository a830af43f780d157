/* The mentoring block's Studio editor: display name and mentor briefing, saved through studio_submit. */
function LpMentoringStudio(runtime, element, args) {
  "use strict";
  var C = window.LpCommon;
  var root = C.blockRoot(element, args.prefix);
  var form = root.querySelector("#" + args.prefix + "-form");
  var status = root.querySelector("#" + args.prefix + "-status");
  var box = root.querySelector("#" + args.prefix + "-error");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = C.formValues(form);
    C.post(runtime, element, "studio_submit", data).then(function (reply) {
      if (reply.ok) {
        C.clearErrors(box, form);
        status.textContent = reply.data.result;
        if (runtime.notify) { runtime.notify("save", {state: "end"}); }
        return;
      }
      var target = reply.data.field ? form.querySelector("[name='" + reply.data.field + "']") : null;
      C.showErrors(box, form, reply.data.error, [{message: reply.data.error, fields: target ? [target] : []}]);
    });
  });
}
