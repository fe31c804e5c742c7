// Voting in a "Where do we agree?" round, live: progressive enhancement only (the forms work without it).
//
// A vote form (Agree / Disagree / Pass) is sent over the socket (`agree:vote`) when it is connected, and
// the ordinary form post otherwise (or when the server does not answer in time). The ack carries the
// next card as the server's own fragment (templates/agreement/_card.html), which replaces the card;
// nothing typed by anyone is built into HTML here. Focus moves to the new card's heading, so a keyboard
// or screen-reader user carries on from where they were, and the polite live region under the card says
// what was saved and how far they are ("You have voted on 5 of 12 statements").
(function () {
  "use strict";
  var section = document.querySelector(".agree-voting");
  if (!section || typeof window.io !== "function") { return; }
  var progress = document.getElementById("agree-progress");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var pageLang = (document.documentElement.lang || "en").split("-")[0];
  var t = window.cgI18n || {
    gettext: function (s, p) { return s.replace(/%\(([a-z_]+)\)s/g, function (w, k) { return p && k in p ? String(p[k]) : w; }); }
  };
  var WAIT_MS = 8000;
  var lastButton = null;

  var socket = window.io("/", { transports: ["websocket", "polling"], query: { lang: pageLang } });

  function card() { return document.getElementById("agree-card"); }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html;  // the server's rendered fragment (see the note at the top)
    var node = template.content.firstElementChild;
    if (!node) { return null; }
    Array.prototype.forEach.call(node.querySelectorAll('input[name="csrf_token"]'), function (input) {
      if (csrfMeta) { input.value = csrfMeta.content; }
    });
    return node;
  }

  function say(text) {
    if (progress) { progress.textContent = text; }
  }

  function busy(form, on) {
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = on; });
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  // The ordinary post, as if the script were not there (the chosen button's value goes with it).
  function postForm(form, choice) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "choice";
    input.value = choice;
    form.appendChild(input);
    HTMLFormElement.prototype.submit.call(form);
  }

  function showNext(data) {
    var node = fragment(data.html);
    var old = card();
    if (!node || !old) { return; }
    old.replaceWith(node);
    say(data.message + " " + data.progress.text);
    var heading = node.querySelector("#agree-card-heading");
    if (heading) { heading.focus(); }
  }

  function refused(form, error, button) {
    busy(form, false);
    say((error && error.message) || t.gettext("Your vote could not be sent. Please try again."));
    if (button) { button.focus(); }
  }

  section.addEventListener("click", function (event) {
    var button = event.target.closest("button[name=choice]");
    if (button) { lastButton = button; }
  });

  section.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-agree-vote]");
    if (!form || !socket.connected) { return; }  // not connected: the ordinary post
    var button = event.submitter || lastButton;
    if (!button || !button.value) { return; }
    event.preventDefault();
    var current = card();
    var payload = {
      round_id: parseInt(current.dataset.roundId, 10),
      statement_id: parseInt(current.dataset.statementId, 10),
      choice: button.value
    };
    busy(form, true);
    var answered = false;
    var timer = window.setTimeout(function () {
      if (!answered) { answered = true; postForm(form, payload.choice); }
    }, WAIT_MS);
    socket.emit("agree:vote", payload, function (ack) {
      if (answered) { return; }
      answered = true;
      window.clearTimeout(timer);
      if (ack && ack.ok) { showNext(ack.data); } else { refused(form, ack && ack.error, button); }
    });
  });

  socket.on("connect", function () { section.dataset.live = "on"; });
  socket.on("disconnect", function () { section.dataset.live = "off"; });
})();
