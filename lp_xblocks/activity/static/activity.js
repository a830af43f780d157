/* The saved learning activity: autosave the response as the learner types, save it, then show the commentary
 * the server sends back (it is never in the page before the first save). Text goes in as text nodes only. */
function LpLearningActivity(runtime, element, init) {
  "use strict";
  var C = window.LpCommon;
  var S = init.strings;
  var prefix = init.prefix;
  var root = C.blockRoot(element, prefix);
  var state = C.pageData(root, prefix);
  var form = root.querySelector("#" + prefix + "-form");
  if (!form) { return; }  // signed out: nothing to save
  var textarea = root.querySelector("#" + prefix + "-response");
  var count = root.querySelector("#" + prefix + "-count");
  var errorBox = root.querySelector("#" + prefix + "-error");
  var status = root.querySelector("#" + prefix + "-status");
  var saveButton = root.querySelector("#" + prefix + "-save");
  var commentary = root.querySelector("#" + prefix + "-commentary");
  var commentaryText = root.querySelector("#" + prefix + "-commentary-text");
  var announce = C.announcer(status);
  var WORD = /[\p{L}\p{N}]+(?:['\u2019\-][\p{L}\p{N}]+)*/gu;  // as the server counts

  function words(text) { return (String(text).match(WORD) || []).length; }

  function showCount() {
    var n = words(textarea.value);
    var over = n - state.word_limit;
    count.textContent = over > 0 ? C.plural(S.words, n, {limit: state.word_limit}) + " \u2014 " + C.plural(S.tooLong, over)
                                 : C.plural(S.words, n, {limit: state.word_limit});
    count.classList.toggle("lp-act__count--over", over > 0);
  }

  var autosave = C.autosave({
    runtime: runtime, element: element, form: form, key: init.form,
    status: root.querySelector("#" + prefix + "-autosave"), strings: S.autosave
  });
  if (state.draft && state.draft.values && state.draft.values.response !== state.response) {
    autosave.restore(state.draft);
  }
  showCount();
  textarea.addEventListener("input", showCount);

  function showCommentary(paragraphs) {
    commentaryText.textContent = "";
    (paragraphs || []).forEach(function (text) { commentaryText.appendChild(C.el("p", {}, text)); });
    commentary.hidden = false;
    var locked = root.querySelector("#" + prefix + "-locked");
    if (locked) { locked.parentNode.removeChild(locked); }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    C.clearErrors(errorBox, form);
    autosave.hold();
    var first = !state.saved;
    saveButton.disabled = true;
    saveButton.textContent = S.saving;
    C.post(runtime, element, "save_response", {response: textarea.value}).then(function (reply) {
      saveButton.disabled = false;
      if (!reply.ok) {
        saveButton.textContent = state.saved ? S.update : S.save;
        autosave.changed();
        C.showErrors(errorBox, form, S.problemTitle, [{label: S.responseLabel, message: reply.data.error || String(reply.status),
                                                       fields: [textarea]}]);
        return;
      }
      state = Object.assign({}, state, reply.data);
      autosave.markSaved(null);
      saveButton.textContent = S.update;
      showCommentary(reply.data.commentary);
      announce(first ? S.savedRevealed : C.fmt(S.savedAt, {time: C.time(reply.data.saved_at)}));
      if (first) { commentary.focus(); }
    }, function () {
      saveButton.disabled = false;
      saveButton.textContent = state.saved ? S.update : S.save;
      autosave.changed();
      C.showErrors(errorBox, form, S.problemTitle, [{label: S.responseLabel, message: S.network, fields: [textarea]}]);
    });
  });
}
