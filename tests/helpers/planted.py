"""A `psr_tui` package someone left in a shared directory, which must never run."""

from __future__ import annotations

from pathlib import Path


def plant_package(directory: Path, ran: Path) -> None:
    """Leave in `directory` a `psr_tui` package whose import creates `ran`.

    Every submodule a child of psr is started with is there too, so that whichever is
    imported first, running the planted package shows.
    """
    package = directory / "psr_tui"
    for sub in ("", "store", "exports"):
        (package / sub).mkdir(parents=True, exist_ok=True)
        (package / sub / "__init__.py").write_text(f"open({str(ran)!r}, 'w').close()\n")
    for module in ("cli.py", "store/changed_rows.py", "exports/job.py"):
        (package / module).write_text(f"open({str(ran)!r}, 'w').close()\n")
