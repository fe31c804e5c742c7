// Live replies on a thread page: progressive enhancement only (the page works without it).
//
// The page joins the thread's room and asks for anything newer than the last reply it
// has (so a reconnect catches up). New replies are not pushed into the page under the
// reader's eyes: a "Show N new replies" button appears and a polite live region says so;
// pressing it inserts them and moves focus to the first. Inserted HTML is only ever the
// server's own fragment (its template around the sanitiser's output); nothing user-typed
// is built into HTML here.
//
// Every reply event carries the thread's reply count and stance balance as the server renders
// them; the page swaps them in when the replies it shows change (new ones shown, one hidden).
// A reply hidden or removed by moderators leaves at once: where it is listed, where it waits
// behind "Show new replies", as the official response, and where other replies quote it. A reply
// edited while shown keeps the actions the page was served with (the reader's own vote, edit link).
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
  // What this reader may do with posts that arrive live ("post vote flag"; nothing when signed out or
  // under a sanction that forbids it): fragments are made for everyone, so the rest is dropped.
  var may = (section.dataset.readerMay || "").split(" ");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var pending = [];
  var known = {};
  var counts = null;   // the latest {heading, balance} fragments from the server
  var quotes = {};     // reply id -> how other replies quote it now (after it changed)

  Array.prototype.forEach.call(document.querySelectorAll("[data-reply-id]"), function (el) {
    known[el.dataset.replyId] = true;
  });

  var t = window.cgI18n || {
    gettext: function (s, p) { return s.replace(/%\(([a-z_]+)\)s/g, function (w, k) { return p && k in p ? String(p[k]) : w; }); },
    ngettext: function (s, pl, n) { return (n === 1 ? s : pl).replace("%(num)s", String(n)); }
  };

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html;  // the server's rendered fragment (see the note at the top)
    var node = template.content.firstElementChild;
    if (!node) { return null; }
    // Forms in a broadcast fragment carry no token (it is per session): add this page's.
    Array.prototype.forEach.call(node.querySelectorAll('input[name="csrf_token"]'), function (input) {
      if (csrfMeta) { input.value = csrfMeta.content; }
    });
    Array.prototype.forEach.call(node.querySelectorAll("[data-needs]"), function (el) {
      if (may.indexOf(el.dataset.needs) < 0) { el.remove(); }
    });
    return node;
  }

  // Swap one server-rendered element for another with the same id (nothing if either is missing).
  function swap(id, html) {
    var current = document.getElementById(id);
    var node = html ? fragment(html) : null;
    if (current && node) { current.replaceWith(node); }
  }

  // An event carries its fragments in the default language and, under "translations", in every other one:
  // this page uses its own language's.
  var pageLang = (document.documentElement.lang || "en").split("-")[0];
  function localised(data) {
    var own = data && data.translations && data.translations[pageLang];
    if (!own) { return data; }
    var out = {};
    Object.keys(data).forEach(function (key) { if (key !== "translations") { out[key] = data[key]; } });
    Object.keys(own).forEach(function (key) { out[key] = own[key]; });
    return out;
  }

  function remember(data) { if (data && data.counts) { counts = data.counts; } }

  function applyCounts() {
    if (!counts) { return; }
    swap("replies-heading", counts.heading);
    swap("balance", counts.balance);
  }

  function applyQuotes() {
    Object.keys(quotes).forEach(function (id) {
      Array.prototype.forEach.call(document.querySelectorAll('blockquote[data-quote-of="' + id + '"]'), function (old) {
        var node = fragment(quotes[id]);
        if (node) { old.replaceWith(node); }
      });
    });
  }

  function refresh() {
    var n = pending.length;
    control.hidden = n === 0;
    if (n === 0) { return; }
    button.textContent = mode === "link"
      ? t.ngettext("%(num)s new reply: go to the latest", "%(num)s new replies: go to the latest", n)
      : t.ngettext("Show %(num)s new reply", "Show %(num)s new replies", n);
    announcer.textContent = t.ngettext(
      "%(num)s new reply. Use the button “%(button)s” to read them.",
      "%(num)s new replies. Use the button “%(button)s” to read them.",
      n, { button: button.textContent });
  }

  function queue(item) {
    if (!item || !item.html || known[item.reply_id]) { return; }
    known[item.reply_id] = true;
    lastSeen = Math.max(lastSeen, item.reply_id);
    pending.push(item);
    if (mode === "link") { applyCounts(); }  // nothing is inserted on this page: the totals can change now
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
    applyCounts();
    applyQuotes();
    announcer.textContent = t.ngettext("%(num)s new reply shown.", "%(num)s new replies shown.", count);
    if (first) { first.focus(); }
  }

  // A reply changed (edited, hidden, removed, deleted): every copy on the page follows at once.
  function replace(item) {
    if ("official_html" in item) { officialChanged(item); }
    if (item.quote_html) { quotes[item.reply_id] = item.quote_html; applyQuotes(); }
    var waiting = pending.filter(function (p) { return p.reply_id === item.reply_id; })[0];
    var current = document.getElementById("reply-" + item.reply_id);
    if (waiting) {  // behind "Show new replies": it will be shown as it is now, or, no longer public, not offered
      if (item.public) { waiting.html = item.html; }
      else { pending.splice(pending.indexOf(waiting), 1); refresh(); }
    } else if (!current) {
      if (item.public) { queue(item); }  // e.g. approved after review: new to this reader
    } else if (!item.html) {
      (current.closest("li") || current).remove();  // no longer listed
    } else {
      var node = fragment(item.html);
      if (node) { keepOwnActions(current, node); current.replaceWith(node); }
    }
    if (!(waiting && item.public) || mode === "link") { applyCounts(); }  // a reply still waiting is counted once shown
  }

  // A changed post's fragment is made for everyone, so its actions are nobody's own: "Helpful" not pressed
  // (even for a reader who voted), no Edit or Delete for its author, none of a moderator's or representative's
  // controls. The actions the page was served with are this reader's: they stay while the post still has some.
  function keepOwnActions(current, node) {
    var own = current.querySelector(":scope > .post-footer > .post-actions");
    var everyone = node.querySelector(":scope > .post-footer > .post-actions");
    if (own && everyone) { everyone.replaceWith(own); }
  }

  function officialChanged(item) {
    var copy = document.getElementById("official-" + item.reply_id);
    if (!copy) { return; }
    if (!item.official_html) {  // no longer public: the official response section goes
      var section = copy.closest("section.official");
      (section || copy).remove();
      return;
    }
    var node = fragment(item.official_html);
    if (node) { keepOwnActions(copy, node); copy.replaceWith(node); }
  }

  // The opening post is no longer public: its placeholder replaces it (and the page's title).
  function threadTakenDown(html) {
    var current = document.getElementById("thread");
    var node = fragment(html);
    if (!current || !node) { return; }
    current.replaceWith(node);
    var title = node.querySelector("h1");
    var suffix = document.title.lastIndexOf(" · ");
    if (title && suffix > 0) { document.title = title.textContent.trim() + document.title.slice(suffix); }
  }

  button.addEventListener("click", showPending);

  // The page's language goes with the connection, so what the socket says (errors, catch-up) is in it too.
  var socket = window.io("/", { transports: ["websocket", "polling"], query: { lang: pageLang } });
  socket.on("connect", function () {
    socket.emit("thread:join", { thread_id: threadId, last_seen_reply_id: lastSeen }, function (ack) {
      if (!ack || !ack.ok) { return; }
      remember(ack.data);
      ack.data.replies.forEach(queue);
      section.dataset.live = "on";
    });
  });
  socket.on("forum:reply_new", function (data) {
    if (data.thread_id === threadId) { data = localised(data); remember(data); queue(data); }
  });
  socket.on("forum:reply_changed", function (data) {
    if (data.thread_id === threadId) { data = localised(data); remember(data); replace(data); }
  });
  socket.on("forum:thread_changed", function (data) {
    if (data.thread_id !== threadId) { return; }
    data = localised(data);
    if (data.html) {
      threadTakenDown(data.html);
      announcer.textContent = t.gettext("The opening post of this thread is no longer shown.");
      return;
    }
    announcer.textContent = data.locked
      ? t.gettext("This thread has just been locked: it takes no new replies.")
      : t.gettext("This thread has just been changed. Reload the page to see the latest version.");
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
