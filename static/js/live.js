// The live layer: progressive enhancement only. Pages work without it.
// Signed-in pages open the personal /account channel; the server signs it out
// when the login ends. User text is only ever inserted with textContent.
(function () {
  "use strict";
  if (typeof window.io !== "function") { return; }
  var status = document.querySelector(".site-footer #live-status");  // the live Q&A room has its own #live-status
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
  // Moderation notices ("you are told"): count them in the nav and say so.
  socket.on("moderation:notice", function (notice) {
    var link = document.getElementById("notices-link");
    if (link) {
      var count = document.getElementById("notices-count");
      if (!count) {
        count = document.createElement("span");
        count.id = "notices-count";
        count.className = "nav-count";
        link.appendChild(document.createTextNode(" "));
        link.appendChild(count);
      }
      var n = (parseInt(count.textContent, 10) || 0) + 1;
      count.textContent = String(n);
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " new";
      count.appendChild(hidden);
    }
    say("New moderation notice: " + (notice && notice.text ? notice.text : ""));
  });
  socket.on("account:signed_out", function () {
    say("You have been signed out.");
    socket.disconnect();
  });
})();
