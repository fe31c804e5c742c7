// Unit tests of the live room's state (static/js/live/state.js): node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";

import * as live from "../../static/js/live/state.js";

const SESSION = 7;

function question(id, extra) {
  return Object.assign(
    { id, visible: true, body: "Question " + id, author: "Rita", votes: 0, status: "open", pinned: false,
      html: { item: "<li id=\"q" + id + "\">" + id + "</li>" } },
    extra || {},
  );
}

function event(seq, kind, data) {
  return { session_id: SESSION, seq, kind, data };
}

function joined(snapshot, seq, personal) {
  const state = live.createState({ sessionId: SESSION, seq: 0, sessionState: "live", chatKept: 3 });
  live.joinRequest(state);
  live.applyJoin(state, { ok: true, data: { seq, snapshot, personal: personal || {}, participants: 4 } });
  return state;
}

const snap = {
  session: { id: SESSION, state: "live" },
  questions: [question(1, { votes: 5 }), question(2, { votes: 1 }), question(3, { votes: 9 })],
  orders: { top: [2, 1, 3], new: [3, 2, 1], answered: [], answering: [], next_up: [], projector: [2, 1, 3] },
  tally: { asked: 3, open: 3 },
  tally_text: "3 questions asked: 3 open.",
  chat: [],
  announcements: [],
};

test("the first join asks for a snapshot, later ones for what came after the last number", () => {
  const state = live.createState({ sessionId: SESSION, seq: 4 });
  assert.deepEqual(live.joinRequest(state), { session_id: SESSION });
  const after = joined(snap, 10);
  assert.deepEqual(live.joinRequest(after), { session_id: SESSION, last_seq: 10 });
});

test("lists keep the server's order: nothing is sorted here", () => {
  const state = joined(snap, 10);
  assert.deepEqual(live.listIds(state, "top"), [2, 1, 3]); // not by votes (3 has the most)
  assert.deepEqual(live.listIds(state, "new"), [3, 2, 1]);
  assert.equal(state.participants, 4);
  assert.equal(state.tallyText, "3 questions asked: 3 open.");
});

test("events apply in order; one already seen is dropped", () => {
  const state = joined(snap, 10);
  const votes = event(11, "votes", { votes: [[3, 10]], top: [3], orders: { top: [3, 2, 1], projector: [3, 2, 1] } });
  assert.equal(live.receive(state, votes).applied.length, 1);
  assert.equal(state.questions[3].votes, 10);
  assert.deepEqual(live.listIds(state, "top"), [3, 2, 1]);
  assert.deepEqual(live.listIds(state, "new"), [3, 2, 1]); // a vote moves only the orders it carries
  const again = event(11, "votes", { votes: [[3, 99]], orders: { top: [1] } });
  assert.deepEqual(live.receive(state, again), { applied: [], said: [], rejoin: false });
  assert.equal(state.questions[3].votes, 10);
  assert.equal(state.seq, 11);
});

test("an order event reorders the lists and names the order in use; the reader is told when it changes", () => {
  const fallback = { key: "broad_fallback", rule: "broad", name: "Most votes", label: "Broad support needs more votes", text: "Most votes first." };
  const state = joined(Object.assign({}, snap, { order_rule: fallback }), 10);
  state.joined = true;
  assert.equal(state.orderRule.key, "broad_fallback");
  const broad = { key: "broad", rule: "broad", name: "Broad support", label: "Order of questions: Broad support", text: "Broad support first." };
  const result = live.receive(state, event(11, "order", { order_rule: broad, top: [3, 1, 2], orders: { top: [3, 1, 2], projector: [3, 1, 2] } }));
  assert.equal(result.applied.length, 1);
  assert.deepEqual(live.listIds(state, "top"), [3, 1, 2]);
  assert.deepEqual(live.listIds(state, "projector"), [3, 1, 2]);
  assert.deepEqual(live.listIds(state, "new"), [3, 2, 1]);
  assert.equal(state.orderRule.label, "Order of questions: Broad support");
  assert.deepEqual(result.said, ["Order of questions: Broad support"]);
  // The same order with new scores: the lists move, nothing is said.
  const moved = live.receive(state, event(12, "order", { order_rule: broad, orders: { top: [1, 3, 2], projector: [1, 3, 2] } }));
  assert.deepEqual(moved.said, []);
  assert.deepEqual(live.listIds(state, "top"), [1, 3, 2]);
});

test("a gap asks for a re-join; the missed events and the waiting one then apply in order", () => {
  const state = joined(snap, 10);
  const late = event(13, "votes", { votes: [[1, 7]] });
  assert.equal(live.receive(state, late).rejoin, true);
  assert.equal(state.questions[1].votes, 5, "nothing applied past a gap");
  assert.deepEqual(live.joinRequest(state), { session_id: SESSION, last_seq: 10 });
  const missed = [event(11, "votes", { votes: [[1, 6]] }), event(12, "votes", { votes: [[2, 2]] })];
  const result = live.applyJoin(state, { ok: true, data: { seq: 12, events: missed, personal: {} } });
  assert.equal(result.rejoin, false);
  assert.equal(state.seq, 13);
  assert.equal(state.questions[1].votes, 7);
  assert.equal(state.questions[2].votes, 2);
});

test("events that arrive while joining wait for the answer, then apply", () => {
  const state = live.createState({ sessionId: SESSION });
  live.joinRequest(state);
  live.receive(state, event(12, "votes", { votes: [[1, 8]] }));
  live.receive(state, event(11, "votes", { votes: [[1, 6]] }));
  assert.equal(state.buffered.length, 2);
  live.applyJoin(state, { ok: true, data: { seq: 10, snapshot: snap, personal: {} } });
  assert.equal(state.seq, 12);
  assert.equal(state.questions[1].votes, 8);
  assert.equal(state.buffered.length, 0);
});

test("another session's events are ignored", () => {
  const state = joined(snap, 10);
  const other = { session_id: SESSION + 1, seq: 11, kind: "votes", data: { votes: [[1, 50]] } };
  assert.deepEqual(live.receive(state, other).applied, []);
  assert.equal(state.questions[1].votes, 5);
});

test("a question taken off the room leaves the state and every list", () => {
  const state = joined(snap, 10);
  const gone = event(11, "questions", {
    questions: [{ id: 2, visible: false }],
    orders: { top: [1, 3], new: [3, 1], answered: [], answering: [], next_up: [], projector: [1, 3] },
    tally: { asked: 3, open: 2, rejected: 1 },
    tally_text: "3 questions asked: 2 open, 1 rejected.",
  });
  live.receive(state, gone);
  assert.equal(state.questions[2], undefined);
  assert.deepEqual(live.listIds(state, "top"), [1, 3]);
  assert.equal(state.tallyText, "3 questions asked: 2 open, 1 rejected.");
});

test("a list leaves out an id the state does not hold", () => {
  const state = joined(snap, 10);
  state.orders.top = [9, 2];
  assert.deepEqual(live.listIds(state, "top"), [2]);
});

test("what a reader is told: a question taken up, answered; catching up is not narrated", () => {
  const state = joined(snap, 10);
  const taking = event(11, "questions", { questions: [question(1, { status: "answering" })] });
  assert.deepEqual(live.receive(state, taking).said, ["Now answering: Question 1"]);
  const answered = event(12, "questions", { questions: [question(1, { status: "answered", answered_by: "Cllr Ada" })] });
  assert.deepEqual(live.receive(state, answered).said, ["Cllr Ada answered: Question 1"]);
  const fresh = live.createState({ sessionId: SESSION });
  live.joinRequest(fresh);
  const result = live.applyJoin(fresh, { ok: true, data: { seq: 12, events: [taking, answered], personal: {} } });
  assert.deepEqual(result.said, []);
});

test("moderators see the staff fragment only when it is as new as the question", () => {
  const state = joined(snap, 10, { staff: { seq: 10, questions: [{ id: 1, html: { item: "<li>staff 1</li>" } }] } });
  assert.equal(live.fragment(state, 1, "item"), "<li>staff 1</li>");
  assert.equal(live.fragment(state, 2, "item"), '<li id="q2">2</li>');
  live.receive(state, event(11, "questions", { questions: [question(1, { html: { item: "<li>public 1, edited</li>" } })] }));
  assert.equal(live.fragment(state, 1, "item"), "<li>public 1, edited</li>", "an older staff fragment is not shown");
  live.applyStaff(state, { seq: 11, questions: [{ id: 1, html: { item: "<li>staff 1, edited</li>" } }] });
  assert.equal(live.fragment(state, 1, "item"), "<li>staff 1, edited</li>");
  live.applyStaff(state, { seq: 9, questions: [{ id: 1, html: { item: "<li>stale</li>" } }] });
  assert.equal(live.fragment(state, 1, "item"), "<li>staff 1, edited</li>");
});

test("personal state: votes, own questions, held questions", () => {
  const personal = {
    roles: { can_vote: true },
    my_votes: [1],
    mine: [{ id: 2, state: "held", visible: false, html: "<li>mine</li>" }],
    pending: [],
  };
  const state = joined(snap, 10, personal);
  assert.equal(state.myVotes[1], true);
  assert.equal(live.isOwn(state, 2), true);
  assert.deepEqual(live.applyMine(state, { id: 2, state: "published", visible: true }), [
    "Your question was approved: everyone can see it now.",
  ]);
  assert.deepEqual(live.applyPending(state, { id: 5 }), ["A question is waiting for review."]);
  assert.deepEqual(live.applyPending(state, { id: 5 }), []);
  live.removePending(state, 5);
  assert.deepEqual(live.pendingIds(state), []);
  live.setVoted(state, 1, false);
  assert.equal(state.myVotes[1], undefined);
});

test("a reader who is not a moderator gets no held questions", () => {
  const state = joined(snap, 10, { pending: null });
  assert.equal(state.pending, null);
  assert.deepEqual(live.applyPending(state, { id: 5 }), []);
});

test("chat keeps the page's number of messages, oldest first", () => {
  const state = joined(snap, 10);
  [11, 12, 13, 14].forEach((seq, i) => {
    live.receive(state, event(seq, "chat", { message: { id: i + 1, visible: true, html: "<li></li>" } }));
  });
  assert.deepEqual(state.chat.map((m) => m.id), [2, 3, 4]);
  live.receive(state, event(15, "chat", { message: { id: 3, visible: false } }));
  assert.deepEqual(state.chat.map((m) => m.id), [2, 4]);
});

test("an announcement is told once", () => {
  const state = joined(snap, 10);
  const note = { id: 1, body_html: "<p>Tea &amp; cake at <strong>four</strong></p>", html: "<li></li>" };
  assert.deepEqual(live.receive(state, event(11, "announcement", { announcement: note })).said, [
    "Announcement: Tea & cake at four",
  ]);
  assert.deepEqual(live.receive(state, event(12, "announcement", { announcement: note })).said, []);
});
