// The site menu on narrow screens (below 56rem, as static/css/site.css says): both navs fold behind a "Menu"
// button that says how many notifications are unread. Without JavaScript they stay open (a grid of links).
(function () {
  "use strict";
  var header = document.getElementById("site-header");
  if (!header) { return; }
  var parts = header.querySelectorAll(".site-menu");
  var row = header.querySelector(".header-row");
  var brand = header.querySelector(".brand");
  if (!parts.length || !row || !brand) { return; }

  var ids = [];
  Array.prototype.forEach.call(parts, function (part, i) {
    if (!part.id) { part.id = "site-menu-" + (i + 1); }
    ids.push(part.id);
  });
  var button = document.createElement("button");
  button.type = "button";
  button.className = "menu-button";
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", ids.join(" "));
  // Words in the page's language (window.cgI18n, static/js/i18n.js, loaded before this file); English without it.
  var i18n = window.cgI18n || {
    gettext: function (text) { return text; },
    ngettext: function (one, many, n) { return n === 1 ? one : many; }
  };
  button.appendChild(document.createTextNode(i18n.gettext("Menu")));
  var badge = document.createElement("span");
  badge.className = "nav-count";
  badge.hidden = true;
  button.appendChild(badge);
  brand.insertAdjacentElement("afterend", button);
  header.classList.add("js-menu");

  function setOpen(open) {
    header.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  button.addEventListener("click", function () { setOpen(!header.classList.contains("menu-open")); });
  header.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("menu-open")) { setOpen(false); button.focus(); }
  });

  // The unread count shown on the button, copied from the Notifications link (static/js/live.js keeps that current).
  var link = document.getElementById("notifications-link");
  function syncCount() {
    var count = document.getElementById("notifications-count");
    var n = count ? parseInt(count.textContent, 10) || 0 : 0;
    badge.hidden = n === 0;
    badge.textContent = n ? String(n) : "";
    if (n) {
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " " + i18n.ngettext("unread notification", "unread notifications", n);
      badge.appendChild(hidden);
    }
  }
  syncCount();
  if (link && window.MutationObserver) {
    new MutationObserver(syncCount).observe(link, { childList: true, subtree: true, characterData: true });
  }
})();
