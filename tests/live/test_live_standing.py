"""A question rejected as off topic is no mark against its asker (issue 12, item 23).

Moderators see an author's standing beside their next post ("N decisions against"): it counts decisions
for a breach of the rules (moderation.Decision.counts_against), not off-topic rejections, not typo
corrections, and not decisions overturned on appeal.
"""

from __future__ import annotations

from debate.services.live import questions as live_questions
from debate.services.moderation import appeals as moderation_appeals
from debate.services.moderation import standing as moderation_standing


def _against(user) -> int:
    return moderation_standing.history(user).decisions_against


def test_an_off_topic_rejection_does_not_count_against_the_asker(app, live, people):
    resident, moderator = people["resident"], people["moderator"]
    question = live_questions.ask(resident, live.id, "When will the new bus station open?")
    live_questions.reject(moderator, question.id, "off_topic", "This session is about housing.")
    assert _against(resident) == 0
    spam = live_questions.ask(resident, live.id, "Buy cheap watches at my shop, best prices in town!")
    live_questions.reject(moderator, spam.id, "spam")
    assert _against(resident) == 1


def test_a_corrected_typo_does_not_count_and_an_overturned_decision_stops_counting(app, live, people, make_user):
    resident, moderator = people["resident"], people["moderator"]
    typo = live_questions.ask(resident, live.id, "Wehn will the repairs start?")
    live_questions.approve(moderator, typo.id)
    live_questions.fix(moderator, typo.id, "When will the repairs start?", "Fixed a typo.")
    assert _against(resident) == 0
    question = live_questions.ask(resident, live.id, "Why are the council's repairs so slow?")
    decision = live_questions.reject(moderator, question.id, "abuse_harassment")
    assert _against(resident) == 1
    appeal = moderation_appeals.file(resident, decision_id=decision.id, statement="It was a fair question.")
    other = make_user(people["moderator"].role_enum, "Max Moderator")
    moderation_appeals.decide(other, appeal.id, "overturned", "A fair question, fairly put.")
    assert _against(resident) == 0
