"""Markets and operators page: figures in both languages, totals against independent SQL."""

import csv
import io
import re

import polars as pl
import pytest

from maillon.data import queries
from maillon.data.filters import FilterOptions, Filters
from maillon.figures import markets
from maillon.i18n import t
from tests.page_helpers import (
    annotations,
    bar_total,
    figures,
    figures_in_tabs,
    market_value,
    open_page,
    open_tab,
    sql,
    sql_all,
    titled,
    years,
)


def test_markets_in_french(built_db):
    first, last = years(built_db)
    at = open_page("markets")
    assert len(figures(at)) == 1  # one question per tab: only the open tab is drawn
    specs = figures_in_tabs(at, "markets_tab")
    assert len(specs) == 6  # value, shares, per detainee-day (mixed, by domain), canteen, who pays
    domain = specs[0]
    assert f"en {last}" in domain["layout"]["title"]["text"]
    assert bar_total(domain) == pytest.approx(market_value(built_db, first, last), rel=1e-9)
    assert "DONNÉES ILLUSTRATIVES" in annotations(domain)
    assert any(a.startswith("Source : tables market_revenue") for a in annotations(domain))
    domains = {t["name"] for t in domain["data"] if t["type"] == "bar"}
    assert len(domains) <= 7
    # The subtitle says the smaller domains are grouped only when a bar groups them.
    grouped = t("fr", "dash.other_domains") in domains
    subtitle = domain["layout"]["title"]["subtitle"]["text"].replace("<br>", " ")
    assert ("les autres regroupés" in subtitle) == grouped

    share = titled(specs, "Les opérateurs de l'ESS")
    by_year: dict = {}
    for trace in share["data"]:
        if trace["type"] == "bar":
            for x, y in zip(trace["x"], trace["y"], strict=True):
                by_year[x] = by_year.get(x, 0) + y
    assert all(v == pytest.approx(1) for v in by_year.values())

    per_day = titled(specs, "Par journée de détention")
    assert any("Qualité des données" in a for a in annotations(per_day))
    assert "Les opérateurs de l'ESS" in share["layout"]["title"]["text"]
    assert any("Données illustratives" in i.value for i in at.info)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_markup_by_kind_matches_independent_sql(built_db, lang):
    first, last = years(built_db)
    at = open_page("markets", lang=lang)
    label = "Prix en cantine" if lang == "fr" else "Canteen prices"
    markup = titled(
        open_tab(at, "markets_tab", label), "À la cantine" if lang == "fr" else "Canteen"
    )
    priced = (
        "FROM canteen_price p JOIN canteen_item i USING (item_id) "
        "JOIN contract_establishment ce USING (establishment_id) "
        "JOIN contract c ON c.contract_id = ce.contract_id AND c.domain_id = 'canteen' "
        "AND p.valid_from BETWEEN c.start_date AND c.end_date "
        "JOIN operator o ON o.operator_id = c.operator_id JOIN operator_kind k USING (kind_id) "
        "WHERE p.valid_from <= make_date(?, 12, 31) AND p.valid_to >= make_date(?, 1, 1) "
    )
    markup_sql = "sum(p.price_eur) / sum(p.reference_price_eur) - 1"
    by_category = sql_all(
        built_db,
        f"SELECT k.label_{lang}, i.category, {markup_sql} {priced} GROUP BY 1, 2",
        [last, first],
    )
    basket = sql_all(
        built_db,
        f"SELECT k.label_{lang}, 'basket', {markup_sql} {priced} GROUP BY 1",
        [last, first],
    )
    whole = "Panier entier" if lang == "fr" else "Whole basket"
    expected = {
        (kind, whole if cat == "basket" else t(lang, f"dash.item_{cat}")): float(v)
        for kind, cat, v in by_category + basket
    }
    panels = [
        a["text"] for a in markup["layout"]["annotations"] if a.get("font", {}).get("size") == 16
    ]
    bars = [trace for trace in markup["data"] if trace["type"] == "bar"]
    assert len(panels) == len(bars) == 6 and panels[0] == whole
    drawn = {
        (kind, panel): x
        for panel, trace in zip(panels, bars, strict=True)
        for kind, x in zip(trace["y"], trace["x"], strict=True)
    }
    assert drawn == pytest.approx(expected)
    for trace in bars:  # one colour per operator kind, the same in every panel
        colours = dict(zip(trace["y"], trace["marker"]["color"], strict=True))
        assert colours == {
            k: c
            for k, c in zip(bars[0]["y"], bars[0]["marker"]["color"], strict=True)
            if k in colours
        }


def test_markets_in_english_filtered_by_kind(built_db):
    _first, last = years(built_db)
    at = open_page("markets", lang="en", years=f"{last - 2}-{last}", kind="for_profit")
    domain = figures(at)[0]
    assert f"in {last}" in domain["layout"]["title"]["text"]
    expected = market_value(built_db, last - 2, last, ["for_profit"])
    assert bar_total(domain) == pytest.approx(expected, rel=1e-9)
    assert "ILLUSTRATIVE DATA" in annotations(domain)
    assert at.metric[0].label == "Market value"


def ranking_tabs(at):
    """The two tabs inside « Classements »: establishments, then operators."""
    return [tab for tab in at.tabs if tab.label in ("Établissements", "Opérateurs")]


def test_top_tables_are_sorted_by_value(built_db):
    first, last = years(built_db)
    at = open_tab(open_page("markets"), "markets_tab", "Classements")
    first_tab, second_tab = ranking_tabs(at)
    assert not second_tab.dataframe  # only the open tab's table is built and sent
    establishments = first_tab.dataframe[0].value
    values = establishments["Valeur (€)"].tolist()
    assert values == sorted(values, reverse=True)
    count = sql(
        built_db,
        "SELECT count(DISTINCT establishment_id) FROM contract_revenue WHERE year BETWEEN ? AND ?",
        [first, last],
    )[0]
    assert len(values) == count
    # Real establishments, invented values: said above the ranking and on every row.
    assert any("Les établissements sont réels" in i.value for i in first_tab.info)
    assert set(establishments["Provenance des chiffres"]) == {"inventé"}
    at.session_state["markets_top_tab"] = "Opérateurs"
    at.run()
    establishments_tab, operators_tab = ranking_tabs(at)
    assert not establishments_tab.dataframe
    operators = operators_tab.dataframe[0].value
    assert operators["Valeur (€)"].sum() == pytest.approx(
        market_value(built_db, first, last), abs=len(operators)
    )


def test_the_domain_subtitle_says_grouped_only_when_a_bar_groups_domains(built_db):
    options = FilterOptions.from_frame(queries.run("filter_options"))
    filters = Filters.default(options)
    frame = markets.value_by_domain(filters)
    assert frame["domain_id"].n_unique() <= 6  # the demo's administration-paid domains
    one = frame.filter(pl.col("domain_id") == frame["domain_id"][0])
    extra = [
        one.with_columns(
            pl.lit(f"extra_{i}").alias("domain_id"),
            pl.lit(f"Extra {i}").alias("label_fr"),
            pl.lit(f"Extra {i}").alias("label_en"),
        )
        for i in range(3)
    ]
    for data, grouped in ((frame, False), (pl.concat([frame, *extra]), True)):
        chart = markets.domain_chart(data, filters, "en")
        assert ("the rest grouped" in chart.caption.subtitle) == grouped
        names = {trace.name for trace in chart.figure.data if trace.type == "bar"}
        assert (t("en", "dash.other_domains") in names) == grouped


def test_the_rankings_csv_says_yes_or_no_and_whole_euros(built_db):
    """The operators' CSV said 'true' for a grouping and '14479208.0' for a value."""
    from maillon.exports import downloads

    options = FilterOptions.from_frame(queries.run("filter_options"))
    filters = Filters.default(options)
    for lang, words in (("fr", {"oui", "non"}), ("en", {"yes", "no"})):
        operators = markets.top_operators(filters, lang)
        for table in (operators, markets.top_establishments(filters, lang)):
            text = downloads.to_bytes(table, "csv").decode("utf-8-sig")
            rows = list(csv.DictReader(io.StringIO(text)))
            assert rows
            assert all(re.fullmatch(r"\d+", row[t(lang, "chart.value")]) for row in rows)
            if table is operators:
                assert {row[t(lang, "markets.grouping")] for row in rows} == words
