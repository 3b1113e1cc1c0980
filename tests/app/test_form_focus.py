"""Forms open on their first field, Tab walks the fields in the order they are drawn, and a
long text field that is not focused shows the start of its text."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widget import Widget
from textual.widgets import Input

from psr_tui.app import PsrApp
from psr_tui.dialogs.form import FormDialog
from psr_tui.dialogs.risk_forms import ReviewForm, RiskForm
from psr_tui.store import Store

SIZE = (120, 40)

# From Home, the keys that open each kind of form.
FORMS = {
    "risk add": ("r", "a"),
    "risk edit": ("r", "e"),
    "risk review": ("r", "R"),
    "risk close": ("r", "c"),
    "new round": ("a", "n"),
    "add respondent": ("a", "tab", "plus"),
    "programme item": ("p", "n"),
    "development action": ("v", "n"),
    "evidence": ("v", "i"),
}


async def _open(pilot: object, keys: tuple[str, ...]) -> FormDialog[object]:
    for key in keys:
        await pilot.press(key)  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
    form = pilot.app.screen  # type: ignore[attr-defined]
    assert isinstance(form, FormDialog), form
    return form


def _fields_as_drawn(form: FormDialog[object]) -> list[Widget]:
    """The fields that take input, top to bottom as the form draws them."""
    column = form.query_one("#fields")
    fields = [w for w in column.children if w.focusable]
    return sorted(fields, key=lambda w: w.virtual_region.y)


@pytest.mark.parametrize("keys", FORMS.values(), ids=FORMS.keys())
async def test_a_form_opens_on_its_first_field_and_tab_walks_down(
    demo_path: Path, keys: tuple[str, ...]
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        form = await _open(pilot, keys)
        fields = _fields_as_drawn(form)
        assert len(fields) >= 2
        assert app.focused is fields[0]
        walked = []
        for _ in range(len(fields) + 2):
            await pilot.press("tab")
            walked.append(app.focused)
        save, cancel = form.query_one("#save"), form.query_one("#cancel")
        # Down the fields, the buttons, and round to the first field again.
        assert walked == [*fields[1:], save, cancel, fields[0]]


async def test_tab_enter_on_the_review_form_does_not_save_an_empty_review(
    demo_path: Path,
) -> None:
    before = Store(demo_path).snapshot().risk("R1")
    assert before is not None
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        form = await _open(pilot, ("r", "R"))
        assert isinstance(form, ReviewForm)
        assert form.query_one("#review_date", Input).has_focus
        await pilot.press("tab", "enter")  # to the likelihood, which opens its list
        await pilot.pause()
        app.flush_writes()
        assert isinstance(app.screen, ReviewForm)
    after = Store(demo_path).snapshot().risk("R1")
    assert after is not None
    assert len(after.model.reviews) == len(before.model.reviews)


def _shown(field: Input) -> str:
    """The text the field draws on its one line."""
    return field.render_line(0).text.strip()


async def test_long_text_shows_its_start_when_the_field_is_not_focused(demo_path: Path) -> None:
    controls = "Monthly budget monitoring by the section 75 board " + "and more " * 12 + "END"
    with Store(demo_path).transaction() as tx:
        record = tx.risk("R1")
        assert record is not None
        tx.update("risks", record.doc_id, record.model.model_copy(update={"controls": controls}))
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        form = await _open(pilot, ("r", "e"))
        assert isinstance(form, RiskForm)
        description = form.query_one("#description", Input)
        controls_field = form.query_one("#controls", Input)
        assert len(description.value) > description.content_size.width
        assert len(controls) > controls_field.content_size.width
        # On opening: the field not focused shows how its text starts.
        assert _shown(controls_field).startswith("Monthly budget monitoring")
        # The focused field follows its cursor to the end; left, it shows its start again.
        assert description.has_focus
        assert not _shown(description).startswith(description.value[:20])
        await pilot.press("tab")
        await pilot.pause()
        assert _shown(description).startswith(description.value[:20])
        await pilot.press("tab", "tab")  # into the controls and out again
        assert controls_field.has_focus
        await pilot.pause()
        assert "END" in _shown(controls_field)
        await pilot.press("tab")
        await pilot.pause()
        assert _shown(controls_field).startswith("Monthly budget monitoring")
