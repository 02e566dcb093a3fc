"""The validated instruments the product ships, as data: items, answers, scoring, source, licence.

A definition here is what a form is built from when an instrument is switched on for a
service (see ``services.collection_switch_on``), and how a completed response is scored
(see ``selectors``). The arithmetic of each scoring rule is pure and lives in
``coproduce.analysis.instruments``; this module adds the wording (English, through
gettext, so that it can be translated), each answer's score, the published source and
the terms under which the instrument may be used.

Each instrument has one or more *measures*: ONS4 is four separate measures (one per
item), the others one total each. An indicator follows one measure.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from coproduce.analysis import instruments as scoring


class InstrumentSlug(models.TextChoices):
    ONS4 = "ons4", _("ONS4 personal wellbeing")
    SWEMWBS = "swemwbs", _("SWEMWBS mental wellbeing")
    LONELINESS = "loneliness", _("Three-item loneliness scale")
    BELONGING = "belonging", _("Belonging to the neighbourhood")
    TRUST = "trust", _("Generalised trust")
    ROSENBERG = "rosenberg", _("Rosenberg self-esteem scale")


@dataclass(frozen=True)
class Option:
    label: StrOrPromise
    score: int


@dataclass(frozen=True)
class Item:
    key: str
    text: StrOrPromise
    # None: a 0-10 scale (the forms' own "scale" question); otherwise the options in the
    # order people see them, each with its score.
    options: tuple[Option, ...] | None = None
    hint: StrOrPromise = ""


@dataclass(frozen=True)
class Measure:
    key: str
    label: StrOrPromise
    low: float
    high: float
    higher_is_better: bool
    score: Callable[[Mapping[str, object]], float]


@dataclass(frozen=True)
class Instrument:
    slug: InstrumentSlug
    introduction: StrOrPromise
    items: tuple[Item, ...]
    measures: tuple[Measure, ...]
    source: str
    licence: StrOrPromise
    # The licence asks each user to register: the organisation confirms it holds one.
    needs_licence: bool = False

    @property
    def name(self) -> str:
        return str(self.slug.label)

    def measure(self, key: str) -> Measure:
        return next(measure for measure in self.measures if measure.key == key)


class AnswerError(scoring.ScoreError):
    """A stored answer that is not one of the item's options."""


def item_scores(instrument: Instrument, answers: Mapping[str, object]) -> dict[str, object]:
    """Each item's score from the answers as the forms store them (by item key).

    A 0-10 scale is stored as its number; a choice as the option's position (1, 2, …),
    which becomes that option's score. A missing answer stays missing, so that scoring
    refuses it by name.
    """
    scores: dict[str, object] = {}
    for item in instrument.items:
        if item.key not in answers:
            continue
        value = answers[item.key]
        if item.options is None:
            scores[item.key] = value
            continue
        position = int(str(value)) if str(value).isdigit() else 0
        if not 1 <= position <= len(item.options):
            raise AnswerError(item.key, f"{value!r} is not one of the item's answers")
        scores[item.key] = item.options[position - 1].score
    return scores


# --- the definitions -------------------------------------------------------------------

ZERO_TO_TEN = _("0 is “not at all” and 10 is “completely”.")

ONS4 = Instrument(
    slug=InstrumentSlug.ONS4,
    introduction=_(
        "Next are four questions about your feelings on aspects of your life. There are "
        "no right or wrong answers. For each, give an answer on a scale of 0 to 10, where "
        "0 is “not at all” and 10 is “completely”."
    ),
    items=(
        Item(
            "satisfied",
            _("Overall, how satisfied are you with your life nowadays?"),
            None,
            ZERO_TO_TEN,
        ),
        Item(
            "worthwhile",
            _(
                "Overall, to what extent do you feel that the things you do in "
                "your life are worthwhile?"
            ),
            None,
            ZERO_TO_TEN,
        ),
        Item("happy", _("Overall, how happy did you feel yesterday?"), None, ZERO_TO_TEN),
        Item(
            "anxious",
            _("Overall, how anxious did you feel yesterday?"),
            None,
            _("0 is “not at all anxious” and 10 is “completely anxious”."),
        ),
    ),
    measures=(
        Measure(
            "satisfied",
            _("Life satisfaction (0–10)"),
            0,
            10,
            True,
            partial(scoring.ons4_item, item="satisfied"),
        ),
        Measure(
            "worthwhile",
            _("Feeling that what one does is worthwhile (0–10)"),
            0,
            10,
            True,
            partial(scoring.ons4_item, item="worthwhile"),
        ),
        Measure(
            "happy",
            _("Happiness yesterday (0–10)"),
            0,
            10,
            True,
            partial(scoring.ons4_item, item="happy"),
        ),
        Measure(
            "anxious",
            _("Anxiety yesterday (0–10, lower is better)"),
            0,
            10,
            False,
            partial(scoring.ons4_item, item="anxious"),
        ),
    ),
    source=(
        "Office for National Statistics, Personal well-being user guidance "
        "(https://www.ons.gov.uk/peoplepopulationandcommunity/wellbeing/methodologies/"
        "personalwellbeingsurveyuserguide). Thresholds: life satisfaction, worthwhile and "
        "happiness low 0-4, medium 5-6, high 7-8, very high 9-10; anxiety very low 0-1, "
        "low 2-3, medium 4-5, high 6-10."
    ),
    licence=_(
        "Crown copyright, free to use under the Open Government Licence v3.0: cite the "
        "Office for National Statistics as the source."
    ),
)

SWEMWBS_OPTIONS = (
    Option(_("None of the time"), 1),
    Option(_("Rarely"), 2),
    Option(_("Some of the time"), 3),
    Option(_("Often"), 4),
    Option(_("All of the time"), 5),
)
SWEMWBS = Instrument(
    slug=InstrumentSlug.SWEMWBS,
    introduction=_(
        "Below are some statements about feelings and thoughts. Choose the answer that best "
        "describes your experience of each over the last 2 weeks."
    ),
    items=tuple(
        Item(f"item{n}", text, SWEMWBS_OPTIONS)
        for n, text in enumerate(
            (
                _("I’ve been feeling optimistic about the future"),
                _("I’ve been feeling useful"),
                _("I’ve been feeling relaxed"),
                _("I’ve been dealing with problems well"),
                _("I’ve been thinking clearly"),
                _("I’ve been feeling close to other people"),
                _("I’ve been able to make up my own mind about things"),
            ),
            start=1,
        )
    ),
    measures=(
        Measure(
            "metric",
            _("Mental wellbeing, SWEMWBS metric score (7–35)"),
            7,
            35,
            True,
            scoring.swemwbs_score,
        ),
    ),
    source=(
        "Stewart-Brown S, Tennant A, Tennant R, Platt S, Parkinson J, Weich S. Internal "
        "construct validity of the Warwick-Edinburgh Mental Well-being Scale (WEMWBS): a "
        "Rasch analysis using data from the Scottish Health Education Population Survey. "
        "Health and Quality of Life Outcomes 2009;7:15, doi:10.1186/1477-7525-7-15. "
        "Raw-to-metric conversion table as published by Warwick Medical School."
    ),
    licence=_(
        "Short Warwick Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, "
        "University of Warwick and University of Edinburgh, 2008, all rights reserved. Free "
        "to use, but each organisation must register with Warwick Medical School for a "
        "licence before using it, and reports of its results must carry this notice."
    ),
    needs_licence=True,
)

LONELINESS_OPTIONS = (
    Option(_("Hardly ever or never"), 1),
    Option(_("Some of the time"), 2),
    Option(_("Often"), 3),
)
LONELINESS = Instrument(
    slug=InstrumentSlug.LONELINESS,
    introduction=_(
        "The next questions are about how you feel about different aspects of your life."
    ),
    items=(
        Item(
            "companionship",
            _("How often do you feel that you lack companionship?"),
            LONELINESS_OPTIONS,
        ),
        Item("left_out", _("How often do you feel left out?"), LONELINESS_OPTIONS),
        Item("isolated", _("How often do you feel isolated from others?"), LONELINESS_OPTIONS),
    ),
    measures=(
        Measure(
            "total",
            _("Loneliness score (3–9, lower is better)"),
            3,
            9,
            False,
            scoring.loneliness_score,
        ),
    ),
    source=(
        "Hughes ME, Waite LJ, Hawkley LC, Cacioppo JT. A short scale for measuring "
        "loneliness in large surveys. Research on Aging 2004;26(6):655-672; the wording and "
        "scoring recommended by the Office for National Statistics, Measuring loneliness: "
        "guidance for use of the national indicators on surveys (2018)."
    ),
    licence=_(
        "Published in the research literature and recommended by the ONS for surveys; no "
        "registration is asked. Cite the source."
    ),
)

BELONGING = Instrument(
    slug=InstrumentSlug.BELONGING,
    introduction=_("This question is about the area within 15 to 20 minutes’ walk of your home."),
    items=(
        Item(
            "belonging",
            _("How strongly do you feel you belong to your immediate neighbourhood?"),
            (
                Option(_("Very strongly"), 4),
                Option(_("Fairly strongly"), 3),
                Option(_("Not very strongly"), 2),
                Option(_("Not at all strongly"), 1),
            ),
        ),
    ),
    measures=(
        Measure(
            "belonging",
            _("Belonging to the neighbourhood (1–4)"),
            1,
            4,
            True,
            scoring.belonging_score,
        ),
    ),
    source=(
        "Department for Culture, Media and Sport, Community Life Survey, question on "
        "belonging to the immediate neighbourhood (4-point scale; "
        "'don't know' is not offered here)."
    ),
    licence=_("Crown copyright, free to use under the Open Government Licence v3.0."),
)

TRUST = Instrument(
    slug=InstrumentSlug.TRUST,
    introduction="",
    items=(
        Item(
            "trust",
            _(
                "Generally speaking, would you say that most people can be trusted, or "
                "that you can’t be too careful in dealing with people?"
            ),
            (Option(_("Most people can be trusted"), 1), Option(_("You can’t be too careful"), 0)),
        ),
    ),
    measures=(
        Measure(
            "trust",
            _("Share who say most people can be trusted (0–1)"),
            0,
            1,
            True,
            scoring.trust_score,
        ),
    ),
    source=(
        "The generalised trust question of the Community Life Survey and the ONS "
        "social capital indicators (after the General Social Survey and the European "
        "Social Survey); 'it depends' is not offered here."
    ),
    licence=_("A standard survey question, free to use (Open Government Licence v3.0)."),
)

ROSENBERG_OPTIONS = (
    Option(_("Strongly agree"), 3),
    Option(_("Agree"), 2),
    Option(_("Disagree"), 1),
    Option(_("Strongly disagree"), 0),
)
ROSENBERG = Instrument(
    slug=InstrumentSlug.ROSENBERG,
    introduction=_("Below is a list of statements about your general feelings about yourself."),
    items=tuple(
        Item(f"item{n}", text, ROSENBERG_OPTIONS)
        for n, text in enumerate(
            (
                _("On the whole, I am satisfied with myself."),
                _("At times I think I am no good at all."),
                _("I feel that I have a number of good qualities."),
                _("I am able to do things as well as most other people."),
                _("I feel I do not have much to be proud of."),
                _("I certainly feel useless at times."),
                _("I feel that I’m a person of worth, at least on an equal plane with others."),
                _("I wish I could have more respect for myself."),
                _("All in all, I am inclined to feel that I am a failure."),
                _("I take a positive attitude toward myself."),
            ),
            start=1,
        )
    ),
    measures=(Measure("total", _("Self-esteem (0–30)"), 0, 30, True, scoring.rosenberg_score),),
    source=(
        "Rosenberg M. Society and the Adolescent Self-Image. Princeton University Press, "
        "1965. Items 2, 5, 6, 8 and 9 are reverse-scored."
    ),
    licence=_(
        "The scale may be used without explicit permission for research and practice "
        "(the Morris Rosenberg Foundation); cite the source."
    ),
)

INSTRUMENTS: dict[str, Instrument] = {
    instrument.slug.value: instrument
    for instrument in (ONS4, SWEMWBS, LONELINESS, BELONGING, TRUST, ROSENBERG)
}


def measure_choices() -> list[tuple[str, str]]:
    """(``slug:measure``, label) of every measure, for an indicator's choice of measure."""
    return [
        (f"{instrument.slug.value}:{measure.key}", f"{instrument.name}: {measure.label}")
        for instrument in INSTRUMENTS.values()
        for measure in instrument.measures
    ]
