// Live replies on a thread page: progressive enhancement only (the page works without it).
//
// The page joins the thread's room and asks for anything newer than the last reply it
// has (so a reconnect catches up). New replies are not pushed into the page under the
// reader's eyes: a "Show N new replies" button appears and a polite live region says so;
// pressing it inserts them and moves focus to the first. Inserted HTML is only ever the
// server's own fragment (its template around the sanitiser's output); nothing user-typed
// is built into HTML here.
(function () {
  "use strict";
  var section = document.querySelector("[data-thread-id]");
  if (!section || typeof window.io !== "function") { return; }

  var threadId = parseInt(section.dataset.threadId, 10);
  var lastSeen = parseInt(section.dataset.latestReplyId || "0", 10);
  var mode = section.dataset.liveMode;  // "append", "prepend" or "link"
  var list = document.getElementById("replies");
  var control = document.getElementById("new-replies");
  var button = document.getElementById("show-new-replies");
  var announcer = document.getElementById("new-replies-announcer");
  var signedIn = document.body.dataset.signedIn === "yes";
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var pending = [];
  var known = {};

  Array.prototype.forEach.call(document.querySelectorAll("[data-reply-id]"), function (el) {
    known[el.dataset.replyId] = true;
  });

  function plural(n) { return n === 1 ? "1 new reply" : n + " new replies"; }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html;  // the server's rendered fragment (see the note at the top)
    var node = template.content.firstElementChild;
    if (!node) { return null; }
    // Forms in a broadcast fragment carry no token (it is per session): add this page's.
    Array.prototype.forEach.call(node.querySelectorAll('input[name="csrf_token"]'), function (input) {
      if (csrfMeta) { input.value = csrfMeta.content; }
    });
    if (!signedIn) {
      Array.prototype.forEach.call(node.querySelectorAll("[data-needs-member]"), function (el) { el.remove(); });
    }
    return node;
  }

  function refresh() {
    var n = pending.length;
    control.hidden = n === 0;
    if (n === 0) { return; }
    button.textContent = mode === "link" ? plural(n) + ": go to the latest" : "Show " + plural(n);
    announcer.textContent = plural(n) + ". Use the button “" + button.textContent + "” to read them.";
  }

  function queue(item) {
    if (!item || !item.html || known[item.reply_id]) { return; }
    known[item.reply_id] = true;
    lastSeen = Math.max(lastSeen, item.reply_id);
    pending.push(item);
    refresh();
  }

  function showPending() {
    if (mode === "link") {
      window.location.assign("/replies/" + pending[0].reply_id);
      return;
    }
    var first = null;
    var empty = document.getElementById("no-replies");
    if (empty) { empty.remove(); }
    pending.forEach(function (item) {
      var node = fragment(item.html);
      if (!node) { return; }
      var li = document.createElement("li");
      li.appendChild(node);
      if (mode === "prepend") { list.insertBefore(li, list.firstChild); } else { list.appendChild(li); }
      if (!first || mode === "prepend") { first = node; }
    });
    var count = pending.length;
    pending = [];
    refresh();
    announcer.textContent = plural(count) + " shown.";
    if (first) { first.focus(); }
  }

  function replace(item) {
    var current = document.getElementById("reply-" + item.reply_id);
    if (!current) { queue(item); return; }  // e.g. approved after review: new to this reader
    if (!item.html) { (current.closest("li") || current).remove(); return; }  // no longer listed
    var node = fragment(item.html);
    if (node) { current.replaceWith(node); }
  }

  button.addEventListener("click", showPending);

  var socket = window.io("/", { transports: ["websocket", "polling"] });
  socket.on("connect", function () {
    socket.emit("thread:join", { thread_id: threadId, last_seen_reply_id: lastSeen }, function (ack) {
      if (!ack || !ack.ok) { return; }
      ack.data.replies.forEach(queue);
      section.dataset.live = "on";
    });
  });
  socket.on("forum:reply_new", function (data) { if (data.thread_id === threadId) { queue(data); } });
  socket.on("forum:reply_changed", function (data) { if (data.thread_id === threadId) { replace(data); } });
  socket.on("forum:thread_changed", function (data) {
    if (data.thread_id !== threadId) { return; }
    announcer.textContent = data.locked
      ? "This thread has just been locked: it takes no new replies."
      : "This thread has just been changed. Reload the page to see the latest version.";
  });
  socket.on("forum:helpful", function (data) {
    if (data.thread_id !== threadId) { return; }
    var selector = "#reply-" + data.reply_id + " [data-helpful-count], #official-" + data.reply_id + " [data-helpful-count]";
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (el) {
      el.textContent = String(data.count);
      el.parentNode.hidden = data.count === 0;
    });
  });
})();
