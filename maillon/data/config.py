"""Settings read from the environment or Streamlit secrets (environment first)."""

from __future__ import annotations

import os
from pathlib import Path

from maillon.data.paths import DEFAULT_DATABASE


def setting(name: str, default: str | None = None) -> str | None:
    """MAILLON_<NAME> from the environment, else <name> in .streamlit/secrets.toml, else default."""
    env = os.environ.get(f"MAILLON_{name.upper()}")
    if env:
        return env
    try:
        import streamlit as st

        if name in st.secrets:
            return str(st.secrets[name])
    except Exception:  # no secrets file, or not running under Streamlit
        pass
    return default


def database_path() -> Path:
    """The database the app reads: MAILLON_DB / secrets `db`, else data/maillon.duckdb."""
    # abspath, not resolve(): the path is a symlink to the current version and must stay one.
    return Path(os.path.abspath(Path(setting("db", str(DEFAULT_DATABASE))).expanduser()))
