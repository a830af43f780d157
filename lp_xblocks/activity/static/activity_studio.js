/* The activity's Studio form: save every field at once; the server lists every problem. */
function LpLearningActivityStudio(runtime, element, init) {
  "use strict";
  var C = window.LpCommon;
  var S = init.strings;
  var prefix = init.prefix;
  var root = C.blockRoot(element, prefix);
  var form = root.querySelector("#" + prefix + "-form");
  var errorBox = root.querySelector("#" + prefix + "-error");
  var status = root.querySelector("#" + prefix + "-status");
  function notify(name, args) { if (runtime.notify) { runtime.notify(name, args || {}); } }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    C.clearErrors(errorBox, form);
    var values = C.formValues(form);
    status.textContent = S.saving;
    notify("save", {state: "start"});
    C.post(runtime, element, "studio_submit", values).then(function (reply) {
      if (reply.ok) {
        status.textContent = S.saved;
        notify("save", {state: "end"});
        return;
      }
      status.textContent = "";
      var errors = reply.data.errors || [{field: reply.data.field, message: reply.data.error || String(reply.status)}];
      notify("error", {title: S.problemTitle, message: errors.map(function (item) { return item.message; }).join(" ")});
      C.showErrors(errorBox, form, S.problemTitle, errors.map(function (item) {
        return {message: item.message, fields: [root.querySelector("#" + prefix + "-" + item.field)]};
      }));
    }, function () {
      status.textContent = S.network;
      notify("error", {title: S.problemTitle, message: S.network});
    });
  });
  root.querySelector("#" + prefix + "-cancel").addEventListener("click", function () { notify("cancel"); });
}
