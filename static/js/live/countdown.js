// The countdown of a scheduled session (#live-countdown): "(in 2 h 05 min 09 s)" after the start time the
// server wrote, ticking each second, until the host starts the session (the page then reloads).
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
      out.textContent = "(starting soon: the page will update when the host starts the session)";
      window.clearInterval(timer);
      return;
    }
    out.textContent = "(in " + remaining(left) + ")";
  }
}

export function remaining(left) {
  const two = (n) => (n < 10 ? "0" : "") + n;
  const d = Math.floor(left / 86400);
  const h = Math.floor((left % 86400) / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  if (d > 0) {
    return d + (d === 1 ? " day " : " days ") + h + " h " + two(m) + " min";
  }
  return h > 0 ? h + " h " + two(m) + " min " + two(s) + " s" : m + " min " + two(s) + " s";
}
