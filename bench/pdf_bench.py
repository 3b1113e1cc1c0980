"""Benchmark the PDF meeting pack against WeasyPrint rendering the same HTML alone.

    .venv/bin/python bench/pdf_bench.py            # demo + large dataset, 3 runs each
    .venv/bin/python bench/pdf_bench.py --quick    # 1 run each

"export" is `export_pdf(snapshot, "pack", ...)` as the CLI and the TUI call it: build the
context from the snapshot (analysis, SVG charts), render the Jinja2 templates, WeasyPrint
with our fetcher, temp file + rename. "weasyprint" renders the identical HTML string with
the same stylesheet through a bare `HTML(...).write_pdf()`. "x weasyprint" is their ratio
(1.0 would mean our side costs nothing); "context + HTML" times our side alone, once, cold
(snapshot validation, analysis, SVG charts, Jinja2). The large dataset is the demo plus 500
risks and 12 rounds of 30 responses each (the pack shows the latest round and its change
since the previous one).
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from psr_tui.demo import build_demo
from psr_tui.exports.context import report_context
from psr_tui.exports.pdf import STYLESHEET, TEMPLATES_DIR, export_pdf, render_html
from psr_tui.models import Response, Risk, Round
from psr_tui.store import Snapshot, Store

RISKS, ROUNDS, RESPONSES = 500, 12, 30


def add_large_dataset(store: Store) -> None:
    rng = random.Random(6)
    snap = store.snapshot()
    framework = snap.framework(snap.latest_round().model.framework)  # type: ignore[union-attr]
    assert framework is not None
    levels = ["Low", "Medium", "High"]
    impacts = ["Noticeable", "Significant", "Critical"]
    with store.transaction() as tx:
        for n in range(RISKS):
            tx.insert(
                "risks",
                Risk(
                    ref=f"B{n + 1}",
                    description=f"Benchmark risk {n + 1}: " + "capacity and funding " * 4,
                    category=rng.choice(levels),
                    date_identified=date(2015, 1 + n % 12, 1),
                    controls="Controls in place, reviewed monthly by the programme office.",
                    likelihood=rng.choice(levels),
                    impact=rng.choice(impacts),
                    actions="Actions planned and owned by the Implementation Group.",
                    owner="Programme Manager",
                    action_date=date(2016, 1 + n % 12, 1),
                ),
            )
        for r in range(ROUNDS):
            name = f"Bench round {r + 1:02d}"
            tx.insert(
                "rounds",
                Round(
                    name=name, date=date(2017 + r // 12, 1 + r % 12, 1), framework=framework.name
                ),
            )
            for i in range(RESPONSES):
                tx.insert(
                    "responses",
                    Response(
                        round=name,
                        name=f"Respondent {i}",
                        organisation=f"Organisation {i % 7}",
                        group="Executive" if i % 3 == 0 else "Implementation Group",
                        scores={d.key: rng.randint(1, 5) for d in framework.domains},
                    ),
                )


def timed_pair(
    first: Callable[[], object], second: Callable[[], object], runs: int
) -> tuple[float, float]:
    """Median times of two actions, run alternately so load on a shared host hits both."""
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for action, into in ((first, samples[0]), (second, samples[1])):
            start = time.perf_counter()
            action()
            into.append(time.perf_counter() - start)
    return statistics.median(samples[0]), statistics.median(samples[1])


def weasyprint_alone(html: str) -> bytes:
    from weasyprint import CSS, HTML

    pdf = HTML(string=html, base_url=TEMPLATES_DIR.as_uri() + "/").write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))]
    )
    assert isinstance(pdf, bytes)
    return pdf


def measure(label: str, snap: Snapshot, out: Path, runs: int) -> str:
    exported = date(2016, 2, 16)
    start = time.perf_counter()
    html = render_html(report_context(snap, "pack", user="bench", exported=exported))
    # Our own share of the export: analysis, SVG charts and the Jinja2 templates.
    ours_only = time.perf_counter() - start
    weasyprint_alone(html)  # warm imports and font caches for both sides
    ours, alone = timed_pair(
        lambda: export_pdf(snap, "pack", out, user="bench", exported=exported),
        lambda: weasyprint_alone(html),
        runs,
    )
    from pypdf import PdfReader

    pages = len(PdfReader(out).pages)
    return (
        f"| {label} | {pages} | {ours:.2f} s | {alone:.2f} s | {ours / alone:.2f} "
        f"| {ours_only * 1000:.0f} ms |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run per dataset")
    args = parser.parse_args()
    runs = 1 if args.quick else 3
    print(
        f"# PDF pack benchmark ({platform.python_version()}, {platform.machine()}, "
        f"median of {runs})\n"
    )
    print("| dataset | pages | export | weasyprint | x weasyprint | context + HTML |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.json", user="bench")
        build_demo(store)
        print(measure("demo", store.snapshot(), Path(tmp) / "demo.pdf", runs), flush=True)
        add_large_dataset(store)
        label = f"demo + {RISKS} risks, {ROUNDS} rounds x {RESPONSES}"
        print(measure(label, store.snapshot(), Path(tmp) / "large.pdf", runs), flush=True)


if __name__ == "__main__":
    main()
