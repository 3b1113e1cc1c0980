"""Risk facts from the matrix: score, band, overdue, reviews, order, tone, the matrix's counts.

Every view of the register (the TUI's register, matrix, detail and Home, `psr risks`, the
PDF) shows a risk through `RiskFacts`, worked out once per risk, matrix and as-at date by
`risk_facts`, and orders risks with `sort_risks`: so they all agree on what a risk scores,
whether it is overdue and where it sits in the list.

One meaning of each word, everywhere:
- *overdue*: an open risk whose action date has passed (`RiskFacts.overdue`, the JSON
  `overdue` field, `psr risks --overdue`, the `!` mark);
- *review overdue*: an open risk whose next review date (the last review, or the date it
  was identified, plus its band's review interval) has passed (`review_overdue`, the `↻`
  mark).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from itertools import compress
from operator import attrgetter, is_not, itemgetter
from typing import Any, TypeVar

from psr_tui.formatting import months_after
from psr_tui.models import (
    Band,
    Record,
    Review,
    Risk,
    RiskMatrix,
    RiskStatus,
)
from psr_tui.tone import Tone, colour_tone

# How the TUI and the CLI mark an overdue action and an overdue review, before the date.
OVERDUE_MARK = "!"
REVIEW_OVERDUE_MARK = "↻"


# --- order --------------------------------------------------------------------------------

NaturalKey = str
_NUMBER = re.compile(r"[0-9]+")


def _number(match: re.Match[str]) -> str:
    # A number sorts before any letter, and by its value: its length, then its digits.
    digits = match.group().lstrip("0") or "0"
    return f"\x00{len(digits):03d}{digits}"


def natural_key(text: str) -> NaturalKey:
    """Text in the order a person reads it: numbers by value, letters in any case.

    R2 < R2a < r3 < R10 < RISK-1; "Phase 2" < "Phase 10". A string, so that sorting
    10,000 of them stays quick.
    """
    return _NUMBER.sub(_number, text.strip().casefold())


def ref_order(ref: str) -> tuple[NaturalKey, str]:
    """A risk ref's place in the register (refs equal but for case keep a fixed order)."""
    return natural_key(ref), ref


def band_tone(band: Band | None) -> Tone:
    return Tone.NEUTRAL if band is None else colour_tone(band.colour)


# --- the rules, one each ----------------------------------------------------------------


def risk_score(matrix: RiskMatrix, risk: Risk, *, inherent: bool = False) -> int | None:
    """The score the matrix gives (residual by default). None when a label is unknown."""
    cell = risk_cell(matrix, risk, inherent=inherent)
    return None if cell is None else matrix.score(*cell)


def risk_cell(matrix: RiskMatrix, risk: Risk, *, inherent: bool = False) -> tuple[str, str] | None:
    """The (likelihood, impact) cell a risk sits in, spelt as the matrix spells them:
    residual, or inherent when it has one. None when a label is missing or unknown."""
    likelihood, impact = _labels(risk, inherent)
    if likelihood is None or impact is None:
        return None
    found_l, found_i = matrix.find_likelihood(likelihood), matrix.find_impact(impact)
    if found_l is None or found_i is None:
        return None
    return found_l, found_i


def _labels(risk: Risk, inherent: bool) -> tuple[str | None, str | None]:
    """The risk's (likelihood, impact) labels as stored: residual, or inherent."""
    if inherent:
        return risk.inherent_likelihood, risk.inherent_impact
    return risk.likelihood, risk.impact


def is_overdue(risk: Risk, as_at: date) -> bool:
    """An open risk whose action date has passed."""
    return (
        risk.status == RiskStatus.OPEN and risk.action_date is not None and risk.action_date < as_at
    )


def last_reviewed(risk: Risk) -> date | None:
    if risk.reviews:
        return max(r.date for r in risk.reviews)
    return risk.date_identified


def _next_review(risk: Risk, band: Band | None) -> date | None:
    """Last review (or identification) plus the review interval of the risk's band."""
    start = last_reviewed(risk)
    if band is None or start is None or risk.status != RiskStatus.OPEN:
        return None
    return months_after(start, band.review_months)


def _movement(risk: Risk, current: int | None) -> int | None:
    """Change of score since the last review (positive = worse). None without a review."""
    if not risk.reviews or current is None:
        return None
    latest = max(risk.reviews, key=lambda r: r.date)
    previous = [r for r in risk.reviews if r is not latest]
    # When the latest review set the current score, movement is against the one before it.
    if (latest.likelihood, latest.impact) == (risk.likelihood, risk.impact) and previous:
        return current - max(previous, key=lambda r: r.date).score
    return current - latest.score


# --- the facts of a risk ----------------------------------------------------------------


@dataclass(frozen=True)
class RiskFacts:
    """What every view says about one risk for a matrix and an as-at date, worked out once.

    Positions count from 0 in the matrix's own order (lowest likelihood, impact and band
    first); they are None, like the score, when the risk's labels are not in the matrix
    (or there is no matrix).
    """

    risk: Risk
    as_at: date
    ref_key: tuple[NaturalKey, str]
    cell: tuple[str, str] | None
    likelihood_position: int | None
    impact_position: int | None
    score: int | None
    band: Band | None
    band_position: int | None
    inherent_cell: tuple[str, str] | None
    inherent_score: int | None
    inherent_band: Band | None
    next_review: date | None
    overdue: bool
    review_overdue: bool
    movement: int | None

    @property
    def ref(self) -> str:
        return self.risk.ref

    @property
    def is_open(self) -> bool:
        return self.risk.status == RiskStatus.OPEN

    # The text columns' sort keys, worked out the first time a sort needs them.
    @cached_property
    def description_key(self) -> NaturalKey | None:
        return _text(self.risk.description)

    @cached_property
    def category_key(self) -> NaturalKey | None:
        return _text(self.risk.category)

    @cached_property
    def owner_key(self) -> NaturalKey | None:
        return _text(self.risk.owner)

    @property
    def tone(self) -> Tone:
        return band_tone(self.band)

    @property
    def inherent_tone(self) -> Tone:
        return band_tone(self.inherent_band)


@dataclass(frozen=True)
class Placing:
    """Where a pair of labels sits in a matrix, spelt as the matrix spells them, and what
    the matrix gives it there."""

    cell: tuple[str, str]
    likelihood_position: int
    impact_position: int
    score: int
    band: Band
    band_position: int


class Placings:
    """Each pair of labels' placing in one matrix, worked out the first time a risk has
    it: thousands of risks share a few dozen cells. For one pass over a register, while
    the matrix stays as it is."""

    def __init__(self, matrix: RiskMatrix) -> None:
        self._matrix = matrix
        self._found: dict[tuple[str | None, str | None], Placing | None] = {}

    def of(self, risk: Risk, *, inherent: bool = False) -> Placing | None:
        """The risk's placing (residual by default); None when a label is missing or
        unknown."""
        labels = _labels(risk, inherent)
        try:
            return self._found[labels]
        except KeyError:
            found = self._found[labels] = self._place(risk, inherent)
            return found

    def _place(self, risk: Risk, inherent: bool) -> Placing | None:
        matrix = self._matrix
        cell = risk_cell(matrix, risk, inherent=inherent)
        if cell is None:
            return None
        score = matrix.score(*cell)
        band = matrix.band_for(score)
        return Placing(
            cell,
            matrix.likelihood.index(cell[0]),
            matrix.impact.index(cell[1]),
            score,
            band,
            _position(matrix.bands, band),
        )


def risk_facts(
    matrix: RiskMatrix | None, risk: Risk, as_at: date, placings: Placings | None = None
) -> RiskFacts:
    """The risk's facts; `placings` (of `matrix`) shares the work of placing its labels
    with the other risks of a pass over the register."""
    if matrix is not None and placings is None:
        placings = Placings(matrix)
    placing = placings.of(risk) if placings else None
    inherent = placings.of(risk, inherent=True) if placings else None
    band = placing.band if placing else None
    due = _next_review(risk, band)
    return RiskFacts(
        risk=risk,
        as_at=as_at,
        ref_key=ref_order(risk.ref),
        cell=placing.cell if placing else None,
        likelihood_position=placing.likelihood_position if placing else None,
        impact_position=placing.impact_position if placing else None,
        score=placing.score if placing else None,
        band=band,
        band_position=placing.band_position if placing else None,
        inherent_cell=inherent.cell if inherent else None,
        inherent_score=inherent.score if inherent else None,
        inherent_band=inherent.band if inherent else None,
        next_review=due,
        overdue=is_overdue(risk, as_at),
        review_overdue=due is not None and due < as_at,
        movement=_movement(risk, placing.score if placing else None),
    )


def _position(bands: list[Band], band: Band) -> int:
    # By identity: `band_for` returns the matrix's own band, and model equality is slow.
    return next(position for position, candidate in enumerate(bands) if candidate is band)


def register_facts(
    matrix: RiskMatrix | None, risks: Iterable[Risk | Record[Risk]], as_at: date
) -> list[RiskFacts]:
    """The facts of each risk (or stored risk), in ref order."""
    models = (risk.model if isinstance(risk, Record) else risk for risk in risks)
    return sorted(unordered_facts(matrix, models, as_at), key=_by_ref)


def unordered_facts(
    matrix: RiskMatrix | None, risks: Iterable[Risk], as_at: date
) -> list[RiskFacts]:
    """The facts of each risk, in the order given (where only counts are wanted)."""
    placings = Placings(matrix) if matrix is not None else None
    return [risk_facts(matrix, risk, as_at, placings) for risk in risks]


class KeptFacts:
    """`register_facts` kept from one snapshot to the next: a risk read again unchanged is
    the same model (the store reuses unchanged records), so it keeps its facts while the
    matrix and the as-at date are the same; a colleague's one edit costs one risk's facts,
    not the register's. When only a few risks changed in place, only their facts are
    worked out and moved in the ref order: no pass over the 10,000 in Python."""

    # Up to this many risks changed in place are put in the kept order one by one.
    FEW_CHANGED = 64

    def __init__(self) -> None:
        self._basis: tuple[RiskMatrix | None, date] | None = None
        self._read: list[Record[Risk]] | None = None
        # The models read and their facts, in the order read.
        self._models: list[Risk] = []
        self._facts: list[RiskFacts] = []
        self._in_ref_order: list[RiskFacts] = []

    def facts(
        self, matrix: RiskMatrix | None, risks: list[Record[Risk]], as_at: date
    ) -> list[RiskFacts]:
        """The facts of each stored risk, in ref order, as `register_facts` gives them."""
        basis = self._basis
        same_basis = basis is not None and basis[0] is matrix and basis[1] == as_at
        if same_basis and risks is self._read:
            return list(self._in_ref_order)
        models = list(map(_model, risks))
        if not (same_basis and len(models) == len(self._models) and self._replace(models)):
            self._rebuild(matrix, models, as_at, keep=same_basis)
        self._basis = (matrix, as_at)
        self._read = risks
        self._models = models
        return list(self._in_ref_order)

    def _rebuild(
        self, matrix: RiskMatrix | None, models: list[Risk], as_at: date, *, keep: bool
    ) -> None:
        # By identity: the kept facts hold their model, so its id is not reused.
        by_model = {id(fact.risk): fact for fact in self._facts} if keep else {}
        placings = Placings(matrix) if matrix is not None else None
        self._facts = [
            found
            if (found := by_model.get(id(model))) is not None and found.risk is model
            else risk_facts(matrix, model, as_at, placings)
            for model in models
        ]
        self._in_ref_order = sorted(self._facts, key=_by_ref)

    def _replace(self, models: list[Risk]) -> bool:
        """Work out again the facts of the few risks changed in place (the same basis, the
        same number read); False, with nothing changed, when that is not the case."""
        changed = list(compress(range(len(models)), map(is_not, models, self._models)))
        if len(changed) > self.FEW_CHANGED:
            return False
        assert self._basis is not None
        matrix, as_at = self._basis
        order = self._in_ref_order
        for index in changed:
            fact = risk_facts(matrix, models[index], as_at)
            before = self._facts[index]
            at = bisect_left(order, before.ref_key, key=_by_ref)
            if at == len(order) or order[at] is not before:
                self._rebuild(matrix, models, as_at, keep=True)
                return True
            del order[at]
            at = bisect_left(order, fact.ref_key, key=_by_ref)
            # Equal refs keep the order read: sorting again says where.
            if at < len(order) and order[at].ref_key == fact.ref_key:
                self._facts[index] = fact
                self._rebuild(matrix, models, as_at, keep=True)
                return True
            order.insert(at, fact)
            self._facts[index] = fact
        return True


# In C: a Python function called 10,000 times costs more than the rest of the change.
_model = attrgetter("model")


def _by_ref(facts: RiskFacts) -> tuple[NaturalKey, str]:
    return facts.ref_key


def _text(text: str) -> NaturalKey | None:
    return natural_key(text) or None


_STATUS_ORDER = {status: position for position, status in enumerate(RiskStatus)}

# What each order sorts on; None is a blank, listed last whichever the direction.
RISK_ORDERS: dict[str, Callable[[RiskFacts], Any]] = {
    "ref": _by_ref,
    "description": lambda f: f.description_key,
    "category": lambda f: f.category_key,
    "likelihood": lambda f: f.likelihood_position,
    "impact": lambda f: f.impact_position,
    # Bands run up the scores, so score order is band order too.
    "score": lambda f: f.score,
    "band": lambda f: f.band_position,
    "owner": lambda f: f.owner_key,
    "action_date": lambda f: f.risk.action_date,
    "next_review": lambda f: f.next_review,
    # Open before closed; among the open, overdue first, then reviews overdue.
    "status": lambda f: (_STATUS_ORDER[f.risk.status], not f.overdue, not f.review_overdue),
}

T = TypeVar("T")


def sort_risks(
    items: Iterable[T], order: str, facts: Callable[[T], RiskFacts], *, reverse: bool = False
) -> list[T]:
    """`items`, which are in ref order (as `register_facts` gives them), in `order` (a key
    of RISK_ORDERS), reversed if asked: equal values keep ref order, blanks come last
    whichever the direction."""
    if order == "ref":
        return list(reversed(list(items))) if reverse else list(items)
    key = RISK_ORDERS[order]
    keyed = [(key(facts(item)), item) for item in items]
    known = [pair for pair in keyed if pair[0] is not None]
    # A reversed sort is still stable: equal values stay in ref order.
    known.sort(key=itemgetter(0), reverse=reverse)
    return [item for _, item in known] + [item for value, item in keyed if value is None]


# --- counts -------------------------------------------------------------------------------


def matrix_counts(
    matrix: RiskMatrix, facts: Iterable[RiskFacts], *, inherent: bool = False
) -> dict[tuple[str, str], int]:
    """Open risks per (likelihood, impact) cell; cells with none are present with 0."""
    counts = {(li, im): 0 for li in matrix.likelihood for im in matrix.impact}
    for fact in facts:
        cell = fact.inherent_cell if inherent else fact.cell
        if fact.is_open and cell is not None:
            counts[cell] += 1
    return counts


def in_cell(
    facts: Iterable[RiskFacts], likelihood: str, impact: str, *, inherent: bool = False
) -> list[RiskFacts]:
    """The open risks in one cell (labels as the matrix spells them)."""
    cell = (likelihood, impact)
    return [
        fact
        for fact in facts
        if fact.is_open and (fact.inherent_cell if inherent else fact.cell) == cell
    ]


def band_counts(matrix: RiskMatrix, facts: Iterable[RiskFacts]) -> dict[str, int]:
    """Open risks per band, in band order."""
    counts = {band.name: 0 for band in matrix.bands}
    for fact in facts:
        if fact.band is not None and fact.is_open:
            counts[fact.band.name] += 1
    return counts


def register_updated(
    risks: Iterable[Risk], as_at: date, matrix: RiskMatrix | None = None
) -> date | None:
    """The date of the register's latest change on or before `as_at` (the "Updated:" of a
    register paper): a risk identified, reviewed or closed, a risk or the matrix saved.

    Changes after the as-at date are not counted: a register shown as at 16 Feb 2016 was
    last updated on a day before it, whenever its records were typed in.
    """
    days: list[date] = []
    stamps = [matrix.updated_at] if matrix is not None else []
    for risk in risks:
        stamps.append(risk.updated_at)
        days.extend(review.date for review in risk.reviews)
        if risk.date_identified is not None:
            days.append(risk.date_identified)
    days.extend(stamp.date() for stamp in stamps if stamp is not None)
    known = [day for day in days if day <= as_at]
    return max(known) if known else None


def risk_matches(risk: Risk, text: str) -> bool:
    """Whether every word of `text` appears (any case) in the risk's text fields."""
    return bool(with_words([risk], filter_words(text), risk_text))


def risk_text(risk: Risk) -> str:
    """What a filter looks in: the risk's text fields, in lower case (a view that filters
    often keeps it per risk)."""
    return " ".join(
        (risk.ref, risk.description, risk.category, risk.controls, risk.actions, risk.owner)
    ).lower()


def filter_words(text: str) -> list[str]:
    """The words of a filter, each to be found (any case) for a risk to match."""
    return text.lower().split()


def with_words(items: Iterable[T], words: list[str], text: Callable[[T], str]) -> list[T]:
    """The items whose `text` (`risk_text` of their risk) holds every one of `words`."""
    kept = list(items)
    for word in words:
        kept = [item for item in kept if word in text(item)]
    return kept


def with_review(
    matrix: RiskMatrix, risk: Risk, day: date, likelihood: str, impact: str, note: str, by: str
) -> Risk:
    """The risk after a review: the reviewed likelihood/impact become current, history kept."""
    review = Review(
        date=day,
        likelihood=likelihood,
        impact=impact,
        score=matrix.score(likelihood, impact),
        note=note,
        by=by,
    )
    reviews = sorted([*risk.reviews, review], key=lambda r: r.date)
    return risk.model_copy(update={"likelihood": likelihood, "impact": impact, "reviews": reviews})


def rating_text(score: int | None, band: Band | None) -> str:
    """A score with its band, as every list shows it under a "Score/band" heading: "3 Low"."""
    return f"{'-' if score is None else score} {band.name if band else ''}".strip()


def score_history(risk: Risk) -> list[tuple[date, int]]:
    """The score at each review, oldest first."""
    return [(r.date, r.score) for r in sorted(risk.reviews, key=lambda r: r.date)]
