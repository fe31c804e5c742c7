"""evaluate(): every rule, how rules combine, and what the verdict carries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from moderation import (
    Action,
    AuthorHistory,
    Category,
    ContentKind,
    Context,
    ContextKind,
    NewAccountRules,
    PastPost,
    Policy,
    RateLimit,
    ReasonCode,
    Role,
    Sanction,
    SanctionKind,
    TermAction,
    TextRules,
    WatchedTerm,
    WatchList,
    fingerprint,
)

from .helpers import NOW, codes, judge, member, newcomer, watching


def test_plain_text_from_an_established_member_is_published():
    verdict = judge("I agree with the plan for the library.")
    assert verdict.action is Action.PUBLISH
    assert verdict.reasons == () and verdict.flags == () and verdict.matches == ()
    assert verdict.fingerprint == fingerprint("I agree with the plan for the library.")


class TestTextLimits:
    @pytest.mark.parametrize("text", ["", "   ", "\n\n\t", "\u200b\u200b", "\u3164", "\u2800", "\u0301\u0301"])
    def test_empty_is_rejected(self, text):
        verdict = judge(text)
        assert verdict.action is Action.REJECT
        assert codes(verdict) == {"empty"}
        assert verdict.reasons[0].message == "Your reply is empty. Please write something."

    @pytest.mark.parametrize(
        ("kind", "limit", "noun"),
        [
            (ContentKind.THREAD, 10_000, "post"),
            (ContentKind.REPLY, 5_000, "reply"),
            (ContentKind.QUESTION, 500, "question"),
            (ContentKind.CHAT_MESSAGE, 500, "message"),
            (ContentKind.DISPLAY_NAME, 60, "display name"),
        ],
    )
    def test_limit_per_kind(self, kind, limit, noun):
        assert judge("x" * limit, kind=kind).action is Action.PUBLISH
        verdict = judge("x" * (limit + 1), kind=kind)
        assert verdict.action is Action.REJECT
        assert verdict.reasons[0].message == (
            f"Your {noun} is too long: {limit + 1:,} characters, and the limit is {limit:,}. Please shorten it."
        )

    def test_length_counts_composed_characters(self):
        assert judge("e\u0301" * 60, kind=ContentKind.DISPLAY_NAME).action is Action.PUBLISH

    def test_a_thread_title_is_judged_too(self):
        verdict = judge("Body text.", kind=ContentKind.THREAD, title="t" * 151)
        assert [(r.code, r.field) for r in verdict.reasons] == [(ReasonCode.TOO_LONG, "title")]
        assert "Your title is too long" in verdict.reasons[0].message
        assert judge("Body", kind=ContentKind.THREAD, title=" ").reasons[0].field == "title"

    def test_limits_are_configurable(self):
        policy = Policy.from_dict({"limits": {"chat_message": 10}})
        assert judge("x" * 11, kind=ContentKind.CHAT_MESSAGE, policy=policy).action is Action.REJECT

    def test_control_characters_are_rejected(self):
        verdict = judge("abc\x00def")
        assert codes(verdict) == {"control_characters"}
        assert verdict.action is Action.REJECT

    def test_lone_surrogates_are_rejected(self):
        # json.loads('"\\ud800"') gives one; it could not be stored as UTF-8.
        assert codes(judge("abc\ud800")) == {"control_characters"}

    def test_private_use_characters_are_not_empty(self):
        assert judge("\uf8ff").action is Action.PUBLISH

    def test_tabs_and_newlines_are_fine(self):
        assert judge("line one\n\tline two\r\n").action is Action.PUBLISH

    def test_direction_controls_are_held_or_rejected_by_policy(self):
        assert judge("harmless\u202egnp.exe").action is Action.HOLD
        strict = Policy(text=TextRules(direction_controls_action=Action.REJECT))
        assert judge("harmless\u202egnp.exe", policy=strict).action is Action.REJECT

    def test_plain_direction_marks_are_fine(self):
        assert judge("שלום\u200f hello").action is Action.PUBLISH

    def test_stacked_accents_are_held(self):
        assert codes(judge("Z" + "\u0336" * 30)) == {"combining_flood"}
        assert judge("Việt Nam, ḗ").action is Action.PUBLISH  # two stacked marks are ordinary


class TestWatchedTerms:
    def test_block_rejects_and_says_what_and_why(self):
        verdict = judge("you idiot", policy=watching("idiot", action=TermAction.BLOCK))
        assert verdict.action is Action.REJECT
        [reason] = verdict.reasons
        assert reason.code is ReasonCode.WATCHED_BLOCKED
        assert reason.rule == "watchlist:idiot"
        assert "“idiot”" in reason.message and "abuse or harassment" in reason.message

    def test_block_found_by_guessing_holds_instead(self):
        verdict = judge("you 1d10t", policy=watching("idiot", action=TermAction.BLOCK))
        assert verdict.action is Action.HOLD
        assert "looks like" in verdict.reasons[0].message
        assert verdict.matches[0].certain is False

    def test_block_guesses_can_be_made_to_reject(self):
        policy = Policy(watchlist=WatchList((WatchedTerm("idiot", TermAction.BLOCK),), block_guesses=True))
        assert judge("you 1d10t", policy=policy).action is Action.REJECT

    def test_hold_holds(self):
        verdict = judge("you idiot", policy=watching("idiot"))
        assert verdict.action is Action.HOLD
        assert (
            verdict.reasons[0].message == "Your reply contains “idiot”. A moderator will check it before it is shown."
        )

    def test_flag_publishes_with_a_system_flag(self):
        policy = Policy(watchlist=WatchList((WatchedTerm("buy now", TermAction.FLAG, Category.SPAM),)))
        verdict = judge("Buy now!", policy=policy)
        assert verdict.action is Action.PUBLISH
        assert verdict.reasons == ()
        assert [f.code for f in verdict.flags] == [ReasonCode.WATCHED_FLAGGED]
        assert verdict.matches[0].category is Category.SPAM

    def test_every_term_is_reported(self):
        verdict = judge("idiot and stupid", policy=watching("idiot", "stupid"))
        assert [r.params["term"] for r in verdict.reasons] == ["idiot", "stupid"]

    def test_staff_are_not_exempt_from_watched_words(self):
        verdict = judge("idiot", author=member(role=Role.MODERATOR), policy=watching("idiot", action=TermAction.BLOCK))
        assert verdict.action is Action.REJECT

    def test_display_names_are_checked(self):
        verdict = judge("Mr Idiot", kind=ContentKind.DISPLAY_NAME, policy=watching("idiot", action=TermAction.BLOCK))
        assert verdict.action is Action.REJECT
        assert "Your display name" in verdict.reasons[0].message

    def test_a_title_is_scanned(self):
        verdict = judge("fine body", kind=ContentKind.THREAD, title="Idiot council", policy=watching("idiot"))
        assert [(m.term, m.field) for m in verdict.matches] == [("idiot", "title")]
        assert "Your title contains" in verdict.reasons[0].message


class TestNewAccounts:
    def test_first_posts_are_held(self):
        verdict = judge("Hello everyone", author=newcomer())
        assert verdict.action is Action.HOLD
        assert codes(verdict) == {"new_account"}
        assert "first 2 posts" in verdict.reasons[0].message

    def test_held_until_enough_posts_were_approved(self):
        assert judge("Hello", author=newcomer(approved_posts=1)).action is Action.HOLD
        assert judge("Hello", author=newcomer(approved_posts=2)).action is Action.PUBLISH

    def test_zero_disables(self):
        policy = Policy(new_accounts=NewAccountRules(hold_first_posts=0))
        assert judge("Hello", author=newcomer(), policy=policy).action is Action.PUBLISH

    def test_display_names_are_not_posts(self):
        assert judge("Sam", author=newcomer(), kind=ContentKind.DISPLAY_NAME).action is Action.PUBLISH

    def test_link_limit_for_new_accounts(self):
        author = newcomer(approved_posts=3)  # past the first posts, still new for links
        assert judge("see https://a.example.org", author=author).action is Action.PUBLISH
        verdict = judge("see https://a.example.org and www.b.com", author=author)
        assert verdict.action is Action.HOLD
        assert codes(verdict) == {"too_many_links"}
        assert verdict.reasons[0].params == {"links": 2, "limit": 1}

    def test_link_limit_ends_with_age_and_posts(self):
        author = member(joined_at=NOW - timedelta(days=8), approved_posts=5)
        assert judge("https://a.com https://b.com https://c.com", author=author).action is Action.PUBLISH

    def test_link_limit_can_reject(self):
        policy = Policy(new_accounts=NewAccountRules(hold_first_posts=0, max_links=0, links_action=Action.REJECT))
        verdict = judge("visit example.com", author=newcomer(), policy=policy)
        assert verdict.action is Action.REJECT
        assert "no links" in verdict.reasons[0].message

    def test_no_links_in_display_names(self):
        verdict = judge("Sam from sam.com", kind=ContentKind.DISPLAY_NAME)
        assert verdict.action is Action.REJECT
        assert verdict.reasons[0].message == "Display names can't contain links."

    def test_staff_are_exempt(self):
        moderator = newcomer(role=Role.MODERATOR)
        assert judge("see https://a.com https://b.com", author=moderator).action is Action.PUBLISH


class TestPace:
    def history(self, *seconds_ago: float, text: str = "something else entirely") -> AuthorHistory:
        return AuthorHistory(tuple(PastPost(NOW - timedelta(seconds=s), fingerprint(text)) for s in seconds_ago))

    def test_rate_limit_per_minute(self):
        assert judge("hi there", history=self.history(5, 10, 20, 30)).action is Action.PUBLISH
        verdict = judge("hi there", history=self.history(5, 10, 20, 30, 40))
        assert verdict.action is Action.REJECT
        assert codes(verdict) == {"rate_limited"}
        assert verdict.retry_after == timedelta(seconds=20)
        assert "at most 5 posts per minute" in verdict.reasons[0].message
        assert "wait 20 seconds" in verdict.reasons[0].message

    def test_a_post_exactly_a_minute_ago_no_longer_counts(self):
        assert judge("hi there", history=self.history(5, 10, 20, 30, 60)).action is Action.PUBLISH

    def test_hourly_limit(self):
        verdict = judge("hi there", history=self.history(*range(100, 3600, 58)))
        assert verdict.reasons[0].rule == "rate_limits[1]"

    def test_rate_limits_are_configurable(self):
        policy = Policy(rate_limits=(RateLimit(1, timedelta(seconds=30)),))
        assert judge("hi there", history=self.history(29), policy=policy).action is Action.REJECT
        assert judge("hi there", history=self.history(30), policy=policy).action is Action.PUBLISH

    def test_repeat_within_the_window_is_rejected(self):
        text = "Please fix the potholes on Main Street"
        verdict = judge("please  FIX the potholes on main street!!", history=self.history(125, text=text))
        assert verdict.action is Action.REJECT
        assert (
            verdict.reasons[0].message
            == "You posted the same text 2 minutes ago. Please don't post the same thing twice."
        )

    def test_repeat_after_the_window_is_fine(self):
        text = "Please fix the potholes on Main Street"
        assert judge(text, history=self.history(600, text=text)).action is Action.PUBLISH

    def test_short_replies_may_repeat(self):
        assert judge("Thank you!", history=self.history(30, text="thank you")).action is Action.PUBLISH

    def test_staff_are_exempt_from_pace(self):
        moderator = member(role=Role.ADMIN)
        assert judge("Keep it civil, please.", author=moderator, history=self.history(1, 2, 3, 4, 5, 6)).published


class TestContext:
    LIVE = Context(ContextKind.LIVE_SESSION, "session-7", frozenset({ContentKind.QUESTION}))

    def test_premoderated_session_holds_every_question(self):
        verdict = judge("When will the bridge open?", kind=ContentKind.QUESTION, context=self.LIVE)
        assert verdict.action is Action.HOLD
        assert verdict.reasons[0].message == "This session reviews every question before it is shown."
        assert verdict.reasons[0].rule == "context.premoderated"

    def test_other_kinds_in_the_session_are_not_premoderated(self):
        assert judge("Hello all", kind=ContentKind.CHAT_MESSAGE, context=self.LIVE).action is Action.PUBLISH

    def test_reasons_combine_at_the_same_severity(self):
        verdict = judge("When?", kind=ContentKind.QUESTION, context=self.LIVE, author=newcomer())
        assert codes(verdict) == {"premoderated", "new_account"}


class TestSanctions:
    def sanction(self, kind, ends=None, **changes):
        values = {
            "id": "s1",
            "kind": kind,
            "subject_id": "100",
            "decided_by": "9",
            "category": Category.ABUSE_HARASSMENT,
            "note": "repeated insults",
            "starts_at": NOW - timedelta(days=1),
            "ends_at": ends,
        }
        return Sanction(**(values | changes))

    def test_muted_author_is_rejected_with_reason_and_end(self):
        muted = member(sanctions=(self.sanction(SanctionKind.MUTE, NOW + timedelta(hours=3)),))
        verdict = judge("Hello", author=muted)
        assert verdict.action is Action.REJECT
        assert codes(verdict) == {"muted"}
        assert verdict.reasons[0].message == (
            "Your account is muted until 1 March 2025 at 15:00 UTC, so you can't post until then. "
            "Reason: abuse or harassment (repeated insults)."
        )
        assert verdict.reasons[0].params["until"] == "2025-03-01T15:00:00"

    def test_suspended_and_banned(self):
        suspended = member(sanctions=(self.sanction(SanctionKind.SUSPENSION, NOW + timedelta(days=3)),))
        assert codes(judge("Hello", author=suspended)) == {"suspended"}
        banned = member(sanctions=(self.sanction(SanctionKind.BAN),))
        verdict = judge("Hello", author=banned)
        assert codes(verdict) == {"banned"}
        assert verdict.reasons[0].message.startswith("Your account is banned")

    def test_mute_over_at_its_end(self):
        muted = member(sanctions=(self.sanction(SanctionKind.MUTE, NOW),))
        assert judge("Hello", author=muted).action is Action.PUBLISH

    def test_warning_does_not_stop_posting(self):
        warned = member(sanctions=(self.sanction(SanctionKind.WARNING),))
        assert judge("Hello", author=warned).action is Action.PUBLISH

    def test_sanction_comes_first_and_alone(self):
        banned = member(sanctions=(self.sanction(SanctionKind.BAN),))
        verdict = judge("", author=banned)
        assert codes(verdict) == {"banned"}


def test_rejection_hides_lesser_reasons():
    verdict = judge("idiot " + "x" * 6000, author=newcomer(), policy=watching("idiot"))
    assert codes(verdict) == {"too_long"}
    assert verdict.fingerprint == ""  # nothing to store for a refused text


def test_huge_input_is_refused_as_too_long():
    """Refused on length alone (how fast is bench/moderation_engine.py's business, not a timed test's)."""
    verdict = judge("a" * 1_000_000 + "\u200b" * 1_000_000, policy=watching("idiot"))
    assert codes(verdict) == {"too_long"}


def test_verdict_to_dict_is_json_ready():
    import json

    verdict = judge("you idiot", policy=watching("idiot"), author=newcomer())
    data = json.loads(json.dumps(verdict.to_dict()))
    assert data["action"] == "hold"
    assert {r["code"] for r in data["reasons"]} == {"watched_held", "new_account"}
    assert data["matches"][0]["term"] == "idiot"


def test_retry_after_only_when_rate_limited():
    assert judge("hello there").retry_after is None


def test_a_held_post_through_review_audit_and_appeal():
    """The whole path the app will follow for a first post that a moderator then hides, wrongly."""
    from moderation import (
        AppealOutcome,
        AppealRules,
        Decision,
        ReviewAction,
        ReviewState,
        decide,
        decide_appeal,
        file_appeal,
        for_decision,
        placeholder,
        state_after,
    )

    verdict = judge("Hello, I live on Mill Street.", author=newcomer(person_id="42"))
    assert verdict.held
    state = ReviewState.HELD
    hide = Decision("d1", "post-1", ReviewAction.HIDE, "mod-a", "42", NOW, Category.PERSONAL_INFORMATION)
    hidden = decide(state, hide)
    assert placeholder(hidden, hide.category) == "Hidden by moderators: Personal information"
    assert for_decision(hide, state, hidden).to_dict()["after"] == {"state": "hidden"}
    appeal = file_appeal(hide, "42", "A street name is not personal.", [], AppealRules(), NOW + timedelta(hours=1))
    decided = decide_appeal(appeal, hide, "mod-b", AppealOutcome.OVERTURNED, NOW + timedelta(hours=2))
    assert state_after(hidden, decided) is ReviewState.APPROVED
