"""The team list: the name each login goes by on the papers (`psr team set LOGIN NAME`)."""

from __future__ import annotations

from psr_tui.errors import InvalidRecordError
from psr_tui.store import Meta, Transaction
from psr_tui.text import control_characters

NAME_LIMIT = 80


def set_display_name(tx: Transaction, login: str, name: str) -> Meta:
    """Give `login` the display name `name` on the papers; an empty name removes it.

    Applied to the team list as it is in the file now, so two officers naming different
    logins keep both names.
    """
    login, name = login.strip(), " ".join(name.split())
    if not login or any(c.isspace() for c in login):
        raise InvalidRecordError(f"{login!r} is not a login: one word, as `whoami` prints it")
    for text, what in ((login, "the login"), (name, "the name")):
        found = control_characters(text)
        if found:
            raise InvalidRecordError(f"{what} contains control characters ({' '.join(found)})")
    if len(name) > NAME_LIMIT:
        raise InvalidRecordError(f"a display name is at most {NAME_LIMIT} characters")
    team = dict(tx.meta.team)
    if name:
        team[login] = name
    elif login in team:
        del team[login]
    else:
        raise InvalidRecordError(f"{login} has no display name to remove")
    return tx.set_meta(team=dict(sorted(team.items())))
