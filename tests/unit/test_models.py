"""Model validation reads like sentences and enforces the cross-record rules."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from psr_tui.models import (
    Band,
    Domain,
    Framework,
    Phase,
    Response,
    Risk,
    RiskMatrix,
    describe_validation_error,
    slugify,
)


def small_framework() -> Framework:
    return Framework(
        name="Small",
        levels=["One", "Two", "Three"],
        domains=[
            Domain(name="Leadership", descriptors=["a", "b", "c"]),
            Domain(name="Data & IT", descriptors=["d", "e", "f"]),
        ],
    )


def matrix() -> RiskMatrix:
    return RiskMatrix(
        likelihood=["Low", "Medium", "High"],
        impact=["Noticeable", "Significant", "Critical"],
        scores=[[1, 3, 6], [2, 5, 8], [4, 7, 9]],
        bands=[Band(name="Low", max=3), Band(name="Medium", max=6), Band(name="High", max=9)],
    )


def message(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return describe_validation_error(exc.value)


def test_domain_key_defaults_to_slug_of_name() -> None:
    framework = small_framework()
    assert [d.key for d in framework.domains] == ["leadership", "data_it"]
    assert framework.domain("DATA & IT") is framework.domains[1]
    assert slugify("Financial and contractual mechanisms") == "financial_and_contractual_mechanisms"


def test_framework_needs_one_descriptor_per_level() -> None:
    with pytest.raises(ValidationError) as exc:
        Framework(name="F", levels=["A", "B"], domains=[Domain(name="X", descriptors=["only one"])])
    assert "domain 'X' has 1 descriptors but the framework has 2 levels" in message(exc)


def test_score_outside_levels_is_a_sentence() -> None:
    with pytest.raises(ValidationError) as exc:
        Response.model_validate(
            {
                "round": "R",
                "name": "Chief Executive",
                "group": "Executive",
                "scores": {"leadership": 4},
            },
            context={"framework": small_framework()},
        )
    assert "score 4 for 'leadership' is outside the framework's levels 1-3" in message(exc)


def test_unknown_domain_is_named() -> None:
    with pytest.raises(ValidationError) as exc:
        Response.model_validate(
            {"round": "R", "name": "n", "group": "g", "scores": {"finance": 1}},
            context={"framework": small_framework()},
        )
    assert "unknown domain 'finance'" in message(exc)


def test_likelihood_the_matrix_lacks() -> None:
    with pytest.raises(ValidationError) as exc:
        Risk.model_validate(
            {"ref": "R9", "description": "d", "likelihood": "Huge", "impact": "Critical"},
            context={"matrix": matrix()},
        )
    assert "likelihood 'Huge' is not in the matrix (choose from Low, Medium, High)" in message(exc)


def test_labels_are_matched_ignoring_case_and_stored_as_the_matrix_spells_them() -> None:
    risk = Risk.model_validate(
        {"ref": "R9", "description": "d", "likelihood": "high", "impact": "CRITICAL"},
        context={"matrix": matrix()},
    )
    assert (risk.likelihood, risk.impact) == ("High", "Critical")


def test_phase_ending_before_it_starts() -> None:
    with pytest.raises(ValidationError) as exc:
        Phase(name="Phase 1", start=date(2016, 5, 31), end=date(2016, 3, 1))
    assert "phase 'Phase 1' ends (1 Mar 2016) before it starts (31 May 2016)" in message(exc)


def test_matrix_shape_must_match_labels() -> None:
    with pytest.raises(ValidationError) as exc:
        RiskMatrix(
            likelihood=["Low", "High"],
            impact=["Minor", "Major"],
            scores=[[1, 2], [3]],
            bands=[Band(name="All", max=4)],
        )
    assert "the scores row for likelihood 'High' has 1 values but there are 2 impact labels" in (
        message(exc)
    )


def test_matrix_bands_ascending_and_cover_scores() -> None:
    with pytest.raises(ValidationError) as exc:
        RiskMatrix(
            likelihood=["L", "H"],
            impact=["a", "b"],
            scores=[[1, 2], [3, 9]],
            bands=[Band(name="Low", max=3), Band(name="High", max=6)],
        )
    assert "score 9 is above the highest band's max 6" in message(exc)
    assert matrix().band_for(5).name == "Medium"
