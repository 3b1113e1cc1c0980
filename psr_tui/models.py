"""Pydantic models for the three bodies of data: assessment, risk register, programme.

Cross-record rules (a score inside the framework's levels, a likelihood the matrix
has) need the other record: pass it as validation context, e.g.
``Response.model_validate(data, context={"framework": fw})``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Generic, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

DEFAULT_GROUPS = ("Executive", "Implementation Group")


def slugify(name: str) -> str:
    """A stable key for a name: lower case, words joined by underscores."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def describe_validation_error(error: ValidationError) -> str:
    """One readable sentence per problem, joined with '; ' (for one-line CLI errors)."""
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"] if p != "__root__")
        message = item["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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


class Framework(Stamped):
    name: str = Field(min_length=1)
    levels: list[str] = Field(min_length=2)
    domains: list[Domain] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
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
    date: date
    framework: str = Field(min_length=1)
    status: RoundStatus = RoundStatus.OPEN
    groups: list[str] = Field(default_factory=lambda: list(DEFAULT_GROUPS))
    # Optional target level per domain key: the summary shows the gap to it.
    targets: dict[str, int] = Field(default_factory=dict)

    @field_validator("targets")
    @classmethod
    def _targets_in_range(cls, targets: dict[str, int], info: ValidationInfo) -> dict[str, int]:
        framework = _context(info, "framework")
        if framework is not None:
            for key, level in targets.items():
                _check_domain_level(framework, key, level)
        return targets


class Response(Stamped):
    round: str = Field(min_length=1)
    name: str = Field(min_length=1)
    organisation: str = ""
    group: str = Field(min_length=1)
    scores: dict[str, int | None] = Field(default_factory=dict)
    comments: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _scores_fit_framework(self, info: ValidationInfo) -> Response:
        framework = _context(info, "framework")
        if framework is not None:
            for key, level in self.scores.items():
                _check_domain_level(framework, key, level)
            for key in self.comments:
                if framework.domain(key) is None:
                    raise ValueError(f"comment for unknown domain {key!r}")
        return self

    def scored_count(self) -> int:
        return sum(1 for level in self.scores.values() if level is not None)


def _check_domain_level(framework: Framework, key: str, level: int | None) -> None:
    if framework.domain(key) is None:
        known = ", ".join(d.key for d in framework.domains)
        raise ValueError(f"unknown domain {key!r} (the framework has {known})")
    if level is not None and not 1 <= level <= framework.top_level:
        raise ValueError(
            f"score {level} for {key!r} is outside the framework's levels 1-{framework.top_level}"
        )


def _context(info: ValidationInfo, name: str) -> Any:
    return (info.context or {}).get(name)


# --- Risk register ---------------------------------------------------------------------


class Band(Model):
    name: str = Field(min_length=1)
    max: int
    colour: str = "grey"
    # How often a risk in this band is reviewed.
    review_months: int = Field(default=3, ge=1)


class RiskMatrix(Stamped):
    name: str = "Risk matrix"
    likelihood: list[str] = Field(min_length=2)
    impact: list[str] = Field(min_length=2)
    scores: list[list[int]]
    bands: list[Band] = Field(min_length=1)

    @model_validator(mode="after")
    def _shape(self) -> RiskMatrix:
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
        return self

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
    for label in labels:
        if label.lower() == wanted.strip().lower():
            return label
    return None


class RiskStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Review(Model):
    date: date
    likelihood: str
    impact: str
    score: int
    note: str = ""
    by: str = ""


class Risk(Stamped):
    ref: str = Field(min_length=1)
    description: str = Field(min_length=1)
    category: str = ""
    date_identified: date | None = None
    controls: str = ""
    likelihood: str
    impact: str
    # Before controls; optional, the seed's register records residual only.
    inherent_likelihood: str | None = None
    inherent_impact: str | None = None
    actions: str = ""
    owner: str = ""
    action_date: date | None = None
    status: RiskStatus = RiskStatus.OPEN
    reviews: list[Review] = Field(default_factory=list)

    @model_validator(mode="after")
    def _labels_in_matrix(self, info: ValidationInfo) -> Risk:
        matrix: RiskMatrix | None = _context(info, "matrix")
        if matrix is None:
            return self
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
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Phase:
        if self.end < self.start:
            raise ValueError(
                f"phase {self.name!r} ends ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()})"
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
    due: date | None = None
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


# --- Audit -----------------------------------------------------------------------------


class AuditEntry(Model):
    at: datetime
    user: str
    action: str
    table: str
    record: str
    before: str = ""
    after: str = ""


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
    n: int | None = Field(default=None, ge=1)


class Evidence(Model):
    """What a development offer or action achieved: published or collected figures."""

    participants: int | None = Field(default=None, ge=0)
    sessions: int | None = Field(default=None, ge=0)
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
    start: date | None = None
    target_date: date | None = None
    target_round: str = ""  # the re-assessment it aims at (may not exist yet)
    completed: date | None = None
    status: ActionStatus = ActionStatus.PLANNED
    evidence: Evidence = Field(default_factory=Evidence)

    @model_validator(mode="after")
    def _known_domain_and_offer(self, info: ValidationInfo) -> DevelopmentAction:
        if self.start and self.completed and self.completed < self.start:
            raise ValueError(
                f"completed ({self.completed.isoformat()}) is before the start "
                f"({self.start.isoformat()})"
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
