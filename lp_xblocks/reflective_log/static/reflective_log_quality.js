/* Reflective-log quality assurance, called by LpReflectiveLog: the learner's appeals against referrals; for tutors
 * and internal verifiers the entries a verifier returned, the appeals to decide and reasonable-adjustments notes;
 * for verifiers the sample with agree / disagree. Every text goes on the page as a text node (LpCommon.el). */
function LpReflectiveLogQuality(ctx) {
  "use strict";
  var args = ctx.args, S = args.qaStrings, P = ctx.prefix, byId = ctx.byId, post = ctx.post;
  var el = LpCommon.el, fmt = LpCommon.fmt, moment = LpCommon.dateTime;
  if (args.anonymous) { return; }

  function announcer(suffix) {
    var region = byId(suffix);
    return region ? LpCommon.announcer(region) : function () {};
  }
  function failed(say, reply) { say(reply && reply.data && reply.data.error ? reply.data.error : S.network); }

  /* ------------------------------------------------------------ learner: appeals */

  var mine = byId("-my-appeals");
  var sayMine = announcer("-my-appeals-status");
  function entryTitle(id) {
    var entry = (args.entries || []).filter(function (item) { return item.entry_id === id; })[0];
    return entry ? fmt(S.referredEntry, {title: entry.title, version: entry.version}) : id;
  }
  function renderMine(data) {
    mine.textContent = "";
    var ids = Object.keys(data.appeals).filter(function (id) {
      var item = data.appeals[id];
      return item.may_appeal || item.appeal;
    });
    if (!ids.length) { mine.appendChild(el("p", {"class": "lp-rl__note"}, S.noAppeals)); return; }
    var list = el("ul", {"class": "lp-rl__appeal-list"});
    ids.forEach(function (id, index) {
      var item = data.appeals[id], li = el("li", {"class": "lp-rl__appeal"});
      li.appendChild(el("strong", {}, entryTitle(id)));
      if (item.appeal) {
        li.appendChild(el("p", {}, fmt(S.appealStatus, {date: moment(item.appeal.appealed_at),
                                                         status: S.appealStatuses[item.appeal.status]})));
        if (item.appeal.outcome_reasons) {
          li.appendChild(el("p", {"class": "lp-rl__label"}, S.outcomeReasons));
          li.appendChild(LpCommon.paragraphs(item.appeal.outcome_reasons));
        }
      } else {
        li.appendChild(el("p", {}, fmt(S.appealUntil, {deadline: moment(item.deadline)})));
        var form = el("form", {"class": "lp-rl__appeal-form", novalidate: "novalidate"});
        var fieldId = P + "-appeal-reasons-" + index;
        form.appendChild(el("label", {"for": fieldId}, S.appealReasons));
        var box = el("textarea", {id: fieldId, name: "reasons", rows: "4", maxlength: "4000", "aria-required": "true"});
        form.appendChild(box);
        form.appendChild(el("button", {type: "submit", "class": "lp-rl__button"}, S.sendAppeal));
        form.hidden = true;
        var open = el("button", {type: "button", "class": "lp-rl__button lp-rl__button--secondary",
                                 "aria-expanded": "false"}, S.appeal);
        open.addEventListener("click", function () {
          form.hidden = false; open.setAttribute("aria-expanded", "true"); box.focus();
        });
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          post("appeal_referral", {entry_id: id, reasons: box.value}).then(function (reply) {
            if (!reply.ok) { box.setAttribute("aria-invalid", "true"); box.focus(); failed(sayMine, reply); return; }
            sayMine(S.appealSent);
            loadMine();
          }).catch(function () { sayMine(S.network); });
        });
        li.appendChild(open);
        li.appendChild(form);
      }
      list.appendChild(li);
    });
    mine.appendChild(list);
  }
  function loadMine() {
    return post("my_appeals", {}).then(function (reply) { if (reply.ok) { renderMine(reply.data); } });
  }
  if (mine) { loadMine(); }

  // The learner's own reasonable-adjustments note (tutors and verifiers write it), shown when there is one.
  var myAdjustments = byId("-my-adjustments");
  if (myAdjustments) {
    post("adjustments", {}).then(function (reply) {
      if (!reply.ok || !reply.data.note) { return; }
      var body = byId("-my-adjustments-body");
      body.textContent = "";
      body.appendChild(LpCommon.paragraphs(reply.data.note));
      myAdjustments.hidden = false;
    });
  }

  if (!args.isTutor && !args.isVerifier) { return; }

  /* ------------------------------------------------------------ tutors and verifiers */

  var say = announcer("-qa-status");

  function loadReturned() {
    var target = byId("-returned");
    return post("returned_entries", {}).then(function (reply) {
      if (!reply.ok) { return; }
      target.textContent = "";
      var ids = Object.keys(reply.data.returned);
      if (!ids.length) { target.appendChild(el("p", {"class": "lp-rl__note"}, S.returnedNone)); return; }
      var list = el("ul", {"class": "lp-rl__returned"});
      ids.forEach(function (id) {
        var note = reply.data.returned[id];
        list.appendChild(el("li", {}, fmt(S.returnedItem, {
          title: note.title || id, verifier: note.verifier, decision: S.decisions[note.decision] || note.decision,
          date: moment(note.at), comment: note.comment
        })));
      });
      target.appendChild(list);
    });
  }

  function decideForm(appeal, index) {
    var form = el("form", {"class": "lp-rl__decide", novalidate: "novalidate"});
    var set = el("fieldset", {});
    set.appendChild(el("legend", {}, S.decideLegend));
    [["upheld", S.upheld], ["not_upheld", S.notUpheld]].forEach(function (pair) {
      var id = P + "-decide-" + index + "-" + pair[0];
      var span = el("span", {"class": "lp-rl__option"});
      span.appendChild(el("input", {type: "radio", id: id, name: "outcome", value: pair[0]}));
      span.appendChild(el("label", {"for": id}, pair[1]));
      set.appendChild(span);
    });
    form.appendChild(set);
    var reasonsId = P + "-decide-" + index + "-reasons";
    form.appendChild(el("label", {"for": reasonsId}, S.decideReasons));
    var reasons = el("textarea", {id: reasonsId, name: "reasons", rows: "3", maxlength: "4000"});
    form.appendChild(reasons);
    form.appendChild(el("button", {type: "submit", "class": "lp-rl__button"}, S.decide));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = form.querySelector("input[name=outcome]:checked");
      post("decide_appeal", {appeal_id: appeal.appeal_id, outcome: chosen ? chosen.value : "",
                             reasons: reasons.value}).then(function (reply) {
        if (!reply.ok) { failed(say, reply); return; }
        say(S.appealDecided);
        loadAppeals();
      }).catch(function () { say(S.network); });
    });
    return form;
  }

  function loadAppeals() {
    var target = byId("-appeals");
    return post("appeals", {}).then(function (reply) {
      if (!reply.ok) { return; }
      target.textContent = "";
      if (!reply.data.appeals.length) { target.appendChild(el("p", {"class": "lp-rl__note"}, S.appealsNone)); return; }
      var list = el("ul", {"class": "lp-rl__appeal-list"});
      reply.data.appeals.forEach(function (appeal, index) {
        var li = el("li", {"class": "lp-rl__appeal"});
        li.appendChild(el("p", {}, fmt(S.appealItem, {learner: appeal.learner, title: appeal.title,
          date: moment(appeal.appealed_at), tutor: appeal.referred_by, reasons: appeal.reasons})));
        li.appendChild(el("p", {}, S.appealStatuses[appeal.status] + (appeal.outcome_reasons ? ": " + appeal.outcome_reasons : "")));
        if (appeal.may_decide) { li.appendChild(decideForm(appeal, index)); }
        list.appendChild(li);
      });
      target.appendChild(list);
    });
  }

  var adjust = byId("-adjust");
  function adjustLearner() { return adjust.elements.learner.value.trim(); }
  byId("-adjust-load").addEventListener("click", function () {
    post("adjustments", {learner: adjustLearner()}).then(function (reply) {
      if (!reply.ok) { failed(say, reply); return; }
      adjust.elements.note.value = reply.data.note;
      say(fmt(S.noteLoaded, {learner: reply.data.learner}));
    }).catch(function () { say(S.network); });
  });
  adjust.addEventListener("submit", function (event) {
    event.preventDefault();
    post("save_adjustments", {learner: adjustLearner(), note: adjust.elements.note.value}).then(function (reply) {
      if (!reply.ok) { failed(say, reply); return; }
      say(fmt(S.noteSaved, {learner: reply.data.learner}));
    }).catch(function () { say(S.network); });
  });

  loadReturned();
  loadAppeals();
  if (!args.isVerifier) { return; }

  /* ------------------------------------------------------------ verifiers: the sample */

  var verify = byId("-verify"), current = null;

  function openVerify(item) {
    current = item;
    post("verification_entry", {entry_id: item.entry_id}).then(function (reply) {
      if (!reply.ok) { failed(say, reply); return; }
      var entry = reply.data.entry, body = byId("-verify-entry");
      byId("-verify-heading").textContent = fmt(S.verifyHeading, {title: entry.title, learner: entry.learner});
      body.textContent = "";
      entry.versions.slice().reverse().forEach(function (version) { body.appendChild(ctx.versionBlock(version, 6)); });
      body.appendChild(ctx.auditList(entry.audit));
      verify.reset();
      byId("-verify-error").hidden = true;
      verify.hidden = false;
      byId("-verify-heading").focus();
    }).catch(function () { say(S.network); });
  }

  verify.addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = verify.querySelector("input[name=agreement]:checked");
    var error = byId("-verify-error");
    post("verify_entry", {entry_id: current.entry_id, agreement: chosen ? chosen.value : "",
                          comment: verify.elements.comment.value}).then(function (reply) {
      if (!reply.ok) {
        error.textContent = reply.data.error || S.network;
        error.hidden = false;
        var field = reply.data.field === "comment" ? verify.elements.comment : byId("-agree");
        field.setAttribute("aria-invalid", "true");
        field.focus();
        return;
      }
      verify.hidden = true;
      say(S.verificationSaved);
      loadSample();
    }).catch(function () { say(S.network); });
  });

  function sampleRow(item) {
    var tr = el("tr", {});
    tr.appendChild(el("td", {}, item.learner));
    var cell = el("td", {});
    var button = el("button", {type: "button", "class": "lp-rl__linkbutton"}, item.title);
    button.setAttribute("aria-label", fmt(S.open, {title: item.title}));
    button.addEventListener("click", function () { openVerify(item); });
    cell.appendChild(button);
    tr.appendChild(cell);
    tr.appendChild(el("td", {}, S.decisions[item.decision] || item.decision));
    tr.appendChild(el("td", {}, item.marker));
    tr.appendChild(el("td", {}, (item.reason_texts || []).join(" ")));
    tr.appendChild(el("td", {}, item.verification ? S.agreements[item.verification.agreement] : S.notVerified));
    return tr;
  }

  function loadSample() {
    var target = byId("-sample");
    return post("verification_sample", {}).then(function (reply) {
      if (!reply.ok) { failed(say, reply); return; }
      var data = reply.data;
      target.textContent = "";
      if (!data.sample.length) { target.appendChild(el("p", {"class": "lp-rl__note"}, S.sampleEmpty)); return; }
      var wrap = el("div", {"class": "lp-scroll", role: "region", tabindex: "0", "aria-labelledby": P + "-sample-heading"});
      var table = el("table", {"class": "lp-rl__table lp-rl__sample"});
      table.appendChild(el("caption", {}, fmt(S.sampleCaption, {count: data.sample.length, marked: data.marked})));
      var head = el("tr", {});
      [S.learner, S.title, S.decision, S.tutor, S.why, S.verified].forEach(function (label) {
        head.appendChild(el("th", {scope: "col"}, label));
      });
      var thead = el("thead", {});
      thead.appendChild(head);
      table.appendChild(thead);
      var tbody = el("tbody", {});
      data.sample.forEach(function (item) { tbody.appendChild(sampleRow(item)); });
      table.appendChild(tbody);
      wrap.appendChild(table);
      target.appendChild(wrap);
      if (data.others.length) {
        var selectId = P + "-sample-other";
        var p = el("p", {"class": "lp-rl__field"});
        p.appendChild(el("label", {"for": selectId}, S.othersLabel));
        var select = el("select", {id: selectId});
        data.others.forEach(function (item, index) {
          select.appendChild(el("option", {value: String(index)}, item.learner + ": " + item.title + " (" +
            (S.decisions[item.decision] || item.decision) + ")"));
        });
        p.appendChild(select);
        var add = el("button", {type: "button", "class": "lp-rl__button lp-rl__button--secondary"}, S.addOther);
        add.addEventListener("click", function () { openVerify(data.others[Number(select.value)]); });
        p.appendChild(add);
        target.appendChild(p);
      }
    }).catch(function () { say(S.network); });
  }
  loadSample();
}
