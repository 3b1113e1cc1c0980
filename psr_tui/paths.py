"""Where psr keeps its files: the database and the user's own settings.

`$PSR_DB` names the database, `$PSR_CONFIG_DIR` the settings folder and `$PSR_STATE_DIR`
the folder of the error log, so that tests and scripts never touch a real home directory.
"""

from __future__ import annotations

import os
from pathlib import Path


def default_db_path() -> Path:
    """`$PSR_DB`, else psr.json in the user data dir."""
    if env := os.environ.get("PSR_DB"):
        return Path(env)
    from platformdirs import user_data_path

    return user_data_path("psr-tui", appauthor=False) / "psr.json"


def config_dir() -> Path:
    """`$PSR_CONFIG_DIR`, else the user config dir (keymap, theme)."""
    if env := os.environ.get("PSR_CONFIG_DIR"):
        return Path(env)
    from platformdirs import user_config_path

    return user_config_path("psr-tui", appauthor=False)


def state_dir() -> Path:
    """`$PSR_STATE_DIR`, else the user state dir (the log of unexpected errors)."""
    if env := os.environ.get("PSR_STATE_DIR"):
        return Path(env)
    from platformdirs import user_state_path

    return user_state_path("psr-tui", appauthor=False)
