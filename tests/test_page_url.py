"""A page's own state in the URL (maillon.web.page_url): the open tab of every page with tabs,
the associations graph's « show operators » toggle, the associations directory's search and the
horizon of the conventions to renew. A link opens what it names, in either language; a choice is
written back so that the link reproduces the view."""

import pytest

from maillon.figures import associations
from maillon.web import page_url, ui
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


# ---------------------------------------------------------------- the associations directory


def _values(at, key: str) -> list[str]:
    """A URL parameter's values (AppTest gives one value as a string, several as a list)."""
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def _directory(at) -> tuple[str, list[str]]:
    """What the directory shows: its count line and its cards' headings."""
    found = [m.value for m in at.markdown if "association" in m.value and m.value[:1].isdigit()]
    return found[0], [m.value for m in at.markdown if m.value.startswith("**")]


def test_a_link_reproduces_a_directory_search(built_db):
    by_hand = open_page("associations")
    places = associations.establishment_choices(by_hand.session_state[ui.FILTERS_KEY])
    by_hand.multiselect(key="assoc_fields_fr").set_value(["health", "housing"]).run()
    by_hand.multiselect(key="assoc_settings_fr").set_value(["inside", "both"]).run()
    by_hand.multiselect(key="assoc_establishments").set_value(list(places)[:3]).run()
    by_hand.text_input(key="assoc_search").input("a").run()
    assert not by_hand.exception
    assert by_hand.query_params["_q"] == "a"
    assert _values(by_hand, "_field") == ["health", "housing"]
    assert _values(by_hand, "_setting") == ["inside", "both"]
    assert _values(by_hand, "_establishment") == list(
        by_hand.multiselect(key="assoc_establishments").value
    )

    linked = open_page(
        "associations",
        _q="a",
        _field=_values(by_hand, "_field"),
        _setting=_values(by_hand, "_setting"),
        _establishment=_values(by_hand, "_establishment"),
    )
    assert not linked.exception
    assert linked.multiselect(key="assoc_fields_fr").value == ["health", "housing"]
    assert linked.text_input(key="assoc_search").value == "a"
    assert _directory(linked) == _directory(by_hand)
    assert _directory(linked) != _directory(open_page("associations"))


def test_a_directory_link_keeps_only_what_the_directory_offers(built_db):
    at = open_page(
        "associations",
        _q="x" * 5000,
        _field=["nope", "health", "health", "<b>"],
        _setting="²",
        _establishment=["zz", "' OR 1=1 --"],
    )
    assert not at.exception
    assert at.text_input(key="assoc_search").value == "x" * 200
    assert at.multiselect(key="assoc_fields_fr").value == ["health"]
    assert at.multiselect(key="assoc_settings_fr").value == []
    assert at.multiselect(key="assoc_establishments").value == []
    assert _values(at, "_field") == ["health"]
    assert "_establishment" not in at.query_params


def test_the_directory_search_outlives_a_language_change_and_another_tab(built_db):
    at = open_page("associations", _field="health", _setting="after_release")
    before = _directory(at)
    at.button_group[0].set_value("en").run()
    assert not at.exception
    assert at.multiselect(key="assoc_fields_en").value == ["health"]
    assert at.multiselect(key="assoc_settings_en").value == ["after_release"]
    assert _values(at, "_field") == ["health"]
    open_tab(at, "associations_tab", at.tabs[1].label)
    assert "_field" not in at.query_params  # the link names the tab the reader is on
    open_tab(at, "associations_tab", at.tabs[0].label)
    assert at.multiselect(key="assoc_fields_en").value == ["health"]
    assert _values(at, "_setting") == ["after_release"]
    at.button_group[0].set_value("fr").run()
    assert _directory(at) == before


# ---------------------------------------------------------------- the conventions to renew


@pytest.mark.parametrize("months", ["3", "24"])
def test_a_link_names_the_horizon_of_the_conventions_to_renew(built_db, months):
    at = open_page("associations", _associations_tab="4", _months=months)
    assert not at.exception, [e.message for e in at.exception]
    assert at.radio(key="assoc_months").value == int(months)
    assert at.query_params["_months"] == months


@pytest.mark.parametrize("junk", ["7", "-3", "12abc", "٣", "9" * 40])
def test_a_horizon_not_offered_falls_back_to_twelve_months(built_db, junk):
    at = open_page("associations", _associations_tab="4", _months=junk)
    assert not at.exception, [e.message for e in at.exception]
    assert at.radio(key="assoc_months").value == 12
    assert "_months" not in at.query_params


def test_the_chosen_horizon_is_written_back_and_outlives_another_tab(built_db):
    at = open_page("associations", _associations_tab="4")
    assert "_months" not in at.query_params  # the default is not written
    at.radio(key="assoc_months").set_value(6).run()
    assert at.query_params["_months"] == "6"
    heading = [h.value for h in at.subheader]
    open_tab(at, "associations_tab", at.tabs[0].label)
    assert "_months" not in at.query_params  # the link names the tab the reader is on
    at.button_group[0].set_value("en").run()
    open_tab(at, "associations_tab", at.tabs[3].label)
    assert at.radio(key="assoc_months").value == 6
    assert at.query_params["_months"] == "6"
    at.button_group[0].set_value("fr").run()
    assert [h.value for h in at.subheader] == heading


def test_the_money_flow_link_opens_the_associations_operators_tab_on_any_visit(built_db):
    """The link under 'Returned' names the tab it speaks of; it opens it even when the
    associations page was seen before in the session (its tab then kept in the session)."""
    at = open_page("associations")
    assert _open_label(at, "associations_tab") == at.tabs[0].label
    at.switch_page("pages/money_flow_page.py").run()
    (link,) = [e for e in at.get("page_link") if "Lien avec les opérateurs" in e.proto.label]
    query = page_url.tab_link("associations_tab", associations.TABS, "operator_links.tab")
    assert query == {"_associations_tab": "6"}
    assert "_associations_tab=6" in link.proto.query_string
    # What following it does: the associations page with that parameter in the URL.
    at.query_params["_associations_tab"] = "6"
    at.switch_page("pages/associations_page.py").run()
    assert not at.exception
    assert _open_label(at, "associations_tab") == "Lien avec les opérateurs"
    # A tab chosen afterwards is not taken back by the link's parameter.
    open_tab(at, "associations_tab", at.tabs[1].label)
    assert _open_label(at, "associations_tab") == at.tabs[1].label
    assert at.query_params["_associations_tab"] == "2"


@pytest.mark.parametrize(("page", "param"), [("annual", "_year"), ("network-annual", "_year")])
@pytest.mark.parametrize("value", ["abc", "2030", "**1999**"])
def test_a_year_the_data_lacks_in_a_link_is_said_and_replaced(built_db, page, param, value):
    at = open_page(page, **{param: value})
    assert not at.exception
    (warning,) = [w.value for w in at.warning if "lien" in w.value]
    shown = value.replace("*", "\\*")
    assert f"L'année du lien, «\u00a0{shown}\u00a0», n'est pas dans les données" in warning
    assert "Années disponibles" in warning
    at.run()
    assert not [w for w in at.warning if "lien" in w.value]  # said once, with the link


@pytest.mark.parametrize("page", ["annual", "network-annual"])
def test_a_year_of_the_data_in_a_link_is_taken_without_a_word(built_db, page):
    at = open_page(page, _year="2024")
    assert not [w for w in at.warning if "lien" in w.value]
    assert at.query_params["_year"] == "2024"
