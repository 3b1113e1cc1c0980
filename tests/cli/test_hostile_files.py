"""The store's promises under hostile conditions, through the real `psr` command: links,
files of other users, audit files that cannot be written, full and read-only disks, output
that cannot be written, and input no reader should choke on. Each failure is one line on
stderr, a non-zero exit, and the database (and its history) left exactly as it was."""

from __future__ import annotations

import json
import os
import resource
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from psr_tui.demo import build_demo
from psr_tui.store import Store
from psr_tui.store.audit import audit_path
from tests.conftest import PSR, run_psr
from tests.helpers.disks import fill, small_disk
from tests.helpers.hostile import edit_first_risk

NOBODY = 65534
needs_root = pytest.mark.skipif(
    os.geteuid() != 0,
    reason="needs root: to run psr as another user, give files to another owner, or mount",
)

RISK = ("--description", "Hostile test risk", "--likelihood", "Low", "--impact", "Critical")


def add_risk(db: Path, ref: str = "R9", **run: object) -> subprocess.CompletedProcess[str]:
    return psr("risk", "add", "--db", db, "--ref", ref, *RISK, **run)


def as_user(uid: int) -> list[str]:
    """A command prefix that runs as `uid` (gid the same, no other groups).

    It keeps CAP_DAC_READ_SEARCH, which lets it read and search anything but write nothing
    it may not: the Python of this venv lives under /root, which another user cannot enter.
    """
    return [
        *("setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"),
        *("--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"),
    ]


def psr(
    *args: str | Path, user: int | None = None, preexec: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    """`psr ARGS` as this user, or as `user`."""
    if user is None and preexec is None:
        return run_psr(*args)
    prefix = as_user(user) if user is not None else []
    return subprocess.run(
        [*prefix, str(PSR), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=preexec,
    )


def one_line_error(result: subprocess.CompletedProcess[str], *wanted: str) -> str:
    """The single stderr line of a failed run, checked to hold each of `wanted`."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("psr: "), result.stderr
    for part in wanted:
        assert part in lines[0], lines[0]
    return lines[0]


class Unchanged:
    """The database and its audit log, byte for byte and stat for stat, to compare later."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.before = self._state()

    def _state(self) -> tuple[bytes, bytes, int, int, int]:
        info = self.db.stat()
        log = audit_path(self.db)
        return (
            self.db.read_bytes(),
            log.read_bytes() if log.is_file() else b"",
            info.st_uid,
            info.st_gid,
            stat.S_IMODE(info.st_mode),
        )

    def check(self) -> None:
        assert self._state() == self.before
        assert list(self.db.parent.glob(f".{self.db.name}.*.tmp")) == []


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "psr.json"
    build_demo(Store(path))
    return path


@pytest.fixture
def shared_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder every user may enter and write (the tmp_path of root is private)."""
    folder = Path(tempfile.mkdtemp(prefix="psr-shared-"))
    folder.chmod(0o777)
    state = folder / "state"
    state.mkdir(mode=0o777)
    state.chmod(0o777)
    monkeypatch.setenv("PSR_STATE_DIR", str(state))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with small_disk(tmp_path / "disk") as mount:
        yield mount


# --- a symlinked database --------------------------------------------------------------


def test_psr_through_a_symlink_writes_the_target_and_the_link_stays(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    real = tmp_path / "data" / "chorley.json"
    build_demo(Store(real))
    links = tmp_path / "home"
    links.mkdir()
    link = links / "link.json"
    link.symlink_to(os.path.relpath(real, links))

    added = add_risk(link)
    assert (added.returncode, added.stderr) == (0, ""), added.stdout

    assert link.is_symlink() and link.resolve() == real
    shown = json.loads(psr("risks", "--db", link, "--json").stdout)
    assert "R9" in [r["ref"] for r in shown]
    assert Store(real).snapshot().risk("R9") is not None
    assert "R9" in {e.record for e in Store(real).history()}
    assert [p.name for p in links.iterdir()] == ["link.json"]


# --- psr demo --force --------------------------------------------------------------------


def test_demo_force_keeps_a_dated_backup_and_its_history_and_says_where(demo: Path) -> None:
    demo.chmod(0o640)
    assert add_risk(demo).returncode == 0

    replaced = psr("demo", "--db", demo, "--force")
    assert replaced.returncode == 0, replaced.stderr
    backups = sorted(demo.parent.glob("psr.backup-*.json"))
    assert len(backups) == 1
    (backup,) = backups
    assert str(backup) in replaced.stdout and str(audit_path(backup)) in replaced.stdout

    # The backup is the whole database as it was, with its history, as private as it was.
    assert stat.S_IMODE(backup.stat().st_mode) == 0o640
    kept = json.loads(psr("risks", "--db", backup, "--json").stdout)
    assert "R9" in [r["ref"] for r in kept]
    assert "R9" in {e.record for e in Store(backup).history()}
    # The new demo does not have it; the live history goes on and names the backup.
    assert Store(demo).snapshot().risk("R9") is None
    history = Store(demo).history()
    assert "R9" in {e.record for e in history}
    assert any(e.action == "create" and str(backup) in e.before for e in history)

    again = psr("demo", "--db", demo, "--force")
    assert again.returncode == 0, again.stderr
    assert len(list(demo.parent.glob("psr.backup-*.json"))) == 2  # never over the first


# --- the audit entry lands with the change, or neither does ------------------------------


def test_an_audit_file_that_is_a_directory_refuses_the_change(demo: Path) -> None:
    log = audit_path(demo)
    log.unlink()
    log.mkdir()
    unchanged = Unchanged(demo)
    one_line_error(add_risk(demo), str(log), "nothing was saved", "R9")
    unchanged.check()


@needs_root
def test_an_audit_file_this_user_may_not_append_to_refuses_the_change(shared_dir: Path) -> None:
    db = shared_dir / "psr.json"
    build_demo(Store(db))
    os.chown(db, NOBODY, NOBODY)  # the database nobody's, its audit log root's (0644)
    unchanged = Unchanged(db)
    line = one_line_error(add_risk(db, user=NOBODY), str(audit_path(db)), "Permission denied")
    assert "nothing was saved" in line
    unchanged.check()


def test_an_audit_append_cut_short_leaves_no_trace(demo: Path) -> None:
    # The largest file the process may write ends inside the new audit entry: the data
    # file (smaller) is written whole, the entry half, and then the save must be undone.
    log = audit_path(demo)
    log.write_bytes(log.read_bytes() * 3)  # a longer history than the file is large
    limit = log.stat().st_size + 40
    assert demo.stat().st_size + 1000 < limit

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    unchanged = Unchanged(demo)
    one_line_error(add_risk(demo, preexec=small_files), str(audit_path(demo)), "too large")
    unchanged.check()
    assert add_risk(demo).returncode == 0  # and the next save is whole
    assert [e.record for e in Store(demo).history()][-1] == "R9"


# --- a file this user may not write is not replaced ------------------------------------


@needs_root
def test_a_chmod_444_file_is_not_rewritten(demo: Path) -> None:
    demo.chmod(0o444)
    unchanged = Unchanged(demo)
    one_line_error(
        add_risk(demo), f"{demo} belongs to root and has mode 0444 (r--r--r--)", "root may not"
    )
    unchanged.check()


@needs_root
def test_a_file_of_another_owner_is_not_taken_over_by_root(demo: Path) -> None:
    os.chown(demo, NOBODY, NOBODY)
    unchanged = Unchanged(demo)
    one_line_error(
        add_risk(demo),
        f"{demo} belongs to nobody and has mode 0644 (rw-r--r--): root may not write it",
    )
    unchanged.check()


@needs_root
def test_another_users_file_in_a_shared_folder_is_not_replaced(shared_dir: Path) -> None:
    db = shared_dir / "psr.json"
    build_demo(Store(db))  # root's, 0644, in a folder anyone may write
    unchanged = Unchanged(db)
    one_line_error(
        add_risk(db, user=NOBODY),
        f"{db} belongs to root and has mode 0644 (rw-r--r--): nobody may not write it",
    )
    unchanged.check()


@needs_root
def test_a_group_member_may_write_and_the_file_keeps_its_mode_and_group(
    shared_dir: Path,
) -> None:
    db = shared_dir / "psr.json"
    build_demo(Store(db))
    os.chown(db, 0, NOBODY)
    db.chmod(0o664)
    os.chown(audit_path(db), 0, NOBODY)
    audit_path(db).chmod(0o664)
    added = add_risk(db, user=NOBODY)
    assert (added.returncode, added.stderr) == (0, "")
    info = db.stat()
    assert (info.st_gid, stat.S_IMODE(info.st_mode)) == (NOBODY, 0o664)


@needs_root
def test_root_writing_a_file_it_may_write_keeps_its_owner(demo: Path) -> None:
    os.chown(demo, NOBODY, NOBODY)
    demo.chmod(0o666)
    assert add_risk(demo).returncode == 0
    info = demo.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (NOBODY, NOBODY, 0o666)


# --- full and read-only disks ----------------------------------------------------------


@needs_root
def test_a_full_disk_is_one_line_and_changes_nothing(disk: Path) -> None:
    db = disk / "psr.json"
    build_demo(Store(db))
    fill(disk)
    unchanged = Unchanged(db)
    one_line_error(add_risk(db), f"cannot save {db}", "No space left on device", "R9")
    unchanged.check()


@needs_root
def test_a_read_only_file_system_is_one_line_and_changes_nothing(disk: Path) -> None:
    db = disk / "psr.json"
    build_demo(Store(db))
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    unchanged = Unchanged(db)
    one_line_error(add_risk(db), str(db), "read-only file system")
    unchanged.check()


@needs_root
def test_a_folder_this_user_may_not_write_is_one_line(shared_dir: Path) -> None:
    folder = shared_dir / "readonly"
    folder.mkdir()
    db = folder / "psr.json"
    build_demo(Store(db))
    for path in (db, audit_path(db), db.with_name("psr.json.queue.lock")):
        os.chown(path, NOBODY, NOBODY)
    folder.chmod(0o555)
    unchanged = Unchanged(db)
    one_line_error(add_risk(db, user=NOBODY), f"cannot save {db}", "Permission denied")
    unchanged.check()


# --- output that cannot be written -------------------------------------------------------


def test_output_to_a_full_device_is_one_line(demo: Path) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [str(PSR), "risks", "--db", str(demo)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert result.stderr == "psr: cannot write the output (No space left on device)\n"


def test_a_closed_stdout_is_one_line_and_nothing_is_done(demo: Path) -> None:
    unchanged = Unchanged(demo)
    result = subprocess.run(
        f"{PSR} risk add --db {demo} --ref R9 --description x --likelihood Low "
        "--impact Critical >&-",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "standard output is closed" in result.stderr
    unchanged.check()


# --- input no reader should choke on -------------------------------------------------------


def test_a_framework_nested_100000_deep_is_one_line(demo: Path, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"name": "Deep", "levels": ' + "[" * 100_000 + "]" * 100_000 + "}")
    unchanged = Unchanged(demo)
    one_line_error(psr("import", "framework", deep, "--db", demo), str(deep))
    unchanged.check()


def test_a_matrix_score_of_10_to_the_30_is_one_line(demo: Path, tmp_path: Path) -> None:
    huge = 10**30
    matrix = tmp_path / "matrix.json"
    matrix.write_text(
        json.dumps(
            {
                "name": "Huge",
                "likelihood": ["Low", "Medium", "High"],
                "impact": ["Noticeable", "Significant", "Critical"],
                "scores": [[1, 3, 6], [2, 5, 8], [4, 7, huge]],
                "bands": [
                    {"name": "Low", "max": 3, "colour": "green"},
                    {"name": "Medium", "max": 6, "colour": "amber"},
                    {"name": "High", "max": huge, "colour": "red"},
                ],
            }
        )
    )
    unchanged = Unchanged(demo)
    one_line_error(psr("import", "matrix", matrix, "--db", demo))
    unchanged.check()


def test_an_xlsx_export_of_text_with_control_characters_is_never_a_traceback(
    demo: Path, tmp_path: Path
) -> None:
    # Put in the file as an older version or an editor could have: not typed, not imported.
    edit_first_risk(demo, description="bell \x07 and \x01 here")
    out = tmp_path / "register.xlsx"
    result = psr("export", "register", "-o", out, "--db", demo)
    if result.returncode == 0:  # the text was made storable: the workbook opens
        assert result.stderr == ""
        assert load_workbook(out).active is not None
    else:
        one_line_error(result)
        assert not out.exists()


def test_an_unexpected_error_is_one_line_naming_the_log_that_holds_it(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state"
    monkeypatch.setenv("PSR_STATE_DIR", str(state))
    # A bug planted in the real command: `psr risks` meets an error nobody handles.
    script = (
        "import sys\n"
        "from psr_tui import cli, cli_commands\n"
        "def broken(args): raise ZeroDivisionError('planted bug')\n"
        "cli_commands.cmd_risks = broken\n"
        "sys.exit(cli.main())\n"
    )
    result = subprocess.run(
        [str(PSR.with_name("python")), "-c", script, "risks", "--db", str(demo)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    log = state / "errors.log"
    one_line_error(result, "ZeroDivisionError: planted bug", str(log))
    text = log.read_text()
    assert "Traceback" in text and "planted bug" in text and "psr risks" in text
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
