"""Exceptions the engine raises; each says what was wrong in a sentence a person can read.

They all derive from ModerationError, so the app can map the whole family to one
error response; the ValueError ones are mistakes in the input, not in the engine.
"""

from __future__ import annotations


class ModerationError(Exception):
    """Base class: `code` is stable for the app and translations, the message is for people."""

    code = "moderation_error"


class PolicyError(ModerationError, ValueError):
    """A stored or submitted policy is malformed; `path` names the setting (e.g. `policy.limits.reply`)."""

    code = "invalid_policy"

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class InvalidFlag(ModerationError, ValueError):
    """A flag (report) from a member is not acceptable; `field` names the form field."""

    code = "invalid_flag"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class IllegalTransition(ModerationError):
    """A review action that the item's current state does not allow (e.g. approving removed content)."""

    code = "illegal_transition"

    def __init__(self, state: object, action: object) -> None:
        state_value = getattr(state, "value", state)
        action_value = getattr(action, "value", action)
        super().__init__(f"Cannot {action_value} an item that is {state_value}.")
        self.state = state
        self.action = action


class InvalidDecision(ModerationError, ValueError):
    """A moderator decision is incomplete, e.g. hiding without saying why."""

    code = "invalid_decision"


class InvalidSanction(ModerationError, ValueError):
    """A sanction is inconsistent, e.g. a mute without an end time."""

    code = "invalid_sanction"


class AppealError(ModerationError):
    """Base for appeals that the rules refuse."""

    code = "appeal_refused"


class AppealNotAllowed(AppealError):
    """This person may not appeal this decision (not theirs, nothing to appeal, or too late)."""

    code = "appeal_not_allowed"


class AppealAlreadyFiled(AppealError):
    """Each decision can be appealed once."""

    code = "appeal_already_filed"


class AppealAlreadyDecided(AppealError):
    """An appeal has an outcome already."""

    code = "appeal_already_decided"


class SameModerator(AppealError):
    """An appeal must be decided by someone other than the moderator who made the decision."""

    code = "same_moderator"
