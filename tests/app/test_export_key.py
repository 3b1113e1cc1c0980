"""Exporting a PDF from the TUI: the export dialog (file, document control, recommendations,
the register's limits), the render in a worker, the file named at the end."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from textual.widgets import Input

from psr_tui.app import PsrApp
from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.export_form import ExportDialog
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
        assert isinstance(dialog, ExportDialog)
        field = dialog.query_one("#path", Input)
        assert field.value == "./chorley-public-service-reform-partnership-risks-2016-02-16.pdf"
        field.value = str(out)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("Exporting the risk register" in m for m in _messages(app))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert out.exists()
        assert any(m == f"Wrote {out}" for m in _messages(app)), _messages(app)
        assert not app.screen.query(ExportIndicator)
    reader = PdfReader(out)
    assert float(reader.pages[0].mediabox.width) > float(reader.pages[0].mediabox.height)
    assert "Draft v1 · exported" in reader.pages[0].extract_text()


async def test_bad_path_is_refused_in_the_dialog(demo_path: Path, tmp_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_export("pack")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#path", Input).value = str(tmp_path / "pack.txt")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "must end in .pdf" in str(dialog.query_one("#err-path").render())
        dialog.query_one("#path", Input).value = str(tmp_path / "nowhere" / "pack.pdf")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "does not exist" in str(dialog.query_one("#err-path").render())
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
        app.screen.query_one("#path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert out.read_bytes() == b"old"
        app.action_export("programme")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(out)
        await pilot.press("ctrl+s")
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
            assert isinstance(dialog, ExportDialog), (keys, type(dialog).__name__)
            assert dialog.query_one("#path", Input).value.endswith(f"-{kind}-2016-02-16.pdf"), keys
            await pilot.press("escape")
            await pilot.pause()
            while len(app.screen_stack) > 1:
                app.pop_screen()
                await pilot.pause()


async def test_dialog_sets_control_recommendations_and_limits(
    demo_path: Path, tmp_path: Path
) -> None:
    """Typed into the dialog with the keys an officer uses: Final, version 3,
    OFFICIAL-SENSITIVE, one recommendation instead of the defaults, open risks of band
    Low or higher, the top 2."""
    app = PsrApp(Store(demo_path), watch=False)
    out = tmp_path / "register.pdf"
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_export("risks")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert app.focused is dialog.query_one("#path", Input)
        dialog.query_one("#path", Input).value = str(out)
        await pilot.press("tab", "enter", "down", "enter")  # Status: Final
        await pilot.press("tab", "backspace", "3")  # Version
        await pilot.press("tab", "enter", "down", "enter")  # OFFICIAL-SENSITIVE
        await pilot.press("tab", *["shift+down"] * 3, "shift+end")
        await pilot.press(*"agree the register")
        await pilot.press("tab", "space", "tab", "tab", "enter", "down", "enter")  # open; Low+
        await pilot.press("tab", "2", "ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(m == f"Wrote {out}" for m in _messages(app)), _messages(app)
    pages = [page.extract_text() for page in PdfReader(out).pages]
    text = " ".join(" ".join(pages).split())
    assert all("Final v3 · exported" in page for page in pages)
    assert all(page.count("OFFICIAL-SENSITIVE") >= 2 for page in pages)
    assert "agree the register" in text and "note the risk register" not in text
    assert "Lists 2 of 8 risks (open risks only; band Low or higher; the 2 highest" in text


async def test_dialog_refuses_a_bad_version_and_top_beside_the_field(
    demo_path: Path, tmp_path: Path
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_export("pack")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#path", Input).value = str(tmp_path / "pack.pdf")
        dialog.query_one("#version", Input).value = ""
        dialog.query_one("#top", Input).value = "none"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "give up to 20 printable characters" in str(
            dialog.query_one("#err-version").render()
        )
        assert "'none': give a whole number, 1 or more" in str(
            dialog.query_one("#err-top").render()
        )
    assert list(tmp_path.rglob("*.pdf")) == []
