// Used by tests/live/test_live_fragments.py (not a test file of its own): reads
// {snapshot, seq, events, fresh, fresh_seq} on stdin, applies the events to the snapshot in the live room's
// state module, and prints both states as the room would show them, to be compared.
import * as live from "../../static/js/live/state.js";

const input = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
}));

function shown(state) {
  const questions = {};
  Object.keys(state.questions).forEach((id) => {
    questions[id] = { votes: state.questions[id].votes, status: state.questions[id].status,
      item: live.fragment(state, id, "item"), featured: live.fragment(state, id, "featured"),
      projector: live.fragment(state, id, "projector") };
  });
  return {
    seq: state.seq,
    lists: Object.fromEntries(live.LISTS.map((name) => [name, live.listIds(state, name)])),
    questions,
    tally: state.tallyText,
    chat: state.chat.map((m) => [m.id, m.html]),
    announcements: state.announcements.map((a) => [a.id, a.html]),
  };
}

function joinedWith(snapshot, seq) {
  const state = live.createState({ sessionId: input.session_id });
  live.joinRequest(state);
  live.applyJoin(state, { ok: true, data: { seq, snapshot, personal: {} } });
  return state;
}

const replayed = joinedWith(input.snapshot, input.seq);
input.events.forEach((event) => {
  const result = live.receive(replayed, event);
  if (result.rejoin) {
    throw new Error("a gap at " + event.seq);
  }
});
process.stdout.write(JSON.stringify({ replayed: shown(replayed), fresh: shown(joinedWith(input.fresh, input.fresh_seq)) }));
