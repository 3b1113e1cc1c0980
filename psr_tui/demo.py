"""The bundled framework and matrix, and the Chorley demo database built from them."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import Field

from psr_tui.models import (
    Activity,
    AgendaItem,
    Day,
    Decision,
    DevelopmentAction,
    DevelopmentOffer,
    Framework,
    Meeting,
    MeetingAction,
    Model,
    Phase,
    Response,
    Risk,
    RiskMatrix,
    Round,
    Theme,
)
from psr_tui.store import Store, Transaction

DATA_PACKAGE = "psr_tui.data"


def _read_json(name: str) -> Any:
    return json.loads(resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8"))


def load_framework() -> Framework:
    """The AQuA System Integration framework (seed 001's self-assessment form)."""
    return Framework.model_validate(_read_json("aqua.json"))


def load_matrix() -> RiskMatrix:
    """The Chorley 3x3 residual risk matrix (seed 001's risk register)."""
    return RiskMatrix.model_validate(_read_json("matrix.json"))


class DemoData(Model):
    partnership: str = Field(min_length=1)
    as_at: Day
    rounds: list[Round]
    responses: list[Response]
    risks: list[Risk]
    phases: list[Phase]
    themes: list[Theme]
    activities: list[Activity]
    # Seeds 001-003: the Executive's meetings, their agendas, minutes and actions.
    meetings: list[Meeting] = Field(default_factory=list)
    agenda_items: list[AgendaItem] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    meeting_actions: list[MeetingAction] = Field(default_factory=list)


def load_demo(framework: Framework | None = None, matrix: RiskMatrix | None = None) -> DemoData:
    """The demo dataset, each record checked against the framework, matrix, phases and themes.

    Checking everything here, before a file is created, means a bad bundle fails without
    leaving an empty database behind.
    """
    framework = framework or load_framework()
    matrix = matrix or load_matrix()
    raw = _read_json("demo.json")
    phases = [Phase.model_validate(p) for p in raw["phases"]]
    themes = [Theme.model_validate(t) for t in raw["themes"]]
    context = {"framework": framework, "matrix": matrix, "phases": phases, "themes": themes}
    demo = DemoData.model_validate(raw, context=context)
    for round_ in demo.rounds:
        if round_.framework != framework.name:
            raise ValueError(f"demo round {round_.name!r} uses unknown framework")
    round_names = {r.name for r in demo.rounds}
    for response in demo.responses:
        if response.round not in round_names:
            raise ValueError(f"demo response {response.name!r} is in unknown round")
    meeting_keys = {m.key for m in demo.meetings}
    item_keys = {i.key for i in demo.agenda_items}
    for item in demo.agenda_items:
        if item.meeting not in meeting_keys:
            raise ValueError(f"demo agenda item {item.title!r} is of an unknown meeting")
    minutes: list[Decision | MeetingAction] = [*demo.decisions, *demo.meeting_actions]
    for minute in minutes:
        if minute.item not in item_keys:
            raise ValueError(f"demo minute {minute.key!r} is of an unknown agenda item")
    return demo


class DevelopmentData(Model):
    offers: list[DevelopmentOffer]
    actions: list[DevelopmentAction]


def load_development(framework: Framework | None = None) -> DevelopmentData:
    """Seed 004's offers with their published figures, and actions for the weak domains."""
    framework = framework or load_framework()
    raw = _read_json("offers.json")
    offers = [DevelopmentOffer.model_validate(o) for o in raw["offers"]]
    context = {"frameworks": [framework], "offers": offers}
    return DevelopmentData.model_validate(raw, context=context)


def build_demo(store: Store, *, force: bool = False) -> Path | None:
    """Create the Chorley demo database; an existing file is refused unless `force`, and
    then kept as a dated backup beside it, whose path is returned (see `Store.create`)."""
    framework, matrix = load_framework(), load_matrix()
    demo = load_demo(framework, matrix)
    development = load_development(framework)

    def populate(tx: Transaction) -> None:
        tx.insert("frameworks", framework)
        tx.insert("matrix", matrix)
        # Order matters: the store checks responses against rounds, activities against
        # phases and themes, and risks against the matrix already inserted.
        tables: list[tuple[str, list[Any]]] = [
            ("rounds", demo.rounds),
            ("responses", demo.responses),
            ("phases", demo.phases),
            ("themes", demo.themes),
            ("activities", demo.activities),
            ("risks", demo.risks),
            ("offers", development.offers),
            ("actions", development.actions),
            ("meetings", demo.meetings),
            ("agenda_items", demo.agenda_items),
            ("decisions", demo.decisions),
            ("meeting_actions", demo.meeting_actions),
        ]
        for table, models in tables:
            tx.insert_many(table, models)

    return store.create(demo.partnership, as_at=demo.as_at, force=force, populate=populate)
