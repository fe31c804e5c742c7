"""Why content is reported or acted on: one list shared by flags, decisions, sanctions and watched terms.

Keeping one list means the placeholder a reader sees ("Hidden by moderators: Spam")
uses the same words as the flag form and the transparency report.
"""

from __future__ import annotations

import enum


class Category(str, enum.Enum):
    ABUSE_HARASSMENT = "abuse_harassment"
    HATE = "hate"
    SPAM = "spam"
    OFF_TOPIC = "off_topic"
    PERSONAL_INFORMATION = "personal_information"
    ILLEGAL = "illegal"
    OTHER = "other"


def N_(text: str) -> str:  # noqa: N802 - gettext's name for "mark for translation, translate later"
    """Mark text for the translation catalogue without translating it: the engine has no locale.
    The app translates the label where it shows it (debate/services/moderation/text.py)."""
    return text


CATEGORY_LABELS: dict[Category, str] = {
    Category.ABUSE_HARASSMENT: N_("Abuse or harassment"),
    Category.HATE: N_("Hateful content"),
    Category.SPAM: N_("Spam"),
    Category.OFF_TOPIC: N_("Off topic"),
    Category.PERSONAL_INFORMATION: N_("Personal information"),
    Category.ILLEGAL: N_("Unlawful content"),
    Category.OTHER: N_("Other reason"),
}


# Reasons that say the author broke the house rules: a decision for one of these counts against them in their
# standing (what moderators see beside their next post). Off topic is not one: the post belonged elsewhere,
# which is no sanction and no mark against the person.
BREACHES: frozenset[Category] = frozenset(Category) - {Category.OFF_TOPIC}


def label(category: Category) -> str:
    """The public, capitalised label of a category (what readers and authors see)."""
    return CATEGORY_LABELS[category]
