// Putting the server's fragments in the page. It owns: turning a fragment into an element, fitting it to
// this reader by the marks the server put on it (templates/live/_live_macros.html: data-needs, data-not-own,
// data-own, data-else), the reader's CSRF token and vote, vote counts, and placing elements in a list in a given order.
// It makes no markup of its own: the only HTML inserted is the server's (its templates around the
// sanitiser's output).

// The element a fragment describes (null for none).
export function parse(html) {
  if (!html) {
    return null;
  }
  const template = document.createElement("template");
  template.innerHTML = html; // the server's own fragment: see the note at the top
  return template.content.firstElementChild;
}

// Fit a fragment to this reader. `reader`: { roles, own, voted, csrf, sort }. What a mark says is for
// someone else is taken out; what stands in for it (data-else) stays only then.
export function personalise(node, reader) {
  node.querySelectorAll("[data-own]").forEach((el) => {
    if (!reader.own) {
      el.remove();
    }
  });
  const marked = Array.from(node.querySelectorAll("[data-needs], [data-not-own]"));
  marked.forEach((el) => {
    const needs = el.getAttribute("data-needs");
    const kept = (!needs || !!reader.roles[needs]) && !(el.hasAttribute("data-not-own") && reader.own);
    const next = el.nextElementSibling;
    if (next && next.hasAttribute("data-else") && kept) {
      next.remove();
    }
    if (!kept) {
      el.remove();
    }
  });
  node.querySelectorAll('input[name="csrf_token"]').forEach((input) => {
    input.value = reader.csrf;
  });
  node.querySelectorAll('input[name="sort"]').forEach((input) => {
    input.value = reader.sort || "top";
  });
  const vote = node.querySelector(".vote-form");
  if (vote) {
    const action = vote.querySelector('input[name="action"]');
    if (action) {
      action.value = reader.voted ? "unvote" : "vote";
    }
    const button = vote.querySelector("button");
    if (button) {
      button.setAttribute("aria-pressed", reader.voted ? "true" : "false");
    }
  }
  return node;
}

// A vote count everywhere an element shows it: the number, its word, the vote button's name.
export function setVotes(node, count) {
  if (typeof count !== "number") {
    return;
  }
  if (node.hasAttribute("data-votes")) {
    node.setAttribute("data-votes", String(count));
  }
  node.querySelectorAll(".vote-count").forEach((el) => {
    if (el.textContent !== String(count)) {
      el.textContent = String(count);
    }
  });
  // The same messages as the server's (templates/live/_live_macros.html), in the page's language: Welsh has
  // six plural forms, so the word after the number comes from the catalogue, never from adding an "s".
  const i18n = window.cgI18n;
  node.querySelectorAll("[data-plural]").forEach((el) => {
    const text = i18n ? i18n.ngettext("vote", "votes", count) : count === 1 ? "vote" : "votes";
    if (el.textContent !== text) {
      el.textContent = text;
    }
  });
  node.querySelectorAll("[data-label]").forEach((el) => {
    const label = i18n
      ? i18n.ngettext("Vote for this question (%(num)s vote)", "Vote for this question (%(num)s votes)", count)
      : "Vote for this question (" + count + (count === 1 ? " vote)" : " votes)");
    el.setAttribute("aria-label", label);
  });
}

// Put `nodes` in `list` in this order; drop every other child.
export function place(list, nodes) {
  const wanted = new Set(nodes);
  Array.from(list.children).forEach((child) => {
    if (!wanted.has(child)) {
      child.remove();
    }
  });
  nodes.forEach((node, i) => {
    if (list.children[i] !== node) {
      list.insertBefore(node, list.children[i] || null);
    }
  });
}

// Show a list's "nothing here" line (the server renders it, with data-empty-note) when the list is empty.
export function emptyNote(list, empty) {
  const section = list.closest("section") || list.parentNode;
  const note = section.querySelector("[data-empty-note]");
  if (note) {
    note.hidden = !empty;
  }
  if (list.hasAttribute("data-list") && list.tagName === "UL") {
    list.hidden = empty;
  }
}

// Nodes built from fragments, kept while their fragment and reader are the same (so focus and open
// <details> survive a re-render that changed nothing in them).
export function cache() {
  const built = new Map();
  return {
    node(key, signature, make) {
      const entry = built.get(key);
      if (entry && entry.signature === signature) {
        return entry.node;
      }
      const node = make();
      if (node) {
        built.set(key, { signature, node });
      }
      return node;
    },
    forget(keep) {
      Array.from(built.keys()).forEach((key) => {
        if (!keep.has(key)) {
          built.delete(key);
        }
      });
    },
    clear() {
      built.clear();
    },
  };
}
