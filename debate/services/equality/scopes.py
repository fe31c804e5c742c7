"""The "who is missing" reports staff and representatives read: one live session, one poll, one survey, one
thread, or everyone.

Each checks the reader's permission (the same figures for admins, moderators and verified representatives)
and returns the suppressed report with what it is about; none names a participant.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from debate.errors import NotFound
from debate.extensions import db
from debate.models.accounts import User
from debate.models.forums import Thread
from debate.models.live import LiveSession
from debate.models.polls import Poll
from debate.models.surveys import Survey
from debate.permissions import Permission, require
from debate.services.equality import participants
from debate.services.equality.reports import Report, profile_of
from debate.services.surveys import access as survey_access


@dataclass(frozen=True)
class Scope:
    kind: str  # "session", "poll", "survey", "thread" or "everyone"
    subject: LiveSession | Poll | Survey | Thread | None
    report: Report


def for_session(reader: User, session_id: int) -> Scope:
    require(reader, Permission.VIEW_PARTICIPATION)
    live = db.session.get(LiveSession, session_id)
    if live is None:
        raise NotFound(_("That content does not exist."))
    return Scope("session", live, profile_of(participants.in_session(session_id)))


def for_thread(reader: User, thread_id: int) -> Scope:
    require(reader, Permission.VIEW_PARTICIPATION)
    thread = db.session.get(Thread, thread_id)
    if thread is None or not thread.is_public:
        raise NotFound(_("That content does not exist."))
    return Scope("thread", thread, profile_of(participants.in_thread(thread_id)))


def for_poll(reader: User, poll_id: int) -> Scope:
    """Who answered one poll (open or closed; a draft has no one to count)."""
    require(reader, Permission.VIEW_PARTICIPATION)
    poll = db.session.get(Poll, poll_id)
    if poll is None or poll.state == Poll.DRAFT:
        raise NotFound(_("That content does not exist."))
    return Scope("poll", poll, profile_of(participants.in_poll(poll_id)))


def for_survey(reader: User, survey_id: int) -> Scope:
    """Who sent answers to one survey (a draft survey only for those who may see it)."""
    require(reader, Permission.VIEW_PARTICIPATION)
    survey = survey_access.visible(reader, survey_id)
    return Scope("survey", survey, profile_of(participants.in_survey(survey_id)))


def everyone(reader: User) -> Scope:
    require(reader, Permission.VIEW_PARTICIPATION)
    return Scope("everyone", None, profile_of(participants.anywhere()))
