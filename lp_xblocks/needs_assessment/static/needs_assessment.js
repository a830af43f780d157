/* Needs-assessment block: submit answers, show results, chart, recommendations and progress.
 * Every piece of learner or author text is put on the page as a text node, never as HTML. */
function LpNeedsAssessment(runtime, element, init) {
  "use strict";
  var root = LpCommon.blockRoot(element, init.prefix);  // element: a DOM element or a jQuery object
  var args = LpCommon.pageData(root, init.prefix);
  args.prefix = init.prefix;
  var S = args.strings;
  var form = root.querySelector(".lp-na__form");
  var status = root.querySelector(".lp-na__status");
  var errorBox = root.querySelector(".lp-na__error");
  var results = root.querySelector(".lp-na__results");
  var resultsBody = root.querySelector(".lp-na__results-body");
  var resultsHeading = root.querySelector(".lp-na__results-heading");
  var SVG = "http://www.w3.org/2000/svg";

  var fmt = LpCommon.fmt, el = LpCommon.el, announce = LpCommon.announcer(status);

  function post(handler, body) { return LpCommon.post(runtime, element, handler, body); }

  /* Plain text with http(s) links or site-absolute paths (a course unit) made into links. */
  function linkified(text) {
    var fragment = document.createDocumentFragment();
    // Only http(s) URLs and same-site paths; "//host" (another site) and "javascript:" never match.
    // A site path may follow a space or an opening bracket: "see (/jump_to_id/unit)".
    var pattern = /(https?:\/\/[^\s<>"]+|(?:^|[\s(])\/(?!\/)[A-Za-z0-9_\-\/.:@+~%?=&#]+)/g;
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var url = match[0].replace(/^[\s(]/, "");
      var start = match.index + (match[0].length - url.length);
      url = url.replace(/[.,;:)]+$/, "");
      fragment.appendChild(document.createTextNode(text.slice(last, start)));
      fragment.appendChild(el("a", {href: url}, url));
      last = start + url.length;
      pattern.lastIndex = last;
    }
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  /* A bar per theme, drawn at the width it is shown (one unit is one CSS pixel), so its text is 14 px on
   * any screen; each theme's name sits on its own line(s) above its bar, wrapped, never clipped. */
  function chart(themes) {
    var width = Math.max(240, Math.min(640, Math.floor(resultsBody.clientWidth || root.clientWidth || 580)));
    var fontSize = 14, lineHeight = 18, barHeight = 16, valueRoom = 44, charsPerLine = Math.floor((width - 4) / 8);
    var svg = document.createElementNS(SVG, "svg");
    var titleId = args.prefix + "-chart-title", descId = args.prefix + "-chart-desc";
    svg.setAttribute("class", "lp-na__chart");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-labelledby", titleId + " " + descId);
    var title = document.createElementNS(SVG, "title");
    title.setAttribute("id", titleId);
    title.textContent = S.chartTitle;
    var desc = document.createElementNS(SVG, "desc");
    desc.setAttribute("id", descId);
    desc.textContent = fmt(S.chartDesc, {max: args.max});
    svg.appendChild(title);
    svg.appendChild(desc);
    function lines(text) {
      var result = [], line = "";
      String(text).split(/\s+/).forEach(function (word) {
        while (word.length > charsPerLine) { if (line) { result.push(line); line = ""; } result.push(word.slice(0, charsPerLine)); word = word.slice(charsPerLine); }
        if (!word) { return; }
        if (line && (line + " " + word).length > charsPerLine) { result.push(line); line = word; } else { line = line ? line + " " + word : word; }
      });
      if (line) { result.push(line); }
      return result;
    }
    var y = 4, barSpace = width - valueRoom;
    themes.forEach(function (theme) {
      var label = document.createElementNS(SVG, "text");
      label.setAttribute("font-size", fontSize);
      lines(theme.title).forEach(function (text, index) {
        var span = document.createElementNS(SVG, "tspan");
        span.setAttribute("x", 0);
        span.setAttribute("y", y + lineHeight * (index + 1) - 4);
        span.textContent = text;
        label.appendChild(span);
      });
      y += lineHeight * label.childNodes.length + 2;
      var bar = document.createElementNS(SVG, "rect");
      bar.setAttribute("x", 0);
      bar.setAttribute("y", y);
      bar.setAttribute("height", barHeight);
      bar.setAttribute("width", Math.max(1, barSpace * theme.score / args.max));
      bar.setAttribute("class", "lp-na__bar");
      var value = document.createElementNS(SVG, "text");
      value.setAttribute("font-size", fontSize);
      value.setAttribute("x", barSpace * theme.score / args.max + 6);
      value.setAttribute("y", y + barHeight - 3);
      value.textContent = theme.score;
      [label, bar, value].forEach(function (node) { svg.appendChild(node); });
      y += barHeight + 12;
    });
    svg.setAttribute("viewBox", "0 0 " + width + " " + y);
    svg.setAttribute("width", width);
    svg.setAttribute("height", y);
    return svg;
  }

  function formatChange(change) {
    if (change === null || change === undefined) { return S.noChange; }
    return (change > 0 ? "+" : "") + change;
  }

  /* A satisfaction survey closes with thanks and the learner's own ratings: no score, band or advice. */
  function renderThanks(result) {
    resultsBody.appendChild(el("p", {"class": "lp-na__thanks"}, S.thanks));
    resultsBody.appendChild(el("h4", {}, S.yourRatings));
    (result.ratings || []).forEach(function (theme) {
      resultsBody.appendChild(el("h5", {}, theme.title));
      var list = el("ul", {"class": "lp-na__ratings"});
      theme.statements.forEach(function (st) { list.appendChild(el("li", {}, st.text + " " + st.rating)); });
      resultsBody.appendChild(list);
    });
    results.hidden = false;
  }

  function renderResults(result) {
    resultsBody.textContent = "";
    if (!result || !result.attempt) { results.hidden = true; return; }
    if (result.kind === "satisfaction") { renderThanks(result); return; }
    if (result.overall !== null && result.overall !== undefined) {
      resultsBody.appendChild(el("p", {"class": "lp-na__overall"}, fmt(S.overall, {score: result.overall, max: args.max})));
    }
    if (result.dont_know) {
      resultsBody.appendChild(el("p", {"class": "lp-na__dont-know"}, fmt(S.dontKnowCount, {count: result.dont_know})));
    }
    if (result.stage && !(result.placements && result.placements.length)) {
      // An attempt stored before placements were listed: its stage line only.
      resultsBody.appendChild(el("p", {"class": "lp-na__stage"}, fmt(S.stage, {stage: result.stage})));
    }
    if (result.placements && result.placements.length) {
      resultsBody.appendChild(el("h4", {}, S.placementsHeading));
      var placed = el("ul", {"class": "lp-na__placements"});
      result.placements.forEach(function (item) {
        placed.appendChild(el("li", {}, item.target_label + ": " + (item.label || S.notPlaced)));
      });
      resultsBody.appendChild(placed);
    }
    if (result.themes && result.themes.length) {
      var showChange = result.themes.some(function (t) { return t.change_since_first !== null && t.change_since_first !== undefined; });
      var table = el("table", {"class": "lp-na__table"});
      table.appendChild(el("caption", {}, fmt(S.tableCaption, {max: args.max})));
      var head = el("tr");
      [S.theme, S.score, S.band].concat(showChange ? [S.change] : []).forEach(function (label) {
        head.appendChild(el("th", {scope: "col"}, label));
      });
      table.appendChild(el("thead")).appendChild(head);
      var body = table.appendChild(el("tbody"));
      result.themes.forEach(function (theme) {
        var row = el("tr");
        row.appendChild(el("th", {scope: "row"}, theme.title));
        row.appendChild(el("td", {}, theme.score === null ? S.notScored : theme.score));
        row.appendChild(el("td", {}, theme.band === null ? "-" : theme.band));
        if (showChange) { row.appendChild(el("td", {}, formatChange(theme.change_since_first))); }
        body.appendChild(row);
      });
      resultsBody.appendChild(LpCommon.scrollRegion(table));
      resultsBody.appendChild(chart(result.themes));

      resultsBody.appendChild(el("h4", {}, S.recommendations));
      var list = el("ol", {"class": "lp-na__recommendations"});
      var byId = {};
      result.themes.forEach(function (theme) { byId[theme.id] = theme; });
      (result.recommendations || []).forEach(function (themeId) {
        var theme = byId[themeId];
        if (!theme) { return; }
        var item = el("li");
        item.appendChild(el("strong", {}, theme.title + " (" + theme.band + "): "));
        item.appendChild(linkified(theme.recommendation || ""));
        list.appendChild(item);
      });
      resultsBody.appendChild(list);
    }
    if (result.history && result.history.length > 1) {
      resultsBody.appendChild(el("h4", {}, S.history));
      var history = el("ul", {"class": "lp-na__history"});
      result.history.forEach(function (entry) {
        history.appendChild(el("li", {}, fmt(S.attemptLine, {
          attempt: entry.attempt, date: LpCommon.dateTime(entry.submitted_at),
          overall: entry.overall === null || entry.overall === undefined ? "-" : entry.overall
        })));
      });
      resultsBody.appendChild(history);
    }
    if (args.allowRetake && form) {
      var again = el("button", {type: "button", "class": "lp-na__button lp-na__retake"}, S.retake);
      again.addEventListener("click", function () {
        form.hidden = false;
        var first = form.querySelector("input[type=radio]");
        if (first) { first.focus(); }
      });
      resultsBody.appendChild(again);
    }
    results.hidden = false;
  }

  function collectAnswers() {
    var answers = {};
    var unanswered = [];
    form.querySelectorAll(".lp-na__statement").forEach(function (group) {
      var checked = group.querySelector("input[type=radio]:checked");
      if (checked) {
        answers[group.getAttribute("data-statement")] = checked.value === "dont_know" ? "dont_know" : parseInt(checked.value, 10);
        markInvalid(group, false);
      } else {
        unanswered.push(group);
      }
    });
    var placements = {};
    form.querySelectorAll(".lp-na__placement-select").forEach(function (select) {
      if (select.value) { placements[select.getAttribute("data-target")] = select.value; }
    });
    var comments = {};
    form.querySelectorAll(".lp-na__comment-text").forEach(function (box) {
      if (box.value.trim()) { comments[box.getAttribute("data-theme")] = box.value; }
    });
    return {answers: answers, unanswered: unanswered, placements: placements, comments: comments};
  }

  /* A group answered since the error summary was shown: no longer outlined, its own message gone. */
  function markInvalid(group, invalid) {
    group.classList.toggle("lp-na__statement--missing", invalid);
    if (invalid) { return; }
    var message = group.querySelector(".lp-field-error");
    group.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.removeAttribute("aria-invalid");
      if (message) {
        var rest = (radio.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && id !== message.id; });
        if (rest.length) { radio.setAttribute("aria-describedby", rest.join(" ")); } else { radio.removeAttribute("aria-describedby"); }
      }
    });
    if (message) { message.parentNode.removeChild(message); }
  }

  /* Every statement still to answer at once: a summary (GOV.UK pattern) naming each statement in words and
   * linking to its first option, and a message in each statement's group. */
  function showError(message, groups) {
    groups = groups || [];
    LpCommon.showErrors(errorBox, form, message, groups.map(function (group) {
      var legend = group.querySelector("legend");
      return {label: "", message: fmt(S.answerThis, {statement: legend ? legend.textContent.trim() : group.getAttribute("data-statement")}),
              fields: Array.prototype.slice.call(group.querySelectorAll("input[type=radio]")),
              before: group.querySelector(".lp-na__options")};
    }));
    groups.forEach(function (group) { markInvalid(group, true); });
    announce(message);
  }

  // Answers are autosaved as they are ticked (signed-in learners) and put back when the learner returns.
  var autosaver = null;
  if (form && args.signedIn) {
    autosaver = LpCommon.autosave({
      runtime: runtime, element: element, form: form, key: "answers", strings: S.autosave,
      status: root.querySelector("#" + args.prefix + "-autosave")
    });
    if (args.draft) { autosaver.restore(args.draft); }
  }

  if (form) {
    form.addEventListener("change", function (event) {
      var group = event.target.closest(".lp-na__statement");
      if (group) { markInvalid(group, false); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var collected = collectAnswers();
      if (collected.unanswered.length) {
        showError(LpCommon.plural(S.missing, collected.unanswered.length), collected.unanswered);
        return;
      }
      LpCommon.clearErrors(errorBox, form);
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      button.textContent = S.submitting;
      if (autosaver) { autosaver.hold(); }
      post("submit", {answers: collected.answers, placements: collected.placements, comments: collected.comments}).then(function (reply) {
        button.disabled = false;
        button.textContent = S.submit;
        if (!reply.ok) {
          if (autosaver) { autosaver.changed(); }
          var groups = (reply.data.missing || []).concat(reply.data.invalid || []).map(function (id) {
            return form.querySelector('[data-statement="' + CSS.escape(id) + '"]');
          }).filter(Boolean);
          showError(fmt(S.failed, {error: reply.data.error || reply.status}), groups);
          return;
        }
        if (autosaver) { autosaver.markSaved(null); }
        form.hidden = true;
        renderResults(reply.data);
        announce(reply.data.kind === "satisfaction" ? S.thanks : fmt(S.submitted, {score: reply.data.overall, max: args.max}));
        resultsHeading.focus();
      }).catch(function () {
        button.disabled = false;
        button.textContent = S.submit;
        showError(S.network, []);
      });
    });
  }

  var cohortButton = root.querySelector("#" + args.prefix + "-cohort-load");
  if (cohortButton) {
    cohortButton.addEventListener("click", function () {
      var target = root.querySelector("#" + args.prefix + "-cohort-body");
      target.textContent = S.loading;
      post("cohort_report", {}).then(function (reply) {
        target.textContent = "";
        if (!reply.ok) { target.appendChild(el("p", {}, reply.data.error)); return; }
        target.appendChild(el("p", {}, LpCommon.plural(S.cohortLearners, reply.data.learners)));
        var table = el("table", {"class": "lp-na__table"});
        table.appendChild(el("caption", {}, S.cohortHeading));
        var bandLabels = [];
        reply.data.themes.forEach(function (theme) {
          Object.keys(theme.bands).forEach(function (label) { if (bandLabels.indexOf(label) < 0) { bandLabels.push(label); } });
        });
        var head = el("tr");
        [S.theme, S.cohortRespondents, S.cohortMean].concat(bandLabels, [S.cohortDontKnow]).forEach(function (label) {
          head.appendChild(el("th", {scope: "col"}, label));
        });
        table.appendChild(el("thead")).appendChild(head);
        var body = table.appendChild(el("tbody"));
        reply.data.themes.forEach(function (theme) {
          var row = el("tr");
          row.appendChild(el("th", {scope: "row"}, theme.title));
          row.appendChild(el("td", {}, theme.respondents));
          row.appendChild(el("td", {}, theme.suppressed ? fmt(S.cohortSuppressed, {n: reply.data.minimum}) : (theme.mean === null ? "-" : theme.mean)));
          bandLabels.forEach(function (label) { row.appendChild(el("td", {}, theme.suppressed ? "-" : theme.bands[label] || 0)); });
          row.appendChild(el("td", {}, theme.suppressed ? "-" : theme.dont_know));
          body.appendChild(row);
        });
        target.appendChild(LpCommon.scrollRegion(table));
      }).catch(function () {
        target.textContent = S.cohortFailed;
      });
    });
  }

  /* Multi-rater partnerships: create (manager), join with a code (partner), the manager's combined view. */
  var combined = root.querySelector("#" + args.prefix + "-combined");
  function partnershipForm(id, handler, field, done) {
    var partnershipForm = root.querySelector("#" + args.prefix + id);
    if (!partnershipForm) { return; }
    partnershipForm.querySelector("button").addEventListener("click", function () {
      var body = {};
      body[field] = partnershipForm.querySelector("input").value;
      post(handler, body).then(function (reply) {
        var message = reply.ok ? done(reply.data) : fmt(S.partnershipFailed, {error: reply.data.error || reply.status});
        combined.textContent = "";
        combined.appendChild(el("p", {}, message));
        announce(message);
      }).catch(function () { announce(S.network); });
    });
  }
  var combinedButton = root.querySelector("#" + args.prefix + "-combined-load");
  var memberLine = root.querySelector("#" + args.prefix + "-partnership-member");
  var partnershipForms = root.querySelector("#" + args.prefix + "-partnership-forms");
  function showMembership(member) {
    if (!memberLine) { return; }
    memberLine.hidden = !member;
    partnershipForms.hidden = Boolean(member);
    combinedButton.hidden = !member || member.role !== "manager";
    if (member) {
      memberLine.textContent = fmt(member.role === "manager" ? S.memberManager : S.memberPartner,
                                   {name: member.name, code: member.code});
    }
  }
  partnershipForm("-create-form", "create_partnership", "name", function (data) {
    showMembership(data);
    return fmt(S.partnershipCreated, {code: data.code});
  });
  partnershipForm("-join-form", "join_partnership", "code", function (data) {
    showMembership(data);
    return fmt(S.partnershipJoined, {name: data.name});
  });
  if (memberLine) {
    post("my_partnership", {}).then(function (reply) {
      if (reply.ok) { showMembership(reply.data.partnership); }
    }).catch(function () { announce(S.network); });
  }
  if (combinedButton) {
    combinedButton.addEventListener("click", function () {
      combined.textContent = S.loading;
      post("partnership_report", {}).then(function (reply) {
        combined.textContent = "";
        if (!reply.ok) { combined.appendChild(el("p", {}, reply.data.error)); return; }
        var data = reply.data;
        combined.appendChild(el("p", {}, fmt(S.combinedHeading, {raters: data.raters, partners: data.partners})));
        if (data.suppressed) { combined.appendChild(el("p", {}, fmt(S.combinedSuppressed, {n: data.minimum}))); }
        var table = el("table", {"class": "lp-na__table"});
        table.appendChild(el("caption", {}, S.combinedHeading.split("(")[0]));
        var head = el("tr");
        [S.theme, S.you, S.partnersMean, S.allMean, S.range, S.spread].forEach(function (label) {
          head.appendChild(el("th", {scope: "col"}, label));
        });
        table.appendChild(el("thead")).appendChild(head);
        var body = table.appendChild(el("tbody"));
        function shown(value) { return value === null || value === undefined ? "-" : value; }
        data.themes.forEach(function (theme) {
          var row = el("tr");
          row.appendChild(el("th", {scope: "row"}, theme.title));
          row.appendChild(el("td", {}, shown(theme.manager)));
          row.appendChild(el("td", {}, shown(theme.partners && theme.partners.mean)));
          row.appendChild(el("td", {}, shown(theme.all && theme.all.mean)));
          row.appendChild(el("td", {}, theme.all ? theme.all.lowest + "-" + theme.all.highest : "-"));
          row.appendChild(el("td", {}, shown(theme.all && theme.all.spread)));
          body.appendChild(row);
        });
        combined.appendChild(table);
        if (data.differ_most.length) {
          combined.appendChild(el("h4", {}, S.differMost));
          var list = el("ol", {"class": "lp-na__differ"});
          data.differ_most.forEach(function (item) {
            list.appendChild(el("li", {}, item.theme + ": " + item.text + " (" + S.range + " " + item.range + ", " + S.spread + " " + item.spread + ")"));
          });
          combined.appendChild(list);
        }
      }).catch(function () { combined.textContent = S.cohortFailed; });
    });
  }

  renderResults(args.result);
  return {};
}
