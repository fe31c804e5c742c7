// The room page (templates/live/room.html) kept current from the state (./state.js). It owns: which
// server fragment goes where (the question list for the chosen tab, "Answering now", "Next up", chat,
// announcements, "Your questions", "Waiting for review"), the tally and participant count, the tabs,
// keeping keyboard focus when lists re-render, and the polite live region (`say`). The lists' order and
// every piece of markup come from the server; the tabs' rule and "none yet" lines from the page.
import { renderRoomPolls } from "./polls.js";
import { fragment, isOwn, listIds, mineIds, pendingIds } from "./state.js";
import { cache, emptyNote, parse, personalise, place, setVotes } from "./dom.js";

export function createRoom(root, state) {
  const el = {
    participants: document.getElementById("live-participants"),
    announcements: document.getElementById("live-announcements"),
    answering: root.querySelector('#live-answering [data-list="answering"]'),
    next: root.querySelector('#live-next [data-list="next_up"]'),
    questions: document.getElementById("live-questions"),
    empty: document.getElementById("live-questions-empty"),
    rule: root.querySelector(".live-rule"),
    mine: root.querySelector('#live-mine [data-list="mine"]'),
    pending: root.querySelector('#live-pending [data-list="pending"]'),
    pendingCount: root.querySelector("#live-pending h2 .muted"),
    chat: document.getElementById("live-chat"),
    tally: document.getElementById("live-tally"),
    targets: document.getElementById("merge-targets"),
    announcer: document.getElementById("live-announcer"),
    connection: null,
  };
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  // One cache per place a node can be: a node is in one place only, and each list forgets what it no longer shows.
  const built = { item: cache(), answering: cache(), next_up: cache(), chat: cache(), note: cache(), mine: cache(), pending: cache() };
  let sort = root.dataset.sort || "top";
  let timer = null;

  function reader(own, voted) {
    return { roles: state.roles || {}, own, voted, csrf: csrfMeta ? csrfMeta.content : "", sort };
  }

  function rolesKey() {
    return JSON.stringify(state.roles || {});
  }

  // A question's fragment as this reader sees it, built again only when the fragment or the reader changed.
  function questionNode(kind, id, part) {
    const html = fragment(state, id, part);
    const own = isOwn(state, id);
    const voted = !!state.myVotes[id];
    const node = built[kind].node(id, [html, own, voted, rolesKey()].join("\u0000"), () =>
      html ? personalise(parse(html), reader(own, voted)) : null,
    );
    if (node) {
      setVotes(node, state.questions[id].votes);
      node.querySelectorAll('input[name="sort"]').forEach((input) => {
        input.value = sort; // the tab to come back to after a form posts without the socket
      });
    }
    return node;
  }

  function renderList(list, kind, ids, part) {
    const nodes = ids.map((id) => questionNode(kind, id, part)).filter(Boolean);
    place(list, nodes);
    built[kind].forget(new Set(ids));
    return nodes;
  }

  function renderQuestions() {
    if (!el.questions || !state.full) {
      return;
    }
    const nodes = renderList(el.questions, "item", listIds(state, sort), "item");
    const more = document.getElementById("live-more"); // the page lists 50 at a time; here every question is
    if (more) {
      more.remove();
    }
    if (el.empty) {
      el.empty.textContent = el.empty.getAttribute("data-" + sort) || el.empty.textContent;
      el.empty.hidden = nodes.length > 0;
    }
    renderOrder(state.orderRule);
    if (el.rule) {
      el.rule.textContent = el.rule.getAttribute("data-" + sort) || el.rule.textContent;
    }
    root.dataset.sort = sort;
  }

  // "Answering now" and "Next up": a featured question takes the id q<id> only when the list does not show it.
  function renderBox(list, name) {
    if (!list || !state.full) {
      return;
    }
    const nodes = renderList(list, name, listIds(state, name), "featured");
    nodes.forEach((node) => {
      const id = node.getAttribute("data-question-id");
      const listed = el.questions && el.questions.querySelector('[data-question-id="' + id + '"]');
      if (listed) {
        node.removeAttribute("id");
        node.removeAttribute("tabindex");
      } else {
        node.id = "q" + id;
        node.tabIndex = -1;
      }
    });
    emptyNote(list, nodes.length === 0);
  }

  function renderChat() {
    if (!el.chat || !state.full) {
      return;
    }
    const ids = state.chat.map((m) => m.id);
    const nodes = state.chat
      .map((m) => {
        const own = !!state.ownChat[m.id];
        return built.chat.node(m.id, [m.html, own, rolesKey()].join("\u0000"), () => {
          const existing = document.getElementById("chat-" + m.id); // the page's own, until something changes
          return existing && !m.html ? existing : personalise(parse(m.html), reader(own, false));
        });
      })
      .filter(Boolean);
    place(el.chat, nodes);
    built.chat.forget(new Set(ids));
    emptyNote(el.chat, nodes.length === 0);
  }

  function renderAnnouncements() {
    if (!el.announcements || !state.full) {
      return;
    }
    const latest = state.announcements.slice().reverse(); // the page lists the newest first
    const nodes = latest
      .map((a) => built.note.node(a.id, a.html, () => document.getElementById("announcement-" + a.id) || parse(a.html)))
      .filter(Boolean);
    place(el.announcements, nodes);
    emptyNote(el.announcements, nodes.length === 0);
  }

  function renderMine() {
    if (!el.mine) {
      return;
    }
    const ids = mineIds(state);
    const nodes = ids
      .map((id) => {
        const q = state.mine[id];
        const node = built.mine.node(id, q.html, () => personalise(parse(q.html), reader(true, false)));
        if (node && q.visible) {
          setVotes(node, q.votes);
        }
        return node;
      })
      .filter(Boolean);
    place(el.mine, nodes);
    built.mine.forget(new Set(ids));
    emptyNote(el.mine, nodes.length === 0);
  }

  function renderPending() {
    if (!el.pending || state.pending === null) {
      return;
    }
    const ids = pendingIds(state);
    const nodes = ids
      .map((id) => built.pending.node(id, state.pending[id].html, () => personalise(parse(state.pending[id].html), reader(false, false))))
      .filter(Boolean);
    place(el.pending, nodes);
    built.pending.forget(new Set(ids));
    emptyNote(el.pending, nodes.length === 0);
    if (el.pendingCount) {
      el.pendingCount.textContent = "(" + nodes.length + ")"; // a number: the same in every language
    }
  }

  function renderTally() {
    if (el.tally && state.tallyText && el.tally.textContent !== state.tallyText) {
      el.tally.textContent = state.tallyText;
    }
  }

  function renderTargets() {
    if (el.targets && state.mergeTargetsHtml !== null && el.targets.getAttribute("data-shown") !== state.mergeTargetsHtml) {
      el.targets.innerHTML = state.mergeTargetsHtml; // the server's <option>s
      el.targets.setAttribute("data-shown", state.mergeTargetsHtml);
    }
  }

  function renderTabs() {
    root.querySelectorAll("a[data-sort]").forEach((a) => {
      if (a.getAttribute("data-sort") === sort) {
        a.setAttribute("aria-current", "true");
      } else {
        a.removeAttribute("aria-current");
      }
    });
  }

  // A question taken off the room (rejected, hidden, withdrawn, merged) leaves the page at once, the list
  // after a session included ("awaiting a written answer" is the server's list), and the live region
  // stops reading it.
  function takeDown(id, text) {
    root.querySelectorAll('.awaiting-answer [data-question-id="' + id + '"]').forEach((node) => {
      (node.closest("li") || node).remove();
    });
    if (text) {
      unsay(text);
    }
  }

  function render() {
    if (timer) {
      return;
    }
    timer = window.setTimeout(() => {
      timer = null;
      const key = focusKey(root);
      renderQuestions();
      renderBox(el.answering, "answering");
      renderBox(el.next, "next_up");
      renderTally();
      renderParticipants(el.participants, state.participants);
      renderChat();
      renderAnnouncements();
      renderMine();
      renderPending();
      renderTargets();
      renderTabs();
      renderRoomPolls(root, state, () => reader(false, false));
      restoreFocus(root, key);
      root.dataset.seq = String(state.seq);
    }, 0);
  }

  // A tab the page offers (its links name them) and the server orders.
  function setSort(wanted) {
    if (!root.querySelector('a[data-sort="' + wanted + '"]') || !state.orders[wanted]) {
      return false;
    }
    sort = wanted;
    render();
    return true;
  }

  const { say, unsay } = announcer(el.announcer);

  // Whether the page is live, next to the participant count (not a live region: it changes rarely).
  function connection(text) {
    if (!el.connection) {
      el.connection = document.createElement("p");
      el.connection.className = "live-connection muted";
      el.connection.id = "live-connection";
      const after = el.participants || root.querySelector("h1");
      if (!after) {
        return;
      }
      after.parentNode.insertBefore(el.connection, after.nextSibling);
    }
    el.connection.textContent = text;
  }

  return {
    render,
    say,
    connection,
    setSort,
    takeDown,
    get sort() {
      return sort;
    },
  };
}

// The polite live region (#live-announcer). Messages close together are joined into one, so a busy minute
// is one sentence, not ten; `unsay` drops a text not yet read (a question taken down meanwhile).
export function announcer(box) {
  let said = [];
  let timer = null;

  function say(text) {
    if (!box || !text) {
      return;
    }
    if (said.indexOf(text) < 0) {
      said.push(text);
    }
    if (timer) {
      return;
    }
    timer = window.setTimeout(() => {
      const shown = said.slice(0, 3);
      const extra = said.length - shown.length;
      const i18n = window.cgI18n;
      const more =
        extra <= 0
          ? ""
          : " " +
            (i18n
              ? i18n.ngettext("And %(num)s other update.", "And %(num)s other updates.", extra)
              : "And " + extra + (extra === 1 ? " other update." : " other updates."));
      box.textContent = shown.join(" ") + more;
      said = [];
      timer = null;
    }, 400);
  }

  function unsay(text) {
    said = said.filter((line) => line.indexOf(text) < 0);
    if (box && box.textContent.indexOf(text) >= 0) {
      box.textContent = "";
    }
  }

  return { say, unsay };
}

// "N people in the room now": the number, and the word after it (the page's own text otherwise).
// The order in use, as the server names it (room and projector): its one-line label, and the "top" tab's rule.
export function renderOrder(rule) {
  if (!rule) {
    return;
  }
  const box = document.getElementById("live-order");
  if (box) {
    box.setAttribute("data-order", rule.key);
    const label = box.querySelector("[data-order-label]");
    if (label && rule.label && label.textContent !== rule.label) {
      label.textContent = rule.label;
    }
  }
  const line = document.querySelector(".live-rule");
  if (line && rule.text) {
    line.setAttribute("data-top", rule.text);
  }
}

export function renderParticipants(box, count) {
  if (!box || typeof count !== "number") {
    return;
  }
  const slot = box.querySelector("[data-count]");
  if (!slot || slot.textContent === String(count)) {
    return;
  }
  slot.textContent = String(count);
  const rest = slot.nextSibling;
  if (rest && rest.nodeType === 3) {
    // The words after the number, as the page wrote them (the room's or the projector's), in its language.
    const i18n = window.cgI18n || { ngettext: (one, many, n) => (n === 1 ? one : many) };
    rest.textContent =
      " " +
      (box.classList.contains("projector-participants")
        ? i18n.ngettext("person taking part", "people taking part", count)
        : i18n.ngettext("person in the room now", "people in the room now", count));
  }
}

// Focus kept across re-renders: the same form of the same question (its button or text box), else the
// element with the same id.
function focusKey(root) {
  const active = document.activeElement;
  if (!active || active === document.body || !root.contains(active)) {
    return null;
  }
  const form = active.closest("form");
  const target = form && questionAction(form);
  if (target) {
    return { id: target.id, verb: target.verb, tag: active.tagName };
  }
  return active.id ? { element: active.id } : null;
}

function restoreFocus(root, key) {
  if (!key) {
    return;
  }
  const active = document.activeElement;
  if (active && active !== document.body && root.contains(active)) {
    return; // still in place
  }
  let target = null;
  if (key.verb) {
    const form = Array.from(root.querySelectorAll("form")).find((f) => {
      const action = questionAction(f);
      return action && action.id === key.id && action.verb === key.verb;
    });
    target = form && form.querySelector(key.tag === "TEXTAREA" ? "textarea" : "button");
    target = target || document.getElementById("q" + key.id);
  } else {
    target = document.getElementById(key.element);
  }
  if (target) {
    target.focus({ preventScroll: true });
  }
}

// A question form's question and action, from its no-JavaScript address (…/questions/<id>/<verb>).
export function questionAction(form) {
  const match = /\/questions\/(\d+)\/(\w+)$/.exec(form.getAttribute("action") || "");
  return match ? { id: match[1], verb: match[2] } : null;
}
