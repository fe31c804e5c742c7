// The live room's state, and nothing else: no DOM, no socket. It runs in the browser (an ES module)
// and under Node (tests/js/live_state.test.mjs).
//
// What it owns:
// - applying what the server sends: the join's answer (a snapshot, or the events missed), numbered
//   "live:event"s, and what only this reader gets (their roles, votes and own questions; held questions
//   and the questions with moderators' tools for the staff);
// - catching up by sequence number: an event already seen is dropped, an event that arrives while joining
//   waits, and a gap asks for a re-join from the last number seen (the server answers with what was missed,
//   or a snapshot);
// - the lists in the order the server sent (`orders`): nothing here sorts or filters by a rule of its own;
// - which fragment (the server's HTML) shows a question to this reader, and what to tell them (`said`).
//
// Every event carries the full state of what it is about, so applying one twice is harmless.

export const LISTS = ["top", "new", "answered", "answering", "next_up", "projector"];

// What the state says is in words: the page passes window.cgI18n.gettext (the page's language); under Node,
// and when none is given, the English message with its %(name)s placeholders filled in.
export function english(msgid, params) {
  return msgid.replace(/%\(([a-z_]+)\)s/g, (whole, name) =>
    params && Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function createState(options) {
  const opts = options || {};
  return {
    sessionId: opts.sessionId,
    seq: opts.seq || 0,
    full: false, // a snapshot has been applied: the state holds every question the room shows
    joining: false,
    joined: false,
    buffered: [], // events that came while joining, or after a gap
    session: { id: opts.sessionId, state: opts.sessionState || "" },
    questions: {}, // id -> the question as everyone sees it, with its fragments (`html`) and the seq it came with
    orders: Object.fromEntries(LISTS.map((name) => [name, []])),
    tally: null,
    tallyText: null,
    orderRule: null, // the published order in use ({ key, rule, name, label, text }), as the server names it
    chat: [], // oldest first, at most `chatKept`
    chatKept: opts.chatKept || 50,
    announcements: [], // oldest first
    roles: {},
    myVotes: {},
    mine: {}, // id -> the reader's own question (with its review and fragment)
    ownChat: {}, // ids of chat messages this reader sent from this page
    pending: null, // id -> held question (moderators), or null for everyone else
    staff: {}, // id -> { seq, html }: the question with moderators' tools (moderators only)
    mergeTargetsHtml: null,
    participants: null,
    polls: {}, // id -> the poll as everyone sees it (`html`: room, results, projector), open and closed ones
    pollStaff: {}, // id -> the results as those who run the session see them (hidden ones too)
    pollTools: {}, // id -> the host's and moderators' buttons for a poll opened or closed while here
    toText: opts.toText || plain,
    gettext: opts.gettext || english,
  };
}

// --- text -----------------------------------------------------------------------------------

export function short(text, limit) {
  const clean = (text || "").replace(/\s+/g, " ").trim();
  const most = limit || 120;
  return clean.length > most ? clean.slice(0, most - 1) + "…" : clean;
}

// --- joining and catching up ----------------------------------------------------------------

// The "live:join" payload: the first join takes a snapshot; later ones (a reconnect, a gap) ask only for
// what came after the last event seen.
export function joinRequest(state) {
  state.joining = true;
  const payload = { session_id: state.sessionId };
  if (state.full) {
    payload.last_seq = state.seq;
  }
  return payload;
}

// The join's answer. Returns { ok, said, rejoin }: `rejoin` when a buffered event shows another gap.
export function applyJoin(state, ack) {
  state.joining = false;
  if (!ack || !ack.ok) {
    return { ok: false, said: [], rejoin: false };
  }
  const data = ack.data || {};
  state.joined = false; // catching up is not narrated
  if (data.snapshot) {
    applySnapshot(state, data.snapshot, data.seq);
  } else if (data.events) {
    data.events.forEach((event) => {
      if (event.seq > state.seq) {
        applyEvent(state, event);
        state.seq = event.seq;
      }
    });
  }
  applyPersonal(state, data.personal || {}, data.participants);
  state.joined = true;
  const waiting = state.buffered.sort((a, b) => a.seq - b.seq);
  state.buffered = [];
  const result = { ok: true, said: [], rejoin: false, applied: [] };
  waiting.forEach((event) => {
    const r = receive(state, event);
    result.said.push(...r.said);
    result.applied.push(...r.applied);
    result.rejoin = result.rejoin || r.rejoin;
  });
  return result;
}

// A numbered event. Returns { applied: [events], said: [texts], rejoin: true when a gap needs filling }.
export function receive(state, event) {
  const none = { applied: [], said: [], rejoin: false };
  if (!event || event.session_id !== state.sessionId) {
    return none;
  }
  if (state.joining || !state.joined) {
    state.buffered.push(event);
    return none;
  }
  if (event.seq <= state.seq) {
    return none; // seen already (a re-sent tail, or in the snapshot)
  }
  if (event.seq > state.seq + 1) {
    state.buffered.push(event);
    return { applied: [], said: [], rejoin: true };
  }
  const said = applyEvent(state, event);
  state.seq = event.seq;
  return { applied: [event], said, rejoin: false };
}

export function applySnapshot(state, snap, seq) {
  state.full = true;
  if (typeof seq === "number") {
    state.seq = seq;
  }
  if (snap.session) {
    state.session = snap.session;
  }
  state.questions = {};
  (snap.questions || []).forEach((q) => {
    if (q.visible !== false) {
      state.questions[q.id] = Object.assign({}, q, { seq: state.seq });
    }
  });
  setOrders(state, snap.orders, snap.top);
  state.orderRule = snap.order_rule || state.orderRule;
  state.tally = snap.tally || null;
  state.tallyText = snap.tally_text || null;
  state.chat = (snap.chat || []).filter((m) => m.visible !== false).slice(-state.chatKept);
  state.announcements = (snap.announcements || []).slice();
  state.polls = {};
  (snap.polls || []).forEach((p) => applyPoll(state, p));
}

// A poll opened or closed ("poll" events, the snapshot): the whole poll, replacing what was known.
export function applyPoll(state, poll) {
  if (poll && poll.id) {
    state.polls[poll.id] = Object.assign({}, poll, { html: Object.assign({}, poll.html) });
  }
}

// New results of polls answered since the last flush ("poll_results"): the counts and their markup only.
export function applyPollResults(state, changes) {
  (changes || []).forEach((change) => {
    const poll = state.polls[change.id];
    if (poll) {
      poll.results = change.results;
      poll.html = Object.assign({}, poll.html, change.html);
    }
  });
}

// The open polls and then the closed ones, as the room lists them (the server's `position` order).
export function pollIds(state, wanted) {
  return Object.values(state.polls)
    .filter((p) => !wanted || p.state === wanted)
    .sort((a, b) => (a.state === b.state ? a.position - b.position || a.id - b.id : a.state === "open" ? -1 : 1))
    .map((p) => p.id);
}

export function applyPersonal(state, mine, participants) {
  if (mine.roles) {
    state.roles = mine.roles;
  }
  if (mine.my_votes) {
    state.myVotes = {};
    mine.my_votes.forEach((id) => {
      state.myVotes[id] = true;
    });
  }
  if (mine.mine) {
    state.mine = {};
    mine.mine.forEach((q) => {
      state.mine[q.id] = q;
    });
  }
  if (mine.pending !== undefined) {
    state.pending = mine.pending === null ? null : {};
    (mine.pending || []).forEach((q) => {
      state.pending[q.id] = q;
    });
  }
  if (mine.staff) {
    applyStaff(state, mine.staff);
  }
  if (typeof participants === "number") {
    state.participants = participants;
  }
}

// The orders the server sent; an older event without `orders` still has the top list.
function setOrders(state, orders, top) {
  if (orders) {
    Object.keys(orders).forEach((name) => {
      state.orders[name] = orders[name].slice();
    });
  } else if (top) {
    state.orders.top = top.slice();
  }
}

// --- events ---------------------------------------------------------------------------------

// Apply one event; returns what to tell the reader (nothing while catching up).
export function applyEvent(state, event) {
  const data = event.data || {};
  const said = [];
  switch (event.kind) {
    case "session":
      if (data.session) {
        state.session = data.session;
      }
      break;
    case "questions":
      (data.questions || []).forEach((q) => {
        said.push(...upsertQuestion(state, q, event.seq));
      });
      setOrders(state, data.orders, data.top);
      if (data.tally) {
        state.tally = data.tally;
      }
      if (data.tally_text) {
        state.tallyText = data.tally_text;
      }
      break;
    case "votes":
      (data.votes || []).forEach(([id, count]) => {
        const q = state.questions[id];
        if (q) {
          q.votes = count;
        }
        if (state.mine[id]) {
          state.mine[id].votes = count;
        }
      });
      setOrders(state, data.orders, data.top);
      break;
    case "order": {
      // The room's order changed (the host chose another, or broad-support scores moved): the lists, and its name.
      const before = state.orderRule ? state.orderRule.key : null;
      setOrders(state, data.orders, data.top);
      if (data.order_rule) {
        state.orderRule = data.order_rule;
        if (before !== null && before !== data.order_rule.key && data.order_rule.label) {
          said.push(data.order_rule.label);
        }
      }
      break;
    }
    case "chat":
      if (data.message) {
        upsertChat(state, data.message);
      }
      break;
    case "poll":
      applyPoll(state, data.poll);
      break;
    case "poll_results":
      applyPollResults(state, data.polls);
      break;
    case "announcement":
      if (data.announcement && !state.announcements.some((a) => a.id === data.announcement.id)) {
        state.announcements.push(data.announcement);
        said.push(
          state.gettext("Announcement: %(text)s", { text: short(state.toText(data.announcement.body_html), 200) }),
        );
      }
      break;
    default:
      break;
  }
  return state.joined ? said : [];
}

// HTML to the words a screen reader says; the page sets a DOM-based one (this one serves Node).
function plain(html) {
  return (html || "").replace(/<[^>]*>/g, " ").replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
}

function upsertQuestion(state, q, seq) {
  const before = state.questions[q.id];
  if (q.visible === false || !q.html) {
    delete state.questions[q.id];
    return [];
  }
  state.questions[q.id] = Object.assign({}, q, { seq: seq });
  const text = short(q.body, 140);
  if (before && before.status === "answering" && q.status === "open") {
    return [state.gettext("Put back in the list, not answered: %(text)s", { text: text })];
  }
  if (q.status === "answering" && (!before || before.status !== "answering")) {
    return [state.gettext("Now answering: %(text)s", { text: text })];
  }
  if (q.status === "answered" && (!before || before.status !== "answered")) {
    return [
      q.answered_by
        ? state.gettext("%(name)s answered: %(text)s", { name: q.answered_by, text: text })
        : state.gettext("Answered: %(text)s", { text: text }),
    ];
  }
  if (q.pinned && (!before || !before.pinned)) {
    return [state.gettext("Next up: %(text)s", { text: text })];
  }
  if (!before && q.status === "open") {
    return [state.gettext("New question from %(name)s.", { name: q.author })];
  }
  return [];
}

function upsertChat(state, message) {
  state.chat = state.chat.filter((m) => m.id !== message.id);
  if (message.visible === false) {
    return;
  }
  state.chat.push(message);
  state.chat.sort((a, b) => a.id - b.id); // by id, as the page lists them (oldest first)
  if (state.chat.length > state.chatKept) {
    state.chat = state.chat.slice(-state.chatKept);
  }
}

// --- what only this reader gets ------------------------------------------------------------

// "live:mine": the asker's own question changed. Returns what to tell them.
export function applyMine(state, q) {
  const before = state.mine[q.id];
  state.mine[q.id] = q;
  if (before && before.state !== q.state) {
    if (before.state === "held" && q.visible) {
      return [state.gettext("Your question was approved: everyone can see it now.")];
    }
    if (q.review) {
      return [q.review];
    }
  }
  return [];
}

// "live:pending" (moderators): a question is held for review.
export function applyPending(state, q) {
  if (state.pending === null) {
    return [];
  }
  const known = !!state.pending[q.id];
  state.pending[q.id] = q;
  return known ? [] : ["A question is waiting for review."];
}

export function removePending(state, id) {
  if (state.pending !== null) {
    delete state.pending[id];
  }
}

// "live:staff" (moderators): the questions of an event with moderators' tools, numbered like that event.
export function applyStaff(state, message) {
  (message.questions || []).forEach((q) => {
    const known = state.staff[q.id];
    if (!known || known.seq <= message.seq) {
      state.staff[q.id] = { seq: message.seq, html: q.html };
    }
  });
  if (typeof message.merge_targets_html === "string") {
    state.mergeTargetsHtml = message.merge_targets_html;
  }
}

export function setVoted(state, id, voted) {
  if (voted) {
    state.myVotes[id] = true;
  } else {
    delete state.myVotes[id];
  }
}

// --- reading --------------------------------------------------------------------------------

// The ids of a list in the server's order ("top", "new", "answered", "answering", "next_up", "projector"),
// leaving out any the state does not hold (not shown to this reader).
export function listIds(state, name) {
  return (state.orders[name] || []).filter((id) => state.questions[id]);
}

// The server's markup of a question for this reader: `part` is "item", "featured" or "projector". The
// moderators' version when it is at least as new as the question's public state.
export function fragment(state, id, part) {
  const q = state.questions[id];
  if (!q) {
    return null;
  }
  const staff = state.staff[id];
  if (staff && staff.seq >= q.seq && staff.html && staff.html[part]) {
    return staff.html[part];
  }
  return (q.html && q.html[part]) || null;
}

// Ids of the reader's own questions and pending ones, newest first / oldest first as the page lists them.
export function mineIds(state) {
  return Object.keys(state.mine)
    .map(Number)
    .sort((a, b) => b - a);
}

export function pendingIds(state) {
  return state.pending === null
    ? []
    : Object.keys(state.pending)
        .map(Number)
        .sort((a, b) => a - b);
}

export function isOwn(state, id) {
  return !!state.mine[id];
}
