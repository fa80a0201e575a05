"""A page's own state in the URL: parameters starting with '_', next to the global filters
(which app.py writes through ui.write_url, keeping these)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import streamlit as st

from maillon.data.url_values import whole_number


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


def restore_widgets(values: Mapping[str, object], linked: bool) -> None:
    """Before the widgets are drawn: each widget key gets its value from `values` when a link has
    just named them, or when the widget is new in this run (Streamlit forgets a widget not drawn
    in a run: another tab was open, or its key names the other language)."""
    for key, value in values.items():
        if linked or key not in st.session_state:
            st.session_state[key] = value


def tab_param(key: str) -> str:
    """The URL parameter of the lazy tabs `key`: the open tab's place, 1 for the first."""
    return f"_{key}"


def _place_key(key: str) -> str:
    return f"_tab_place_{key}"


def tab_link(key: str, tabs: Sequence[str], tab: str) -> dict[str, str]:
    """The URL parameters of a link (st.page_link) opening `tab` of the tabs `key`."""
    return {tab_param(key): str(tabs.index(tab) + 1)}


def restore_tab(labels: list[str], key: str) -> None:
    """Before the tabs `key` are drawn: open the tab a link names (on the page's first run in the
    session, or from another page of the app: tab_link), or the one open before the labels
    changed language. A tab is kept by its place, not its label: the same link opens the same
    tab in French and in English."""
    place_key = _place_key(key)
    linked = read_once(key, [tab_param(key)])
    named = st.query_params.get_all(tab_param(key))
    if linked is None and named and named[0] != str(st.session_state.get(place_key, 0) + 1):
        linked = {tab_param(key): named}  # a link from another page, on a later visit
    if linked is not None:
        values = linked.get(tab_param(key), [])
        wanted = whole_number(values[0]) if values else None
        st.session_state[place_key] = wanted - 1 if wanted and wanted <= len(labels) else 0
    place = min(st.session_state.get(place_key, 0), len(labels) - 1)
    if linked is not None or st.session_state.get(key) not in labels:
        st.session_state[key] = labels[place]


def keep_tab(tabs: list, key: str) -> None:
    """After the tabs `key` are drawn: the open tab's place, kept and in the URL (none for the
    first tab)."""
    place = next((i for i, tab in enumerate(tabs) if tab.open), 0)
    st.session_state[_place_key(key)] = place
    write({tab_param(key): str(place + 1)} if place else {}, [tab_param(key)])


def restore_flag(key: str, param: str) -> None:
    """Before the toggle `key` is drawn: on when a link says `param=1` (page's first run)."""
    linked = read_once(key, [param])
    if linked is not None and linked.get(param) == ["1"]:
        st.session_state[key] = True


def keep_flag(on: bool, param: str) -> None:
    """The toggle's state in the URL: `param=1` when on, nothing when off."""
    write({param: "1"} if on else {}, [param])


def _kept_key(key: str) -> str:
    return f"_kept_{key}"


def restore_choice(key: str, param: str, choices: Sequence[int], default: int) -> None:
    """Before the widget `key` (a whole number among `choices`) is drawn: the choice a link names
    on the page's first run, else the one kept (Streamlit forgets a widget not drawn in a run,
    as when another tab was open). A value not among `choices` is left out."""
    linked = read_once(key, [param])
    if linked is not None:
        values = linked.get(param, [])
        wanted = whole_number(values[-1]) if values else None
        st.session_state[_kept_key(key)] = wanted if wanted in choices else default
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(_kept_key(key), default)


def keep_choice(value: int, key: str, param: str, default: int) -> None:
    """The widget's choice, kept and in the URL (nothing for the default)."""
    st.session_state[_kept_key(key)] = value
    write({param: str(value)} if value != default else {}, [param])
