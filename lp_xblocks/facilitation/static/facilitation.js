/* Facilitation exercise: play a scenario one scene at a time, see the feedback and the ending, keep an
 * action plan, and (tutors) read the choice report. Every piece of learner or author text is put on the
 * page as a text node or an input's value, never as HTML. */
function LpFacilitationExercise(runtime, element, args) {
  "use strict";
  var root = LpCommon.blockRoot(element, args.prefix);  // element: a DOM element or a jQuery object
  var S = args.strings;
  var P = args.prefix;
  var FIELDS = ["what", "where", "whom", "when"];
  var status = root.querySelector(".lp-fx__status");
  var stage = root.querySelector(".lp-fx__stage");
  var bestLine = root.querySelector(".lp-fx__best");
  var planForm = root.querySelector(".lp-fx__plan-form");
  var planRows = root.querySelector(".lp-fx__plan-rows");
  var planError = root.querySelector("#" + P + "-plan-error");
  var planSaved = root.querySelector("#" + P + "-plan-saved");
  var reflection = root.querySelector("#" + P + "-reflection");
  var state = LpCommon.pageData(root, P);
  var pending = null;  // the reply to a choice, shown as feedback until the learner continues
  var autosaver = null;  // the action plan's autosave (LpCommon.autosave), set up at the end

  var fmt = LpCommon.fmt, el = LpCommon.el, announce = LpCommon.announcer(status);

  function post(handler, body) { return LpCommon.post(runtime, element, handler, body); }

  function percent(ratio) { return Math.round(ratio * 100); }

  function button(label, cls) {
    return el("button", {type: "button", "class": "lp-fx__button " + (cls || "")}, label);
  }

  /* ------------------------------------------------------------------ scenario */

  function renderBest() {
    var best = state.best;
    if (best.points === null || best.points === undefined) {
      bestLine.textContent = S.bestNone;
      return;
    }
    bestLine.textContent = fmt(S.best, {
      points: best.points, max: best.max, attempts: state.attempts, attempt: best.attempt,
      result: best.passed ? S.bestPassed : S.bestNotYet
    });
  }

  function restartButton(label) {
    var again = button(label, "lp-fx__button--secondary lp-fx__restart");
    again.addEventListener("click", function () {
      again.disabled = true;
      post("restart", {}).then(function (reply) {
        again.disabled = false;
        if (!reply.ok) { announce(fmt(S.failed, {error: reply.data.error || reply.status})); return; }
        pending = null;
        state = reply.data;
        render(true);
        announce(S.restarted + " " + sceneTitle());
      }).catch(function () { again.disabled = false; announce(S.network); });
    });
    return again;
  }

  function sceneTitle() {
    return fmt(S.sceneHeading, {number: state.path.length + 1, title: state.scene ? state.scene.title : ""});
  }

  function renderScene(scene) {
    var section = el("section", {"class": "lp-fx__scene", "aria-labelledby": P + "-scene-title"});
    section.appendChild(el("h3", {"class": "lp-fx__scene-title", id: P + "-scene-title", tabindex: "-1"}, sceneTitle()));
    if (state.practice) { section.appendChild(el("p", {"class": "lp-fx__practice"}, S.practice)); }
    section.appendChild(el("div", {"class": "lp-fx__narrative"})).appendChild(LpCommon.paragraphs(scene.narrative));
    var form = el("form", {"class": "lp-fx__choose", novalidate: "novalidate"});
    var group = el("fieldset", {"class": "lp-fx__choices"});
    group.appendChild(el("legend", {}, S.legend));
    scene.choices.forEach(function (choice) {
      var id = P + "-choice-" + choice.index;
      var row = el("div", {"class": "lp-fx__choice"});
      row.appendChild(el("input", {type: "radio", id: id, name: P + "-choice", value: String(choice.index)}));
      row.appendChild(el("label", {"for": id}, choice.text));
      group.appendChild(row);
    });
    form.appendChild(group);
    var justification = null;
    if (scene.justify && scene.justify.length) {
      // A key decision: the learner explains the move; the tutor marks it against these criteria.
      var box = el("div", {"class": "lp-fx__justify"});
      box.appendChild(el("p", {"class": "lp-fx__justify-intro", id: P + "-justify-help"}, S.justifyHelp));
      var criteria = el("ul", {"class": "lp-fx__justify-criteria"});
      scene.justify.forEach(function (item) { criteria.appendChild(el("li", {}, fmt(S.justifyCriterion, item))); });
      box.appendChild(criteria);
      box.appendChild(el("label", {"for": P + "-justification"}, S.justifyLabel));
      justification = el("textarea", {id: P + "-justification", name: "justification", rows: "5", cols: "60",
                                      "aria-describedby": P + "-justify-help"});
      box.appendChild(justification);
      form.appendChild(box);
    }
    var error = el("p", {"class": "lp-fx__error", id: P + "-choose-error"});
    error.hidden = true;
    group.setAttribute("aria-describedby", error.id);  // empty until a move is refused
    form.appendChild(error);
    var submit = el("button", {type: "submit", "class": "lp-fx__button lp-fx__make-move"}, S.choose);
    form.appendChild(submit);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var checked = form.querySelector("input[type=radio]:checked");
      if (!checked) {
        error.textContent = S.pickOne;
        error.hidden = false;
        announce(S.pickOne);
        form.querySelector("input[type=radio]").focus();
        return;
      }
      submit.disabled = true;
      var move = {scene: scene.id, choice: parseInt(checked.value, 10)};
      if (justification) { move.justification = justification.value; }
      post("choose", move).then(function (reply) {
        submit.disabled = false;
        if (reply.status === 409) { return reload(S.stale); }
        if (!reply.ok) {
          error.textContent = fmt(S.failed, {error: reply.data.error || reply.status});
          error.hidden = false;
          announce(error.textContent);
          if (reply.data.field === "justification" && justification) { justification.focus(); }
          return;
        }
        pending = reply.data;
        renderFeedback(pending);
      }).catch(function () { submit.disabled = false; announce(S.network); });
    });
    section.appendChild(form);
    var assessed = state.rule && state.rule.graded_attempt === "first" && state.attempt === 1;
    if (state.path.length && !assessed) { section.appendChild(restartButton(S.restart)); }
    return section;
  }

  function renderFeedback(reply) {
    stage.textContent = "";
    var section = el("section", {"class": "lp-fx__feedback", "aria-labelledby": P + "-feedback-title"});
    section.appendChild(el("h3", {"class": "lp-fx__feedback-title", id: P + "-feedback-title", tabindex: "-1"}, S.feedbackHeading));
    section.appendChild(el("p", {"class": "lp-fx__chosen"}, fmt(S.youChose, {text: reply.feedback.text})));
    section.appendChild(el("p", {"class": "lp-fx__feedback-text"}, reply.feedback.feedback));
    var next = button(reply.ending ? S.continueEnding : S.continueScene, "lp-fx__continue");
    next.addEventListener("click", function () {
      state = pending;
      pending = null;
      render(true);
      announce(state.ending ? endingAnnouncement(state.ending) : sceneTitle());
    });
    section.appendChild(next);
    stage.appendChild(section);
    section.querySelector("h3").focus();
    announce(reply.feedback.feedback);
  }

  function scoreLine(ending) {
    return fmt(S.score, {points: ending.points, max: ending.max}) + " " +
      fmt(ending.passed ? S.passed : S.notYet, {percent: percent(args.passRatio)});
  }

  function endingAnnouncement(ending) {
    return fmt(S.endingAnnounce, {title: ending.title, score: scoreLine(ending)});
  }

  function principleList(items, emptyText, cls) {
    if (!items.length) { return el("p", {"class": cls}, emptyText); }
    var list = el("ul", {"class": cls});
    items.forEach(function (item) { list.appendChild(el("li", {}, item.text)); });
    return list;
  }

  function renderEnding(ending) {
    var section = el("section", {"class": "lp-fx__ending", "aria-labelledby": P + "-ending-title"});
    section.appendChild(el("h3", {"class": "lp-fx__ending-title", id: P + "-ending-title", tabindex: "-1"},
      fmt(S.endingHeading, {title: ending.title})));
    section.appendChild(el("div", {"class": "lp-fx__ending-text"})).appendChild(LpCommon.paragraphs(ending.text));
    section.appendChild(el("p", {"class": "lp-fx__score " + (ending.passed ? "lp-fx__score--passed" : "lp-fx__score--not-yet")},
      scoreLine(ending)));
    section.appendChild(el("h4", {}, S.demonstrated));
    section.appendChild(principleList(ending.demonstrated, S.noneDemonstrated, "lp-fx__demonstrated"));
    section.appendChild(el("h4", {}, S.missed));
    section.appendChild(principleList(ending.missed, S.noneMissed, "lp-fx__missed"));
    section.appendChild(el("h4", {}, S.pathHeading));
    var path = el("ol", {"class": "lp-fx__path"});
    state.path.forEach(function (step) { path.appendChild(el("li", {}, fmt(S.pathItem, {title: step.title, text: step.text}))); });
    section.appendChild(path);
    section.appendChild(restartButton(S.tryAgain));
    return section;
  }

  function render(focus) {
    stage.textContent = "";
    var section = state.ending ? renderEnding(state.ending) : renderScene(state.scene);
    stage.appendChild(section);
    renderBest();
    if (focus) { section.querySelector("h3").focus(); }
  }

  function reload(message) {
    return post("state", {}).then(function (reply) {
      if (reply.ok) { state = reply.data; pending = null; render(true); }
      announce(message);
    });
  }

  /* ------------------------------------------------------------------ action plan */

  function planRow(values, number) {
    var row = el("tr", {"class": "lp-fx__plan-row"});
    FIELDS.forEach(function (field) {
      var cell = el("td", {"data-label": S[field]});
      var attrs = {
        type: "text", "class": "lp-fx__cell lp-fx__cell--" + field, name: field,
        id: P + "-plan-" + number + "-" + field,
        "aria-label": fmt(S.cellLabel, {column: S[field], row: number})
      };
      if (field === "when") { attrs["aria-describedby"] = P + "-when-help"; attrs.autocomplete = "off"; }
      var input = el("input", attrs);
      input.value = values[field] || "";
      cell.appendChild(input);
      row.appendChild(cell);
    });
    var removeCell = el("td");
    var remove = el("button", {type: "button", "class": "lp-fx__button lp-fx__button--secondary lp-fx__remove-row",
      "aria-label": fmt(S.removeLabel, {row: number})}, S.remove);
    remove.addEventListener("click", function () {
      var rows = collectRows();
      var index = Array.prototype.indexOf.call(planRows.children, row);
      rows.splice(index, 1);
      renderPlan(rows);
      var focusTarget = planRows.querySelectorAll(".lp-fx__remove-row")[Math.min(index, rows.length - 1)] ||
        root.querySelector(".lp-fx__add-row");
      focusTarget.focus();
      announce(fmt(S.rowRemoved, {count: rows.length}));
      autosaver.changed();
    });
    removeCell.appendChild(remove);
    row.appendChild(removeCell);
    return row;
  }

  function renderPlan(rows) {
    planRows.textContent = "";
    rows.forEach(function (values, index) { planRows.appendChild(planRow(values, index + 1)); });
  }

  function collectRows() {
    return Array.prototype.map.call(planRows.querySelectorAll(".lp-fx__plan-row"), function (row) {
      var values = {};
      FIELDS.forEach(function (field) { values[field] = row.querySelector("input[name=" + field + "]").value; });
      return values;
    });
  }

  function clearPlanError() { LpCommon.clearErrors(planError, planForm); }

  /* Every problem of the plan at once: a summary linked to the cells at fault, each cell's own message. */
  function showPlanError(data) {
    var problems = (data.errors && data.errors.length) ? data.errors :
      [{row: data.row, field: data.field, message: data.error || ""}];
    LpCommon.showErrors(planError, planForm, S.problemTitle, problems.map(function (problem) {
      var target = null;
      if (problem.row && FIELDS.indexOf(problem.field) >= 0) {
        target = root.querySelector("#" + P + "-plan-" + problem.row + "-" + problem.field);
      } else if (problem.field === "reflection") {
        target = reflection;
      } else {
        target = root.querySelector(".lp-fx__add-row");
      }
      return {label: "", message: problem.message, fields: [target]};
    }));
    announce(data.error || "");
  }

  root.querySelector(".lp-fx__add-row").addEventListener("click", function () {
    var rows = collectRows();
    rows.push({});
    renderPlan(rows);
    planRows.querySelector("#" + P + "-plan-" + rows.length + "-what").focus();
    announce(fmt(S.rowAdded, {row: rows.length}));
    autosaver.changed();
  });

  planForm.addEventListener("submit", function (event) {
    event.preventDefault();
    clearPlanError();
    planSaved.textContent = "";
    var save = planForm.querySelector(".lp-fx__save-plan");
    save.disabled = true;
    save.textContent = S.planSaving;
    autosaver.hold();
    post("save_action_plan", {rows: collectRows(), reflection: reflection.value}).then(function (reply) {
      save.disabled = false;
      save.textContent = S.savePlan;
      if (document.activeElement === document.body) { save.focus(); }
      if (!reply.ok) { showPlanError(reply.data); autosaver.changed(); return; }
      state.action_plan = reply.data.action_plan;
      state.reflection = reply.data.reflection;
      renderPlan(state.action_plan);
      reflection.value = state.reflection;
      autosaver.markSaved(null);
      planSaved.textContent = S.planSaved;
      announce(S.planSaved);
    }).catch(function () {
      save.disabled = false;
      save.textContent = S.savePlan;
      autosaver.changed();
      announce(S.network);
    });
  });

  /* ------------------------------------------------------------------ tutors */

  function reportTable(caption, headers, rows) {
    var table = el("table", {"class": "lp-fx__table"});
    table.appendChild(el("caption", {}, caption));
    var head = el("tr");
    headers.forEach(function (label) { head.appendChild(el("th", {scope: "col"}, label)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    rows.forEach(function (cells) {
      var row = el("tr");
      row.appendChild(el("th", {scope: "row"}, cells[0]));
      cells.slice(1).forEach(function (cell) { row.appendChild(el("td", {}, cell)); });
      body.appendChild(row);
    });
    return table;
  }

  var reportButton = root.querySelector("#" + P + "-report-load");
  if (reportButton) {
    reportButton.addEventListener("click", function () {
      var target = root.querySelector("#" + P + "-report-body");
      target.textContent = S.loading;
      post("choice_report", {}).then(function (reply) {
        target.textContent = "";
        if (!reply.ok) { target.appendChild(el("p", {}, reply.data.error)); return; }
        var report = reply.data;
        var counts = report.learners;
        target.appendChild(el("p", {"class": "lp-fx__report-learners"}, [
          LpCommon.plural(S.reportStarted, counts.started), LpCommon.plural(S.reportFinished, counts.finished),
          LpCommon.plural(S.reportPassed, counts.passed)].join(", ")));
        report.scenes.forEach(function (scene) {
          target.appendChild(LpCommon.scrollRegion(reportTable(scene.title, [S.reportChoice, S.reportPoints, S.reportTakenBy, S.reportTimes],
            scene.choices.map(function (c) { return [c.text, c.points, c.learners, c.times]; }))));
        });
        target.appendChild(LpCommon.scrollRegion(reportTable(S.reportEndings, [S.reportEnding, S.reportTakenBy, S.reportAttempts],
          report.endings.map(function (e) { return [e.title, e.learners, e.attempts]; }))));
      }).catch(function () { target.textContent = S.reportFailed; });
    });
  }

  /* ------------------------------------------------------------------ start */

  render(false);
  var initialRows = state.action_plan.slice();
  while (initialRows.length < Math.max(1, args.minRows)) { initialRows.push({}); }
  renderPlan(initialRows);
  reflection.value = state.reflection || "";
  // The plan is autosaved as a draft while it is being written, and put back when the learner returns.
  autosaver = LpCommon.autosave({
    runtime: runtime, element: element, form: planForm, key: "plan", strings: S.autosave,
    status: root.querySelector("#" + P + "-plan-autosave"),
    collect: function () { return {rows: JSON.stringify(collectRows()), reflection: reflection.value}; },
    restore: function (values) {
      var rows = [];
      try { rows = JSON.parse(values.rows || "[]"); } catch (ignore) { rows = []; }
      renderPlan(Array.isArray(rows) && rows.length ? rows : initialRows);
      reflection.value = values.reflection || "";
    }
  });
  var savedPlan = JSON.stringify({rows: JSON.stringify(collectRows()), reflection: reflection.value});
  if (state.plan_draft && (!state.plan_saved_at || state.plan_draft.saved_at > state.plan_saved_at) &&
      JSON.stringify({rows: state.plan_draft.values.rows, reflection: state.plan_draft.values.reflection}) !== savedPlan) {
    autosaver.restore(state.plan_draft);
  }
  return {};
}
