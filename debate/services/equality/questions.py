"""The equality questions, as data: the form, the reports, the census import and the tests all read this list.

Wording follows the ONS 2021 Census for England and Wales (the Welsh wording is the census's Welsh form, in
translations/parts/equality.cy.po). Every question may be left blank (not answered) or answered "Prefer not
to say" (`PREFER_NOT`): the two are counted apart. Option values are stable codes stored in the database;
labels are lazy strings read in the reader's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

PREFER_NOT = "prefer_not"
# A postcode's outward code: "CF10", "SA1", "LL57", "W1A", "EC1V"; upper case, no space.
DISTRICT = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]?")


@dataclass(frozen=True)
class Option:
    value: str
    label: object
    group: object | None = None  # the census's high-level group (ethnic group), shown as a fieldset


@dataclass(frozen=True)
class Question:
    key: str
    label: object
    why: object
    options: tuple[Option, ...] = ()
    # "choice": one of `options`; "district": a postcode district typed in; "ward": one of the configured wards.
    kind: str = "choice"
    hint: object | None = None
    extra: dict[str, object] = field(default_factory=dict)

    def label_of(self, value: str) -> str:
        """The reader's words for a stored value (a district or ward is its own label)."""
        if value == PREFER_NOT:
            return str(PREFER_NOT_LABEL)
        for option in self.options:
            if option.value == value:
                return str(option.label)
        return value

    @property
    def open_ended(self) -> bool:
        """Values not fixed in advance (districts): a value seen by fewer than ten is never named."""
        return self.kind == "district"


PREFER_NOT_LABEL = _l("Prefer not to say")

AGE_BANDS = ("16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+")

_ASIAN = _l("Asian, Asian British or Asian Welsh")
_BLACK = _l("Black, Black British, Black Welsh, Caribbean or African")
_MIXED = _l("Mixed or Multiple ethnic groups")
_WHITE = _l("White")
_OTHER = _l("Other ethnic group")

ETHNIC_GROUPS = (
    Option("bangladeshi", _l("Bangladeshi"), _ASIAN),
    Option("chinese", _l("Chinese"), _ASIAN),
    Option("indian", _l("Indian"), _ASIAN),
    Option("pakistani", _l("Pakistani"), _ASIAN),
    Option("other_asian", _l("Any other Asian background"), _ASIAN),
    Option("african", _l("African"), _BLACK),
    Option("caribbean", _l("Caribbean"), _BLACK),
    Option("other_black", _l("Any other Black, Black British, Black Welsh or Caribbean background"), _BLACK),
    Option("white_asian", _l("White and Asian"), _MIXED),
    Option("white_black_african", _l("White and Black African"), _MIXED),
    Option("white_black_caribbean", _l("White and Black Caribbean"), _MIXED),
    Option("other_mixed", _l("Any other Mixed or Multiple background"), _MIXED),
    Option("white_british", _l("Welsh, English, Scottish, Northern Irish or British"), _WHITE),
    Option("irish", _l("Irish"), _WHITE),
    Option("gypsy_traveller", _l("Gypsy or Irish Traveller"), _WHITE),
    Option("roma", _l("Roma"), _WHITE),
    Option("other_white", _l("Any other White background"), _WHITE),
    Option("arab", _l("Arab"), _OTHER),
    Option("other_ethnic", _l("Any other ethnic group"), _OTHER),
)

QUESTIONS: tuple[Question, ...] = (
    Question(
        "age",
        _l("How old are you?"),
        _l("To see whether younger and older people take part as much as others, such as the 16 to 24s."),
        (
            Option("under_16", _l("Under 16")),
            *(Option(band, _l("%(low)s to %(high)s", low=band[:2], high=band[3:])) for band in AGE_BANDS[:-1]),
            Option("75+", _l("75 or over")),
        ),
    ),
    Question(
        "sex",
        _l("What is your sex?"),
        _l("To see whether women and men take part equally."),
        (Option("female", _l("Female")), Option("male", _l("Male"))),
    ),
    Question(
        "gender_identity",
        _l("Is the gender you identify with the same as your sex registered at birth?"),
        _l("To see whether trans people take part. We keep only your yes or no, never a description."),
        # Welsh answers "Is ...?" with the verb's own yes and no: a context each.
        (Option("yes", lazy_pgettext("gender identity", "Yes")), Option("no", lazy_pgettext("gender identity", "No"))),
    ),
    Question(
        "ethnic_group",
        _l("What is your ethnic group?"),
        _l("To see whether people of every ethnic group take part, as the census counts them."),
        ETHNIC_GROUPS,
    ),
    Question(
        "long_term_condition",
        _l(
            "Do you have any physical or mental health conditions or illnesses lasting or expected to last "
            "12 months or more?"
        ),
        _l("To see whether disabled people and people with long-term conditions take part."),
        (
            Option("yes", lazy_pgettext("health condition", "Yes")),
            Option("no", lazy_pgettext("health condition", "No")),
        ),
    ),
    Question(
        "activity_limited",
        _l("Do any of your conditions or illnesses reduce your ability to carry out day-to-day activities?"),
        _l("With the question before, this is how the census counts people who are disabled under the Equality Act."),
        (
            Option("a_lot", _l("Yes, a lot")),
            Option("a_little", _l("Yes, a little")),
            Option("not_at_all", _l("Not at all")),
        ),
        hint=_l("Answer only if you have such a condition."),
    ),
    Question(
        "ward",
        _l("Which ward do you live in?"),
        _l("To see which parts of the area take part, and which do not."),
        kind="ward",
    ),
    Question(
        "postcode_district",
        _l("What is your postcode district?"),
        _l("To see which parts of the area take part, and which do not. A district is shared by thousands of homes."),
        kind="district",
        hint=_l("The first part of your postcode only, for example CF10 or SA1. Never your full postcode."),
    ),
    Question(
        "main_language",
        _l("What is your main language?"),
        _l("To see whether Welsh speakers and people whose main language is not English take part."),
        (Option("english", _l("English")), Option("welsh", _l("Welsh")), Option("other", _l("Another language"))),
    ),
)

BY_KEY = {q.key: q for q in QUESTIONS}


def wards() -> tuple[str, ...]:
    """The council's wards (EQUALITY_WARDS, comma-separated): none by default, and then the ward is not asked."""
    if not has_app_context():
        return ()
    return tuple(current_app.config.get("EQUALITY_WARDS", ()))


def under_16_allowed() -> bool:
    return has_app_context() and bool(current_app.config.get("EQUALITY_UNDER_16", False))


def asked() -> list[Question]:
    """The questions this site asks: the ward only when wards are configured; "Under 16" only when allowed."""
    shown = []
    for question in QUESTIONS:
        if question.kind == "ward":
            if not wards():
                continue
            question = Question(**{**question.__dict__, "options": tuple(Option(w, w) for w in wards())})
        elif question.key == "age" and not under_16_allowed():
            question = Question(**{**question.__dict__, "options": question.options[1:]})
        shown.append(question)
    return shown


def question(key: str) -> Question | None:
    return next((q for q in asked() if q.key == key), None)


def valid_values(q: Question) -> set[str]:
    return {o.value for o in q.options} | {PREFER_NOT}


def clean_district(raw: str) -> str | None:
    """A postcode district as typed ("cf10 ", "CF10 1AB" is refused: never the full postcode) or None."""
    value = "".join(raw.split()).upper()
    return value if DISTRICT.fullmatch(value) else None
