"""Exporting a PDF from the TUI: ask for the file, render in a worker, name the file at the end."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from textual.widgets import Input

from psr_tui.app import PsrApp
from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.text_input import TextInputDialog
from psr_tui.screens.export import ExportIndicator
from psr_tui.store import Store


def _messages(app: PsrApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_export_risks_from_the_command_action(demo_path: Path, tmp_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    out = tmp_path / "register.pdf"
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_export("risks")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TextInputDialog)
        field = dialog.query_one(Input)
        assert field.value == "./chorley-public-service-reform-partnership-risks-2016-02-16.pdf"
        field.value = str(out)
        await pilot.press("enter")
        await pilot.pause()
        assert any("Exporting the risk register" in m for m in _messages(app))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert out.exists()
        assert any(m == f"Wrote {out}" for m in _messages(app)), _messages(app)
        assert not app.screen.query(ExportIndicator)
    reader = PdfReader(out)
    assert float(reader.pages[0].mediabox.width) > float(reader.pages[0].mediabox.height)
    assert "Exported" in reader.pages[0].extract_text()


async def test_bad_path_is_refused_in_the_dialog(demo_path: Path, tmp_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_export("pack")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TextInputDialog)
        dialog.query_one(Input).value = str(tmp_path / "pack.txt")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        assert "must end in .pdf" in str(dialog.query_one("#error").render())
        dialog.query_one(Input).value = str(tmp_path / "nowhere" / "pack.pdf")
        await pilot.press("enter")
        await pilot.pause()
        assert "does not exist" in str(dialog.query_one("#error").render())
        await pilot.press("escape")
        await app.workers.wait_for_complete()
    assert list(tmp_path.rglob("*.pdf")) == []


async def test_existing_file_asks_before_replacing(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    out.write_bytes(b"old")
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_export("programme")
        await pilot.pause()
        app.screen.query_one(Input).value = str(out)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert out.read_bytes() == b"old"
        app.action_export("programme")
        await pilot.pause()
        app.screen.query_one(Input).value = str(out)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert out.read_bytes().startswith(b"%PDF")


async def test_export_failure_is_reported(demo_path: Path, tmp_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        from psr_tui.screens import export

        export._run_export(app, "assessment", tmp_path / "a.pdf", "Assessment", "No such round")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(
            "was not exported: no round named 'No such round'" in m for m in _messages(app)
        ), _messages(app)
    assert not (tmp_path / "a.pdf").exists()


async def test_each_report_screen_has_an_export_key(demo_path: Path) -> None:
    """E on a screen opens the export dialog for that screen's report."""
    app = PsrApp(Store(demo_path), watch=False)
    expected = {
        ("r",): "risks",
        ("r", "m"): "risks",
        ("p",): "programme",
        ("a",): "assessment",
        ("a", "s"): "assessment",
    }
    async with app.run_test(size=(120, 40)) as pilot:
        for keys, kind in expected.items():
            await pilot.press("d")
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
            await pilot.press("E")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, TextInputDialog), (keys, type(dialog).__name__)
            assert dialog.query_one(Input).value.endswith(f"-{kind}-2016-02-16.pdf"), keys
            await pilot.press("escape")
            await pilot.pause()
            while len(app.screen_stack) > 1:
                app.pop_screen()
                await pilot.pause()
