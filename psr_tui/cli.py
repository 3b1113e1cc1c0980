"""The `psr` command line.

Kept light: parsing and `psr` on its own (open the workbench) import neither pydantic nor
the store, so the first frame is drawn before the file is read (the app loads it in a
worker). The other commands live in `psr_tui.cli_commands`, imported after parsing.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import gc
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, time
from pathlib import Path
from typing import Any, NoReturn, TextIO, cast

from psr_tui.errors import EXIT_USAGE, EXIT_USER_ERROR, UserError, os_reason
from psr_tui.formatting import parse_date, parse_time
from psr_tui.paths import default_db_path
from psr_tui.text import refuse_control_characters


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"psr: {message} (see `{self.prog} --help`)\n")

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        # A mistyped command or choice names the nearest one: "did you mean summary?".
        if action.choices is not None and value not in action.choices:
            choices = list(action.choices)
            nearest = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
            hint = f"did you mean {nearest[0]}?" if nearest else f"choose from {', '.join(choices)}"
            what = "command" if isinstance(action, argparse._SubParsersAction) else "choice"
            raise argparse.ArgumentError(None, f"unknown {what} {value!r}: {hint}")
        super()._check_value(action, value)


def _help_with_labels(argv: Sequence[str]) -> type[argparse.Action]:
    """A --help that also lists the labels of the risk matrix in the database `argv` names."""

    class HelpWithLabels(argparse.Action):
        def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
            from psr_tui.cli_commands import matrix_labels_help
            from psr_tui.text import echo

            parser.print_help()
            echo(f"\n{matrix_labels_help(_db_in(argv))}")
            parser.exit()

    return HelpWithLabels


def _db_in(argv: Sequence[str]) -> Path:
    """The database a command line names (for help that reads it), as `main` would find it."""
    for number, arg in enumerate(argv):
        if arg == "--db" and number + 1 < len(argv):
            return Path(argv[number + 1])
        if arg.startswith("--db="):
            return Path(arg.removeprefix("--db="))
    return default_db_path()


def _date_arg(text: str) -> date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def as_at_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-at",
        type=_date_arg,
        metavar="DATE",
        help="as at a past date: only the rounds dated and risks identified by then, each "
        "risk rated as its reviews by then left it; programme, actions and meetings as today "
        "(default: the database's date, or today)",
    )


def _time_arg(text: str) -> time:
    try:
        return parse_time(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _number_arg(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not an item number (1, 2, ...)")
    return int(text)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not 1 or more")
    return value


def cmd_open(args: argparse.Namespace) -> None:
    from psr_tui.early_figures import EarlyFigures

    path = Path(args.db or default_db_path())
    # Forked before Textual is imported (and before any thread): Home's figures are worked
    # out on the other core while this process draws the first frame.
    early = EarlyFigures.start(path)
    from psr_tui.app import PsrApp

    # The app reads the file in a worker behind its first frame; a missing, corrupt or
    # too-new file ends it with the one-line reason, which is reported here like any other.
    app = PsrApp(path, load_in_background=True, early_figures=early)
    app.run()
    if app.load_error is not None:
        raise UserError(app.load_error)


def refuse_typed_control_characters(args: argparse.Namespace) -> None:
    """Text typed on the command line goes into the file: refuse an escape in any of it."""
    for name, value in vars(args).items():
        if isinstance(value, str) and name != "handler":
            try:
                refuse_control_characters(value, name.replace("_", " "))
            except ValueError as exc:
                raise UserError(str(exc)) from None


# --- parser ------------------------------------------------------------------------------

SERVE_TRUST = """\
Each run makes a new secret and prints the one address that works
(http://127.0.0.1:8000/SECRET/). Every other request is refused, and so is any
request from another site's page (its Origin is checked). That keeps out the other
users of this server and the web pages open in your browser.

It does not keep out anyone who sees the address: treat it as a password (it is
in this terminal and your browser's history). The traffic is plain HTTP unless a
TLS proxy is in front (--public-url https://...). Every session runs psr as you:
the audit records you, whoever types in the browser."""


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    db_help = "the database file (default: $PSR_DB, then the user data dir)"
    # Subcommands take --db too; SUPPRESS keeps `psr --db X summary` from being reset to None.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
    parser = _Parser(
        prog="psr",
        description="Workbench for a public service reform programme office. "
        "`psr` on its own opens the workbench on the database; the commands below work "
        "without it, for scripts and cron.",
    )
    parser.add_argument("--db", metavar="PATH", help=db_help)
    parser.set_defaults(handler="cmd_open")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)

    def command(
        name: str,
        handler: str,
        help_text: str,
        parent: Any = sub,
        add_help: bool = True,
    ) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(
            name, help=help_text, description=help_text, parents=[common], add_help=add_help
        )
        p.set_defaults(handler=handler)
        return p

    round_help = "the round, by name (default: the latest)"
    json_help = "machine-readable output (a stable interface for scripts)"

    p = command("serve", "cmd_serve", "the workbench in a browser (needs the serve extra)")
    p.epilog = SERVE_TRUST
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; any other is warned about)",
    )
    p.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, e.g. https://psr.example.org behind a TLS proxy "
        "(default http://HOST:PORT); only pages from it may connect",
    )
    p = command("init", "cmd_init", "create an empty partnership database")
    p.add_argument("--name", required=True, help="the partnership's name")
    p = command("demo", "cmd_demo", "create the Chorley demo database")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    command("check", "cmd_check", "validate the file and list every problem")
    p = command("summary", "cmd_summary", "assessment summary (latest round by default)")
    p.add_argument("--round", metavar="NAME", help=round_help)
    as_at_option(p)
    p.add_argument("--json", action="store_true", help=json_help)
    p = command("risks", "cmd_risks", "the risk register")
    p.add_argument("--overdue", action="store_true", help="only open risks past their action date")
    as_at_option(p)
    p.add_argument("--json", action="store_true", help=json_help)

    risk = sub.add_parser("risk", help="change the risk register")
    risk_sub = risk.add_subparsers(
        title="commands", metavar="COMMAND", parser_class=_Parser, required=True
    )
    p = command(
        "add",
        "cmd_risk_add",
        "add a risk to the register; its score and band come from the risk matrix",
        parent=risk_sub,
        add_help=False,
    )
    p.add_argument(
        "-h",
        "--help",
        action=_help_with_labels(argv),
        nargs=0,
        help="show this help and the labels of the database's risk matrix",
    )
    date_help = "2016-05-01, 01/05/2016, or May 2016 for a date known to the month"
    p.add_argument("--ref", required=True, help="the risk's reference, e.g. R9 (a new one)")
    p.add_argument("--description", required=True, help="what the risk is")
    p.add_argument(
        "--likelihood",
        required=True,
        metavar="LABEL",
        help="how likely: a likelihood label (below)",
    )
    p.add_argument(
        "--impact", required=True, metavar="LABEL", help="how severe: an impact label (below)"
    )
    p.add_argument("--category", help="the risk's category, as the register words it")
    p.add_argument("--controls", metavar="TEXT", help="the controls in place")
    p.add_argument("--actions", metavar="TEXT", help="the actions planned")
    p.add_argument("--owner", help="who owns the risk and its actions")
    p.add_argument(
        "--action-date",
        type=_date_arg,
        metavar="DATE",
        help=f"when the actions are due ({date_help}: due by the end of that month)",
    )
    p.add_argument(
        "--date-identified",
        type=_date_arg,
        metavar="DATE",
        help=f"when the risk was identified ({date_help}; default: the as-at date)",
    )

    p = command("programme", "cmd_programme", "programme progress per theme and phase")
    as_at_option(p)
    p.add_argument("--json", action="store_true", help=json_help)

    p = command("actions", "cmd_actions", "development actions for the assessment's domains")
    p.add_argument("--domain", metavar="NAME", help="only this domain (key or name, any case)")
    p.add_argument("--json", action="store_true", help=json_help)

    p = command(
        "import", "cmd_import", "import a framework, matrix, responses, risks or returned forms"
    )
    p.add_argument(
        "what",
        choices=["framework", "matrix", "responses", "risks", "forms"],
        help="what the file holds (formats: docs/formats.md)",
    )
    p.add_argument(
        "file",
        metavar="FILE",
        nargs="+",
        help="the JSON or CSV file to import (forms: .xlsx forms, or folders of them)",
    )
    p.add_argument("--round", metavar="NAME", help="the round responses or forms belong to")
    p.add_argument("--framework", metavar="NAME", help="framework for a new round")
    p.add_argument(
        "--overwrite",
        "--replace",
        dest="overwrite",
        action="store_true",
        help="put the file's values over records changed since the file was exported "
        "(forms: over scores psr has since been given)",
    )

    p = command("form", "cmd_form", "write an assessment form per respondent of a round")
    p.add_argument("--round", required=True, metavar="NAME", help="the round, by name")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="folder for the forms")
    p.add_argument("--pdf", action="store_true", help="also a printable A4 PDF per respondent")

    round_ = sub.add_parser("round", help="a round of the assessment")
    round_sub = round_.add_subparsers(
        title="commands", metavar="COMMAND", parser_class=_Parser, required=True
    )
    p = command("status", "cmd_round_status", "who has replied, and who to chase", parent=round_sub)
    p.add_argument("name", metavar="NAME", help="the round, by name")
    p.add_argument("--json", action="store_true", help=json_help)

    framework_ = sub.add_parser("framework", help="an assessment framework")
    framework_sub = framework_.add_subparsers(
        title="commands", metavar="COMMAND", parser_class=_Parser, required=True
    )
    p = command(
        "rules",
        "cmd_framework_rules",
        "show or set how a framework's summaries read the scores",
        parent=framework_sub,
    )
    p.add_argument("name", metavar="NAME", help="the framework, by name (any case)")
    p.add_argument(
        "--achieved",
        choices=["floor", "nearest"],
        help="the achieved level: the highest level at or below the mean (floor), or the "
        "level nearest it (nearest, a half rounds up)",
    )
    p.add_argument(
        "--within", type=int, metavar="N", help="agreed: ratings within N levels of the median"
    )
    p.add_argument(
        "--share",
        metavar="SHARE",
        help="agreed: at least this share of the ratings lies within (2/3, 0.75, 80%%)",
    )
    p.add_argument("--min-ratings", type=int, metavar="N", help="too few to say under N ratings")

    p = command(
        "compare",
        "cmd_compare",
        "the latest rounds of several partnerships' files side by side (read-only)",
    )
    p.add_argument("files", metavar="FILE", nargs="+", help="other partnerships' psr files")
    p.add_argument("--json", action="store_true", help=json_help)
    p.add_argument("-o", "--output", metavar="FILE.pdf", help="also write the comparison as a PDF")

    p = command("export", "cmd_export", "export a PDF report, or responses / register as CSV/xlsx")
    p.add_argument(
        "what",
        choices=[
            "assessment",
            "risks",
            "programme",
            "development",
            "pack",
            "minutes",
            "responses",
            "register",
        ],
        help="a PDF report (assessment, risks, programme, development, pack), a meeting's "
        "minutes (with --meeting) or a table (responses, register)",
    )
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="the file to write (.pdf, .csv, .xlsx)",
    )
    p.add_argument("--round", metavar="NAME", help=round_help)
    as_at_option(p)
    p.add_argument(
        "--meeting",
        type=_date_arg,
        metavar="DATE",
        help="the pack (or the minutes) of the meeting on this day: its agenda, the minutes "
        "before it and the papers attached to its items",
    )
    p.add_argument("--body", metavar="NAME", help="the meeting's body, when two meet that day")
    paper = p.add_argument_group("papers (PDF): document control and recommendations")
    paper.add_argument("--status", default="Draft", help="Draft (default) or Final")
    paper.add_argument("--version", default="1", help="the paper's version (default 1)")
    paper.add_argument(
        "--classification",
        default="OFFICIAL",
        help="OFFICIAL (default) or OFFICIAL-SENSITIVE, printed on every page",
    )
    paper.add_argument(
        "--recommendation",
        action="append",
        metavar="TEXT",
        help="what members are asked to do, instead of the defaults (repeat for each)",
    )
    paper.add_argument(
        "--recommendations",
        metavar="FILE",
        help="recommendations from a JSON file: a list, or lists by paper (see docs/formats.md)",
    )
    register = p.add_argument_group("the risk register (risks and pack): which risks it lists")
    register.add_argument("--open", action="store_true", help="open risks only")
    register.add_argument("--overdue", action="store_true", help="overdue actions only")
    register.add_argument("--band-at-least", metavar="BAND", help="this band or higher only")
    register.add_argument(
        "--top", type=_positive, metavar="N", help="the N highest scores, highest first"
    )

    team = sub.add_parser("team", help="the names the papers give the team's logins")
    team.set_defaults(handler="cmd_team")
    team.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
    team.add_argument("--json", action="store_true", help=json_help)
    team_sub = team.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)
    p = command(
        "set",
        "cmd_team_set",
        "name a login on the papers (an empty name removes it)",
        parent=team_sub,
    )
    p.add_argument("login", metavar="LOGIN")
    p.add_argument("name", metavar="NAME")

    _meeting_commands(sub, command)
    return parser


Command = Callable[..., argparse.ArgumentParser]

PAPERS = ["assessment", "risks", "programme", "development", "text", "verbal"]
MEETING_STATUSES = ["planned", "papers issued", "held", "minutes agreed"]


def _meeting_commands(sub: Any, command: Command) -> None:
    """`psr meetings` and `psr meeting ...`: a meeting is named by its date (and its body,
    when two meet on one day)."""
    json_help = "machine-readable output"
    body_help = "the meeting's body, when more than one meets that day"

    def which(p: argparse.ArgumentParser, *, option: bool = True) -> None:
        if option:
            p.add_argument("--meeting", required=True, type=_date_arg, metavar="DATE")
        else:
            p.add_argument("meeting", type=_date_arg, metavar="DATE")
        p.add_argument("--body", metavar="NAME", help=body_help)

    p = command("meetings", "cmd_meetings", "meetings, next first, with their agenda items")
    p.add_argument("--json", action="store_true", help=json_help)

    meeting = sub.add_parser("meeting", help="plan meetings, their agenda and actions")
    meeting_sub = meeting.add_subparsers(
        title="commands", metavar="COMMAND", parser_class=_Parser, required=True
    )
    p = command(
        "new", "cmd_meeting_new", "plan a meeting (with the standard items)", parent=meeting_sub
    )
    p.add_argument("--date", required=True, type=_date_arg, metavar="DATE")
    p.add_argument("--time", type=_time_arg, metavar="HH:MM")
    p.add_argument("--venue", metavar="TEXT")
    p.add_argument("--body", metavar="NAME", help="Executive (default), Implementation Group...")
    p.add_argument("--contact", metavar="TEXT", help="who to contact about the meeting")
    p.add_argument("--no-standard-items", action="store_true", help="start with an empty agenda")

    p = command(
        "status",
        "cmd_meeting_status",
        "move a meeting on: papers issued, held...",
        parent=meeting_sub,
    )
    which(p, option=False)
    p.add_argument("status", choices=MEETING_STATUSES)
    p.add_argument("--issued", type=_date_arg, metavar="DATE", help="the day papers went out")

    item = meeting_sub.add_parser("item", help="the agenda's items")
    item_sub = item.add_subparsers(
        title="commands", metavar="COMMAND", parser_class=_Parser, required=True
    )
    p = command("add", "cmd_meeting_item_add", "add an item to the agenda", parent=item_sub)
    which(p)
    p.add_argument("--title", required=True, metavar="TEXT")
    p.add_argument("--paper", choices=PAPERS, help="the paper attached (verbal: an oral update)")
    p.add_argument("--round", metavar="NAME", help="the round an assessment paper reports on")
    p.add_argument("--below-the-line", action="store_true", help="taken without discussion")
    p.add_argument("--presenter", metavar="NAME")
    p.add_argument("--purpose", choices=["decision", "discussion", "information"])

    action = meeting_sub.add_parser("action", help="the actions the minutes set")
    action_sub = action.add_subparsers(
        title="commands", metavar="COMMAND", parser_class=_Parser, required=True
    )
    p = command("add", "cmd_meeting_action_add", "record an action of an item", parent=action_sub)
    which(p)
    p.add_argument("--item", required=True, type=_number_arg, metavar="N")
    p.add_argument("--description", required=True, metavar="TEXT")
    p.add_argument("--owner", required=True, metavar="NAME")
    p.add_argument("--due", required=True, type=_date_arg, metavar="DATE")
    p = command(
        "close",
        "cmd_meeting_action_close",
        "close an action: done or dropped, with a note",
        parent=action_sub,
    )
    which(p)
    p.add_argument("--item", required=True, type=_number_arg, metavar="N")
    p.add_argument(
        "--action",
        required=True,
        type=_number_arg,
        metavar="N",
        help="the action's number within the item",
    )
    p.add_argument("--dropped", action="store_true", help="dropped, not done")
    p.add_argument("--note", required=True, metavar="TEXT", help="what was done, or why dropped")
    p.add_argument("--on", type=_date_arg, metavar="DATE", help="default: the as-at date")

    p = command(
        "actions", "cmd_meeting_actions", "the action log across meetings", parent=meeting_sub
    )
    p.add_argument("--open", action="store_true", help="only the open actions")
    p.add_argument("--status", choices=["open", "done", "dropped"])
    p.add_argument("--owner", metavar="NAME", help="owners whose name contains NAME")
    p.add_argument("--meeting", type=_date_arg, metavar="DATE", help="only this meeting's")
    p.add_argument("--body", metavar="NAME", help=body_help)
    p.add_argument("--json", action="store_true", help=json_help)

    p = command(
        "decisions", "cmd_meeting_decisions", "the decision log across meetings", parent=meeting_sub
    )
    p.add_argument("--meeting", type=_date_arg, metavar="DATE", help="only this meeting's")
    p.add_argument("--body", metavar="NAME", help=body_help)
    p.add_argument("--json", action="store_true", help=json_help)

    p = command(
        "check",
        "cmd_meeting_check",
        "warnings before the papers go out; exit 1 if there are any",
        parent=meeting_sub,
    )
    which(p, option=False)
    p.add_argument("--json", action="store_true", help=json_help)


def _say(message: str) -> None:
    """One line on stderr: newlines folded, control characters drawn visibly."""
    from psr_tui.text import visible

    if sys.stderr is not None:
        print(f"psr: {visible(' '.join(message.splitlines()))}", file=sys.stderr)


class OutputError(Exception):
    """What a command printed could not be written (a full disk, a dead terminal)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(f"cannot write the output ({os_reason(error)})")


class _GuardedOutput:
    """stdout for a command: a failure to write it is an OutputError, told apart from the
    OSErrors of the files a command reads and writes. A closed pipe stays BrokenPipeError."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _discard_output() -> None:
    # Whatever is still buffered would fail again as the interpreter exits, with a
    # message of Python's own: let it go to /dev/null instead.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stdout is None:
        # Started with stdout closed: a file opened now could take its descriptor.
        _say("standard output is closed, so nothing was done (send it to /dev/null to discard it)")
        return EXIT_USER_ERROR
    # psr uses no pydantic plugin, and one installed beside it has no business inside the
    # validation of the partnership's file; not looking for them saves every command the
    # scan of the installed packages' entry points (~5 ms).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        # Inside the try: `--help` writes (the matrix's labels too), and its reader may leave.
        args = build_parser(arguments).parse_args(arguments)
        refuse_typed_control_characters(args)
        if args.handler == "cmd_open":
            cmd_open(args)
        else:
            # The modules and models imported here live as long as this process: no
            # collector passes over them while they load, and frozen once loaded, none over
            # them again while the command reads and makes its data.
            gc.disable()
            from psr_tui import cli_commands

            gc.freeze()
            gc.enable()
            output = cast(TextIO, _GuardedOutput(sys.stdout))
            with contextlib.redirect_stdout(output):
                getattr(cli_commands, args.handler)(args)
                output.flush()  # inside the try: a failed write is reported here, not at exit
    except OutputError as exc:
        _say(str(exc))
        _discard_output()
        return EXIT_USER_ERROR
    except UserError as exc:
        _say(str(exc))
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `psr risks | head`: the reader left; say nothing more and don't flush into the pipe.
        _discard_output()
        return 1
    except Exception as exc:  # the machine's refusal (OSError), or a bug: logged
        from psr_tui import errorlog

        command = " ".join(["psr", *(argv if argv is not None else sys.argv[1:])])
        _say(errorlog.one_line(exc, command))
        return EXIT_USER_ERROR
    return 0


if __name__ == "__main__":
    # `python -m psr_tui.cli`: how `psr serve` starts the workbench for each browser.
    sys.exit(main())
