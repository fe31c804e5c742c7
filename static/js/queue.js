// The live review queue: progressive enhancement of a page that works without it.
// Moderators join /staff; the server says only which item changed, and the page
// fetches the list again over HTTP (permission checked there), keeping what the
// moderator ticked and where their focus was. Claim buttons use the socket when
// it is connected, and the ordinary form post when it is not.
(function () {
  "use strict";
  if (typeof window.io !== "function" || !window.fetch || !window.DOMParser) { return; }
  var list = document.getElementById("queue-list");
  if (!list) { return; }
  var announcer = document.getElementById("queue-announcer");
  var errorBox = document.getElementById("queue-error");
  var socket = window.io("/staff", { transports: ["websocket", "polling"] });
  var busy = false, pending = null;
  // The page's language (static/js/i18n.js); the English text when the catalogue is not there.
  var gettext = window.cgI18n ? window.cgI18n.gettext : function (text, values) {
    return values ? text.replace(/%\((\w+)\)s/g, function (whole, key) { return String(values[key]); }) : text;
  };

  function announce(text) { if (announcer) { announcer.textContent = text; } }
  function showError(text) { if (errorBox) { errorBox.textContent = text; } }

  function refresh(message) {
    if (busy) { pending = message || pending || ""; return; }
    busy = true;
    fetch(list.dataset.url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("queue-list");
        if (!fresh) { return; }
        var focusedId = document.activeElement ? document.activeElement.id : "";
        var ticked = {};
        document.querySelectorAll("input[name=items]:checked").forEach(function (box) { ticked[box.value] = true; });
        fresh = document.importNode(fresh, true);
        fresh.querySelectorAll("input[name=items]").forEach(function (box) { box.checked = !!ticked[box.value]; });
        list.replaceWith(fresh);
        list = fresh;
        bindForms();
        if (focusedId && document.getElementById(focusedId)) { document.getElementById(focusedId).focus(); }
        if (message) { announce(message); }
        document.body.dataset.queueUpdated = String(Date.now());
      })
      .catch(function () { showError(gettext("The queue could not be updated. Reload the page.")); })
      .then(function () {
        busy = false;
        if (pending !== null) { var next = pending; pending = null; refresh(next); }
      });
  }

  function bindForms() {
    list.querySelectorAll("form[data-live='queue:claim']").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!socket.connected) { return; }  // the ordinary form post still works
        event.preventDefault();
        var id = parseInt(form.dataset.itemId, 10);
        socket.emit("queue:claim", { item_id: id }, function (ack) {
          if (ack && ack.ok) { showError(""); refresh(gettext("You claimed item %(id)s.", { id: id })); }
          else { showError(ack && ack.error ? ack.error.message : gettext("That did not work. Try again.")); refresh(); }
        });
      });
    });
  }

  socket.on("connect", function () { document.body.dataset.queueLive = "on"; });
  socket.on("disconnect", function () { document.body.dataset.queueLive = "off"; });
  socket.on("connect_error", function () { announce(gettext("Live updates are unavailable; reload to see new items.")); });
  socket.on("queue:item_added", function () { refresh(gettext("A new item arrived in the review queue.")); });
  socket.on("queue:item_updated", function () { refresh(); });
  socket.on("queue:item_removed", function (data) {
    refresh(data && data.id ? gettext("Item %(id)s was decided.", { id: data.id }) : gettext("An item left the queue."));
  });
  socket.on("account:signed_out", function () { socket.disconnect(); });
  bindForms();
})();
