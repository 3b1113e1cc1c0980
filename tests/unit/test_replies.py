"""Who has replied: each state by its rule, the round's line and the list to chase."""

from __future__ import annotations

from datetime import date

from psr_tui.analysis.replies import ReplyState, reply, round_replies
from psr_tui.models import Framework, Response

FRAMEWORK = Framework.model_validate(
    {
        "name": "Two by two",
        "levels": ["Low", "High"],
        "domains": [
            {"name": "One", "descriptors": ["a", "b"]},
            {"name": "Two", "descriptors": ["c", "d"]},
        ],
    }
)
SENT, BACK = date(2016, 2, 3), date(2016, 2, 9)


def person(name: str, **fields: object) -> Response:
    return Response.model_validate({"round": "r", "name": name, "group": "Executive", **fields})


def test_each_state_and_its_words() -> None:
    cases = [
        (
            person("a", scores={"one": 1, "two": 2}, form_sent=SENT, form_returned=BACK),
            ReplyState.RETURNED,
            "returned on 9 Feb 2016",
        ),
        (person("b", scores={"one": 1, "two": 2}), ReplyState.SCORED, "scored in psr"),
        (
            person("c", scores={"one": 1, "two": 2}, form_sent=SENT),
            ReplyState.SCORED,
            "scored in psr",
        ),
        (
            person("d", scores={"one": 1, "two": None}, form_sent=SENT, form_returned=BACK),
            ReplyState.PARTIAL,
            "partial (1 of 2), returned on 9 Feb 2016",
        ),
        (
            person("e", scores={"two": 2}, form_sent=SENT),
            ReplyState.PARTIAL,
            "partial (1 of 2), form sent on 3 Feb 2016",
        ),
        (person("f", scores={"two": 2}), ReplyState.PARTIAL, "partial (1 of 2)"),
        (person("g", form_sent=SENT), ReplyState.SENT, "form sent on 3 Feb 2016"),
        (person("h", scores={"one": None}), ReplyState.NOT_STARTED, "not started"),
    ]
    for response, state, text in cases:
        got = reply(FRAMEWORK, response)
        assert (got.state, got.text) == (state, text), response.name
        assert got.to_chase == (state not in (ReplyState.RETURNED, ReplyState.SCORED))


def test_the_round_line_and_the_chase_list() -> None:
    replies = round_replies(
        FRAMEWORK,
        "r",
        [
            person("a", scores={"one": 1, "two": 2}, form_returned=BACK),
            person("b", scores={"one": 1, "two": 2}),
            person("c", form_sent=SENT),
            person("d"),
        ],
    )
    assert (
        replies.line == "1 returned, 1 scored in psr, 1 sent, not back, 1 not started; 2 to chase"
    )
    assert [r.name for r in replies.to_chase] == ["c", "d"]
    assert round_replies(FRAMEWORK, "r", []).line == "no respondents; none to chase"
