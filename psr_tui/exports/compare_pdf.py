"""`psr compare -o FILE.pdf`: the partnerships' latest rounds side by side, as an A4 PDF.

Rendered through the one autoescaped template environment and the package-only fetcher
(`psr_tui.exports.pdf`), with the report's stylesheet; a radar chart draws each
partnership's combined means over the framework's domains.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from markupsafe import Markup

from psr_tui.analysis.peers import PeerRound, peer_groups
from psr_tui.errors import ExportError
from psr_tui.exports.radar import radar
from psr_tui.exports.svg import Series
from psr_tui.formatting import abbreviate, format_date, format_mean
from psr_tui.store.files import atomic_write


@dataclass(frozen=True)
class ComparedPeer:
    number: int
    partnership: str
    round: str
    date: str
    respondents: int
    source: str


@dataclass(frozen=True)
class ComparedRow:
    name: str
    cells: list[list[str]]  # per partnership: each group's mean, everyone's, the level


@dataclass(frozen=True)
class Comparison:
    title: str
    framework: str
    exported: str
    user: str
    peers: list[ComparedPeer]
    group_headings: list[str]
    rows: list[ComparedRow]
    overall: ComparedRow
    chart: Markup
    method: str


def comparison(peers: list[PeerRound], *, user: str, exported: date) -> Comparison:
    groups = peer_groups(peers)
    framework = peers[0].framework

    def cells(
        found: list[tuple[dict[str, float | None], float | None, int | None]],
    ) -> list[list[str]]:
        return [
            [*(format_mean(means.get(g)) for g in groups), format_mean(combined), str(level or "-")]
            for means, combined, level in found
        ]

    rows = [
        ComparedRow(
            domain.name,
            cells(
                [
                    (
                        p.summary.domains[i].means,
                        p.summary.domains[i].combined,
                        p.summary.domains[i].achieved_level,
                    )
                    for p in peers
                ]
            ),
        )
        for i, domain in enumerate(peers[0].summary.domains)
    ]
    overall = ComparedRow(
        "All domains",
        cells(
            [
                (p.summary.overall_means, p.summary.overall_combined, p.summary.overall_level)
                for p in peers
            ]
        ),
    )
    chart = radar(
        [d.name for d in peers[0].summary.domains],
        [
            Series(f"{n} {p.partnership}", [d.combined for d in p.summary.domains])
            for n, p in enumerate(peers, 1)
        ],
        top=framework.top_level,
        level_names=framework.levels,
        size=460,
    )
    return Comparison(
        title=f"{framework.name}: partnerships compared",
        framework=framework.name,
        exported=format_date(exported),
        user=user,
        peers=[
            ComparedPeer(
                n,
                p.partnership,
                p.summary.round,
                format_date(p.round_date),
                len(p.summary.respondents),
                p.source,
            )
            for n, p in enumerate(peers, 1)
        ],
        group_headings=[abbreviate(g) for g in groups],
        rows=rows,
        overall=overall,
        chart=chart,
        method=f"Level achieved = {framework.achieved_level.method}.",
    )


def comparison_html(compared: Comparison) -> str:
    from psr_tui.exports.pdf import template

    return template("compare.html").render(c=compared)


def export_comparison(peers: list[PeerRound], out_path: Path, *, user: str) -> Path:
    """Write the comparison as an A4 PDF (atomically: a failed render leaves the old file)."""
    from psr_tui.exports.pdf import html_to_pdf

    out = Path(out_path).expanduser()
    if not out.parent.is_dir():
        raise ExportError(f"{out}: the folder {out.parent} does not exist")
    pdf = html_to_pdf(comparison_html(comparison(peers, user=user, exported=date.today())))
    try:
        atomic_write(out, pdf)
    except OSError as exc:
        raise ExportError(f"{out}: cannot write it ({exc.strerror or exc})") from None
    return out
