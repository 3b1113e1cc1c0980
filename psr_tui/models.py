"""Pydantic models for the bodies of data: assessment, risk register, programme, meetings.

Cross-record rules (a score inside the framework's levels, a likelihood the matrix
has) need the other record: pass it as validation context, e.g.
``Response.model_validate(data, context={"framework": fw})``. The store gives each table's
context (`psr_tui.store.rules.context`), the same when it reads the file, when it writes and
when `psr check` looks.

Value rules (dates within 1900-2200, bounded numbers, named and distinct levels and bands)
refuse what is typed or imported. A file an older psr wrote may hold such a value: read with
``context={"stored": True}`` it loads, so the app still opens, and `psr check` names it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from fractions import Fraction
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from psr_tui.formatting import (
    Month,
    as_month_end,
    as_month_start,
    date_in_range,
    format_date,
    format_period,
    out_of_range,
    parse_date,
    stored_date,
)

DEFAULT_GROUPS = ("Executive", "Implementation Group")


def slugify(name: str) -> str:
    """A stable key for a name: lower case, words joined by underscores."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


# --- Messages --------------------------------------------------------------------------

# What a person calls a field, where its name does not say it.
_FIELD_WORDS = {"ref": "reference", "max": "band maximum", "n": "number of responses"}
# One item of a list field: "levels" item 2 is "level 3".
_ITEM_WORDS = {
    "levels": "level",
    "domains": "domain",
    "descriptors": "descriptor",
    "bands": "band",
    "scores": "scores row",
    "likelihood": "likelihood label",
    "impact": "impact label",
    "reviews": "review",
    "measures": "measure",
    "workstreams": "workstream",
    "deliverables": "deliverable",
    "objectives": "objective",
    "groups": "group",
}


def _field_word(name: str) -> str:
    return _FIELD_WORDS.get(name, name.replace("_", " "))


def _where(loc: Sequence[int | str]) -> str:
    words: list[str] = []
    previous: int | str = ""
    for part in loc:
        if isinstance(part, int):
            if isinstance(previous, int):
                words.append(f"item {part + 1}")  # a list in a list: row 3 item 2
            else:
                if previous in _ITEM_WORDS and words:
                    words[-1] = _ITEM_WORDS[previous]
                words.append(str(part + 1))
        elif part != "__root__":
            words.append(_field_word(part))
        previous = part
    return " ".join(words)


def _article(noun: str) -> str:
    return f"an {noun}" if noun[:1].lower() in "aeiou" else f"a {noun}"


def _sentence(item: ErrorDetails) -> str:
    """One pydantic error as a person would say it, naming the field."""
    loc = [p for p in item["loc"] if p != "__root__"]
    kind = item["type"]
    context = item.get("ctx") or {}
    given = item.get("input")
    field = _field_word(str(loc[-1])) if loc and isinstance(loc[-1], str) else ""
    parent = _where(loc[:-1]) if field else _where(loc)
    if kind in ("missing", "string_too_short") and field:
        message = f"{_article(field)} is needed"
        return f"{parent}: {message}" if parent else message
    if kind == "needed":
        return f"{parent}: {item['msg']}" if parent else item["msg"]
    where = _where(loc)
    if kind in ("int_parsing", "int_type", "int_from_float"):
        message = f"{given!r} is not a whole number"
    elif kind in ("float_parsing", "float_type"):
        message = f"{given!r} is not a number"
    elif kind in ("greater_than_equal", "greater_than"):
        message = f"{given!r} is below {context.get('ge', context.get('gt'))}"
    elif kind in ("less_than_equal", "less_than"):
        message = f"{given!r} is above {context.get('le', context.get('lt'))}"
    elif kind == "too_short":
        message = f"at least {context.get('min_length')} are needed"
    elif kind == "too_long":
        message = f"at most {context.get('max_length')} are allowed"
    elif kind in ("enum", "literal_error"):
        message = f"{given!r} is not one of {context.get('expected')}"
    elif kind == "extra_forbidden":
        message = "is not a field psr knows"
    elif kind in ("string_type", "list_type", "dict_type", "model_type", "model_attributes_type"):
        expected = {"string_type": "text", "list_type": "a list", "dict_type": "a mapping"}
        message = f"must be {expected.get(kind, 'a record')}, not {type(given).__name__}"
    else:
        message = item["msg"].removeprefix("Value error, ")
    if not where:
        return message
    return f"{where} {message}" if message.startswith(("is ", "must ")) else f"{where}: {message}"


def describe_validation_error(error: ValidationError) -> str:
    """Pydantic's errors as sentences a person uses, one per problem, joined with '; '
    (for one-line CLI errors and form messages). Every layer shows model errors through
    this one function."""
    return "; ".join(_sentence(item) for item in error.errors())


# --- Value rules -----------------------------------------------------------------------

MAX_SCORE = 1000  # a matrix score or band maximum (a 10x10 matrix scored 1-100 fits)
MAX_REVIEW_MONTHS = 120
MAX_COUNT = 1_000_000  # participants, sessions, responses behind a measure
MAX_LEVELS = 20
MAX_LABELS = 10  # likelihood or impact labels of a matrix


def _stored(info: ValidationInfo) -> bool:
    """Reading what is already in the file, which may predate a value rule."""
    return bool((info.context or {}).get("stored"))


def _refuse(info: ValidationInfo, message: str) -> None:
    """Refuse a value that breaks a value rule, unless it is being read from the file."""
    if not _stored(info):
        raise ValueError(message)


def _between(low: int, high: int) -> AfterValidator:
    def check(value: int, info: ValidationInfo) -> int:
        if not low <= value <= high:
            _refuse(info, f"{value} is not between {low} and {high}")
        return value

    return AfterValidator(check)


def needed(noun: str) -> AfterValidator:
    """Text that may not be empty: "a partnership name is needed"."""

    def check(value: str, info: ValidationInfo) -> str:
        if not value and not _stored(info):
            raise PydanticCustomError("needed", f"{_article(noun)} is needed")
        return value

    return AfterValidator(check)


Score = Annotated[int, _between(1, MAX_SCORE)]
ReviewMonths = Annotated[int, _between(1, MAX_REVIEW_MONTHS)]
Count = Annotated[int, _between(0, MAX_COUNT)]


def _date_validator(anchor: Callable[[date], date]) -> Callable[[Any, ValidationInfo], date]:
    def validate(value: Any, info: ValidationInfo) -> date:
        if isinstance(value, str):
            day = parse_date(value, bounded=False)
        elif isinstance(value, date) and not isinstance(value, datetime):
            day = value
        else:
            raise ValueError(f"{value!r} is not a date")
        if not date_in_range(day):
            _refuse(info, out_of_range(day))
        return anchor(day)

    return validate


_STORED_DATE = PlainSerializer(stored_date, return_type=str, when_used="json")
# Every date field is one of these two: read by the one parser (so a CSV, a form and the
# file accept the same dates), bounded, and a month-only date kept as one ("2016-02").
Day = Annotated[date, PlainValidator(_date_validator(as_month_end)), _STORED_DATE]
"""A date; known only to the month, it is the month's last day (due by then)."""
StartDay = Annotated[date, PlainValidator(_date_validator(as_month_start)), _STORED_DATE]
"""A date something starts; known only to the month, it is the month's first day."""


def _to_the_day(value: date, info: ValidationInfo) -> date:
    if isinstance(value, Month):
        _refuse(info, f"{format_date(value)} is a month: give the day, e.g. 16 Feb 2016")
    return value


ExactDay = Annotated[Day, AfterValidator(_to_the_day)]
"""A date known to the day: when a meeting is held, or its papers went out."""


def _distinct(info: ValidationInfo, what: str, names: Iterable[str]) -> None:
    """Refuse a blank name, or two that differ only in case."""
    seen: set[str] = set()
    for number, name in enumerate(names, start=1):
        if not name:
            _refuse(info, f"{what} {number} has no name")
        elif name.lower() in seen:
            _refuse(info, f"two {what}s are called {name!r}")
        seen.add(name.lower())


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Stamped(Model):
    """Fields every stored record carries for conflict detection and audit."""

    rev: int = 0
    updated_by: str = ""
    updated_at: datetime | None = None


StampedT = TypeVar("StampedT", bound=Stamped)


@dataclass(frozen=True)
class Record(Generic[StampedT]):
    """A stored model with the id it is stored under."""

    doc_id: int
    model: StampedT


# --- Self-assessment -------------------------------------------------------------------


class Domain(Model):
    name: str = Field(min_length=1)
    key: str = ""
    question: str = ""
    descriptors: list[str]

    @model_validator(mode="after")
    def _default_key(self) -> Domain:
        if not self.key:
            self.key = slugify(self.name)
        return self


class AchievedRule(StrEnum):
    """How a domain's combined mean becomes its achieved level."""

    FLOOR = "floor"  # the highest level at or below the mean (seed 000's rule)
    NEAREST = "nearest"  # the level nearest the mean, a half rounding up

    @property
    def method(self) -> str:
        """The rule in the words of a report's method note."""
        if self is AchievedRule.NEAREST:
            return "the level nearest the combined average, a half rounding up"
        return "the highest level at or below the combined average"


class ConsensusRule(Model):
    """When a group's ratings of a domain count as agreed: at least `share` of them lie
    within `within` levels of their median; under `min_ratings` ratings are too few to say."""

    within: int = Field(1, ge=0)
    share: float = Field(2 / 3, gt=0, le=1)
    min_ratings: int = Field(3, ge=1)

    @property
    def share_text(self) -> str:
        """`share` as a person says it: "two thirds", "3/4", "80%"."""
        spoken = {1 / 2: "half", 2 / 3: "two thirds", 3 / 4: "three quarters", 1.0: "all"}
        for value, words in spoken.items():
            if abs(self.share - value) < 1e-6:
                return words
        fraction = Fraction(self.share).limit_denominator(12)
        if abs(float(fraction) - self.share) < 1e-6:
            return f"{fraction.numerator}/{fraction.denominator}"
        return f"{self.share:.0%}"

    @property
    def method(self) -> str:
        """The rule in the words of a report's method note."""
        levels = f"{self.within} level{'s' if self.within != 1 else ''}"
        at_least = "" if self.share >= 1 else "at least "
        return (
            f"agreed when {at_least}{self.share_text} of the ratings lie within {levels} of "
            f"their median, divided otherwise; too few to say under {self.min_ratings} ratings"
        )


class Framework(Stamped):
    name: str = Field(min_length=1)
    levels: list[str] = Field(min_length=2)
    domains: list[Domain] = Field(min_length=1)
    # How the summary reads the scores: both rules are the framework's, printed in reports.
    achieved_level: AchievedRule = AchievedRule.FLOOR
    consensus: ConsensusRule = Field(default_factory=ConsensusRule)

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Framework:
        seen: set[str] = set()
        for domain in self.domains:
            if len(domain.descriptors) != len(self.levels):
                raise ValueError(
                    f"domain {domain.name!r} has {len(domain.descriptors)} descriptors but the "
                    f"framework has {len(self.levels)} levels"
                )
            if domain.key in seen:
                raise ValueError(f"two domains share the key {domain.key!r}")
            seen.add(domain.key)
            if not domain.key:
                _refuse(
                    info,
                    f"domain {domain.name!r} has an empty key: give it a key of letters or digits",
                )
        if len(self.levels) > MAX_LEVELS:
            _refuse(info, f"{len(self.levels)} levels is more than the {MAX_LEVELS} psr allows")
        _distinct(info, "level", self.levels)
        return self

    @property
    def top_level(self) -> int:
        return len(self.levels)

    def domain(self, key_or_name: str) -> Domain | None:
        """Find a domain by key or name, ignoring case."""
        wanted = key_or_name.strip().lower()
        for domain in self.domains:
            if wanted in (domain.key.lower(), domain.name.lower(), slugify(domain.name)):
                return domain
        return None

    def level_name(self, level: int) -> str:
        return self.levels[level - 1]


class RoundStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Round(Stamped):
    name: str = Field(min_length=1)
    date: Day
    framework: str = Field(min_length=1)
    status: RoundStatus = RoundStatus.OPEN
    groups: list[str] = Field(default_factory=lambda: list(DEFAULT_GROUPS))
    # Optional target level per domain key: the summary shows the gap to it.
    targets: dict[str, int] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_framework(self, info: ValidationInfo) -> Round:
        framework: Framework | None = _context(info, "framework")
        frameworks: dict[str, Framework] | None = _context(info, "frameworks")
        if frameworks is not None:
            framework = frameworks.get(self.framework)
            if framework is None:
                raise ValueError(f"unknown framework {self.framework!r}")
        if framework is not None:
            for key, level in self.targets.items():
                _check_domain_level(framework, key, level, "target")
        return self


class Response(Stamped):
    round: str = Field(min_length=1)
    name: str = Field(min_length=1)
    organisation: str = ""
    group: str = Field(min_length=1)
    scores: dict[str, int | None] = Field(default_factory=dict)
    comments: dict[str, str] = Field(default_factory=dict)
    # The paper trail of the respondent's form (`psr form`, `psr import forms`).
    form_sent: Day | None = None
    form_returned: Day | None = None

    @model_validator(mode="after")
    def _scores_fit_framework(self, info: ValidationInfo) -> Response:
        framework: Framework | None = _context(info, "framework")
        # The store's context: each round's framework (None where the round names an
        # unknown one, which is the round's problem).
        rounds: dict[str, Framework | None] | None = _context(info, "rounds")
        if rounds is not None:
            if self.round not in rounds:
                raise ValueError(f"unknown round {self.round!r}")
            framework = rounds[self.round]
        if framework is not None:
            for key, level in self.scores.items():
                _check_domain_level(framework, key, level)
            for key in self.comments:
                if framework.domain(key) is None:
                    raise ValueError(f"comment for unknown domain {key!r}")
        return self

    def scored_count(self) -> int:
        return sum(1 for level in self.scores.values() if level is not None)


def _check_domain_level(
    framework: Framework, key: str, level: int | None, what: str = "score"
) -> None:
    if framework.domain(key) is None:
        known = ", ".join(d.key for d in framework.domains)
        raise ValueError(f"unknown domain {key!r} (the framework has {known})")
    if level is not None and not 1 <= level <= framework.top_level:
        raise ValueError(
            f"{what} {level} for {key!r} is outside the framework's levels 1-{framework.top_level}"
        )


def _context(info: ValidationInfo, name: str) -> Any:
    return (info.context or {}).get(name)


# --- Risk register ---------------------------------------------------------------------


class Band(Model):
    name: str = Field(min_length=1)
    max: Score
    colour: str = "grey"
    # How often a risk in this band is reviewed.
    review_months: ReviewMonths = 3


class RiskMatrix(Stamped):
    name: str = "Risk matrix"
    likelihood: list[str] = Field(min_length=2)
    impact: list[str] = Field(min_length=2)
    scores: list[list[Score]]
    bands: list[Band] = Field(min_length=1)
    # What each label means, in the labels' order (optional: the register's key says it).
    likelihood_descriptions: list[str] = Field(default_factory=list)
    impact_descriptions: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _shape(self, info: ValidationInfo) -> RiskMatrix:
        if len(self.scores) != len(self.likelihood):
            raise ValueError(
                f"scores has {len(self.scores)} rows but there are "
                f"{len(self.likelihood)} likelihood labels"
            )
        for label, row in zip(self.likelihood, self.scores, strict=True):
            if len(row) != len(self.impact):
                raise ValueError(
                    f"the scores row for likelihood {label!r} has {len(row)} values but there "
                    f"are {len(self.impact)} impact labels"
                )
        maxima = [band.max for band in self.bands]
        if maxima != sorted(maxima) or len(set(maxima)) != len(maxima):
            raise ValueError("bands must be in ascending order of max")
        highest = max(max(row) for row in self.scores)
        if highest > maxima[-1]:
            raise ValueError(f"score {highest} is above the highest band's max {maxima[-1]}")
        for labels, axis in ((self.likelihood, "likelihood"), (self.impact, "impact")):
            if len({x.lower() for x in labels}) != len(labels):
                raise ValueError(f"{axis} labels must be distinct")
            if any(not label for label in labels):
                raise ValueError(f"a {axis} label is empty")
            if len(labels) > MAX_LABELS:
                _refuse(
                    info, f"{len(labels)} {axis} labels is more than the {MAX_LABELS} psr allows"
                )
        _distinct(info, "band", [band.name for band in self.bands])
        for labels, descriptions, axis in (
            (self.likelihood, self.likelihood_descriptions, "likelihood"),
            (self.impact, self.impact_descriptions, "impact"),
        ):
            if descriptions and len(descriptions) != len(labels):
                raise ValueError(
                    f"{axis}_descriptions has {len(descriptions)} entries but there are "
                    f"{len(labels)} {axis} labels (give one per label, or none)"
                )
        return self

    def missing_labels(self, risk: Risk) -> list[str]:
        """The labels `risk` uses (residual and inherent, open or closed) that this matrix
        lacks, e.g. ["likelihood 'Medium'"]: a matrix that drops one is refused."""
        axes = [
            ("likelihood", risk.likelihood, self.likelihood),
            ("impact", risk.impact, self.impact),
            ("inherent likelihood", risk.inherent_likelihood, self.likelihood),
            ("inherent impact", risk.inherent_impact, self.impact),
        ]
        return [
            f"{axis} {value!r}"
            for axis, value, labels in axes
            if value is not None and _find_label(labels, value) is None
        ]

    def find_likelihood(self, label: str) -> str | None:
        return _find_label(self.likelihood, label)

    def find_impact(self, label: str) -> str | None:
        return _find_label(self.impact, label)

    def score(self, likelihood: str, impact: str) -> int:
        return self.scores[self.likelihood.index(likelihood)][self.impact.index(impact)]

    def band_for(self, score: int) -> Band:
        for band in self.bands:
            if score <= band.max:
                return band
        return self.bands[-1]


def _find_label(labels: list[str], wanted: str) -> str | None:
    if wanted in labels:  # as stored; no two labels differ only in case
        return wanted
    for label in labels:
        if label.lower() == wanted.strip().lower():
            return label
    return None


class RiskStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Review(Model):
    date: Day
    likelihood: str
    impact: str
    score: Score
    note: str = ""
    by: str = ""


class Risk(Stamped):
    ref: str = Field(min_length=1)
    description: str = Field(min_length=1)
    category: str = ""
    date_identified: StartDay | None = None
    controls: str = ""
    likelihood: str
    impact: str
    # Before controls; optional, the seed's register records residual only.
    inherent_likelihood: str | None = None
    inherent_impact: str | None = None
    actions: str = ""
    owner: str = ""
    action_date: Day | None = None
    status: RiskStatus = RiskStatus.OPEN
    reviews: list[Review] = Field(default_factory=list)

    @model_validator(mode="after")
    def _labels_in_matrix(self, info: ValidationInfo) -> Risk:
        if "matrix" not in (info.context or {}):
            return self
        matrix: RiskMatrix | None = _context(info, "matrix")
        if matrix is None:
            raise ValueError("the database has no risk matrix: `psr import matrix FILE` first")
        axes = [
            ("likelihood", matrix.likelihood),
            ("impact", matrix.impact),
            ("inherent_likelihood", matrix.likelihood),
            ("inherent_impact", matrix.impact),
        ]
        for field, labels in axes:
            value = getattr(self, field)
            if value is None:
                continue
            found = _find_label(labels, value)
            if found is None:
                raise ValueError(
                    f"{field.replace('_', ' ')} {value!r} is not in the matrix "
                    f"(choose from {', '.join(labels)})"
                )
            if found != value:
                setattr(self, field, found)
        if (self.inherent_likelihood is None) != (self.inherent_impact is None):
            raise ValueError("inherent likelihood and inherent impact go together")
        return self


# --- Programme -------------------------------------------------------------------------


class ActivityStatus(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    COMPLETE = "complete"
    SLIPPED = "slipped"
    BLOCKED = "blocked"


class Phase(Stamped):
    name: str = Field(min_length=1)
    start: StartDay
    end: Day

    @model_validator(mode="after")
    def _ordered(self) -> Phase:
        if self.end < self.start:
            raise ValueError(
                f"phase {self.name!r} ends ({format_date(self.end)}) before it starts "
                f"({format_date(self.start)})"
            )
        return self


class Workstream(Model):
    name: str = Field(min_length=1)
    funded: bool = False  # externally funded: the seed's asterisk
    lead: str = ""


class Deliverable(Model):
    text: str = Field(min_length=1)
    status: ActivityStatus = ActivityStatus.NOT_STARTED


ThemeKind = Literal["delivery", "supporting", "business case", "recommendation"]


class Theme(Stamped):
    name: str = Field(min_length=1)
    kind: ThemeKind = "delivery"
    lead: str = ""
    workstreams: list[Workstream] = Field(default_factory=list)
    objectives: list[str] = Field(default_factory=list)
    deliverables: list[Deliverable] = Field(default_factory=list)


class Activity(Stamped):
    theme: str = Field(min_length=1)
    phase: str = Field(min_length=1)
    title: str = Field(min_length=1)
    lead: str = ""
    due: Day | None = None
    status: ActivityStatus = ActivityStatus.NOT_STARTED
    note: str = ""

    @model_validator(mode="after")
    def _known_phase_and_theme(self, info: ValidationInfo) -> Activity:
        phases: list[Phase] | None = _context(info, "phases")
        if phases is not None and self.phase not in {p.name for p in phases}:
            raise ValueError(
                f"unknown phase {self.phase!r} (phases are {', '.join(p.name for p in phases)})"
            )
        themes: list[Theme] | None = _context(info, "themes")
        if themes is not None and self.theme not in {t.name for t in themes}:
            raise ValueError(f"unknown theme {self.theme!r}")
        return self

    def outside_phase_warning(self, phases: Sequence[Phase]) -> str | None:
        """'due 15 Jul 2016 is outside Phase 1 (1 Mar–31 May 2016)': worth a warning, not a
        refusal. None when it is inside (or has no due date, or its phase is unknown)."""
        phase = next((p for p in phases if p.name == self.phase), None)
        if phase is None or self.due is None or phase.start <= self.due <= phase.end:
            return None
        return (
            f"due {format_date(self.due)} is outside {phase.name} "
            f"({format_period(phase.start, phase.end)})"
        )


# --- Audit -----------------------------------------------------------------------------


class AuditField(Model):
    """One field an edit changed: its path ("scores.governance" for a key of a mapping
    field) and its value before and after, as short text."""

    field: str
    before: str = ""
    after: str = ""


# A plain value as the audit log keeps it: dates as ISO text.
AuditValue = str | int | float | bool | None


class AuditEntry(Model):
    at: datetime
    user: str
    action: str
    table: str
    record: str
    before: str = ""
    after: str = ""
    # An edit's changed fields one by one (entries written before these were kept, and
    # changes worded by their own audit text, have none).
    fields: list[AuditField] = Field(default_factory=list)
    # What the text says, for programs (typed values, where `fields` is text): the
    # record's id in its table, and for an edit each plain field it changed with its value
    # before and after (a mapping's keys as "scores.leadership"; a list or a nested record
    # is told in `before`/`after` only; an add or a delete is told by its action). An entry
    # written before these existed has neither. "What changed since the last meeting" is
    # computed from them.
    doc_id: int | None = None
    values: dict[str, tuple[AuditValue, AuditValue]] = Field(default_factory=dict)


# --- Development -----------------------------------------------------------------------


class OfferKind(StrEnum):
    COACHING = "coaching"
    MENTORING = "mentoring"
    TEAM_COACHING = "team coaching"
    LEADERSHIP_PROGRAMME = "leadership programme"
    COMMUNITY_OF_PRACTICE = "community of practice"
    NETWORK = "network"
    WORKSHOP = "workshop"
    TRAINING = "training"
    SYSTEMS_OD = "systems OD"
    OTHER = "other"


class Measure(Model):
    """One agreement figure: '95% agree coaching helped them be more effective' (n responses)."""

    label: str = Field(min_length=1)
    percent: float = Field(ge=0, le=100)
    n: Annotated[int, _between(1, MAX_COUNT)] | None = None


class Evidence(Model):
    """What a development offer or action achieved: published or collected figures."""

    participants: Count | None = None
    sessions: Count | None = None
    measures: list[Measure] = Field(default_factory=list)
    note: str = ""

    @property
    def empty(self) -> bool:
        return (
            self.participants is None
            and self.sessions is None
            and not self.measures
            and not self.note
        )


class DevelopmentOffer(Stamped):
    name: str = Field(min_length=1)
    kind: OfferKind = OfferKind.OTHER
    provider: str = ""
    description: str = ""
    # Shown as plain text only: never placed in a link or URL attribute.
    link_text: str = ""
    period: str = ""
    figures: Evidence = Field(default_factory=Evidence)


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in progress"
    COMPLETE = "complete"
    DROPPED = "dropped"


class DevelopmentAction(Stamped):
    """Something done about a domain's score: an offer taken up, or free-text work."""

    framework: str = Field(min_length=1)
    domain: str = Field(min_length=1)  # the domain's key
    group: str = ""  # optional: the group the action is for, e.g. Executive
    title: str = Field(min_length=1)
    offer: str = ""  # a DevelopmentOffer name, or empty for free-text work
    owner: str = ""
    from_round: str = ""  # the round whose score prompted it
    start: StartDay | None = None
    target_date: Day | None = None
    target_round: str = ""  # the re-assessment it aims at (may not exist yet)
    completed: Day | None = None
    status: ActionStatus = ActionStatus.PLANNED
    evidence: Evidence = Field(default_factory=Evidence)

    @model_validator(mode="after")
    def _known_domain_and_offer(self, info: ValidationInfo) -> DevelopmentAction:
        if self.start and self.completed and self.completed < self.start:
            raise ValueError(
                f"completed ({format_date(self.completed)}) is before the start "
                f"({format_date(self.start)})"
            )
        frameworks: list[Framework] | None = _context(info, "frameworks")
        if frameworks is not None:
            framework = next((f for f in frameworks if f.name == self.framework), None)
            if framework is None:
                raise ValueError(f"unknown framework {self.framework!r}")
            domain = framework.domain(self.domain)
            if domain is None:
                known = ", ".join(d.name for d in framework.domains)
                raise ValueError(f"unknown domain {self.domain!r} (the domains are {known})")
            self.domain = domain.key
        offers: list[DevelopmentOffer] | None = _context(info, "offers")
        if offers is not None and self.offer:
            found = next((o for o in offers if o.name.lower() == self.offer.lower()), None)
            if found is None:
                raise ValueError(f"unknown offer {self.offer!r}")
            self.offer = found.name
        return self


# --- Meetings --------------------------------------------------------------------------
#
# Four tables, one record per thing two officers may edit at once: "meetings" (the
# meeting and its attendance), "agenda_items" (one per item, with its paper and the
# minutes' discussion), "decisions" and "meeting_actions" (one per decision, one per
# action). The merge is per field and a list is one value, so a meeting with its items
# embedded would make any two edits of one meeting's agenda clash; as separate records,
# an officer typing the minutes of item 4 and another closing an action of item 7 write
# different records, and only the same field of the same record changed twice is a
# conflict. Records refer to each other by `key`, a text id given when the record is made
# and never changed: a meeting moved to another date keeps its items, and an id TinyDB
# gives again after a deletion never reattaches an old item to a new meeting.

DEFAULT_BODIES = ("Executive", "Implementation Group", "Board")


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    PAPERS_ISSUED = "papers issued"
    HELD = "held"
    MINUTES_AGREED = "minutes agreed"


class Attendance(StrEnum):
    """The lists of a meeting's attendance, as the minutes head them; each value is the
    name of its field on Meeting."""

    PRESENT = "present"
    APOLOGIES = "apologies"
    OBSERVERS = "observers"
    OFFICERS = "officers"


class Attendee(Model):
    """One person in a meeting's attendance: a name (or a role, e.g. "Chief Executive"),
    the organisation they are from and what they are at the meeting (e.g. "Chair")."""

    name: str = Field(min_length=1)
    organisation: str = ""
    role: str = ""


MeetingTime = Annotated[
    time, PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str, when_used="json")
]


class Meeting(Stamped):
    key: str = Field(min_length=1)
    body: str = Field(default="Executive", min_length=1)
    date: ExactDay
    time: MeetingTime | None = None
    venue: str = ""
    status: MeetingStatus = MeetingStatus.PLANNED
    papers_issued: ExactDay | None = None
    # Who to contact about the meeting, as the agenda's cover gives it.
    contact: str = ""
    present: list[Attendee] = Field(default_factory=list)
    apologies: list[Attendee] = Field(default_factory=list)
    observers: list[Attendee] = Field(default_factory=list)
    officers: list[Attendee] = Field(default_factory=list)

    @model_validator(mode="after")
    def _issued_before(self) -> Meeting:
        if self.papers_issued is not None and self.papers_issued > self.date:
            raise ValueError(
                f"the papers are issued ({self.papers_issued.isoformat()}) after the "
                f"meeting ({self.date.isoformat()})"
            )
        return self

    def attendance(self, kind: Attendance) -> list[Attendee]:
        people: list[Attendee] = getattr(self, kind.value)
        return people


class Purpose(StrEnum):
    DECISION = "decision"
    DISCUSSION = "discussion"
    INFORMATION = "information"


class PaperKind(StrEnum):
    """What an agenda item's paper is: one of psr's reports, made from the data when the
    pack is made; a paper written in psr; or an oral update, which has none."""

    ASSESSMENT = "assessment"
    RISKS = "risks"
    PROGRAMME = "programme"
    DEVELOPMENT = "development"
    TEXT = "text"
    VERBAL = "verbal"


REPORT_PAPERS = (PaperKind.ASSESSMENT, PaperKind.RISKS, PaperKind.PROGRAMME, PaperKind.DEVELOPMENT)


class Section(Model):
    """A heading and its paragraphs. A paragraph is one string; its lines starting "- "
    are a bulleted list."""

    heading: str = ""
    paragraphs: list[str] = Field(default_factory=list)


class Paper(Model):
    """An item's paper. Its fields are merged one by one (two officers may write different
    parts of it), so no rule here ties one field to another: the changes keep `round` to
    assessment papers, and an oral update's other fields are not shown."""

    kind: PaperKind
    # The assessment round the report is of; empty: the latest round at the meeting.
    round: str = ""
    # The paper's own title ("Programme Update"); empty: the item's title.
    title: str = ""
    # A text paper's body, or a report's covering paper (purpose, background...).
    sections: list[Section] = Field(default_factory=list)
    recommendations: list[str] = Field(default_factory=list)


class StandardItem(StrEnum):
    """The items every agenda has. The pack fills the minutes item with the previous
    meeting's minutes and matters arising, and the next-meeting item with the dates."""

    WELCOME = "welcome"
    MINUTES = "minutes"
    OTHER_BUSINESS = "other business"
    NEXT_MEETING = "next meeting"


class AgendaItem(Stamped):
    key: str = Field(min_length=1)
    meeting: str = Field(min_length=1)  # the meeting's key
    # Where the item sits: the agenda is the items above the line by position, then those
    # below it; their numbers (1, 2, ...) follow from that order.
    position: int = Field(default=0, ge=0)
    title: str = Field(min_length=1)
    presenter: str = ""
    purpose: Purpose = Purpose.DISCUSSION
    standard: StandardItem | None = None
    paper: Paper | None = None
    below_the_line: bool = False
    # The minutes of the item: what was discussed.
    discussion: str = ""

    @model_validator(mode="after")
    def _known_meeting(self, info: ValidationInfo) -> AgendaItem:
        _known_key(info, "meetings", self.meeting, "meeting")
        return self


def _known_key(info: ValidationInfo, table: str, key: str, what: str) -> None:
    """Refuse a reference (by key) to a record the store's context says is not there."""
    known: set[str] | None = _context(info, table)
    if known is not None and key not in known:
        raise ValueError(f"unknown {what} {key!r}")


class Decision(Stamped):
    """One decision in an item's minutes; they are numbered in the order they were made."""

    key: str = Field(min_length=1)
    item: str = Field(min_length=1)  # the agenda item's key
    text: str = Field(min_length=1)

    @model_validator(mode="after")
    def _known_item(self, info: ValidationInfo) -> Decision:
        _known_key(info, "agenda_items", self.item, "agenda item")
        return self


class MeetingActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class MeetingAction(Stamped):
    """An action an item's minutes set; it is carried to each later meeting of the same
    body until it is closed (done or dropped, on a date, with a note)."""

    key: str = Field(min_length=1)
    item: str = Field(min_length=1)  # the agenda item's key
    description: str = Field(min_length=1)
    owner: str = ""
    due: Day | None = None
    status: MeetingActionStatus = MeetingActionStatus.OPEN
    closed: Day | None = None
    note: str = ""  # what was done, or why it was dropped

    @model_validator(mode="after")
    def _closed_when_closed(self, info: ValidationInfo) -> MeetingAction:
        _known_key(info, "agenda_items", self.item, "agenda item")
        if self.status == MeetingActionStatus.OPEN and self.closed is not None:
            raise ValueError(f"action {self.description!r} is open but has a closing date")
        if self.status != MeetingActionStatus.OPEN and self.closed is None:
            raise ValueError(f"action {self.description!r} is {self.status.value} but has no date")
        return self

    def open_on(self, day: date) -> bool:
        """Still open going into a meeting on `day` (one closed at it counts as open)."""
        return self.closed is None or self.closed >= day
