"""The Overview as a user gets it, through Streamlit's AppTest, in French and in English."""

import json
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from maillon.charts import readable
from maillon.data.filters import Filters
from maillon.figures import overview
from maillon.i18n import money
from maillon.web import ui
from tests.conftest import APP, ROOT
from tests.page_helpers import sql


def _open(built_db, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _chart(at) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def test_overview_in_french_shows_four_figures_and_a_chart(built_db):
    at = _open(built_db)
    labels = [m.label for m in at.metric]
    assert labels[:3] == [
        "Valeur des marchés",
        "Part de l'ESS",
        "Réinsertion + familles",
    ]
    assert labels[3].startswith("Personnes détenues employées en 2025")
    headline = overview.Headline.load(Filters(2019, 2025))
    assert [m.value for m in at.metric][:4] == list(headline.formatted("fr").values())
    assert "€" in at.metric[0].value and "%" in at.metric[1].value
    spec = _chart(at)
    assert spec["layout"]["title"]["text"].startswith("Les opérateurs de l'ESS")
    bars = [trace for trace in spec["data"] if trace["type"] == "bar"]
    kinds = {trace["name"] for trace in bars}
    # régie is a cost, shown beside the market value, not a holder of it
    assert "Entreprise à but lucratif" in kinds and "Gestion publique" not in kinds
    # The legend names a kind in short, beside the plot; hover gives its full name.
    assert {"SIAE", "Scop", "Scic"} <= kinds
    hovers = " ".join(trace["hovertemplate"] for trace in bars)
    assert "Structure d'insertion par l'activité économique (SIAE)" in hovers
    texts = [a["text"] for a in spec["layout"]["annotations"]]
    assert any(t.startswith("Source :") for t in texts)
    assert "DONNÉES ILLUSTRATIVES" in texts
    assert any("Données illustratives" in i.value for i in at.info)


def test_overview_in_english_from_the_url(built_db):
    at = _open(built_db, lang="en")
    labels = [m.label for m in at.metric]
    assert labels[0] == "Market value" and labels[3].startswith("People in prison employed in")
    assert at.metric[0].value.startswith("€")
    spec = _chart(at)
    assert spec["layout"]["title"]["text"].startswith("ESS operators")
    assert "ILLUSTRATIVE DATA" in [a["text"] for a in spec["layout"]["annotations"]]


def test_switching_language_in_the_session(built_db):
    at = _open(built_db)
    at.session_state["lang"] = "en"
    at.run()
    assert at.metric[0].label == "Market value"
    assert at.get("plotly_chart")[0].proto.spec.count("ILLUSTRATIVE DATA") == 1


def test_a_filtered_link_reproduces_the_view(built_db):
    at = _open(built_db, years="2022-2024", region="84", kind=["scop", "for_profit"])
    expected = overview.Headline.load(
        Filters(2022, 2024, region=("84",), kind=("scop", "for_profit"))
    )
    assert [m.value for m in at.metric][:4] == list(expected.formatted("fr").values())
    assert at.metric[3].label == "Personnes détenues employées en 2024"
    assert not at.warning


def test_a_departement_and_a_management_mode_in_the_link(built_db):
    # what a member of parliament shares: their département, the delegated establishments
    at = _open(built_db, departement="13", mode=["delegated", "ppp"])
    expected = overview.Headline.load(
        Filters(2019, 2025, departement=("13",), mode=("delegated", "ppp"))
    )
    assert not at.warning
    assert [m.value for m in at.metric][:4] == list(expected.formatted("fr").values())
    assert at.metric[0].value != _open(built_db).metric[0].value
    summary = at.sidebar.caption[0].value.replace("\\", "")
    assert "Département : 13 Bouches-du-Rhône" in summary
    assert (
        "Mode de gestion de l'établissement : Gestion déléguée, Partenariat public-privé" in summary
    )


def test_changing_a_filter_changes_the_figures(built_db):
    assert not _open(built_db).multiselect  # the widgets are sent once their expander is open
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[ui.FILTERS_OPEN_KEY] = True
    at.run()
    assert len(at.sidebar.multiselect) == 7
    at.sidebar.multiselect(key="filter_domain_fr").set_value(["canteen"]).run()
    expected = overview.Headline.load(Filters(2019, 2025, domain=("canteen",)))
    assert [m.value for m in at.metric][:4] == list(expected.formatted("fr").values())
    # the administration pays no canteen: its market value is none, the canteen sales beside
    assert at.metric[0].value == "–"
    assert "Personnes détenues (cantine)" in [m.label for m in at.metric]
    assert at.session_state["_filters"] == Filters(2019, 2025, domain=("canteen",))


def test_the_sidebar_states_the_filters_in_force(built_db):
    at = _open(built_db, years="2022-2024", kind=["scop", "for_profit"], lang="en")
    summary = at.sidebar.caption[0].value
    assert summary.startswith("**Filters in force**")
    lines = summary.replace("\\", "").split("  \n")[1:]
    assert lines == [
        "Years: 2022–2024",
        "Operator kind: Worker cooperative (SCOP), For-profit company",
    ]
    plain = _open(built_db, lang="en").sidebar.caption[0].value.replace("\\", "")
    assert plain.split("  \n")[1:] == ["Years: 2019–2025", "no other filter"]


def test_text_in_markdown_is_shown_as_itself():
    assert ui.plain_markdown("**a** :red[b] $x$ <b>") == (
        "\\*\\*a\\*\\* \\:red\\[b\\] \\$x\\$ \\<b\\>"
    )


@pytest.mark.parametrize(
    "query",
    [
        {"years": "1900-3000"},
        {"region": "Atlantis"},
        {"years": "garbage", "kind": "<script>alert(1)</script>", "lang": "xx"},
        {"unknown": "1"},
    ],
)
def test_bad_links_show_a_notice_and_fall_back(built_db, query):
    at = _open(built_db, **query)
    assert len(at.warning) == 1
    assert "ignorés" in at.warning[0].value or "ignored" in at.warning[0].value
    assert at.metric[0].label in ("Valeur des marchés", "Market value")


def test_a_scope_without_data_says_so(built_db):
    # The public régie never holds education markets.
    at = _open(built_db, domain="education", kind="public_regie")
    assert not at.metric
    assert any("Aucune donnée" in w.value for w in at.warning)


def test_a_charts_data_is_sent_when_asked_for(built_db):
    at = _open(built_db)
    assert not at.dataframe
    assert at.expander[0].label == "Voir les données du graphique"
    at.session_state["data_market_by_kind"] = True
    at.run()
    expected = overview.market_view(Filters(2019, 2025), "fr").table
    shown = at.dataframe[0].value
    assert list(shown.columns) == expected.columns
    # Numbers written the French way, each the rounded raw value (the CSV keeps the raw ones).
    for name, dtype in expected.schema.items():
        if dtype.is_float():
            decimals = readable.decimals(expected[name])
            for text, raw in zip(shown[name], expected[name], strict=True):
                assert "," not in text or decimals, text
                parsed = float(text.replace("\u202f", "").replace(",", "."))
                assert parsed == pytest.approx(round(raw, decimals)), (name, text, raw)
        else:
            assert shown[name].tolist() == expected[name].to_list()


@pytest.mark.parametrize(
    ("lang", "words"), [("fr", "version plus ancienne"), ("en", "older version")]
)
def test_a_database_that_cannot_be_upgraded_is_explained_not_a_traceback(
    built_db, monkeypatch, lang, words
):
    from maillon.database import build
    from maillon.database.validate import Message, Problem, ValidationError

    problem = Problem("target.csv", 3, "value", "-1", Message("negative"), Message("negative_fix"))

    def refused(*_args, **_kwargs):
        raise ValidationError([problem])

    monkeypatch.setattr(build, "ensure_database", refused)
    ui._ensure_database.clear()
    try:
        at = _open(built_db, lang=lang)
    finally:
        ui._ensure_database.clear()
    assert len(at.error) == 1
    shown = at.error[0].value.replace("\\", "")  # the data's part is escaped Markdown
    assert words in shown and "target.csv" in shown
    assert not at.get("plotly_chart") and not at.metric


def test_the_libraries_are_left_out_of_each_runs_garbage_collection():
    """Streamlit collects all garbage after every run while holding the GIL, and no message
    reaches the browser meanwhile: over the libraries' objects that took 40-80 ms of every
    page change (docs/performance.md). The app freezes them when its UI module loads."""
    probe = "import gc, maillon.web.ui; print(gc.get_freeze_count())"
    frozen = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert int(frozen.stdout.split()[-1]) > 100_000


def test_the_money_returned_from_markets_the_administration_does_not_pay_is_shown(built_db):
    """The canteen is paid by the detained people: its market value is 0 €, and the money its
    holders return was shown as '–' while the block below gave it per 100 €."""
    returned = sql(
        built_db,
        "SELECT sum(amount_eur) FILTER (is_returned) FROM reallocation_by_market "
        "WHERE domain_id = 'canteen' AND year BETWEEN 2019 AND 2025",
    )[0]
    assert returned > 0
    at = _open(built_db, domain="canteen")
    shown = {m.label: m.value for m in at.metric}
    assert shown["Réinsertion + familles"] == money(returned, "fr")


def test_the_euros_per_100_name_the_holders_revenue_from_every_payer_as_their_source(built_db):
    """The block counts every payer; the source line under it named the market value's rows
    (payer_group_id = 'administration')."""
    at = _open(built_db)
    captions = [c.value for c in at.caption if "Source" in c.value]
    per_hundred = overview.per_hundred_source(Filters(2019, 2025), "fr")
    assert "market_revenue" in per_hundred and "'administration'" not in per_hundred
    assert "reallocation_by_market" in per_hundred
    headline = overview.source_line(Filters(2019, 2025), "fr")
    assert "'administration'" in headline
    # Each under its own figures: the headline's right after the four figures.
    shown = [ui.plain_markdown(text) for text in (headline, per_hundred)]
    assert all(any(s in c or c in s for c in captions) for s in shown), captions
