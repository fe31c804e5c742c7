// A live Q&A room: progressive enhancement of a page that works without it.
//
// The server-rendered room is complete; this script keeps it current. It joins the
// session over Socket.IO ("live:join") and keeps one copy of the room's state (the
// session, its public questions, the "top" order, chat, announcements, the tally, and
// what only this reader sees: their votes, their own questions, held questions for
// moderators). Every "live:event" is numbered: events that arrive before the join's
// answer wait; an event already seen is dropped; a gap, or a reconnect, re-joins with
// the last number seen, and the server answers with what was missed (or a snapshot).
// Events carry full state, so applying one twice is harmless.
//
// The question list, "answering now", "next up", the tally, the participant count,
// chat and announcements are rebuilt from that state with createElement/textContent.
// Only body_html, answer_html and announcement/chat body_html (the server's sanitised
// Markdown) are set as HTML. Forms (ask, vote, chat, moderation, panel) go through the
// socket with an acknowledgement when it is connected, and post normally when it is not.
// A polite live region says what matters (a question taken up, answered, approved), not
// every vote. The session starting or ending reloads the page (new controls).
(function () {
  "use strict";
  var room = document.getElementById("live-room");
  if (!room || typeof window.io !== "function") { return; }

  var sessionId = parseInt(room.dataset.sessionId, 10);
  if (!sessionId) { return; }
  var projector = room.dataset.view === "projector";
  var pageState = room.dataset.state || "";
  var base = room.dataset.urlBase || "/sessions/" + sessionId;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var SORTS = ["top", "new", "answered"];
  var CHAT_KEPT = 50;
  var PROJECTOR_TOP = 5;

  var el = {
    connection: null,
    participants: document.getElementById("live-participants"),
    countdown: document.getElementById("live-countdown"),
    announcements: document.getElementById("live-announcements"),
    answering: document.getElementById("live-answering"),
    next: document.getElementById("live-next"),
    questions: document.getElementById("live-questions"),
    mine: document.getElementById("live-mine"),
    pending: document.getElementById("live-pending"),
    chat: document.getElementById("live-chat"),
    announcer: document.getElementById("live-announcer"),
    tally: document.getElementById("live-tally"),
    askForm: document.getElementById("ask-form"),
    chatForm: document.getElementById("chat-form")
  };

  // Reasons a moderator can give when rejecting: taken from the page (the no-JS form), or a data attribute.
  var categories = readCategories();

  var state = {
    full: false,        // true once a snapshot has been applied (client-side sorting needs every question)
    seq: parseInt(room.dataset.seq || "0", 10) || 0,
    session: { id: sessionId, state: pageState },
    questions: {},      // id -> public question
    top: [],
    tally: null,
    chat: [],           // oldest first
    announcements: [],  // oldest first
    roles: {},
    myVotes: {},
    mine: {},           // id -> own question (with review text)
    pending: null,      // id -> held question (moderators), or null
    participants: null
  };
  var sort = SORTS.indexOf(room.dataset.sort) >= 0 ? room.dataset.sort : "top";
  var joining = false, joined = false, buffered = [], rejoinWanted = false;
  var built = {};       // question id -> { sig, node } so unchanged items are not rebuilt (keeps focus)

  // --- small helpers ---------------------------------------------------------------------------

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function html(tag, className, trusted) {
    // `trusted` is server-sanitised HTML (body_html, answer_html): the only HTML this script inserts.
    var node = make(tag, className);
    node.innerHTML = trusted || "";
    return node;
  }

  function plainText(trusted) {
    var template = document.createElement("template");
    template.innerHTML = trusted || "";
    return (template.content.textContent || "").replace(/\s+/g, " ").trim();
  }

  function short(text, limit) {
    text = (text || "").replace(/\s+/g, " ").trim();
    limit = limit || 120;
    return text.length > limit ? text.slice(0, limit - 1) + "…" : text;
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function csrfInput() {
    var input = make("input");
    input.type = "hidden";
    input.name = "csrf_token";
    input.value = csrfMeta ? csrfMeta.content : "";
    return input;
  }

  function hidden(name, value) {
    var input = make("input");
    input.type = "hidden";
    input.name = name;
    input.value = String(value);
    return input;
  }

  function newKey() {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // The no-JS form actions (debate/web/live.py): used when the socket is not connected.
  function questionUrl(id, verb) { return base + "/questions/" + id + "/" + verb; }

  function readCategories() {
    var raw = el.pending && el.pending.dataset.categories;
    if (raw) {
      try { return JSON.parse(raw); } catch (e) { /* fall through to the page's own select */ }
    }
    var select = document.querySelector("#live-pending select[name=category], #live-room select[name=category]");
    if (!select) { return []; }
    return Array.prototype.map.call(select.options, function (o) { return [o.value, o.textContent]; })
      .filter(function (pair) { return pair[0]; });
  }

  // --- announcing ------------------------------------------------------------------------------
  // Messages close together are joined into one, so a busy minute is one sentence, not ten.

  var said = [], sayTimer = null;
  function say(text) {
    if (!el.announcer || !text) { return; }
    if (said.indexOf(text) < 0) { said.push(text); }
    if (sayTimer) { return; }
    sayTimer = window.setTimeout(function () {
      var shown = said.slice(0, 3);
      var extra = said.length - shown.length;
      el.announcer.textContent = shown.join(" ") + (extra > 0 ? " And " + plural(extra, "other update", "other updates") + "." : "");
      said = [];
      sayTimer = null;
    }, 400);
  }

  function setLive(on) {
    room.dataset.live = on ? "on" : "off";
  }

  // Whether the page is live, shown next to the participant count (not a live region: it changes rarely
  // and says nothing a reader must act on).
  function connection(text) {
    if (projector) { return; }
    if (!el.connection) {
      el.connection = make("p", "live-connection muted");
      el.connection.id = "live-connection";
      var after = el.participants || room.querySelector("h1");
      if (!after) { return; }
      after.parentNode.insertBefore(el.connection, after.nextSibling);
    }
    el.connection.textContent = text;
  }

  // --- state ---------------------------------------------------------------------------------------

  function applySnapshot(snap) {
    state.full = true;
    if (snap.session) { state.session = snap.session; }
    state.questions = {};
    (snap.questions || []).forEach(function (q) { if (q.visible !== false) { state.questions[q.id] = q; } });
    state.top = snap.top || [];
    state.tally = snap.tally || null;
    state.chat = (snap.chat || []).filter(function (m) { return m.visible !== false; });
    state.announcements = snap.announcements || [];
  }

  function applyPersonal(data) {
    var mine = data.personal || data;
    if (mine.roles) { state.roles = mine.roles; }
    if (mine.my_votes) {
      state.myVotes = {};
      mine.my_votes.forEach(function (id) { state.myVotes[id] = true; });
    }
    if (mine.mine) {
      state.mine = {};
      mine.mine.forEach(function (q) { state.mine[q.id] = q; });
    }
    if (mine.pending !== undefined) {
      if (mine.pending === null) { state.pending = null; }
      else {
        state.pending = {};
        mine.pending.forEach(function (q) { state.pending[q.id] = q; });
      }
    }
    var count = data.participants !== undefined ? data.participants : mine.participants;
    if (typeof count === "number") { state.participants = count; }
  }

  function applyEvent(event) {
    var data = event.data || {};
    switch (event.kind) {
      case "session":
        if (data.session) { state.session = data.session; }
        break;
      case "questions":
        (data.questions || []).forEach(function (q) { upsertQuestion(q); });
        if (data.top) { state.top = data.top; }
        if (data.tally) { state.tally = data.tally; }
        break;
      case "votes":
        (data.votes || []).forEach(function (pair) {
          var q = state.questions[pair[0]];
          if (q) { q.votes = pair[1]; }
        });
        if (data.top) { state.top = data.top; }
        break;
      case "chat":
        if (data.message) { upsertChat(data.message); }
        break;
      case "announcement":
        if (data.announcement) {
          var known = state.announcements.some(function (a) { return a.id === data.announcement.id; });
          if (!known) {
            state.announcements.push(data.announcement);
            if (joined) { say("Announcement: " + short(plainText(data.announcement.body_html), 200)); }
          }
        }
        break;
      default:
        break;
    }
  }

  function upsertQuestion(q) {
    var before = state.questions[q.id];
    if (q.visible === false) {
      delete state.questions[q.id];
      takeDown(q.id, before);
      return;
    }
    state.questions[q.id] = q;
    if (!joined) { return; }  // catching up: the page will show the result, not narrate the past
    var text = short(q.body || plainText(q.body_html), 140);
    if (before && before.status === "answering" && q.status === "open") {
      say("Put back in the list, not answered: " + text);
    } else if (q.status === "answering" && (!before || before.status !== "answering")) {
      say("Now answering: " + text);
    } else if (q.status === "answered" && (!before || before.status !== "answered")) {
      say((q.answered_by ? q.answered_by + " answered: " : "Answered: ") + text);
    } else if (q.pinned && (!before || !before.pinned)) {
      say("Next up: " + text);
    } else if (!before && q.status === "open") {
      say("New question from " + q.author + ".");
    }
  }

  // A question no longer shown (rejected, hidden, withdrawn, merged) leaves the page at once: the lists are
  // rebuilt from the state, but the "awaiting a written answer" list after a session is the server's, and the
  // live region may still be reading out its text.
  function takeDown(id, before) {
    Array.prototype.forEach.call(room.querySelectorAll('.awaiting-answer [data-question-id="' + id + '"]'), function (node) {
      (node.closest("li") || node).remove();
    });
    if (!before) { return; }
    var text = short(before.body || plainText(before.body_html), 140);
    said = said.filter(function (line) { return line.indexOf(text) < 0; });
    if (el.announcer && el.announcer.textContent.indexOf(text) >= 0) { el.announcer.textContent = ""; }
  }

  function upsertChat(message) {
    state.chat = state.chat.filter(function (m) { return m.id !== message.id; });
    if (message.visible === false) { return; }
    state.chat.push(message);
    state.chat.sort(function (a, b) { return a.id - b.id; });
    if (state.chat.length > CHAT_KEPT) { state.chat = state.chat.slice(-CHAT_KEPT); }
  }

  // --- ordering ------------------------------------------------------------------------------------

  function byVotes(a, b) { return (b.votes - a.votes) || (a.id - b.id); }

  function ordered(which) {
    var all = Object.keys(state.questions).map(function (id) { return state.questions[id]; });
    if (which === "new") {
      return all.filter(function (q) { return q.status === "open"; }).sort(function (a, b) { return b.id - a.id; });
    }
    if (which === "answered") {
      return all.filter(function (q) { return q.status === "answered"; }).sort(function (a, b) {
        return (b.answered_at || "").localeCompare(a.answered_at || "") || (b.id - a.id);
      });
    }
    var seen = {};
    var out = [];
    state.top.forEach(function (id) {
      var q = state.questions[id];
      if (q && !seen[id]) { out.push(q); seen[id] = true; }
    });
    return out.concat(all.filter(function (q) {
      return !seen[q.id] && q.status === "open" && !q.pinned;
    }).sort(byVotes));
  }

  function find(predicate) {
    var ids = Object.keys(state.questions);
    for (var i = 0; i < ids.length; i++) {
      if (predicate(state.questions[ids[i]])) { return state.questions[ids[i]]; }
    }
    return null;
  }

  // --- building questions --------------------------------------------------------------------------
  // The markup follows templates/live/_live_macros.html, so a page kept current by this script
  // looks and reads like the page the server renders.

  function isMine(q) { return !!state.mine[q.id]; }
  function isLive() { return state.session && state.session.state === "live"; }

  // A time as the page shows it: the server writes it (item.shown[name], the council's clock, GMT or BST,
  // as debate/services/council_time.py formats every page), so a live update reads exactly like a reload.
  function when(item, name) {
    var t = make("time", null, (item.shown && item.shown[name]) || "");
    t.setAttribute("datetime", item[name]);
    return t;
  }

  function votesText(n) { return n + " vote" + (n === 1 ? "" : "s"); }

  function statusTag(q) {
    if (q.status === "answering") { return make("span", "tag tag-live", "Answering now"); }
    if (q.status === "answered") { return make("span", "tag tag-answered", "Answered"); }
    if (q.status === "awaiting") { return make("span", "tag tag-held", "Awaiting a written answer"); }
    if (q.pinned) { return make("span", "tag tag-next", "Next up"); }
    if (q.status === "open" && q.taken_at) { return make("span", "tag", "Taken up, then put back"); }
    return null;
  }

  // Why a question went ahead of the published order (as the page's out_of_order macro says it).
  function outOfOrder(q) {
    var why = q.out_of_order;
    if (!why) { return null; }
    var p = make("p", "out-of-order", (q.taken_at ? "Taken" : "Pinned") + " ahead of the published order: " + why.label + ".");
    if (why.note) {
      p.appendChild(document.createTextNode(" "));
      var note = make("span", null, "“" + why.note + "”");
      note.dir = "auto";
      p.appendChild(note);
    }
    return p;
  }

  function signature(q) {
    return JSON.stringify([q, !!state.myVotes[q.id], isMine(q), state.roles, projector, state.session.state]);
  }

  function actionForm(q, verb, live, className) {
    var form = make("form", className || "inline-form");
    form.method = "post";
    form.action = questionUrl(q.id, verb);
    form.setAttribute("data-live", live);
    form.setAttribute("data-question-id", String(q.id));
    form.appendChild(csrfInput());
    form.appendChild(hidden("sort", sort));
    return form;
  }

  function submitButton(label, className, hiddenLabel) {
    var b = make("button", className || "button button-small", label);
    b.type = "submit";
    if (hiddenLabel) { b.appendChild(make("span", "visually-hidden", hiddenLabel)); }
    return b;
  }

  function labelled(form, id, text, hint) {
    var label = make("label", null, text);
    label.htmlFor = id;
    if (hint) { label.appendChild(document.createTextNode(" ")); label.appendChild(make("span", "muted", hint)); }
    form.appendChild(label);
  }

  function voteControl(q) {
    var open = (q.status === "open" || q.status === "answering") && isLive();
    var roles = state.roles || {};
    if (projector || !(open && roles.can_vote && !isMine(q))) {
      var span = make("span", "question-votes");
      span.appendChild(make("span", "vote-count", q.votes));
      span.appendChild(document.createTextNode(q.votes === 1 ? " vote" : " votes"));
      return span;
    }
    var voted = !!state.myVotes[q.id];
    var form = actionForm(q, "vote", voted ? "live:unvote" : "live:vote", "vote-form inline-form");
    form.appendChild(hidden("action", voted ? "unvote" : "vote"));
    var b = make("button", "vote-button");
    b.type = "submit";
    b.setAttribute("aria-pressed", voted ? "true" : "false");
    b.setAttribute("aria-label", "Vote for this question (" + votesText(q.votes) + ")");
    var arrow = make("span", null, "▲");
    arrow.setAttribute("aria-hidden", "true");
    b.appendChild(arrow);
    b.appendChild(document.createTextNode(" Vote "));
    b.appendChild(make("span", "vote-count", q.votes));
    form.appendChild(b);
    return form;
  }

  function panelActions(q, prefix, box) {
    var roles = state.roles || {};
    if (roles.answer && isLive()) {
      if (q.status === "open") {
        var take = actionForm(q, "answering", "live:answering");
        take.appendChild(submitButton("Answer this now"));
        box.appendChild(take);
      }
      if (q.status === "answering") {
        var form = actionForm(q, "answer", "live:answer", "answer-form");
        var id = prefix + "-answer-" + q.id;
        labelled(form, id, "Written answer", "(optional, Markdown)");
        var area = make("textarea");
        area.id = id; area.name = "answer"; area.rows = 3; limitTo(area, "answer");
        form.appendChild(area);
        form.appendChild(submitButton("Mark answered"));
        box.appendChild(form);
      }
      if (q.status === "answering" || q.status === "answered") {
        var reopen = actionForm(q, "reopen", "live:reopen");
        reopen.appendChild(submitButton("Reopen", "button button-secondary button-small"));
        box.appendChild(reopen);
      }
    } else if (roles.panel && q.status === "awaiting") {
      var written = actionForm(q, "answer", "live:answer", "answer-form");
      var wid = prefix + "-answer-" + q.id;
      labelled(written, wid, "Written answer", "(Markdown)");
      var text = make("textarea");
      text.id = wid; text.name = "answer"; text.rows = 4; limitTo(text, "answer"); text.required = true;
      written.appendChild(text);
      written.appendChild(submitButton("Publish the written answer"));
      box.appendChild(written);
    }
  }

  // A field's limit as the server stated it on the room (data-max-chars-*), in characters as people see
  // them: charcount.js counts it, as on the server-rendered forms. Never maxlength, which counts UTF-16
  // units and would cut an emoji in half.
  function limitTo(field, kind) {
    var limit = room.dataset["maxChars" + kind.charAt(0).toUpperCase() + kind.slice(1)];
    if (limit) { field.dataset.maxChars = limit; }
  }

  function rejectForm(q, prefix, label) {
    var form = actionForm(q, "reject", "live:reject", "mod-form");
    var sid = prefix + "-category-" + q.id;
    labelled(form, sid, "Reason (the asker sees it)");
    var select = make("select");
    select.id = sid; select.name = "category"; select.required = true;
    var blank = make("option", null, "Choose a reason");
    blank.value = "";
    select.appendChild(blank);
    categories.forEach(function (pair) {
      var option = make("option", null, pair[1]);
      option.value = pair[0];
      select.appendChild(option);
    });
    form.appendChild(select);
    var nid = prefix + "-note-" + q.id;
    labelled(form, nid, "Note to the asker", "(optional)");
    var note = make("input");
    note.type = "text"; note.id = nid; note.name = "note"; limitTo(note, "note");
    form.appendChild(note);
    form.appendChild(submitButton(label, "button button-danger button-small"));
    return form;
  }

  function fixForm(q, prefix) {
    var form = actionForm(q, "fix", "live:fix", "mod-form");
    var tid = prefix + "-text-" + q.id;
    labelled(form, tid, "Corrected question");
    var area = make("textarea");
    area.id = tid; area.name = "text"; area.rows = 3; limitTo(area, "question"); area.required = true; area.value = q.body || "";
    form.appendChild(area);
    var nid = prefix + "-fixnote-" + q.id;
    labelled(form, nid, "What you changed and why (required)");
    var note = make("input");
    note.type = "text"; note.id = nid; note.name = "note"; limitTo(note, "note"); note.required = true;
    form.appendChild(note);
    form.appendChild(submitButton("Save the correction", "button button-secondary button-small"));
    return form;
  }

  function mergeForm(q, prefix) {
    var targets = Object.keys(state.questions).map(function (id) { return state.questions[id]; })
      .filter(function (t) { return t.id !== q.id && t.status !== "answered" && t.status !== "merged"; })
      .sort(function (a, b) { return a.id - b.id; });
    if (!targets.length) { return null; }
    var form = actionForm(q, "merge", "live:merge", "mod-form");
    var sid = prefix + "-into-" + q.id;
    labelled(form, sid, "Merge into (a question asking the same thing)");
    var select = make("select");
    select.id = sid; select.name = "into_id"; select.required = true;
    targets.forEach(function (t) {
      var option = make("option", null, "#" + t.id + ": " + short(t.body || plainText(t.body_html), 80));
      option.value = String(t.id);
      select.appendChild(option);
    });
    form.appendChild(select);
    form.appendChild(submitButton("Merge", "button button-secondary button-small"));
    return form;
  }

  function moderatorActions(q, prefix, box) {
    if (!(state.roles || {}).moderator) { return; }
    if (isLive() && q.status === "open") {
      var pin = actionForm(q, "pin", "live:pin");
      pin.appendChild(hidden("action", q.pinned ? "unpin" : "pin"));
      pin.setAttribute("data-pinned", q.pinned ? "0" : "1");
      pin.appendChild(submitButton(q.pinned ? "Unpin from next up" : "Pin as next up", "button button-secondary button-small"));
      box.appendChild(pin);
    }
    if (q.status !== "answered") {
      var details = make("details", "mod-tools");
      var summary = make("summary", null, "Moderate");
      summary.appendChild(make("span", "visually-hidden", " question " + q.id));
      details.appendChild(summary);
      details.appendChild(fixForm(q, prefix));
      var merge = mergeForm(q, prefix);
      if (merge) { details.appendChild(merge); }
      details.appendChild(rejectForm(q, prefix, "Remove from the room"));
      box.appendChild(details);
    }
  }

  function questionBody(q, prefix, into) {
    into.appendChild(html("div", "post-body question-body", q.body_html));
    var meta = make("p", "post-meta");
    meta.appendChild(document.createTextNode("Asked by "));
    meta.appendChild(make("span", "author", q.author));
    if (isMine(q)) { meta.appendChild(document.createTextNode(" (you)")); }
    if (q.created_at) {
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(when(q, "created_at"));
    }
    var tag = statusTag(q);
    if (tag) { meta.appendChild(document.createTextNode(" ")); meta.appendChild(tag); }
    into.appendChild(meta);
    if (q.edited_by_moderator) { into.appendChild(make("p", "question-edited muted", "Edited by a moderator")); }
    var skipped = outOfOrder(q);
    if (skipped) { into.appendChild(skipped); }
    if (q.status === "answered") {
      var answer = make("div", "answer");
      var line = make("p", "answer-meta", "Answered " + (q.answered_live ? "live" : "in writing"));
      if (q.answered_by) {
        line.appendChild(document.createTextNode(" by "));
        line.appendChild(make("span", "author", q.answered_by));
      }
      if (q.answered_at) { line.appendChild(document.createTextNode(", ")); line.appendChild(when(q, "answered_at")); }
      answer.appendChild(line);
      if (q.answer_html) { answer.appendChild(html("div", "post-body answer-body", q.answer_html)); }
      into.appendChild(answer);
    }
    var actions = make("div", "question-actions");
    actions.appendChild(voteControl(q));
    if (!projector) {
      var roles = state.roles || {};
      if (roles.can_flag && !isMine(q)) {
        var flag = make("a", "flag-link", "Flag");
        flag.href = "/flag/question/" + q.id;
        flag.appendChild(make("span", "visually-hidden", " this question for moderators"));
        actions.appendChild(flag);
      }
      panelActions(q, prefix, actions);
      moderatorActions(q, prefix, actions);
    }
    into.appendChild(actions);
  }

  function buildQuestion(q) {
    var li = make("li", "question");
    li.id = "q" + q.id;
    li.tabIndex = -1;
    li.setAttribute("data-question-id", String(q.id));
    li.setAttribute("data-votes", String(q.votes));
    li.setAttribute("data-status", q.status);
    if (q.pinned) { li.classList.add("is-pinned"); }
    if (isMine(q)) { li.classList.add("is-mine"); }
    questionBody(q, "list", li);
    return li;
  }

  // A question in the "answering now" or "next up" box; it takes the id q<id> when the list does not show it.
  function buildFeatured(q, prefix, listed) {
    var article = make("article", "question question-featured");
    if (!listed) { article.id = "q" + q.id; article.tabIndex = -1; }
    article.setAttribute("data-question-id", String(q.id));
    article.setAttribute("data-votes", String(q.votes));
    article.setAttribute("data-status", q.status);
    questionBody(q, prefix, article);
    return article;
  }

  // --- rendering -----------------------------------------------------------------------------------

  function focusKey() {
    var active = document.activeElement;
    if (!active || active === document.body || !room.contains(active)) { return null; }
    var form = active.closest("form[data-live]");
    if (form) {
      return { form: form.getAttribute("data-live").replace("live:unvote", "live:vote"),
               id: form.getAttribute("data-question-id"), tag: active.tagName };
    }
    if (active.id) { return { id: active.id }; }
    return null;
  }

  function restoreFocus(key) {
    if (!key) { return; }
    var active = document.activeElement;
    if (active && active !== document.body && room.contains(active)) { return; }  // still in place
    var target = null;
    if (key.form) {
      Array.prototype.some.call(room.querySelectorAll('form[data-question-id="' + key.id + '"]'), function (f) {
        if (f.getAttribute("data-live").replace("live:unvote", "live:vote") !== key.form) { return false; }
        target = f.querySelector(key.tag === "TEXTAREA" ? "textarea" : "button");
        return !!target;
      });
      if (!target) { target = document.getElementById("q" + key.id); }
    } else if (key.id) {
      target = document.getElementById(key.id);
    }
    if (target) { target.focus({ preventScroll: true }); }
  }

  // Show or hide the "nothing here" paragraph that follows a list (the server renders one when empty).
  function emptyNote(list, empty, text) {
    var note = list.nextElementSibling;
    if (!note || !note.classList.contains("muted") || note.tagName !== "P") {
      if (!empty) { return; }
      note = make("p", "muted");
      list.parentNode.insertBefore(note, list.nextSibling);
    }
    if (text) { note.textContent = text; }
    note.hidden = !empty;
  }

  // Put `nodes` in `list` in this order; drop every other child.
  function placeAll(list, nodes) {
    var wanted = new Set(nodes);
    Array.prototype.slice.call(list.children).forEach(function (child) {
      if (!wanted.has(child)) { child.remove(); }
    });
    nodes.forEach(function (node, i) {
      if (list.children[i] !== node) { list.insertBefore(node, list.children[i] || null); }
    });
  }

  var topRule = room.querySelector(".live-rule") && sort === "top" ? room.querySelector(".live-rule").textContent : "";
  var RULES = {
    "new": "Newest first.",
    answered: "Answered questions, the latest answer first."
  };

  function tabList() {
    var all = Object.keys(state.questions).map(function (id) { return state.questions[id]; });
    if (sort === "new") { return all.sort(function (a, b) { return b.id - a.id; }); }
    return ordered(sort);
  }

  function renderQuestions() {
    var list = el.questions;
    if (!list || !state.full || projector) { return; }
    var items = tabList();
    var nodes = items.map(function (q) {
      var sig = signature(q);
      var entry = built[q.id];
      if (!entry || entry.sig !== sig) {
        entry = { sig: sig, node: buildQuestion(q) };
        built[q.id] = entry;
      }
      return entry.node;
    });
    placeAll(list, nodes);
    var more = document.getElementById("live-more");  // the page lists 50 at a time; here every question is listed
    if (more) { more.remove(); }
    Object.keys(built).forEach(function (id) { if (!state.questions[id]) { delete built[id]; } });
    var emptyText = sort === "answered" ? "No question has been answered yet."
      : state.session.state === "ended" ? "No open questions: the session is over." : "No questions yet.";
    var empty = document.getElementById("live-questions-empty");
    if (!empty && !nodes.length) {
      empty = make("p", "muted");
      empty.id = "live-questions-empty";
      list.parentNode.insertBefore(empty, list.nextSibling);
    }
    if (empty) { empty.textContent = emptyText; empty.hidden = nodes.length > 0; }
    var rule = room.querySelector(".live-rule");
    if (rule) { rule.textContent = sort === "top" ? (topRule || rule.textContent) : RULES[sort]; }
    room.dataset.sort = sort;
  }

  function listedIds() {
    var ids = {};
    if (el.questions) {
      Array.prototype.forEach.call(el.questions.children, function (li) { ids[li.getAttribute("data-question-id")] = true; });
    }
    return ids;
  }

  // "Answering now" and "Next up" in the room: the box keeps its heading; the rest is rebuilt when it changed.
  function fillBox(box, questions, prefix, emptyText) {
    if (!box) { return; }
    var listed = listedIds();
    var sig = JSON.stringify(questions.map(function (q) { return [signature(q), !!listed[q.id]]; }));
    if (box.getAttribute("data-sig") === sig) { return; }
    box.setAttribute("data-sig", sig);
    var heading = box.querySelector("h2");
    Array.prototype.slice.call(box.children).forEach(function (child) { if (child !== heading) { child.remove(); } });
    if (!questions.length) { box.appendChild(make("p", "muted", emptyText)); }
    questions.forEach(function (q) { box.appendChild(buildFeatured(q, prefix, !!listed[q.id])); });
  }

  function all(predicate) {
    return Object.keys(state.questions).map(function (id) { return state.questions[id]; }).filter(predicate);
  }

  function renderBoxes() {
    if (!state.full || projector) { return; }
    fillBox(el.answering, all(function (q) { return q.status === "answering"; }), "now", "Nothing is being answered right now.");
    fillBox(el.next, all(function (q) { return q.pinned; }), "next", "No question is pinned as next up.");
  }

  // The projector: what is being answered, then the next five (pinned first, then the fair order).
  function renderProjector() {
    if (!projector || !state.full) { return; }
    var now = all(function (q) { return q.status === "answering"; });
    var box = el.answering;
    if (box) {
      var sig = JSON.stringify(now);
      if (box.getAttribute("data-sig") !== sig) {
        box.setAttribute("data-sig", sig);
        var heading = box.querySelector("h2");
        Array.prototype.slice.call(box.children).forEach(function (child) { if (child !== heading) { child.remove(); } });
        if (!now.length) { box.appendChild(make("p", "projector-empty", "Waiting for the next question.")); }
        now.forEach(function (q) {
          var div = make("div", "projector-question question");
          div.id = "q" + q.id;
          div.setAttribute("data-question-id", String(q.id));
          div.setAttribute("data-votes", String(q.votes));
          div.setAttribute("data-status", q.status);
          div.appendChild(html("div", "projector-body", q.body_html));
          var meta = make("p", "projector-meta", q.author + " · ");
          meta.appendChild(make("span", "vote-count", q.votes));
          meta.appendChild(document.createTextNode(q.votes === 1 ? " vote" : " votes"));
          div.appendChild(meta);
          box.appendChild(div);
        });
      }
    }
    var list = el.next;
    if (list) {
      var pinned = all(function (q) { return q.pinned; });
      var next = pinned.concat(ordered("top").filter(function (q) { return !q.pinned; })).slice(0, PROJECTOR_TOP);
      placeAll(list, next.map(function (q) {
        var li = make("li", "question");
        li.id = "q" + q.id;
        li.setAttribute("data-question-id", String(q.id));
        li.setAttribute("data-votes", String(q.votes));
        li.setAttribute("data-status", q.status);
        if (q.pinned) { li.appendChild(make("span", "tag tag-next", "Next up")); li.appendChild(document.createTextNode(" ")); }
        li.appendChild(make("span", "projector-next-body", short(q.body || plainText(q.body_html), 200)));
        li.appendChild(document.createTextNode(" "));
        var votes = make("span", "projector-votes");
        votes.appendChild(make("span", "vote-count", q.votes));
        votes.appendChild(document.createTextNode(q.votes === 1 ? " vote" : " votes"));
        li.appendChild(votes);
        return li;
      }));
      var note = list.nextElementSibling;
      if (!note && !next.length) { note = make("p", "projector-empty", "No more questions yet."); list.parentNode.appendChild(note); }
      if (note && note.classList.contains("projector-empty")) { note.hidden = next.length > 0; }
    }
  }

  var TALLY_PARTS = [["open", "open"], ["answered", "answered"], ["awaiting_answer", "awaiting a written answer"],
    ["awaiting_review", "awaiting review"], ["rejected", "rejected"], ["hidden", "hidden"],
    ["withdrawn", "withdrawn"], ["merged", "merged"]];

  // The same sentence as live_pages.tally_sentence: only the states some question is in are named.
  function tallySentence(t) {
    if (!t.asked) { return "No questions asked yet."; }
    var parts = TALLY_PARTS.filter(function (p) { return t[p[0]]; })
      .map(function (p) { return t[p[0]] + " " + p[1]; }).join(", ");
    return t.asked + (t.asked === 1 ? " question" : " questions") + " asked: " + parts + ".";
  }

  function renderTally() {
    var box = el.tally;
    var t = state.tally;
    if (!box || !t) { return; }
    var text = tallySentence(t);
    if (box.textContent !== text) { box.textContent = text; }
  }

  function renderParticipants() {
    var box = el.participants;
    if (!box || typeof state.participants !== "number") { return; }
    var n = state.participants;
    var slot = box.querySelector("[data-count]");
    if (!slot) { box.textContent = plural(n, "person", "people"); return; }
    if (slot.textContent === String(n)) { return; }
    slot.textContent = String(n);
    var rest = slot.nextSibling;
    if (rest && rest.nodeType === 3) {
      rest.textContent = rest.textContent.replace(/^\s*(person|people)\b/, " " + (n === 1 ? "person" : "people"));
    }
  }

  function renderChat() {
    var list = el.chat;
    if (!list || !state.full) { return; }
    var roles = state.roles || {};
    placeAll(list, state.chat.map(function (m) {
      var node = document.getElementById("chat-" + m.id);
      if (node && node.getAttribute("data-live-built") === "1") { return node; }
      var li = make("li", "chat-message");
      li.id = "chat-" + m.id;
      li.setAttribute("data-chat-id", String(m.id));
      li.setAttribute("data-live-built", "1");
      var meta = make("p", "post-meta");
      meta.appendChild(make("span", "author", m.author));
      if (m.verified) { meta.appendChild(document.createTextNode(" ")); meta.appendChild(make("span", "badge badge-verified", "✔ Verified")); }
      if (m.created_at) { meta.appendChild(document.createTextNode(" · ")); meta.appendChild(when(m, "created_at")); }
      if (roles.can_flag) {
        var flag = make("a", "flag-link", "Flag");
        flag.href = "/flag/chat/" + m.id;
        flag.appendChild(make("span", "visually-hidden", " this message for moderators"));
        meta.appendChild(document.createTextNode(" "));
        meta.appendChild(flag);
      }
      li.appendChild(meta);
      li.appendChild(html("div", "post-body", m.body_html));
      return li;
    }));
    emptyNote(list, state.chat.length === 0, "No messages yet.");
  }

  function renderAnnouncements() {
    var list = el.announcements;
    if (!list || !state.full || projector) { return; }
    var latest = state.announcements.slice().reverse();
    placeAll(list, latest.map(function (a) {
      var node = document.getElementById("announcement-" + a.id);
      if (node) { return node; }
      node = make("li", "announcement is-new");
      node.id = "announcement-" + a.id;
      node.appendChild(html("div", "post-body", a.body_html));
      var meta = make("p", "post-meta", a.author);
      if (a.created_at) { meta.appendChild(document.createTextNode(" · ")); meta.appendChild(when(a, "created_at")); }
      node.appendChild(meta);
      return node;
    }));
    emptyNote(list, latest.length === 0, "No announcements yet.");
  }

  function sectionList(box) {
    var list = box.querySelector("ul");
    if (!list) {
      list = make("ul", "question-list");
      var heading = box.querySelector("h2");
      box.insertBefore(list, heading ? heading.nextSibling : box.firstChild);
    }
    return list;
  }

  function renderMine() {
    var box = el.mine;
    if (!box || projector) { return; }
    var ids = Object.keys(state.mine).map(Number).sort(function (a, b) { return b - a; });
    var list = sectionList(box);
    placeAll(list, ids.map(function (id) {
      var q = state.mine[id];
      var sig = JSON.stringify(q);
      var node = document.getElementById("mine-" + id);
      if (node && node.getAttribute("data-sig") === sig) { return node; }
      var li = make("li", "my-question");
      li.id = "mine-" + id;
      li.setAttribute("data-sig", sig);
      li.setAttribute("data-question-id", String(id));
      li.setAttribute("data-state", q.state || "");
      if (q.body_html) { li.appendChild(html("div", "post-body", q.body_html)); }
      else { li.appendChild(make("div", "post-body content-text", q.body)); }
      if (q.created_at || q.visible) {
        var meta = make("p", "post-meta");
        if (q.created_at) { meta.appendChild(when(q, "created_at")); }
        if (q.visible) { meta.appendChild(document.createTextNode((q.created_at ? " · " : "") + votesText(q.votes))); }
        li.appendChild(meta);
      }
      var text = q.review ? q.review : q.status === "answered" ? "Answered." : q.status === "awaiting" ? "Awaiting a written answer." : "Shown in the room.";
      li.appendChild(make("p", "review-status" + (q.review ? " notice" : ""), text));
      var gone = ["withdrawn", "removed", "hidden"].indexOf(q.state) >= 0 || q.status === "answered" || q.status === "merged";
      if (!gone) {
        var form = actionForm(q, "withdraw", "live:withdraw");
        form.appendChild(submitButton("Withdraw", "button button-secondary button-small", " this question"));
        li.appendChild(form);
      }
      return li;
    }));
    emptyNote(list, ids.length === 0, "You have not asked a question in this session.");
  }

  function renderPending() {
    var box = el.pending;
    if (!box || projector || state.pending === null) { return; }
    var ids = Object.keys(state.pending).map(Number).sort(function (a, b) { return a - b; });
    var list = sectionList(box);
    placeAll(list, ids.map(function (id) {
      var q = state.pending[id];
      var node = document.getElementById("pending-" + id);
      if (node) { return node; }  // a held question does not change while it waits
      var li = make("li", "pending-question is-new");
      li.id = "pending-" + id;
      li.setAttribute("data-question-id", String(id));
      li.appendChild(html("div", "post-body", q.body_html));
      var meta = make("p", "post-meta", "Asked by ");
      meta.appendChild(make("span", "author", q.author));
      if (q.anonymous) { meta.appendChild(document.createTextNode(" (asked anonymously: the room will see “Anonymous”)")); }
      if (q.created_at) { meta.appendChild(document.createTextNode(" · ")); meta.appendChild(when(q, "created_at")); }
      li.appendChild(meta);
      if (q.reason) { li.appendChild(make("p", "queue-reason", "Held because: " + q.reason)); }
      var approve = actionForm(q, "approve", "live:approve");
      approve.appendChild(submitButton("Approve", "button button-small", " question " + id));
      li.appendChild(approve);
      var details = make("details", "mod-tools");
      var summary = make("summary", null, "Reject, correct or merge");
      summary.appendChild(make("span", "visually-hidden", " question " + id));
      details.appendChild(summary);
      details.appendChild(rejectForm(q, "pending", "Reject"));
      details.appendChild(fixForm(q, "pending"));
      var merge = mergeForm(q, "pending");
      if (merge) { details.appendChild(merge); }
      li.appendChild(details);
      return li;
    }));
    emptyNote(list, ids.length === 0, "No questions are waiting for review.");
    var count = box.querySelector("h2 .muted");
    if (count) { count.textContent = "(" + ids.length + ")"; }
  }

  function renderTabs() {
    Array.prototype.forEach.call(room.querySelectorAll("a[data-sort]"), function (a) {
      if (a.getAttribute("data-sort") === sort) { a.setAttribute("aria-current", "true"); }
      else { a.removeAttribute("aria-current"); }
    });
  }

  var renderTimer = null;
  function render() {
    if (renderTimer) { return; }
    renderTimer = window.setTimeout(function () {
      renderTimer = null;
      var key = focusKey();
      renderQuestions();
      renderBoxes();
      renderProjector();
      renderTally();
      renderParticipants();
      renderChat();
      renderAnnouncements();
      renderMine();
      renderPending();
      renderTabs();
      restoreFocus(key);
      room.dataset.seq = String(state.seq);
    }, 0);
  }

  // --- the socket ------------------------------------------------------------------------------------

  var socket = window.io("/", { transports: ["websocket", "polling"] });

  function join() {
    if (joining) { rejoinWanted = true; return; }
    joining = true;
    var payload = { session_id: sessionId };
    // The first join takes a snapshot (sorting tabs in the page needs every question); later
    // joins (a reconnect, a gap) ask only for what came after the last event seen.
    if (state.full) { payload.last_seq = state.seq; }
    socket.emit("live:join", payload, function (ack) {
      joining = false;
      if (!ack || !ack.ok) {
        setLive(false);
        connection(ack && ack.error ? ack.error.message : "Live updates are unavailable: the page still works.");
        return;
      }
      var data = ack.data || {};
      var wasJoined = joined;
      joined = false;  // catching up is not narrated
      if (data.snapshot) {
        applySnapshot(data.snapshot);
      } else if (data.events) {
        data.events.forEach(function (event) {
          if (event.seq > state.seq) { applyEvent(event); state.seq = event.seq; }
        });
      }
      if (typeof data.seq === "number" && data.snapshot) { state.seq = data.seq; }
      applyPersonal(data);
      joined = true;
      setLive(true);
      connection("Live: this page updates by itself.");
      var waiting = buffered;
      buffered = [];
      waiting.sort(function (a, b) { return a.seq - b.seq; }).forEach(receive);
      if (checkReload()) { return; }
      render();
      if (rejoinWanted) { rejoinWanted = false; join(); }
    });
  }

  function checkReload() {
    var now = state.session && state.session.state;
    if (pageState && now && now !== pageState) {
      pageState = now;
      window.location.reload();
      return true;
    }
    return false;
  }

  function receive(event) {
    if (!event || event.session_id !== sessionId) { return; }
    if (joining || !joined) { buffered.push(event); return; }
    if (event.seq <= state.seq) { return; }
    if (event.seq > state.seq + 1) {
      buffered.push(event);
      join();  // a gap: ask for what was missed
      return;
    }
    applyEvent(event);
    state.seq = event.seq;
    if (event.kind === "session" && checkReload()) { return; }
    render();
  }

  socket.on("connect", function () { join(); });
  socket.on("disconnect", function () {
    setLive(false);
    joined = false;
    connection("Live updates paused: reconnecting…");
  });
  socket.on("connect_error", function () {
    setLive(false);
    connection("Live updates unavailable: the page still works (reload it to see new questions).");
  });
  socket.on("live:event", receive);
  socket.on("live:presence", function (data) {
    if (!data || data.session_id !== sessionId) { return; }
    state.participants = data.count;
    renderParticipants();
  });
  socket.on("live:pending", function (data) {
    if (!data || data.session_id !== sessionId || !data.question || state.pending === null) { return; }
    var known = !!state.pending[data.question.id];
    state.pending[data.question.id] = data.question;
    if (!known) { say("A question is waiting for review."); }
    render();
  });
  socket.on("live:pending_removed", function (data) {
    if (!data || data.session_id !== sessionId || state.pending === null) { return; }
    delete state.pending[data.question_id];
    render();
  });
  socket.on("live:mine", function (data) {
    if (!data || data.session_id !== sessionId || !data.question) { return; }
    var q = data.question;
    var before = state.mine[q.id];
    state.mine[q.id] = q;
    if (before && before.state !== q.state) {
      if (before.state === "held" && q.visible) { say("Your question was approved: everyone can see it now."); }
      else if (q.review) { say(q.review); }
    }
    render();
  });
  socket.on("account:signed_out", function () { socket.disconnect(); });

  // --- tabs ------------------------------------------------------------------------------------------

  room.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-sort]");
    if (!link || !state.full || !el.questions) { return; }
    var wanted = link.getAttribute("data-sort");
    if (SORTS.indexOf(wanted) < 0) { return; }
    event.preventDefault();
    sort = wanted;
    var url = new URL(window.location.href);
    url.searchParams.set("sort", sort);
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    built = {};
    render();
    say({ top: "Showing the top questions.", "new": "Showing the newest questions.", answered: "Showing answered questions." }[sort]);
  });

  // --- forms through the socket ------------------------------------------------------------------------

  function errorBox(form) {
    var box = form.querySelector(".live-form-error");
    if (!box) {
      box = make("p", "live-form-error field-message");
      box.setAttribute("role", "alert");
      form.insertBefore(box, form.firstChild);
    }
    return box;
  }

  function clearError(form) {
    var box = form.querySelector(".live-form-error");
    if (box) { box.textContent = ""; }
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (f) { f.removeAttribute("aria-invalid"); });
  }

  function showError(form, error) {
    var box = errorBox(form);
    box.textContent = error && error.message ? error.message : "That did not work. Try again.";
    if (error && error.field) {
      var field = form.querySelector('[name="' + error.field + '"]');
      if (field) { field.setAttribute("aria-invalid", "true"); }
    }
  }

  var TAKE_FIELDS = ["previous", "reason", "note"];

  function send(form, name, payload, done) {
    // Busy, not disabled: disabling the focused button would drop keyboard focus.
    if (form.getAttribute("aria-busy") === "true") { return; }
    form.setAttribute("aria-busy", "true");
    clearError(form);
    var finished = false;
    var timer = window.setTimeout(function () {
      if (finished) { return; }
      finished = true;
      form.removeAttribute("aria-busy");
      showError(form, { message: "No answer from the server. Check your connection and try again." });
    }, 15000);
    socket.emit(name, payload, function (ack) {
      if (finished) { return; }
      finished = true;
      window.clearTimeout(timer);
      form.removeAttribute("aria-busy");
      if (ack && ack.ok) {
        if (done) { done(ack.data || {}); }
      } else if (ack && ack.error && TAKE_FIELDS.indexOf(ack.error.field) >= 0 && /^live:(answering|pin)$/.test(name)) {
        form.submit();  // the page that asks (no submit event: the ordinary post)
      } else {
        showError(form, ack && ack.error);
      }
    });
  }

  function field(form, name) {
    var input = form.querySelector('[name="' + name + '"]');
    return input ? input.value : "";
  }

  function onAsk(form) {
    var keyInput = form.querySelector('[name="key"], [name="submission_key"]');
    if (keyInput && !keyInput.value) { keyInput.value = newKey(); }
    var anonymous = form.querySelector('[name="anonymous"]');
    var payload = { session_id: sessionId, body: field(form, "body") };
    if (anonymous && anonymous.checked) { payload.anonymous = true; }
    payload.key = keyInput ? keyInput.value : newKey();
    send(form, "live:ask", payload, function (data) {
      var q = data.question || data;
      if (q && q.id) {
        state.mine[q.id] = q;
        render();
      }
      form.reset();
      if (keyInput) { keyInput.value = newKey(); }
      var held = q && q.state === "held";
      say(held ? "Your question is sent. It is awaiting review by a moderator." : "Your question is sent and shown in the room.");
    });
  }

  function onChat(form) {
    send(form, "live:chat", { session_id: sessionId, body: field(form, "body") }, function () {
      form.reset();
      var box = form.querySelector("textarea, input[name=body]");
      if (box) { box.focus(); }
    });
  }

  function onQuestionForm(form, live) {
    var id = parseInt(form.getAttribute("data-question-id"), 10);
    var payload = { question_id: id };
    if (live === "live:pin") { payload.pinned = field(form, "action") !== "unpin"; }
    if (live === "live:fix") { payload.text = field(form, "text"); payload.note = field(form, "note"); }
    if (live === "live:merge") { payload.into_id = parseInt(field(form, "into_id"), 10); }
    if (live === "live:reject") {
      payload.category = field(form, "category");
      var note = field(form, "note");
      if (note) { payload.note = note; }
    }
    if (live === "live:answer") {
      var text = field(form, "answer");
      if (text) { payload.text = text; }
    }
    if (live === "live:answering" || live === "live:pin") {
      // Asked for on the server's own page (what became of the question being answered, why this one goes
      // ahead of the published order): the socket's refusal says so, and the form then goes there.
      ["previous", "reason", "note"].forEach(function (name) { var v = field(form, name); if (v) { payload[name] = v; } });
    }
    send(form, live, payload, function () {
      if (live === "live:vote") { state.myVotes[id] = true; say("Your vote is counted."); }
      if (live === "live:unvote") { delete state.myVotes[id]; say("Your vote is taken back."); }
      if (live === "live:approve" || live === "live:reject") {
        if (state.pending) { delete state.pending[id]; }
        say(live === "live:approve" ? "Question approved." : "Question rejected; the asker is told why.");
      }
      if (live === "live:withdraw") { say("Your question is withdrawn."); }
      render();
    });
  }

  room.addEventListener("submit", function (event) {
    var form = event.target;
    if (!socket.connected || !joined || projector) { return; }  // the ordinary form post still works
    var live = form.getAttribute("data-live");
    if (form === el.askForm || form.id === "ask-form") { event.preventDefault(); onAsk(form); return; }
    if (form === el.chatForm || form.id === "chat-form") { event.preventDefault(); onChat(form); return; }
    if (/\/announcements$/.test(form.getAttribute("action") || "")) {
      event.preventDefault();
      send(form, "live:announce", { session_id: sessionId, body: field(form, "body") }, function () { form.reset(); });
      return;
    }
    if (!live && form.classList.contains("vote-form")) {  // a server-rendered vote form, before the first render
      var item = form.closest("[data-question-id]");
      if (!item) { return; }
      form.setAttribute("data-question-id", item.getAttribute("data-question-id"));
      live = field(form, "action") === "unvote" ? "live:unvote" : "live:vote";
    }
    if (live && /^live:(vote|unvote|withdraw|approve|reject|fix|merge|pin|answering|answer|reopen)$/.test(live)) {
      event.preventDefault();
      onQuestionForm(form, live);
    }
  });

  // Forms outside #live-room (e.g. a chat aside) are listened to as well.
  [el.askForm, el.chatForm].forEach(function (form) {
    if (form && !room.contains(form)) {
      form.addEventListener("submit", function (event) {
        if (!socket.connected || !joined) { return; }
        event.preventDefault();
        if (form === el.askForm) { onAsk(form); } else { onChat(form); }
      });
    }
  });

  // --- the countdown (scheduled sessions) ------------------------------------------------------------

  function startCountdown() {
    var box = el.countdown;
    if (!box) { return; }
    var time = box.querySelector("time[datetime]");
    if (!time) { return; }
    var at = Date.parse(time.getAttribute("datetime"));
    if (isNaN(at)) { return; }
    var out = box.querySelector("[data-countdown]");
    if (!out) {
      out = make("span", "countdown-remaining");
      out.setAttribute("data-countdown", "");
      box.appendChild(document.createTextNode(" "));
      box.appendChild(out);
    }
    function two(n) { return (n < 10 ? "0" : "") + n; }
    function tick() {
      var left = Math.round((at - Date.now()) / 1000);
      if (left <= 0) {
        out.textContent = "(starting soon: the page will update when the host starts the session)";
        window.clearInterval(timer);
        return;
      }
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
      var text = d > 0 ? plural(d, "day", "days") + " " + h + " h " + two(m) + " min"
        : h > 0 ? h + " h " + two(m) + " min " + two(s) + " s"
        : m + " min " + two(s) + " s";
      out.textContent = "(in " + text + ")";
    }
    var timer = window.setInterval(tick, 1000);
    tick();
  }
  if (pageState === "scheduled") { startCountdown(); }
})();
