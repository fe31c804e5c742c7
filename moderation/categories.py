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


CATEGORY_LABELS: dict[Category, str] = {
    Category.ABUSE_HARASSMENT: "Abuse or harassment",
    Category.HATE: "Hateful content",
    Category.SPAM: "Spam",
    Category.OFF_TOPIC: "Off topic",
    Category.PERSONAL_INFORMATION: "Personal information",
    Category.ILLEGAL: "Unlawful content",
    Category.OTHER: "Other reason",
}


# Reasons that say the author broke the house rules: a decision for one of these counts against them in their
# standing (what moderators see beside their next post). Off topic is not one: the post belonged elsewhere,
# which is no sanction and no mark against the person.
BREACHES: frozenset[Category] = frozenset(Category) - {Category.OFF_TOPIC}


def label(category: Category) -> str:
    """The public, capitalised label of a category (what readers and authors see)."""
    return CATEGORY_LABELS[category]
