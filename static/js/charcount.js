/* "N characters left" under every field whose limit the server rendered (data-max-chars).

   Counts characters as a person sees them (Intl.Segmenter graphemes: one emoji, a
   family emoji or a flag is one character), as the server does, after NFC. Never
   stops typing or cuts text: over the limit it says how many characters too many,
   and the server refuses the form with the same numbers. The visible count follows
   every keystroke; screen readers hear it once typing pauses (a polite live region
   updated after a second), not on every key. */
(function () {
  "use strict";

  var segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
  var QUIET_MS = 1000;

  function length(text) {
    var normal = text.normalize ? text.normalize("NFC") : text;
    if (!segmenter) return Array.from(normal).length;
    var n = 0;
    for (var it = segmenter.segment(normal)[Symbol.iterator](), step = it.next(); !step.done; step = it.next()) n++;
    return n;
  }

  // In the page's language (window.cgI18n, static/js/i18n.js, loaded before this file); English without it.
  var i18n = window.cgI18n || {
    ngettext: function (one, many, n, params) {
      return (n === 1 ? one : many).replace("%(num)s", params && params.num !== undefined ? params.num : n);
    }
  };

  function message(left) {
    if (left >= 0) {
      return i18n.ngettext("%(num)s character left", "%(num)s characters left", left, { num: left.toLocaleString("en-GB") });
    }
    var over = -left;
    return i18n.ngettext("%(num)s character too many", "%(num)s characters too many", over, { num: over.toLocaleString("en-GB") });
  }

  function enhance(field) {
    if (field.dataset.charCount) return;
    field.dataset.charCount = "on";
    var limit = parseInt(field.dataset.maxChars, 10);
    if (!(limit > 0)) return;
    var status = document.createElement("p");
    status.className = "char-count";
    status.id = field.id + "-count";
    var shown = document.createElement("span");
    shown.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    status.appendChild(shown);
    status.appendChild(spoken);
    field.insertAdjacentElement("afterend", status);
    var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(status.id);
    field.setAttribute("aria-describedby", described.join(" "));
    var timer = null;

    function update(speak) {
      var left = limit - length(field.value);
      var text = message(left);
      shown.textContent = text;
      status.classList.toggle("char-count-over", left < 0);
      clearTimeout(timer);
      if (speak) timer = setTimeout(function () { spoken.textContent = text; }, QUIET_MS);
    }

    field.addEventListener("input", function () { update(true); });
    if (field.form) field.form.addEventListener("reset", function () { setTimeout(function () { update(false); }, 0); });
    update(false);
  }

  function enhanceAll(root) {
    var fields = (root || document).querySelectorAll("[data-max-chars]");
    for (var i = 0; i < fields.length; i++) enhance(fields[i]);
  }

  function watch() {
    enhanceAll();
    if (!window.MutationObserver) return;
    // Forms the live layer inserts (server-rendered fragments) get their counter too.
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType !== 1) return;
          if (node.matches("[data-max-chars]")) enhance(node);
          enhanceAll(node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  window.CGCharCount = { enhanceAll: enhanceAll, length: length };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
