"""A page's own state in the URL: parameters starting with '_', next to the global filters
(which app.py writes through ui.write_url, keeping these)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import streamlit as st


def initial(keys: Iterable[str]) -> dict[str, list[str]]:
    """{key: [values]} for the page's keys in the URL (ui.write_url keeps the '_' keys)."""
    return {key: st.query_params.get_all(key) for key in keys if key in st.query_params}


def read_once(page: str, keys: Iterable[str]) -> dict[str, list[str]] | None:
    """The page's URL parameters on its first run in this session; None on later runs, when the
    page's state lives in st.session_state."""
    flag = f"_url_read_{page}"
    if st.session_state.get(flag):
        return None
    st.session_state[flag] = True
    return initial(keys)


def write(wanted: Mapping[str, str | list[str]], keys: Iterable[str]) -> None:
    """Put the page's parameters in the URL (dropping those of `keys` not in `wanted`)."""
    for key in keys:
        if key not in wanted and key in st.query_params:
            del st.query_params[key]
    current = {k: st.query_params.get_all(k) for k in wanted}
    changed = {k: v for k, v in wanted.items() if current[k] != (v if isinstance(v, list) else [v])}
    if changed:
        st.query_params.update(changed)
