"""Assessment forms that go out to respondents and come back: what every form carries.

A form is made for one respondent of one round (`psr form`): an .xlsx to fill in, or an
A4 PDF to print. The .xlsx carries, out of sight, what the import needs to match a returned
copy back to its respondent (`FormDetails`); both name the respondent and list every domain
with its guiding question and its level descriptors, as seed 001's form did.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from psr_tui.models import Framework, Response

# What a form's layout and details mean; a form of a newer version is refused on import.
FORM_VERSION = 1
# A file name stays well inside the 255 bytes a file system allows.
_LONGEST_SLUG = 80


@dataclass(frozen=True)
class FormDetails:
    """What a form says about itself: whose it is, of which round, in which framework."""

    version: int
    partnership: str
    round: str
    framework: str
    shape: str  # `framework_shape`: a returned form must fit the framework it was made for
    name: str
    organisation: str
    group: str
    sent: date
    domains: tuple[str, ...]  # the domain keys, in the order the form lists them
    # What the form showed filled in when it was sent (the respondent's scores by then): a
    # returned form changes only what differs from these.
    sent_scores: dict[str, int] = field(default_factory=dict)
    sent_comments: dict[str, str] = field(default_factory=dict)


def framework_shape(framework: Framework) -> str:
    """A short fingerprint of what a score means: the levels and the domains' keys."""
    shape = json.dumps([framework.levels, [d.key for d in framework.domains]])
    return hashlib.sha256(shape.encode("utf-8")).hexdigest()[:16]


def form_details(
    partnership: str, round_name: str, framework: Framework, response: Response, sent: date
) -> FormDetails:
    return FormDetails(
        version=FORM_VERSION,
        partnership=partnership,
        round=round_name,
        framework=framework.name,
        shape=framework_shape(framework),
        name=response.name,
        organisation=response.organisation,
        group=response.group,
        sent=sent,
        domains=tuple(d.key for d in framework.domains),
        sent_scores={
            d.key: level for d in framework.domains if (level := response.scores.get(d.key))
        },
        sent_comments={
            d.key: text for d in framework.domains if (text := response.comments.get(d.key))
        },
    )


def level_choice(framework: Framework, level: int) -> str:
    """A level as a form offers it: "3 Implementation"."""
    return f"{level} {framework.level_name(level)}"


def level_choices(framework: Framework) -> list[str]:
    return [level_choice(framework, n) for n in range(1, framework.top_level + 1)]


def levels_range(framework: Framework) -> str:
    return f"1-{framework.top_level}"


class NotALevelError(ValueError):
    """A score on a returned form that is none of the framework's levels."""


def _shown(value: object) -> str:
    if isinstance(value, str):
        return repr(value.strip())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_level(value: object, framework: Framework) -> int | None:
    """The level a form's score cell holds: empty is unscored; 3, "3", "3 Implementation"
    and "implementation" are level 3. Anything else is NotALevelError saying so."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    top = framework.top_level
    level: int | None = None
    if isinstance(value, bool):
        level = None
    elif isinstance(value, int):
        level = value
    elif isinstance(value, float) and value.is_integer():
        level = int(value)
    elif isinstance(value, str):
        text = " ".join(value.split()).lower()
        choices = {choice.lower(): n for n, choice in enumerate(level_choices(framework), 1)}
        names = {name.lower(): n for n, name in enumerate(framework.levels, 1)}
        if text.isascii() and text.isdigit():
            level = int(text)
        else:
            level = choices.get(text) or names.get(text)
    if level is None or not 1 <= level <= top:
        raise NotALevelError(
            f"{_shown(value)} is not a level of {framework.name} ({levels_range(framework)})"
        )
    return level


def _slug(text: str) -> str:
    """Text as part of a file name: letters and digits of any script joined by '-'."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    kept = "".join(c for c in folded if not unicodedata.combining(c))
    slug = re.sub(r"[^\w]+|_+", "-", kept).strip("-")
    return slug[:_LONGEST_SLUG].strip("-")


def form_filenames(round_name: str, responses: Sequence[Response], suffix: str) -> list[str]:
    """One file name per response, in order: round, name and organisation, no two the same
    (ignoring case), and nothing a file system reads as a path ('..', '/', a leading dot)."""
    prefix = _slug(round_name) or "round"
    names: list[str] = []
    taken: set[str] = set()
    for number, response in enumerate(responses, start=1):
        who = _slug(f"{response.name} {response.organisation}") or f"respondent-{number}"
        stem = f"{prefix}-{who}"
        candidate, again = stem, 1
        while candidate.lower() in taken:
            again += 1
            candidate = f"{stem}-{again}"
        taken.add(candidate.lower())
        names.append(f"{candidate}{suffix}")
    return names
