// The countdown of a scheduled session (#live-countdown): "(in 2 h 05 min 09 s)" after the start time the
// server wrote, ticking each second, until the host starts the session (the page then reloads).
import { english } from "./state.js";

export function startCountdown(box) {
  const time = box && box.querySelector("time[datetime]");
  if (!time) {
    return;
  }
  const at = Date.parse(time.getAttribute("datetime"));
  if (isNaN(at)) {
    return;
  }
  let out = box.querySelector("[data-countdown]");
  if (!out) {
    out = document.createElement("span");
    out.className = "countdown-remaining";
    out.setAttribute("data-countdown", "");
    box.appendChild(document.createTextNode(" "));
    box.appendChild(out);
  }
  const timer = window.setInterval(tick, 1000);
  tick();

  function tick() {
    const left = Math.round((at - Date.now()) / 1000);
    if (left <= 0) {
      out.textContent = gettext("(starting soon: the page will update when the host starts the session)");
      window.clearInterval(timer);
      return;
    }
    out.textContent = gettext("(in %(time)s)", { time: remaining(left) });
  }
}

function gettext(msgid, params) {
  const i18n = typeof window !== "undefined" && window.cgI18n;
  return i18n ? i18n.gettext(msgid, params) : english(msgid, params);
}

function ngettext(singular, plural, n, params) {
  const i18n = typeof window !== "undefined" && window.cgI18n;
  return i18n
    ? i18n.ngettext(singular, plural, n, params)
    : english(n === 1 ? singular : plural, Object.assign({ num: n }, params));
}

// "2 days 3 h 05 min", "1 h 05 min 09 s", "5 min 09 s" (h, min and s are the language's own abbreviations).
export function remaining(left) {
  const two = (n) => (n < 10 ? "0" : "") + n;
  const d = Math.floor(left / 86400);
  const h = Math.floor((left % 86400) / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  if (d > 0) {
    return ngettext("%(num)s day %(h)s h %(m)s min", "%(num)s days %(h)s h %(m)s min", d, { h: h, m: two(m) });
  }
  return h > 0
    ? gettext("%(h)s h %(m)s min %(s)s s", { h: h, m: two(m), s: two(s) })
    : gettext("%(m)s min %(s)s s", { m: m, s: two(s) });
}
