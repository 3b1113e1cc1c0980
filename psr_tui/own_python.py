"""How psr starts a Python child of its own."""

from __future__ import annotations

import sys


def module_command(module: str) -> list[str]:
    """This interpreter running `module` of the installed psr_tui.

    -P: never the current directory first on the path, so a `psr_tui` folder where psr
    was started (a shared /tmp, say) is not what runs.
    """
    return [sys.executable, "-P", "-m", module]
