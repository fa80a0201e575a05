"""A page's own state in the URL (maillon.web.page_url): the open tab of every page with tabs,
and the associations graph's « show operators » toggle. A link opens what it names, in either
language; a choice is written back so that the link reproduces the view."""

import pytest

from tests.page_helpers import open_page, open_tab

# (page, key of its lazy tabs): every page whose questions sit in tabs.
TABBED = [
    ("markets", "markets_tab"),
    ("money-flow", "money_flow_tab"),
    ("outcomes", "outcomes_tab"),
    ("establishments", "establishments_tab"),
    ("associations", "associations_tab"),
    ("public-figures", "public_theme"),
]


def _open_label(at, key: str) -> str:
    return at.session_state[key]


@pytest.mark.parametrize(("page", "key"), TABBED)
def test_a_link_opens_the_tab_it_names_and_a_choice_is_written_back(built_db, page, key):
    at = open_page(page, **{f"_{key}": "2"})
    assert not at.exception, [e.message for e in at.exception]
    labels = [tab.label for tab in at.tabs]
    assert _open_label(at, key) == labels[1]
    assert at.query_params[f"_{key}"] == "2"
    open_tab(at, key, labels[2])
    assert at.query_params[f"_{key}"] == "3"
    open_tab(at, key, labels[0])
    assert f"_{key}" not in at.query_params  # the first tab: a plain link


@pytest.mark.parametrize("value", ["9", "0", "-1", "abc", "", "²", "9" * 5000])
def test_a_link_naming_no_tab_opens_the_first(built_db, value):
    at = open_page("associations", _associations_tab=value)
    assert not at.exception
    assert _open_label(at, "associations_tab") == at.tabs[0].label
    assert "_associations_tab" not in at.query_params


def test_the_open_tab_stays_open_when_the_language_changes(built_db):
    at = open_page("associations", _associations_tab="4")
    assert _open_label(at, "associations_tab") == "Conventions à renouveler"
    at.button_group[0].set_value("en").run()
    assert not at.exception
    assert _open_label(at, "associations_tab") == at.tabs[3].label != "Conventions à renouveler"
    assert at.query_params["_associations_tab"] == "4"


def test_the_network_graph_with_its_operators_is_in_the_link(built_db):
    at = open_page("associations", _associations_tab="2", _operators="1")
    assert not at.exception
    assert at.toggle(key="assoc_with_operators").value is True
    at.toggle(key="assoc_with_operators").set_value(False).run()
    assert "_operators" not in at.query_params
    at.toggle(key="assoc_with_operators").set_value(True).run()
    assert at.query_params["_operators"] == "1"
    open_tab(at, "associations_tab", at.tabs[0].label)  # another tab: the toggle is not shown
    assert "_operators" not in at.query_params
