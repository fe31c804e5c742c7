// The room's forms over the socket. It owns: sending a form as its socket event with an acknowledgement
// (ask, chat, announce, vote, withdraw, and the moderators' and panel's question actions), showing the
// server's refusal in the form, and what the sender is told. When the socket is not connected the form
// posts as it does without JavaScript; a question form's no-JavaScript address names its event
// (…/questions/<id>/<verb> is "live:<verb>").
import { applyMine, english, removePending, setVoted } from "./state.js";
import { questionAction } from "./room.js";

// Words in the page's language (static/js/i18n.js); the server's error messages come already translated.
function gettext(msgid, params) {
  return window.cgI18n ? window.cgI18n.gettext(msgid, params) : english(msgid, params);
}

const QUESTION_EVENTS = ["vote", "withdraw", "approve", "reject", "fix", "merge", "pin", "answering", "answer", "reopen"];
const TAKE_FIELDS = ["previous", "reason", "note"]; // asked for on the server's own page (live/take.html)
const NO_ANSWER_MS = 15000;

export function listen(root, { socket, state, room, ready }) {
  const askForm = document.getElementById("ask-form");
  const chatForm = document.getElementById("chat-form");

  function send(form, name, payload, done) {
    // Busy, not disabled: disabling the focused button would drop keyboard focus.
    if (form.getAttribute("aria-busy") === "true") {
      return;
    }
    form.setAttribute("aria-busy", "true");
    clearError(form);
    let finished = false;
    const timer = window.setTimeout(() => {
      if (!finished) {
        finished = true;
        form.removeAttribute("aria-busy");
        showError(form, { message: "No answer from the server. Check your connection and try again." });
      }
    }, NO_ANSWER_MS);
    socket.emit(name, payload, (ack) => {
      if (finished) {
        return;
      }
      finished = true;
      window.clearTimeout(timer);
      form.removeAttribute("aria-busy");
      if (ack && ack.ok) {
        if (done) {
          done(ack.data || {});
        }
      } else if (ack && ack.error && TAKE_FIELDS.indexOf(ack.error.field) >= 0 && /^live:(answering|pin)$/.test(name)) {
        form.submit(); // the page that asks (no submit event: the ordinary post)
      } else {
        showError(form, ack && ack.error);
      }
    });
  }

  function onAsk(form) {
    const keyInput = form.querySelector('[name="key"], [name="submission_key"]');
    if (keyInput && !keyInput.value) {
      keyInput.value = newKey();
    }
    const anonymous = form.querySelector('[name="anonymous"]');
    const payload = { session_id: state.sessionId, body: field(form, "body"), key: keyInput ? keyInput.value : newKey() };
    if (anonymous && anonymous.checked) {
      payload.anonymous = true;
    }
    send(form, "live:ask", payload, (data) => {
      const q = data.question;
      if (q && q.id) {
        applyMine(state, q);
        room.render();
      }
      form.reset();
      if (keyInput) {
        keyInput.value = newKey();
      }
      const held = q && q.state === "held";
      room.say(
        held
          ? gettext("Your question is sent. It is awaiting review by a moderator.")
          : gettext("Your question is sent and shown in the room."),
      );
    });
  }

  function onChat(form) {
    send(form, "live:chat", { session_id: state.sessionId, body: field(form, "body") }, (data) => {
      if (data.message) {
        state.ownChat[data.message.id] = true; // no "Flag" on one's own message (the server's mark)
        room.render();
      }
      form.reset();
      const box = form.querySelector("textarea, input[name=body]");
      if (box) {
        box.focus();
      }
    });
  }

  function onQuestion(form, id, verb) {
    const name = verb === "vote" && field(form, "action") === "unvote" ? "live:unvote" : "live:" + verb;
    const payload = { question_id: id };
    if (verb === "pin") {
      payload.pinned = field(form, "action") !== "unpin";
    }
    if (verb === "fix") {
      payload.text = field(form, "text");
      payload.note = field(form, "note");
    }
    if (verb === "merge") {
      payload.into_id = parseInt(field(form, "into_id"), 10);
    }
    if (verb === "reject") {
      payload.category = field(form, "category");
    }
    if (verb === "reject" || verb === "answering" || verb === "pin") {
      TAKE_FIELDS.forEach((key) => {
        const value = field(form, key);
        if (value) {
          payload[key] = value;
        }
      });
    }
    if (verb === "answer") {
      const text = field(form, "answer");
      if (text) {
        payload.text = text;
      }
    }
    send(form, name, payload, () => {
      if (name === "live:vote" || name === "live:unvote") {
        setVoted(state, id, name === "live:vote");
        room.say(name === "live:vote" ? gettext("Your vote is counted.") : gettext("Your vote is taken back."));
      }
      if (verb === "approve" || verb === "reject") {
        removePending(state, id);
        room.say(verb === "approve" ? gettext("Question approved.") : gettext("Question rejected; the asker is told why."));
      }
      if (verb === "withdraw") {
        room.say(gettext("Your question is withdrawn."));
      }
      room.render();
    });
  }

  function onSubmit(event) {
    const form = event.target;
    if (!ready()) {
      return; // the ordinary form post still works
    }
    if (form.id === "ask-form") {
      event.preventDefault();
      onAsk(form);
      return;
    }
    if (form.id === "chat-form") {
      event.preventDefault();
      onChat(form);
      return;
    }
    if (/\/announcements$/.test(form.getAttribute("action") || "")) {
      event.preventDefault();
      send(form, "live:announce", { session_id: state.sessionId, body: field(form, "body") }, () => form.reset());
      return;
    }
    const target = questionAction(form);
    if (target && QUESTION_EVENTS.indexOf(target.verb) >= 0) {
      event.preventDefault();
      onQuestion(form, parseInt(target.id, 10), target.verb);
    }
  }

  root.addEventListener("submit", onSubmit);
  // The ask and chat forms may sit outside the room's element.
  [askForm, chatForm].forEach((form) => {
    if (form && !root.contains(form)) {
      form.addEventListener("submit", onSubmit);
    }
  });
}

function field(form, name) {
  const input = form.querySelector('[name="' + name + '"]');
  return input ? input.value : "";
}

function newKey() {
  const bytes = new Uint8Array(12);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => ("0" + b.toString(16)).slice(-2)).join("");
}

function errorBox(form) {
  let box = form.querySelector(".live-form-error");
  if (!box) {
    box = document.createElement("p");
    box.className = "live-form-error field-message";
    box.setAttribute("role", "alert");
    form.insertBefore(box, form.firstChild);
  }
  return box;
}

function clearError(form) {
  const box = form.querySelector(".live-form-error");
  if (box) {
    box.textContent = "";
  }
  form.querySelectorAll("[aria-invalid]").forEach((f) => f.removeAttribute("aria-invalid"));
}

function showError(form, error) {
  errorBox(form).textContent = error && error.message ? error.message : gettext("That did not work. Try again.");
  if (error && error.field) {
    const input = form.querySelector('[name="' + error.field + '"]');
    if (input) {
      input.setAttribute("aria-invalid", "true");
    }
  }
}
