"""The assessment form as a printable A4 PDF, laid out like seed 001's self-assessment form.

Rendered through the one autoescaped template environment and the package-only fetcher
(`psr_tui.exports.pdf`): a respondent's name is text on the page, never in an attribute.
"""

from __future__ import annotations

from dataclasses import dataclass

from psr_tui.exports.forms import FormDetails, level_choice, level_choices
from psr_tui.formatting import format_date
from psr_tui.models import Framework

PRINTED_INSTRUCTIONS = (
    "For each domain, read the level descriptors and write the number of the level that best "
    "describes where the partnership is now in the Your score box. Add a comment if you wish, "
    "then return the form to the programme office."
)


@dataclass(frozen=True)
class PrintedDomain:
    name: str
    question: str
    descriptors: list[str]
    score: str  # the level already given, if any ("3 Implementation")
    comment: str


@dataclass(frozen=True)
class PrintedForm:
    """What the printed form shows."""

    partnership: str
    title: str
    round: str
    footer: str
    instructions: str
    levels: list[str]
    domains: list[PrintedDomain]
    name: str
    organisation: str
    group: str


def printed_form(details: FormDetails, framework: Framework) -> PrintedForm:
    who = ", ".join(p for p in (details.name, details.organisation) if p)
    return PrintedForm(
        partnership=details.partnership,
        title=f"{framework.name}: self-assessment form",
        round=details.round,
        footer=f"Form for {who} ({details.group}), sent {format_date(details.sent)}",
        instructions=PRINTED_INSTRUCTIONS,
        levels=level_choices(framework),
        domains=[
            PrintedDomain(
                d.name,
                d.question,
                d.descriptors,
                level_choice(framework, details.sent_scores[d.key])
                if d.key in details.sent_scores
                else "",
                details.sent_comments.get(d.key, ""),
            )
            for d in framework.domains
        ],
        name=details.name,
        organisation=details.organisation,
        group=details.group,
    )


def form_html(form: PrintedForm) -> str:
    from psr_tui.exports.pdf import template

    return template("form.html").render(f=form)


def form_pdf(details: FormDetails, framework: Framework) -> bytes:
    """The printable form for one respondent as PDF bytes."""
    from psr_tui.exports.pdf import html_to_pdf

    return html_to_pdf(form_html(printed_form(details, framework)))
