"""Settings read from the environment or Streamlit secrets (environment first)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from maillon.data.paths import DEFAULT_DATABASE


def setting(name: str, default: str | None = None) -> str | None:
    """MAILLON_<NAME> from the environment, else <name> in .streamlit/secrets.toml, else default."""
    env = os.environ.get(f"MAILLON_{name.upper()}")
    if env:
        return env
    if not any(os.path.exists(path) for path in _secrets_files()):
        # Streamlit parses its secrets again on every lookup while none exists (and raises):
        # about 5 % of a page run, for the database path every run reads.
        return default
    try:
        import streamlit as st

        if name in st.secrets:
            return str(st.secrets[name])
    except Exception:  # an unreadable secrets file, or not running under Streamlit
        pass
    return default


@cache
def _secrets_files() -> tuple[str, ...]:
    """Where Streamlit looks for secrets (files or folders), as configured at start."""
    try:
        from streamlit import config

        return tuple(config.get_option("secrets.files"))
    except Exception:  # not running under Streamlit
        return ()


def database_path() -> Path:
    """The database the app reads: MAILLON_DB / secrets `db`, else data/maillon.duckdb."""
    # abspath, not resolve(): the path is a symlink to the current version and must stay one.
    return Path(os.path.abspath(Path(setting("db", str(DEFAULT_DATABASE))).expanduser()))
