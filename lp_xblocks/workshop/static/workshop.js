/* The workshop block: sessions with sign-up, waiting list, calendar and (tutors) the register.
 * Every text goes into the page as text (LpCommon.el), never as HTML. */
function LpWorkshop(runtime, element, args) {
  "use strict";
  var C = window.LpCommon;
  var S = args.strings;
  var prefix = args.prefix;
  var root = C.blockRoot(element, prefix);
  var list = root.querySelector("#" + prefix + "-sessions");
  var errorBox = root.querySelector("#" + prefix + "-error");
  var announce = C.announcer(root.querySelector("#" + prefix + "-status"));
  var state = C.pageData(root, prefix);

  /* Register marks changed but not saved: leaving the page asks first (nothing a tutor chose is lost silently). */
  var unsavedRegisters = 0;
  window.addEventListener("beforeunload", function (event) {
    if (!unsavedRegisters) { return undefined; }
    event.preventDefault();
    event.returnValue = "";
    return "";
  });

  function url(handler, session) {
    var base = runtime.handlerUrl(element, handler);
    return base + (base.indexOf("?") < 0 ? "?" : "&") + "session=" + encodeURIComponent(session);
  }

  function fail(reply) {
    var message = reply && reply.data && reply.data.error ? reply.data.error : S.network;
    C.showErrors(errorBox, root, S.problemTitle, [{message: C.fmt(S.failed, {error: message})}]);
  }

  function act(handler, session, done) {
    C.clearErrors(errorBox, root);
    return C.post(runtime, element, handler, {session: session.id}).then(function (reply) {
      if (!reply.ok) { fail(reply); return; }
      state = reply.data;
      render(session.id);
      done(reply.data);
    }, function () { fail(null); });
  }

  function row(dl, term, value) {
    dl.appendChild(C.el("dt", {}, term));
    var dd = C.el("dd");
    if (value && value.nodeType) { dd.appendChild(value); } else { dd.textContent = value; }
    dl.appendChild(dd);
  }

  function links(card, heading, items, id) {
    if (!items.length) { return; }
    card.appendChild(C.el("h5", {id: id}, heading));
    var ul = C.el("ul", {"aria-labelledby": id});
    items.forEach(function (link) {
      var li = C.el("li");
      li.appendChild(C.el("a", {href: link.href}, link.label));
      ul.appendChild(li);
    });
    card.appendChild(ul);
  }

  function myPlace(session) {
    var mine = session.mine;
    if (mine.attendance === "attended") { return S.youAttended; }
    if (mine.status === "booked") { return S.booked; }
    if (mine.status === "waiting") { return C.fmt(S.waitingAt, {position: mine.position}); }
    if (mine.status === "cancelled") { return S.cancelled; }
    return "";
  }

  function button(text, cls, onClick) {
    var node = C.el("button", {type: "button", "class": "lp-ws__button " + cls}, text);
    node.addEventListener("click", onClick);
    return node;
  }

  function actions(card, session) {
    var box = C.el("div", {"class": "lp-ws__actions"});
    var status = session.mine.status;
    if (session.past) {
      box.appendChild(C.el("p", {}, S.past));
    } else if (!session.open) {
      box.appendChild(C.el("p", {}, S.closed));
    } else if (state.anonymous) {
      box.appendChild(C.el("p", {}, S.signIn));
    } else if (status === "booked" || status === "waiting") {
      box.appendChild(button(C.fmt(status === "booked" ? S.cancel : S.leave, {title: session.title}), "lp-ws__cancel",
        function () {
          act("cancel", session, function () {
            announce(C.fmt(status === "booked" ? S.gaveUp : S.left, {title: session.title}));
          });
        }));
    } else {
      box.appendChild(button(C.fmt(session.left > 0 ? S.signUp : S.join, {title: session.title}), "lp-ws__signup",
        function () {
          act("sign_up", session, function (data) {
            var now = data.sessions.filter(function (item) { return item.id === session.id; })[0];
            announce(data.status === "booked" ? C.fmt(S.signedUp, {title: session.title})
              : C.fmt(S.queued, {title: session.title, position: now ? now.mine.position : ""}));
          });
        }));
    }
    if (!session.past) {
      box.appendChild(C.el("a", {href: url("calendar", session.id), "class": "lp-ws__ics", download: ""},
                           C.fmt(S.calendar, {title: session.title})));
    }
    card.appendChild(box);
  }

  function registerPanel(card, session) {
    var details = C.el("details", {"class": "lp-ws__register"});
    details.appendChild(C.el("summary", {}, S.showRegister));
    var body = C.el("div");
    details.appendChild(body);
    details.addEventListener("toggle", function () {
      if (details.open) { loadRegister(body, session); }
    });
    card.appendChild(details);
  }

  function loadRegister(body, session) {
    body.setAttribute("aria-busy", "true");
    C.post(runtime, element, "register", {session: session.id}).then(function (reply) {
      body.removeAttribute("aria-busy");
      if (!reply.ok) { fail(reply); return; }
      drawRegister(body, session, reply.data);
    }, function () { body.removeAttribute("aria-busy"); fail(null); });
  }

  function drawRegister(body, session, data) {
    body.textContent = "";
    if (!data.learners.length) { body.appendChild(C.el("p", {}, S.noSignUps)); }
    var form = C.el("form", {"class": "lp-ws__register-form", novalidate: true});
    if (data.learners.length) {
      var table = C.el("table", {"class": "lp-ws__table"});
      table.appendChild(C.el("caption", {}, C.fmt(S.register, {title: session.title})));
      var head = C.el("tr");
      [S.learner, S.place, S.attendance].forEach(function (text) { head.appendChild(C.el("th", {scope: "col"}, text)); });
      var thead = C.el("thead");
      thead.appendChild(head);
      table.appendChild(thead);
      var tbody = C.el("tbody");
      data.learners.forEach(function (learner, index) {
        var tr = C.el("tr");
        var id = prefix + "-" + session.id.replace(/[^A-Za-z0-9_-]/g, "_") + "-mark-" + index;
        var th = C.el("th", {scope: "row"});
        th.appendChild(C.el("label", {"for": id}, learner.username));
        tr.appendChild(th);
        tr.appendChild(C.el("td", {}, {booked: S.statusBooked, waiting: S.statusWaiting,
                                        cancelled: S.statusCancelled}[learner.status] || learner.status));
        var select = C.el("select", {id: id, "data-learner": learner.student_id, "class": "lp-ws__mark"});
        [["", S.unmarked], ["attended", S.attended], ["absent", S.absent], ["apologies", S.apologies]].forEach(function (opt) {
          var option = C.el("option", {value: opt[0]}, opt[1]);
          if (learner.attendance === opt[0]) { option.selected = true; }
          select.appendChild(option);
        });
        var td = C.el("td");
        td.appendChild(select);
        tr.appendChild(td);
        tbody.appendChild(tr);
      });
      table.appendChild(tbody);
      form.appendChild(C.scrollRegion(table));
      var dirty = false;
      form.addEventListener("change", function () {
        if (!dirty) { dirty = true; unsavedRegisters += 1; }
      });
      form.appendChild(C.el("button", {type: "submit", "class": "lp-ws__button lp-ws__save"}, S.saveRegister));
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var marks = {};
        Array.prototype.forEach.call(form.querySelectorAll("select[data-learner]"), function (node) {
          marks[node.getAttribute("data-learner")] = node.value;
        });
        C.clearErrors(errorBox, root);
        C.post(runtime, element, "mark_attendance", {session: session.id, marks: marks}).then(function (reply) {
          if (!reply.ok) { fail(reply); return; }
          if (dirty) { dirty = false; unsavedRegisters -= 1; }
          drawRegister(body, session, reply.data);
          announce(C.plural(S.registerSaved, reply.data.recorded));
        }, function () { fail(null); });
      });
      body.appendChild(form);
    }
    body.appendChild(C.el("a", {href: url("register_csv", session.id), "class": "lp-ws__csv", download: ""},
                          C.fmt(S.csv, {title: session.title})));
  }

  function card(session) {
    var li = C.el("li", {"class": "lp-ws__session", "data-session": session.id});
    var headingId = prefix + "-s-" + session.id.replace(/[^A-Za-z0-9_-]/g, "_");
    li.setAttribute("aria-labelledby", headingId);
    li.appendChild(C.el("h4", {id: headingId}, session.title));
    var dl = C.el("dl", {"class": "lp-ws__facts"});
    row(dl, S.when, session.when);
    if (session.module) { row(dl, S.module, session.module); }
    if (session.place) { row(dl, S.where, session.place); }
    if (session.online) { row(dl, S.online, C.el("a", {href: session.online, rel: "noopener noreferrer"}, session.online)); }
    row(dl, S.place, session.left > 0 ? C.plural(S.places, session.left, {capacity: session.capacity})
                                      : C.plural(S.full, session.waiting));
    li.appendChild(dl);
    var mine = myPlace(session);
    if (mine) { li.appendChild(C.el("p", {"class": "lp-ws__mine"}, mine)); }
    if (session.mine.status === "booked" && session.open && session.prework.length) {
      li.appendChild(C.el("p", {"class": "lp-ws__reminder"}, C.fmt(S.reminder, {title: session.title})));
    }
    links(li, S.prework, session.prework, headingId + "-pre");
    links(li, S.posttask, session.posttask, headingId + "-post");
    actions(li, session);
    if (state.tutor) {
      if (session.notes) {
        var notes = C.el("details", {"class": "lp-ws__notes"});
        notes.appendChild(C.el("summary", {}, S.notes));
        notes.appendChild(C.paragraphs(session.notes));
        li.appendChild(notes);
      }
      registerPanel(li, session);
    }
    return li;
  }

  function render(focusId) {
    list.textContent = "";
    state.sessions.forEach(function (session) { list.appendChild(card(session)); });
    if (focusId) {
      var again = list.querySelector("[data-session='" + focusId.replace(/'/g, "") + "'] .lp-ws__actions button");
      if (again) { again.focus(); }
    }
  }

  render(null);
  root.setAttribute("data-ready", "true");
}
