"""The numbered event log of a live session, and what a (re)joining client is sent.

`record` gives the change the session's next sequence number (one UPDATE of
the session row, which also serialises the session's writers so numbers
follow commit order), stores it, and queues the broadcast for after the
commit. Every event carries the full current state of what it is about, so
applying one twice, or after a snapshot that already had it, is harmless.

Rooms: `live:<id>` (everyone reading), `live:<id>:staff` (moderators: held
questions), and each member's own `user:<id>` room on "/" (their questions'
review status).

What the room shows is rendered here with the page's own macros
(templates/live/_live_macros.html), so the room's script only inserts
server-made HTML (`Fragments` below): questions for everyone in the numbered
events (never an anonymous asker's name, never a held question), the same
questions with moderators' tools to the staff room (`live:staff`), held
questions to the staff room (`live:pending`), and the asker's own view to the
asker (`live:mine`). Each list's order comes with the events (`orders`): the
script never sorts.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jinja2.environment import TemplateModule
from sqlalchemy import ColumnElement, Row, Select, func, select, update
from sqlalchemy.orm import selectinload

import moderation as engine
from debate import broadcast, ratelimit
from debate.extensions import db
from debate.i18n import DEFAULT, LANGUAGES
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.live import (
    ChatMessage,
    LiveSession,
    QuestionVote,
    SessionAnnouncement,
    SessionEvent,
    SessionQuestion,
)
from debate.permissions import signed_in
from debate.services import after_commit, council_time, rendering
from debate.services.accounts import language as account_language
from debate.services.live import order as live_order
from debate.services.live import order_in_use
from debate.services.live import roles as live_roles
from debate.services.markdown import render_markdown
from debate.services.moderation import queue as moderation_queue
from debate.services.moderation.text import category_label

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
JOIN = ratelimit.limit(
    "live.join",
    "30/minute",
    _l("You can join sessions at most 30 times a minute. Please wait a moment and try again."),
)
LEAVE = ratelimit.limit(
    "live.leave",
    "30/minute",
    _l("You can leave sessions at most 30 times a minute. Please wait a moment and try again."),
)

EVENT = "live:event"
SNAPSHOT_SECONDS = 5.0
CHAT_SHOWN = 50
ANNOUNCEMENTS_SHOWN = 20
PROJECTOR_NEXT = 5  # questions the projector lists after the one being answered
CATEGORIES = [(c.value, engine.CATEGORY_LABELS[c]) for c in engine.Category]  # a rejection's reasons


def room(session_id: int, lang: str | None = None) -> str:
    """The room's readers in one language: `live:<id>` speaks English (as before languages came), `live:<id>:cy`
    Welsh... A socket is in its own language's room only; what has no words (the participant count) goes to each."""
    return f"live:{session_id}" if lang in (None, DEFAULT) else f"live:{session_id}:{lang}"


def staff_room(session_id: int, lang: str | None = None) -> str:
    """The session's moderators in one language (`live:<id>:staff`, `live:<id>:staff:cy`...)."""
    return f"live:{session_id}:staff" if lang in (None, DEFAULT) else f"live:{session_id}:staff:{lang}"


def rooms(session_id: int) -> list[tuple[str, str]]:
    """(language, room) for every language the site speaks: an event goes to each, in its words."""
    return [(code, room(session_id, code)) for code in LANGUAGES]


def speaks(name: str) -> str:
    """The language of a room of `rooms` or `staff_room` (English for any other)."""
    last = name.rsplit(":", 1)[-1]
    return last if last in LANGUAGES else DEFAULT


def is_staff_room(name: str) -> bool:
    """A session's moderators' room (`staff_room`, in any language): held questions, with askers' real names."""
    head, _, rest = name.partition(":")
    number, _, tail = rest.partition(":")
    kind, _, lang = tail.partition(":")
    return head == "live" and number.isdigit() and kind == "staff" and (not lang or lang in LANGUAGES)


# --- words in every language --------------------------------------------------------------------
#
# A live update is made once and read in every language the site speaks: what it says in words (its
# fragments, the tally's sentence) is made once per language and stored side by side (`in_every_language`),
# and each language's room, or a (re)joining socket, is sent its own (`localised`). So an event costs one
# render per language per audience, however many readers there are.

LOCALISED = "_i18n"


def in_every_language(make: Callable[[], Any]) -> dict[str, Any]:
    """`make()` once in each language, stored side by side until `localised` picks one."""
    made = {}
    for code in LANGUAGES:
        with force_locale(code):
            made[code] = make()
    return {LOCALISED: made}


def localised(value: Any, lang: str | None) -> Any:
    """`value` with every `in_every_language` part replaced by its words in `lang` (English when missing)."""
    if isinstance(value, dict):
        if LOCALISED in value and len(value) == 1:
            versions = value[LOCALISED]
            return localised(versions.get(lang or DEFAULT, versions.get(DEFAULT)), lang)
        return {key: localised(item, lang) for key, item in value.items()}
    if isinstance(value, list):
        return [localised(item, lang) for item in value]
    return value


def publish_localised(name: str, payload: dict[str, Any], targets: list[tuple[str, str]]) -> None:
    """Send `payload` to each (language, room) in its language (call after the commit)."""
    for lang, target in targets:
        broadcast.publish(name, localised(payload, lang), target)


def later_localised(name: str, payload: dict[str, Any], targets: list[tuple[str, str]]) -> None:
    """`publish_localised` once the transaction commits."""
    for lang, target in targets:
        after_commit.later(name, localised(payload, lang), target)


# --- writing ----------------------------------------------------------------------------------


def record(live: LiveSession, kind: str, data: dict[str, Any] | Callable[[], dict[str, Any]]) -> SessionEvent:
    """Number and store one event in the caller's transaction; it is broadcast after the commit.

    `data` may be a function: it is called once the number is taken, i.e.
    once this transaction holds the session's row lock, so what it reads is
    at least as new as every earlier event of the session.
    """
    seq = db.session.execute(
        update(LiveSession)
        .where(LiveSession.id == live.id)
        .values(seq=LiveSession.seq + 1)
        .returning(LiveSession.seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    event = SessionEvent(
        session_id=live.id, seq=seq, kind=kind, data=data() if callable(data) else data, created_at=utcnow()
    )
    db.session.add(event)
    later_localised(EVENT, wire(event), rooms(live.id))
    return event


def record_session(live: LiveSession) -> SessionEvent:
    return record(live, "session", lambda: {"session": session_data(live)})


def record_questions(live: LiveSession, questions: list[SessionQuestion]) -> SessionEvent:
    """Questions changed (asked, approved, answered, merged, hidden...): their state, the new order, the tally."""

    def build() -> dict[str, Any]:
        db.session.flush()
        for question in questions:
            db.session.refresh(question, ["vote_count"])  # votes are counted outside this lock
        counts, order = tally(live.id), orders(live.id)
        return {
            "questions": [question_wire(q, everyone) for q in questions],
            "top": order["top"][: live_order.FAIR_WINDOW],  # the first places, as clients before `orders` read
            "orders": order,
            "tally": counts,
            "tally_text": in_every_language(lambda: tally_text(counts)),
        }

    everyone = Fragments(live, Audience.everyone())
    event = record(live, "questions", build)
    staff = Fragments(live, Audience.staff(live.id))
    shown_here = [q for q in questions if shown(q)]
    to_staff(
        live,
        "live:staff",
        {
            "seq": event.seq,
            "questions": [{"id": q.id, "html": staff.question(q)} for q in shown_here],
            "merge_targets_html": staff.merge_targets(),
        },
    )
    return event


def record_order(live: LiveSession) -> SessionEvent:
    """The room's order changed without a question changing (the host chose another rule, or the bridging
    scores moved): the rule in use and the lists it orders, as a numbered event."""

    def build() -> dict[str, Any]:
        in_use = order_in_use.of(live.id)
        moved = orders(live.id, only=("top", "projector"), in_use=in_use)
        return {"order_rule": order_rule_data(in_use), "top": moved["top"][: live_order.FAIR_WINDOW], "orders": moved}

    return record(live, "order", build)


def order_rule_data(in_use: order_in_use.InUse) -> dict[str, Any]:
    """The order in use as events and snapshots carry it: its key ("votes", "broad", "broad_fallback"), the
    host's choice, and its name and rule in every language (the room's rule line, the projector)."""
    return {
        "key": in_use.key,
        "rule": in_use.rule,
        "name": in_every_language(in_use.name),
        "label": in_every_language(in_use.label),
        "text": in_every_language(in_use.text),
    }


def votes_data(session_id: int, votes: list[list[int]], window_ms: int = 0) -> dict[str, Any]:
    """A "votes" event: new counts ([id, count] pairs), the orders votes move (the top list, the projector), and
    whether the counts were gathered over a `window_ms` window (`coalesced`) or sent at once after a quiet spell."""
    moved = orders(session_id, only=("top", "projector"))
    top = moved["top"][: live_order.FAIR_WINDOW]
    return {"votes": votes, "top": top, "orders": moved, "coalesced": window_ms > 0, "window_ms": window_ms}


def wire(event: SessionEvent, lang: str | None = None) -> dict[str, Any]:
    """The envelope clients receive (in `lang`; without one, with every language's words side by side).

    `at` (ms since the epoch, server clock) is when the event was numbered, inside its transaction: receipt
    time minus `at` is the whole fan-out (commit, message queue, delivery), which is what bench/live_load.py
    reports."""
    return {
        "session_id": event.session_id,
        "seq": event.seq,
        "kind": event.kind,
        "at": round(event.created_at.replace(tzinfo=UTC).timestamp() * 1000, 1),
        "data": event.data if lang is None else localised(event.data, lang),
    }


def to_staff(live: LiveSession, name: str, data: dict[str, Any]) -> None:
    """Moderators in the room (held questions), after the commit, each in their language; they resync on reconnect."""
    targets = [(code, staff_room(live.id, code)) for code in LANGUAGES]
    later_localised(name, {"session_id": live.id, **data}, targets)


def to_asker(question: SessionQuestion) -> None:
    """The asker's own view of their question (awaiting review, rejected...), after the commit, in their language
    (their account's: the page they ask from records it)."""
    with force_locale(account_language.of(question.author)):
        payload = {"session_id": question.session_id, "question": mine_wire(question)}
    after_commit.later("live:mine", payload, broadcast.user_room(question.author_id))


# --- what events carry ------------------------------------------------------------------------


def session_data(live: LiveSession) -> dict[str, Any]:
    return {
        "id": live.id,
        "title": live.title,
        "state": live.state,
        **council_time.stamps(
            starts_at=live.starts_at, ends_at=live.ends_at, started_at=live.started_at, ended_at=live.ended_at
        ),
        "premoderate": live.premoderate,
        "allow_anonymous": live.allow_anonymous,
        "chat_slow_seconds": live.chat_slow_seconds,
        "order_rule": live.order_rule,
    }


def public_name(question: SessionQuestion) -> str:
    """Anonymous questions are anonymous to the public, never to moderators (see `staff_data`)."""
    return _("Anonymous") if question.anonymous else question.author.public_name


def question_data(question: SessionQuestion) -> dict[str, Any]:
    """A question as everyone sees it, in the language being spoken (`question_wire`: in every language).
    Not public (held, rejected, withdrawn): only its id and that it is gone."""
    if not question.is_public:
        return {"id": question.id, "visible": False}
    answered_by = question.answered_by
    return {
        "id": question.id,
        "visible": True,
        "body": question.body,
        "body_html": str(render_markdown(question.body)),
        "author": public_name(question),
        "votes": question.vote_count,
        "status": question.status,
        "pinned": question.pinned_at is not None,
        "edited_by_moderator": question.state == "edited",
        **council_time.stamps(
            created_at=question.created_at, taken_at=question.taken_at, answered_at=question.answered_at
        ),
        "answered_live": question.answered_live,
        "answered_by": answered_by.public_name if answered_by else None,
        "answer_html": str(render_markdown(question.answer_body)) if question.answer_body else None,
        "merged_into": question.merged_into_id,
        "out_of_order": live_order.departure(question.out_of_order_reason, question.out_of_order_note),
    }


def question_wire(question: SessionQuestion, fragments: Fragments) -> dict[str, Any]:
    """`question_data` with the markup everyone's room shows for it (`html`: item, featured, projector)."""
    data = question_data(question)
    if not data["visible"]:
        return data
    if question.anonymous:  # the words of the event, in each language
        data["author"] = in_every_language(lambda: public_name(question))
    if data["out_of_order"]:
        data["out_of_order"] = in_every_language(
            lambda: live_order.departure(question.out_of_order_reason, question.out_of_order_note)
        )
    if question.status != SessionQuestion.MERGED:
        data["html"] = fragments.question(question)
    return data


REVIEW_LABELS = {
    "held": _l("Awaiting review: only you and the moderators can see it."),
    "withdrawn": _l("You withdrew this question."),
    "flag_hidden": _l("Hidden while moderators review flags about it."),
}


def mine_data(question: SessionQuestion) -> dict[str, Any]:
    """The asker's view of their own question: public ones as everyone sees them, plus why others are not."""
    data: dict[str, Any] = question_data(question) if question.is_public else {"id": question.id, "visible": False}
    data.update(body=question.body, state=question.state, review=_review_label(question))
    return data


def mine_wire(question: SessionQuestion) -> dict[str, Any]:
    """`mine_data` with the asker's own item of "Your questions" (`html`): sent to the asker alone, in the
    language being spoken (the asker's socket's, or their account's for a broadcast: `to_asker`)."""
    lang = speaking()
    data = mine_data(question)
    data["html"] = Fragments(question.session, Audience.everyone(), langs=(lang,)).mine(question)
    shown: dict[str, Any] = localised(data, lang)
    return shown


def _review_label(question: SessionQuestion) -> str:
    if question.state in REVIEW_LABELS:
        return str(REVIEW_LABELS[question.state])
    if question.state in ("removed", "hidden"):
        reason = str(category_label(question.state_category) or _("no reason given"))
        if question.state_note:
            return _(
                "Rejected by a moderator. Reason: %(reason)s. Note from the moderator: %(note)s",
                reason=reason,
                note=question.state_note,
            )
        return _("Rejected by a moderator. Reason: %(reason)s.", reason=reason)
    if question.status == SessionQuestion.MERGED:
        return _("Merged with a question asking the same thing: your support now counts there.")
    return ""


def staff_data(question: SessionQuestion, item_id: int | None, langs: Sequence[str] | None = None) -> dict[str, Any]:
    """A held question for moderators: the real author even when anonymous to the public (in `langs`, every
    language unless told)."""
    return {
        "id": question.id,
        "body": question.body,
        "body_html": str(render_markdown(question.body)),
        "author": question.author.public_name,
        "anonymous": question.anonymous,
        **council_time.stamps(created_at=question.created_at),
        "review_item_id": item_id,
        "reason": question.state_note or "",
        "html": Fragments(question.session, Audience.staff(question.session_id), langs).pending(question),
    }


def chat_data(message: ChatMessage, langs: Sequence[str] | None = None) -> dict[str, Any]:
    if not message.is_public:
        return {"id": message.id, "visible": False}
    return {
        "id": message.id,
        "visible": True,
        "body_html": str(render_markdown(message.body)),
        "author": message.author.public_name,
        "verified": message.author.is_verified_representative,
        **council_time.stamps(created_at=message.created_at),
        "html": Fragments(_session(message.session_id), Audience.everyone(), langs).chat(message),
    }


def announcement_data(note: SessionAnnouncement, langs: Sequence[str] | None = None) -> dict[str, Any]:
    return {
        "id": note.id,
        "body_html": str(render_markdown(note.body)),
        "author": note.author.public_name,
        **council_time.stamps(created_at=note.created_at),
        "html": Fragments(_session(note.session_id), Audience.everyone(), langs).announcement(note),
    }


def _session(session_id: int) -> LiveSession:
    live = db.session.get(LiveSession, session_id)
    assert live is not None  # a message's session is a foreign key
    return live


# --- the markup they carry ----------------------------------------------------------------------


@dataclass
class Audience:
    """Whom a fragment is made for: not one reader but everyone in a room (`everyone`), or its moderators
    (`staff`). It stands in for live_pages.Room in the macros. Every role a reader might have is on, so each
    control is rendered, marked with the role it needs (data-needs); the reader's page leaves out what
    their roles (`personal`) do not allow. Moderators' tools and anonymous askers' names are in the staff
    fragments only: that is decided here, never by a client."""

    roles: dict[str, bool]
    merge_targets: list[Row[Any]] = field(default_factory=list)
    merge_target_ids: set[int] = field(default_factory=set)
    sort: str = "top"
    my_votes: frozenset[int] = frozenset()
    listed_ids: frozenset[int] = frozenset()

    @classmethod
    def everyone(cls) -> Audience:
        roles = dict.fromkeys(("signed_in", "can_ask", "can_vote", "can_flag", "host", "panel", "answer"), True)
        return cls(roles={**roles, "moderator": False})

    @classmethod
    def staff(cls, session_id: int) -> Audience:
        targets = merge_targets(session_id)
        roles = dict.fromkeys(("signed_in", "can_ask", "can_vote", "can_flag", "host", "panel", "answer"), True)
        return cls(roles={**roles, "moderator": True}, merge_targets=targets, merge_target_ids={t.id for t in targets})


def merge_targets(session_id: int) -> list[Row[Any]]:
    """Questions a duplicate can be merged into (id and text): listed once per page, not once per question."""
    stmt = (
        select(SessionQuestion.id, SessionQuestion.body)
        .where(*shown_in_room(session_id), SessionQuestion.status != SessionQuestion.ANSWERED)
        .order_by(SessionQuestion.id)
    )
    return list(db.session.execute(stmt))


class Fragments:
    """The room's pieces for one audience, rendered with the page's own macros (templates/live/_live_macros.html),
    once in each language the site speaks (`langs`: every one unless told), side by side (`in_every_language`).

    The macros module is made once per batch and language (a snapshot renders every question), not once per
    question. Forms carry an empty CSRF field: the token is per reader, and the reader's page fills it in.
    """

    def __init__(self, live: LiveSession, audience: Audience, langs: Sequence[str] | None = None) -> None:
        self.live = live
        self.audience = audience
        self.langs = tuple(langs) if langs else tuple(LANGUAGES)
        self._modules: dict[str, TemplateModule] = {}

    def _macros(self, code: str) -> TemplateModule:
        if code not in self._modules:
            with rendering.outside_request(), force_locale(code):
                context = {
                    "data": self.audience,
                    "live": self.live,
                    "fragment": True,
                    "categories": [(value, str(label)) for value, label in CATEGORIES],
                    "departure": live_order.departure,
                }
                current_app.update_template_context(context)
                template = current_app.jinja_env.get_template("live/_live_macros.html")
                self._modules[code] = template.make_module(context)
        return self._modules[code]

    def _render(self, name: str, *args: Any, **extra: Callable[[], Any]) -> dict[str, Any]:
        """One macro in each language; `extra` are arguments worked out in that language (made by a function)."""
        made = {}
        for code in self.langs:
            with rendering.outside_request(), force_locale(code):
                more = [make() for make in extra.values()]
                made[code] = str(getattr(self._macros(code), name)(*args, *more)).strip()
        return {LOCALISED: made}

    def question(self, question: SessionQuestion) -> dict[str, Any]:
        """`item` (the list), `featured` (answering now / next up), `projector` (the chamber screen)."""
        html = {"item": self._render("question_item", question)}
        if question.status == SessionQuestion.ANSWERING or question.pinned_at is not None:
            html["featured"] = self._render("featured", question, "now" if question.status == "answering" else "next")
        if not self.audience.roles["moderator"]:
            if question.status == SessionQuestion.ANSWERING:
                html["projector"] = self._render("projector_now", question)
            elif question.status == SessionQuestion.OPEN:
                html["projector"] = self._render("projector_next", question)
        return html

    def mine(self, question: SessionQuestion) -> dict[str, Any]:
        return self._render("my_question", question, mine=lambda: mine_data(question))

    def pending(self, question: SessionQuestion) -> dict[str, Any]:
        return self._render("pending_question", question)

    def chat(self, message: ChatMessage) -> dict[str, Any]:
        return self._render("chat_message", message)

    def announcement(self, note: SessionAnnouncement) -> dict[str, Any]:
        return self._render("announcement", note)

    def merge_targets(self) -> str:
        """The page's <datalist id="merge-targets"> options (the merge forms' choices: no words)."""
        return str(current_app.jinja_env.filters["merge_options"](self.audience.merge_targets))


def speaking() -> str:
    """The language this request (a page, or a socket: its `?lang=`) speaks."""
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else DEFAULT


TALLY_PARTS = (
    ("open", _l("%(num)d open")),
    ("answered", _l("%(num)d answered")),
    ("awaiting_answer", _l("%(num)d awaiting a written answer")),
    ("awaiting_review", _l("%(num)d awaiting review")),
    ("rejected", _l("%(num)d rejected")),
    ("hidden", _l("%(num)d hidden")),
    ("withdrawn", _l("%(num)d withdrawn")),
    ("merged", _l("%(num)d merged")),
)


def tally_text(tally: dict[str, int]) -> str:
    """Every question accounted for, in one sentence; only the states some question is in are named.

    The room page says it (live_pages.tally_sentence) and events carry it (`tally_text`, in every language)
    for the script.
    """
    asked = tally.get("asked", 0)
    if not asked:
        return _("No questions asked yet.")
    # A list's separator is a word of its own in some languages (translators give it).
    parts = _(", ").join(str(label) % {"num": tally[key]} for key, label in TALLY_PARTS if tally.get(key))
    return ngettext("%(num)d question asked: %(parts)s.", "%(num)d questions asked: %(parts)s.", asked, parts=parts)


# --- joining: catch-up or snapshot --------------------------------------------------------------


def events_after(live: LiveSession, last_seq: int, lang: str | None = None) -> list[dict[str, Any]] | None:
    """The events after `last_seq` (in `lang`, else the language being spoken), or None when the client must
    take a full snapshot instead.

    None when the gap is longer than LIVE_CATCH_UP_MAX (a snapshot is smaller
    than replaying it), or when the client claims a number this session never
    reached (its memory is from another database, or forged).
    """
    current = live.seq
    if last_seq < 0 or last_seq > current or current - last_seq > current_app.config["LIVE_CATCH_UP_MAX"]:
        return None
    rows = db.session.scalars(
        select(SessionEvent)
        .where(SessionEvent.session_id == live.id, SessionEvent.seq > last_seq)
        .order_by(SessionEvent.seq)
    )
    return [wire(e, lang or speaking()) for e in rows]


_snapshot_parts: list[Callable[[LiveSession], dict[str, Any]]] = []


def add_snapshot_part(part: Callable[[LiveSession], dict[str, Any]]) -> None:
    """A feature of the room kept elsewhere (polls: `poll_events`) adds its keys to every snapshot, so a joining
    reader gets it too without this module importing the feature."""
    if part not in _snapshot_parts:
        _snapshot_parts.append(part)


_snapshots: dict[tuple[Any, ...], dict[str, Any]] = {}  # the latest public snapshot per session, by sequence number
_snapshot_lock = threading.Lock()
_builders: dict[tuple[Any, ...], threading.Lock] = {}  # one builder per session at a time: the others wait for it


def snapshot(live: LiveSession, lang: str | None = None) -> dict[str, Any]:
    """Everything a new reader needs, in their language (`lang`, else the one being spoken), built once per
    sequence number and shared by everyone who joins meanwhile: its words are made once in every language,
    and each language's copy is picked out once.

    A thousand residents joining at the start of a session would otherwise each cost a full read of the
    room. Reusing it is safe because everything in it changes only with a numbered event, and a joiner
    applies the events after the number it was given: vote counts committed since the snapshot was built
    are not numbered yet, so they arrive in the next "votes" event. The key includes the app and the
    session's creation time, so a cached room is never served from another database (tests build many).
    It is kept for SNAPSHOT_SECONDS at most: what changes without an event (a deleted account's name
    becoming "former member") shows within seconds, as on a page.

    One joiner builds it while the others who join meanwhile wait for that one build: building yields to
    the event loop at every query, and in a join storm (bench/live_load.py, 100 joins a second) every joiner
    arriving during a build used to build its own, which took half the server's time and made each build
    slower still. A joiner whose number is older than the shared snapshot's is served the newer one, as if
    it had read the room a moment later: its answer keeps its own number, so it applies the events after
    that number, which only repeat what the snapshot shows (the rule for every join).
    """
    key = _snapshot_key(live)
    lang = lang or speaking()
    cached = _shared(key, live.seq)
    if cached is None:
        with _snapshot_lock:
            builder = _builders.setdefault(key, threading.Lock())
        with builder:
            cached = _shared(key, live.seq)  # built by the joiner this one waited for
            if cached is None:
                cached = _store(key, live.seq, _build_snapshot(live))
    if lang not in cached["in"]:
        cached["in"][lang] = localised(cached["data"], lang)
    fresh: dict[str, Any] = cached["in"][lang]
    return fresh


def snapshot_text(live: LiveSession, lang: str | None = None) -> str:
    """`snapshot` as JSON text (as Socket.IO writes it: no spaces), written once per shared snapshot and language.

    Each joiner's answer carries it as it is (realtime/packets.RawJSON): a room's snapshot is tens of
    kilobytes, and writing it for every joiner was a tenth of a join storm's work.
    """
    lang = lang or speaking()
    room = snapshot(live, lang)
    cached = _snapshots.get(_snapshot_key(live))
    if cached is None or cached["in"].get(lang) is not room:  # a shared snapshot replaced meanwhile
        return json.dumps(room, separators=(",", ":"))
    texts: dict[str, str] = cached.setdefault("text", {})
    if lang not in texts:
        texts[lang] = json.dumps(room, separators=(",", ":"))
    return texts[lang]


def _snapshot_key(live: LiveSession) -> tuple[Any, ...]:
    return (id(current_app._get_current_object()), live.id, live.created_at)  # type: ignore[attr-defined]  # a LocalProxy


def _shared(key: tuple[Any, ...], seq: int) -> dict[str, Any] | None:
    """The shared snapshot for `key` when it shows at least number `seq` and is younger than SNAPSHOT_SECONDS."""
    cached = _snapshots.get(key)
    if cached is None or cached["seq"] < seq or time.monotonic() - cached["at"] >= SNAPSHOT_SECONDS:
        return None
    return cached


def _store(key: tuple[Any, ...], seq: int, data: dict[str, Any]) -> dict[str, Any]:
    with _snapshot_lock:
        if len(_snapshots) > 1000:  # one entry per session joined recently; never grows without bound
            _snapshots.clear()
            _builders.clear()
        cached = _snapshots[key] = {"seq": seq, "at": time.monotonic(), "data": data, "in": {}}
    return cached


def _build_snapshot(live: LiveSession) -> dict[str, Any]:
    questions = public_questions(live.id)
    chat = list(
        db.session.scalars(
            select(ChatMessage)
            .options(selectinload(ChatMessage.author).selectinload(User.representative))
            .where(ChatMessage.session_id == live.id, ChatMessage.state.in_(ChatMessage.PUBLIC_STATES))
            .order_by(ChatMessage.id.desc())
            .limit(CHAT_SHOWN)
        )
    )
    notes = list(
        db.session.scalars(
            select(SessionAnnouncement)
            .where(SessionAnnouncement.session_id == live.id)
            .order_by(SessionAnnouncement.id.desc())
            .limit(ANNOUNCEMENTS_SHOWN)
        )
    )
    everyone = Fragments(live, Audience.everyone())
    counts = tally(live.id)
    in_use = order_in_use.of(live.id)
    extra: dict[str, Any] = {}
    for part in _snapshot_parts:
        extra.update(part(live))
    return {
        **extra,
        "session": session_data(live),
        "questions": [question_wire(q, everyone) for q in questions],
        "top": live_order.fair_top(questions, in_use.scores),
        "orders": orders(live.id, in_use=in_use),
        "order_rule": order_rule_data(in_use),
        "chat": [chat_data(m) for m in reversed(chat)],
        "announcements": [announcement_data(n) for n in reversed(notes)],
        "tally": counts,
        "tally_text": in_every_language(lambda: tally_text(counts)),
    }


def _with_people(stmt: Select[tuple[SessionQuestion]]) -> Select[tuple[SessionQuestion]]:
    """Load askers (with their representative profile, for the badge) and answerers in two queries, not 2N."""
    return stmt.options(
        selectinload(SessionQuestion.author).selectinload(User.representative),
        selectinload(SessionQuestion.answered_by),
    )


def room_outline(session_id: int) -> list[Row[Any]]:
    """The room's questions as the few columns that order and sort them: no text, no people, no ORM objects.

    A room of 1,000 questions is 1,000 small tuples; pages then load whole only the ones they list."""
    stmt = select(
        SessionQuestion.id,
        SessionQuestion.author_id,
        SessionQuestion.vote_count,
        SessionQuestion.status,
        SessionQuestion.pinned_at,
        SessionQuestion.answered_at,
        SessionQuestion.taken_at,
    ).where(*shown_in_room(session_id))
    return list(db.session.execute(stmt))


def tab_order(sort: str, outline: list[Row[Any]], scores: Mapping[int, float] | None = None) -> list[Row[Any]]:
    """A tab of the room's list, in order: "top" (the published order: by `scores` in broad-support order,
    see `order_in_use`), "new" (newest first) or "answered" (the latest answer first)."""
    if sort == "new":
        return sorted(outline, key=lambda q: q.id, reverse=True)
    if sort == "answered":
        done = [q for q in outline if q.status == SessionQuestion.ANSWERED]
        return sorted(done, key=lambda q: (q.answered_at, q.id), reverse=True)
    return list(live_order.ranked(outline, scores))


def answering_order(outline: list[Row[Any]]) -> list[Row[Any]]:
    return sorted((q for q in outline if q.status == SessionQuestion.ANSWERING), key=lambda q: q.id)


def next_up_order(outline: list[Row[Any]]) -> list[Row[Any]]:
    """Pinned "next up", the first pinned first."""
    return sorted((q for q in outline if q.pinned_at is not None), key=lambda q: (q.pinned_at, q.id))


def projector_order(outline: list[Row[Any]], scores: Mapping[int, float] | None = None) -> list[Row[Any]]:
    """What the projector lists after the question being answered: pinned first, then the published order."""
    pinned = next_up_order(outline)
    return (pinned + [q for q in live_order.ranked(outline, scores) if q.pinned_at is None])[:PROJECTOR_NEXT]


def orders(
    session_id: int, only: tuple[str, ...] | None = None, in_use: order_in_use.InUse | None = None
) -> dict[str, list[int]]:
    """Every list of the room as ids in the order the pages show them: the room's script never sorts.

    "top", "new" and "answered" are the tabs; "answering" and "next_up" the boxes; "projector" the
    projector's next questions. `only` picks some (a vote moves only "top" and "projector"). The published
    order is the room's rule in use (`order_in_use`, read here unless given): the one place that decides it
    for pages, events and the pulse's "votes" events alike."""
    outline = room_outline(session_id)
    scores = (in_use or order_in_use.of(session_id)).scores
    makers: dict[str, Callable[[], list[Row[Any]]]] = {
        "top": lambda: tab_order("top", outline, scores),
        "new": lambda: tab_order("new", outline),
        "answered": lambda: tab_order("answered", outline),
        "answering": lambda: answering_order(outline),
        "next_up": lambda: next_up_order(outline),
        "projector": lambda: projector_order(outline, scores),
    }
    return {name: [q.id for q in make()] for name, make in makers.items() if only is None or name in only}


def open_outline(session_id: int) -> Sequence[Row[tuple[int, int, int, str, datetime | None]]]:
    """The room's open questions as the five columns the published order reads (`live_order`)."""
    return db.session.execute(
        select(
            SessionQuestion.id,
            SessionQuestion.author_id,
            SessionQuestion.vote_count,
            SessionQuestion.status,
            SessionQuestion.pinned_at,
        ).where(*shown_in_room(session_id), SessionQuestion.status == SessionQuestion.OPEN)
    ).all()


def shown_in_room(session_id: int) -> tuple[ColumnElement[bool], ...]:
    """Which questions the room shows, as WHERE conditions: public, not merged into another. The one rule
    for the live updates, the top order, the pages (`live_pages`) and the transcript and its exports."""
    return (
        SessionQuestion.session_id == session_id,
        SessionQuestion.state.in_(SessionQuestion.PUBLIC_STATES),
        SessionQuestion.status != SessionQuestion.MERGED,
    )


def shown(question: SessionQuestion) -> bool:
    """`shown_in_room` for one question already loaded."""
    return question.is_public and question.status != SessionQuestion.MERGED


def awaits_written_answer(question: SessionQuestion) -> bool:
    """The one rule for "Awaiting a written answer", wherever it is said (room, transcript, exports, the asker's
    list, the record): the room shows the question and its session ended before the panel answered it.

    Ending a session moves every open question, held ones included, to `AWAITING`; so a held question
    approved afterwards awaits a written answer from the moment it is shown, whichever came first.
    """
    return shown(question) and question.status == SessionQuestion.AWAITING


def public_questions(session_id: int) -> list[SessionQuestion]:
    stmt = _with_people(select(SessionQuestion).where(*shown_in_room(session_id)).order_by(SessionQuestion.id))
    return list(db.session.scalars(stmt))


def personal(user: User | None, live: LiveSession) -> dict[str, Any]:
    """What only this reader sees: their votes, their questions' review status, and held questions for moderators."""

    data: dict[str, Any] = {"roles": live_roles.roles(user, live), "my_votes": [], "mine": [], "pending": None}
    if not signed_in(user):
        return data
    # Their votes and their questions in one query (a join storm is mostly residents with neither yet).
    voted = QuestionVote.user_id.is_not(None)
    rows = db.session.execute(
        select(SessionQuestion, voted.label("voted"))
        .outerjoin(QuestionVote, (QuestionVote.question_id == SessionQuestion.id) & (QuestionVote.user_id == user.id))
        .where(SessionQuestion.session_id == live.id, (SessionQuestion.author_id == user.id) | voted)
        .order_by(SessionQuestion.id)
    ).all()
    data["my_votes"] = [question.id for question, did in rows if did]
    data["mine"] = [mine_wire(question) for question, _ in rows if question.author_id == user.id]
    if live_roles.is_moderator(user):
        lang = speaking()
        held = held_questions(live.id)
        data["pending"] = [
            localised(staff_data(q, getattr(moderation_queue.find("question", q.id), "id", None), (lang,)), lang)
            for q in held
        ]
        data["staff"] = staff_fragments(live)
    return data


def staff_fragments(live: LiveSession) -> dict[str, Any]:
    """The room's questions with moderators' tools (and anonymous askers' names), for a moderator joining, in
    the language being spoken."""
    lang = speaking()
    staff = Fragments(live, Audience.staff(live.id), langs=(lang,))
    shown: dict[str, Any] = localised(
        {
            "seq": live.seq,
            "questions": [{"id": q.id, "html": staff.question(q)} for q in public_questions(live.id)],
            "merge_targets_html": staff.merge_targets(),
        },
        lang,
    )
    return shown


def held_questions(session_id: int) -> list[SessionQuestion]:
    stmt = _with_people(
        select(SessionQuestion)
        .where(SessionQuestion.session_id == session_id, SessionQuestion.state == "held")
        .order_by(SessionQuestion.id)
    )
    return list(db.session.scalars(stmt))


def tally(session_id: int) -> dict[str, int]:
    """Every question accounted for: how many were asked and where each one is now."""
    rows = db.session.execute(
        select(SessionQuestion.state, SessionQuestion.status, func.count())
        .where(SessionQuestion.session_id == session_id)
        .group_by(SessionQuestion.state, SessionQuestion.status)
    ).all()
    counts = dict.fromkeys(
        (
            "asked",
            "awaiting_review",
            "rejected",
            "hidden",
            "withdrawn",
            "merged",
            "answered",
            "open",
            "awaiting_answer",
        ),
        0,
    )
    for state, status, n in rows:
        counts["asked"] += n
        if state == "held":
            counts["awaiting_review"] += n
        elif state == "removed":
            counts["rejected"] += n
        elif state in ("hidden", "flag_hidden"):
            counts["hidden"] += n
        elif state == "withdrawn":
            counts["withdrawn"] += n
        elif status == SessionQuestion.MERGED:
            counts["merged"] += n
        elif status == SessionQuestion.ANSWERED:
            counts["answered"] += n
        elif status == SessionQuestion.AWAITING:
            counts["awaiting_answer"] += n
        else:
            counts["open"] += n
    return counts
