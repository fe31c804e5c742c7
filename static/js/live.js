// The live layer: progressive enhancement only. Pages work without it.
// Signed-in pages open the personal /account channel; the server signs it out
// when the login ends. User text is only ever inserted with textContent.
(function () {
  "use strict";
  if (typeof window.io !== "function") { return; }
  var status = document.querySelector(".site-footer #live-status");  // the live Q&A room has its own #live-status
  function say(text) { if (status) { status.textContent = text; } }
  // Words in the page's language (static/js/i18n.js); English if the catalogue did not load.
  function gettext(msgid, params) {
    if (window.cgI18n) { return window.cgI18n.gettext(msgid, params); }
    return msgid.replace(/%\(([a-z_]+)\)s/g, function (whole, name) { return params && name in params ? String(params[name]) : whole; });
  }
  var lang = (window.cgI18n && window.cgI18n.lang) || (document.documentElement.lang || "en").split("-")[0];

  window.CommonGround = window.CommonGround || {};
  if (document.body.dataset.signedIn !== "yes") { return; }

  var socket = window.io("/account", { transports: ["websocket", "polling"], query: { lang: lang } });
  window.CommonGround.account = socket;
  socket.on("connect", function () {
    socket.emit("whoami", {}, function (ack) {
      if (ack && ack.ok) { say(gettext("Live updates on.")); document.body.dataset.live = "on"; }
    });
  });
  socket.on("connect_error", function () { say(gettext("Live updates unavailable; the page still works.")); });
  // Notifications: the nav's unread count follows the server's, and a polite live region says what arrived
  // (its own region, present before anything is announced, so every page has one).
  var announcer = document.createElement("div");
  announcer.id = "notification-announcer";
  announcer.className = "visually-hidden";
  announcer.setAttribute("role", "status");
  announcer.setAttribute("aria-live", "polite");
  document.body.appendChild(announcer);
  socket.on("notification:new", function (notice) {
    var link = document.getElementById("notifications-link");
    if (link) {
      var count = document.getElementById("notifications-count");
      if (!count) {
        count = document.createElement("span");
        count.id = "notifications-count";
        count.className = "nav-count";
        link.appendChild(document.createTextNode(" "));
        link.appendChild(count);
      }
      var n = notice && typeof notice.unread === "number" ? notice.unread : (parseInt(count.textContent, 10) || 0) + 1;
      count.textContent = String(n);
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " " + gettext("unread");
      count.appendChild(hidden);
    }
    announcer.textContent = gettext("New notification: %(text)s", { text: notice && notice.text ? notice.text : "" });
  });
  socket.on("account:signed_out", function () {
    say(gettext("You have been signed out."));
    socket.disconnect();
  });
})();
