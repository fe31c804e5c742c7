// The live Q&A room and projector: progressive enhancement of pages that work without it. The room
// (templates/live/room.html) and the projector (templates/live/projector.html) load this module.
//
// It owns the socket: it joins the session ("live:join"), hands what arrives to the state (./state.js),
// and asks the page's view (./room.js or ./projector.js) to show it; the room's forms go through the
// socket (./forms.js); a scheduled session counts down (./countdown.js). The session starting or ending
// reloads the page (its controls change). The protocol is docs/realtime.md.
import * as live from "./state.js";
import { createRoom } from "./room.js";
import { createProjector } from "./projector.js";
import { listen } from "./forms.js";
import { listenPolls } from "./polls.js";
import { startCountdown } from "./countdown.js";

// Words in the page's language (static/js/i18n.js, loaded before this module).
function gettext(msgid, params) {
  return window.cgI18n ? window.cgI18n.gettext(msgid, params) : live.english(msgid, params);
}

const root = document.getElementById("live-room");
if (root && typeof window.io === "function" && parseInt(root.dataset.sessionId, 10)) {
  start(root);
}

// Sanitised HTML as the words a screen reader would say.
function toText(html) {
  const template = document.createElement("template");
  template.innerHTML = html || "";
  return (template.content.textContent || "").replace(/\s+/g, " ").trim();
}

function start(root) {
  const projector = root.dataset.view === "projector";
  let pageState = root.dataset.state || "";
  const chat = document.getElementById("live-chat");
  const state = live.createState({
    sessionId: parseInt(root.dataset.sessionId, 10),
    seq: parseInt(root.dataset.seq || "0", 10) || 0,
    sessionState: pageState,
    chatKept: chat ? parseInt(chat.dataset.kept, 10) || undefined : undefined,
    toText,
    gettext: (msgid, params) => gettext(msgid, params),
  });
  const view = projector ? createProjector(root, state) : createRoom(root, state);
  if (pageState === "scheduled") {
    startCountdown(document.getElementById("live-countdown"));
  }

  // The socket speaks the page's language: its fragments, snapshot and error messages come in it.
  const lang = (window.cgI18n && window.cgI18n.lang) || (document.documentElement.lang || "en").split("-")[0];
  const socket = window.io("/", { transports: ["websocket", "polling"], query: { lang: lang } });
  let rejoinWanted = false;

  function setLive(on) {
    root.dataset.live = on ? "on" : "off";
  }

  function join() {
    if (state.joining) {
      rejoinWanted = true;
      return;
    }
    socket.emit("live:join", live.joinRequest(state), (ack) => {
      const result = live.applyJoin(state, ack);
      if (!result.ok) {
        setLive(false);
        view.connection(ack && ack.error ? ack.error.message : gettext("Live updates are unavailable: the page still works."));
        return;
      }
      setLive(true);
      view.connection(gettext("Live: this page updates by itself."));
      result.said.forEach(view.say);
      if (reloadIfMoved()) {
        return;
      }
      view.render();
      if (result.rejoin || rejoinWanted) {
        rejoinWanted = false;
        join();
      }
    });
  }

  // The session started or ended: the page's controls are not the same any more.
  function reloadIfMoved() {
    const now = state.session && state.session.state;
    if (pageState && now && now !== pageState) {
      pageState = now;
      window.location.reload();
      return true;
    }
    return false;
  }

  function onEvent(event) {
    const data = (event && event.data) || {};
    const leaving = event && event.kind === "questions" ? (data.questions || []).filter((q) => q.visible === false) : [];
    const texts = leaving.map((q) => state.questions[q.id] && live.short(state.questions[q.id].body, 140));
    const result = live.receive(state, event);
    if (result.rejoin) {
      join(); // a gap: ask for what was missed
      return;
    }
    if (!result.applied.length) {
      return;
    }
    leaving.forEach((q, i) => view.takeDown(q.id, texts[i]));
    result.said.forEach(view.say);
    if (event.kind === "session" && reloadIfMoved()) {
      return;
    }
    view.render();
  }

  function mine(data) {
    return data && data.session_id === state.sessionId;
  }

  socket.on("connect", join);
  socket.on("disconnect", () => {
    setLive(false);
    state.joined = false;
    view.connection(gettext("Live updates paused: reconnecting…"));
  });
  socket.on("connect_error", () => {
    setLive(false);
    view.connection(gettext("Live updates unavailable: the page still works (reload it to see new questions)."));
  });
  socket.on("live:event", onEvent);
  socket.on("live:presence", (data) => {
    if (mine(data)) {
      state.participants = data.count;
      view.render();
    }
  });
  socket.on("live:staff", (data) => {
    if (mine(data)) {
      live.applyStaff(state, data);
      view.render();
    }
  });
  socket.on("live:pending", (data) => {
    if (mine(data) && data.question) {
      live.applyPending(state, data.question).forEach(view.say);
      view.render();
    }
  });
  socket.on("live:pending_removed", (data) => {
    if (mine(data)) {
      live.removePending(state, data.question_id);
      view.render();
    }
  });
  socket.on("live:mine", (data) => {
    if (mine(data) && data.question) {
      live.applyMine(state, data.question).forEach(view.say);
      view.render();
    }
  });
  socket.on("live:poll_staff", (data) => {
    if (mine(data)) {
      (data.polls || []).forEach((p) => {
        state.pollStaff[p.id] = p.html;
        if (p.tools !== undefined) {
          state.pollTools[p.id] = p.tools;
        }
      });
      view.render();
    }
  });
  socket.on("account:signed_out", () => socket.disconnect());

  if (projector) {
    return;
  }

  // The tabs: every question is in the state once a snapshot came, so a tab is a re-render.
  const TOLD = {
    top: gettext("Showing the top questions."),
    new: gettext("Showing the newest questions."),
    answered: gettext("Showing answered questions."),
  };
  root.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[data-sort]");
    if (!link || !state.full || !view.setSort(link.getAttribute("data-sort"))) {
      return;
    }
    event.preventDefault();
    const url = new URL(window.location.href);
    url.searchParams.set("sort", view.sort);
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    view.say(TOLD[view.sort]);
  });

  listen(root, { socket, state, room: view, ready: () => socket.connected && state.joined });
  listenPolls(root, { socket, ready: () => socket.connected && state.joined, say: view.say });
}
