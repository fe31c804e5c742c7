// The room's and the projector's polls kept current from the state (./state.js): a poll opened or closed
// ("poll" events) replaces its card with the server's fragment; new results ("poll_results", a few times a
// second while answers come in) replace only the results, so a form being filled in is left alone. An answer
// form goes over the socket when it is connected (the ordinary form post otherwise). Every piece is the
// server's markup (templates/live/_poll_macros.html); nothing here counts or draws.
import { english, pollIds } from "./state.js";
import { parse, personalise } from "./dom.js";

function gettext(msgid, params) {
  return window.cgI18n ? window.cgI18n.gettext(msgid, params) : english(msgid, params);
}

function replaceResults(container, poll, html) {
  const old = container.querySelector('[data-poll-results="' + poll.id + '"]');
  const fresh = parse(html);
  if (old && fresh && old.outerHTML !== fresh.outerHTML) {
    old.replaceWith(fresh);
  }
}

// The host's and moderators' buttons ("Close the poll") for a poll opened or closed while the page is open:
// the staff message carries them (the room's fragment never does); a page's own buttons stay until it changes.
function syncTools(wrap, html, reader) {
  if (html === undefined) {
    return;
  }
  const old = wrap.querySelector("[data-poll-tools]");
  const fresh = parse(html);
  const wanted = fresh ? fresh.getAttribute("data-poll-tools") : null;
  if (old && old.getAttribute("data-poll-tools") === wanted) {
    return;
  }
  if (old) {
    old.remove();
  }
  if (fresh) {
    personalise(fresh, reader());
    wrap.appendChild(fresh);
  }
}

// The room: `reader()` fits a fragment to this reader (roles, CSRF token), as for questions.
export function renderRoomPolls(root, state, reader) {
  const list = root.querySelector('#live-polls [data-list="polls"]');
  if (!list) {
    return;
  }
  const staff = state.roles && (state.roles.host || state.roles.moderator);
  pollIds(state).forEach((id) => {
    const poll = state.polls[id];
    let wrap = list.querySelector('[data-poll-wrap="' + id + '"]');
    const card = wrap && wrap.querySelector("[data-poll-state]");
    if (!wrap || !card || card.getAttribute("data-poll-state") !== poll.state) {
      const fresh = parse(poll.html.room);
      if (!fresh) {
        return;
      }
      personalise(fresh, reader());
      if (!wrap) {
        wrap = document.createElement("div");
        wrap.className = "poll-wrap";
        wrap.setAttribute("data-poll-wrap", String(id));
        list.insertBefore(wrap, list.firstChild);
      }
      wrap.replaceChildren(fresh);
    }
    replaceResults(wrap, poll, (staff && state.pollStaff[id]) || poll.html.results);
    if (staff) {
      syncTools(wrap, state.pollTools[id], reader);
    }
  });
  const empty = root.querySelector("#live-polls [data-empty-note]");
  if (empty) {
    empty.hidden = pollIds(state).length > 0;
  }
}

// The projector: the open polls' results, large.
export function renderProjectorPolls(root, state) {
  const section = root.querySelector("#live-polls");
  const list = section && section.querySelector('[data-list="polls"]');
  if (!list) {
    return;
  }
  const open = pollIds(state, "open");
  const nodes = open.map((id) => parse(state.polls[id].html.projector)).filter(Boolean);
  const now = nodes.map((n) => n.outerHTML).join("");
  if (list.dataset.shown !== now) {
    list.replaceChildren(...nodes);
    list.dataset.shown = now;
  }
  section.hidden = open.length === 0;
}

// An answer sent over the socket; the ack says it is saved (the results follow with the next event).
export function listenPolls(root, { socket, ready, say }) {
  root.addEventListener("submit", (event) => {
    const form = event.target;
    const match = /\/polls\/(\d+)\/answer$/.exec(form.getAttribute("action") || "");
    if (!match || !ready() || form.getAttribute("aria-busy") === "true") {
      return;
    }
    event.preventDefault();
    const payload = { poll_id: parseInt(match[1], 10) };
    const chosen = Array.from(form.querySelectorAll('input[name="choices"]:checked'), (i) => parseInt(i.value, 10));
    const value = form.querySelector('input[name="value"]:checked');
    const text = form.querySelector('input[name="text"]');
    if (text) {
      payload.text = text.value;
    } else if (form.querySelector('input[name="value"]')) {
      payload.value = value ? parseInt(value.value, 10) : null;
    } else {
      payload.choices = chosen;
    }
    form.setAttribute("aria-busy", "true");
    socket.emit("poll:answer", payload, (ack) => {
      form.removeAttribute("aria-busy");
      let box = form.querySelector(".live-form-error, .poll-saved");
      if (!box) {
        box = document.createElement("p");
        box.setAttribute("role", "status");
        form.appendChild(box);
      }
      if (ack && ack.ok) {
        box.className = "poll-saved";
        box.textContent =
          ack.data.state === "held"
            ? gettext("Your answer is saved. It is counted in the word list once a moderator approves it.")
            : gettext("Your answer is saved. You can change it until the poll closes.");
        const button = form.querySelector('button[type="submit"]');
        if (button) {
          button.textContent = gettext("Change my answer");
        }
        say(box.textContent);
      } else {
        box.className = "live-form-error field-message";
        box.textContent = ack && ack.error ? ack.error.message : gettext("That did not work. Try again.");
      }
    });
  });
}
