// The live layer: progressive enhancement only. Pages work without it.
// Signed-in pages open the personal /account channel; the server signs it out
// when the login ends. User text is only ever inserted with textContent.
(function () {
  "use strict";
  if (typeof window.io !== "function") { return; }
  var status = document.getElementById("live-status");
  function say(text) { if (status) { status.textContent = text; } }

  window.CommonGround = window.CommonGround || {};
  if (document.body.dataset.signedIn !== "yes") { return; }

  var socket = window.io("/account", { transports: ["websocket", "polling"] });
  window.CommonGround.account = socket;
  socket.on("connect", function () {
    socket.emit("whoami", {}, function (ack) {
      if (ack && ack.ok) { say("Live updates on."); document.body.dataset.live = "on"; }
    });
  });
  socket.on("connect_error", function () { say("Live updates unavailable; the page still works."); });
  socket.on("account:signed_out", function () {
    say("You have been signed out.");
    socket.disconnect();
  });
})();
