/* The live layer's words in the page's language: window.I18N comes from /i18n/<code>.js (our own origin),
   built from the `js` catalogue; a message it lacks is shown in English. Plural forms follow the
   language's own rule (Welsh has six), never an English "s". Placeholders are %(name)s, as in Python. */
(function () {
  "use strict";
  var catalogue = window.I18N || { messages: {}, plural: function (n) { return n === 1 ? 0 : 1; } };

  function format(text, params) {
    if (!params) return text;
    return text.replace(/%\(([a-z_]+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole;
    });
  }

  function gettext(msgid, params) {
    var found = catalogue.messages[msgid];
    return format(typeof found === "string" && found ? found : msgid, params);
  }

  function ngettext(singular, plural, n, params) {
    var forms = catalogue.messages[singular];
    var merged = Object.assign({ num: n }, params || {});
    if (Array.isArray(forms)) {
      var chosen = forms[catalogue.plural(n)];
      if (chosen) return format(chosen, merged);
    }
    return format(n === 1 ? singular : plural, merged);
  }

  window.cgI18n = { gettext: gettext, ngettext: ngettext, format: format, lang: catalogue.lang || "en" };
})();
