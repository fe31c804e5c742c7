// The projector (templates/live/projector.html) kept current from the state (./state.js): the question
// being answered, the next questions (the server's "projector" order), the tally and the participant count.
// Every piece is the server's fragment (public names only); nothing here orders or cuts the list.
import { fragment, listIds } from "./state.js";
import { cache, emptyNote, parse, place, setVotes } from "./dom.js";
import { announcer, renderOrder, renderParticipants } from "./room.js";
import { renderProjectorPolls } from "./polls.js";

export function createProjector(root, state) {
  const now = root.querySelector('#live-answering [data-list="answering"]');
  const next = document.getElementById("live-next");
  const tally = document.getElementById("live-tally");
  const participants = document.getElementById("live-participants");
  const built = { now: cache(), next: cache() };
  let timer = null;

  function renderList(list, kind, name) {
    if (!list) {
      return;
    }
    const ids = listIds(state, name);
    const nodes = ids
      .map((id) => {
        const html = fragment(state, id, "projector");
        const node = built[kind].node(id, html, () => parse(html));
        if (node) {
          setVotes(node, state.questions[id].votes);
        }
        return node;
      })
      .filter(Boolean);
    place(list, nodes);
    built[kind].forget(new Set(ids));
    emptyNote(list, nodes.length === 0);
  }

  function render() {
    if (timer) {
      return;
    }
    timer = window.setTimeout(() => {
      timer = null;
      if (state.full) {
        renderList(now, "now", "answering");
        renderList(next, "next", "projector");
      }
      renderOrder(state.orderRule);
      if (tally && state.tallyText && tally.textContent !== state.tallyText) {
        tally.textContent = state.tallyText;
      }
      renderParticipants(participants, state.participants);
      renderProjectorPolls(root, state);
      root.dataset.seq = String(state.seq);
    }, 0);
  }

  const { say, unsay } = announcer(document.getElementById("live-announcer"));
  // A question taken off the room: the live region stops reading it.
  function takeDown(id, text) {
    if (text) {
      unsay(text);
    }
  }
  return { render, say, takeDown, connection() {}, setSort() {} };
}
