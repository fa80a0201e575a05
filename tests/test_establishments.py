"""Establishments page: the real establishments on a map, the choropleth, overseas table and one
establishment's own view; against independent SQL."""

import dataclasses
import re
from itertools import pairwise
from urllib.parse import unquote

import pytest

from maillon.figures import establishments, france_map
from maillon.i18n import money
from tests.page_helpers import (
    annotations,
    figures,
    figures_in_tabs,
    open_page,
    open_tab,
    sql,
    sql_all,
    years,
)


def _month(db, year: int):
    return sql(
        db,
        "SELECT max(month) FROM population_monthly WHERE year(month) <= ?",
        [year],
    )[0]


def test_map_and_choropleth_in_french(built_db):
    _, last = years(built_db)
    at = open_page("establishments")
    assert len(figures(at)) == 1  # one view per tab: only the open tab is drawn
    specs = figures_in_tabs(at, "establishments_tab")
    assert len(specs) == 2
    month = _month(built_db, last)
    metro, detainees, over = sql(
        built_db,
        "SELECT count(*) FILTER (NOT overseas), sum(d) FILTER (NOT overseas), "
        "count(*) FILTER (NOT overseas AND d > c) FROM (SELECT e.establishment_id, "
        "any_value(e.is_overseas) AS overseas, sum(p.detainees) AS d, "
        "sum(p.operational_capacity) AS c FROM establishment e JOIN population_monthly p "
        "USING (establishment_id) WHERE p.month = ? GROUP BY 1) "
        "WHERE c > 0 AND d IS NOT NULL",
        [month],
    )
    _check_map(built_db, specs[0], month, metro)
    # The title counts what the map draws: metropolitan establishments with a population.
    title = specs[0]["layout"]["title"]["text"]
    assert title.startswith(f"En métropole, {over} établissements sur {metro} dépassent")
    assert title.endswith(f"{detainees:,}".replace(",", "\u202f") + " personnes détenues")
    overseas = sql(built_db, "SELECT count(*) FROM establishment WHERE is_overseas")[0]
    subtitle = specs[0]["layout"]["title"]["subtitle"]["text"].replace("<br>", " ")
    assert f"Hors carte : {overseas} établissements d'outre-mer" in subtitle, subtitle
    # The sources of the rows drawn: the reference establishments and their population's.
    source = next(a for a in annotations(specs[0]) if a.startswith("Source : ")).replace(
        "<br>", " "
    )
    assert "Densité carcérale" in source and "Population détenue par quartier" in source, source
    assert any("Qualité des données" in a for a in annotations(specs[0]))
    assert not any("(s)" in a for a in annotations(specs[0]))  # singular or plural, as counted
    assert "DONNÉES ILLUSTRATIVES" not in annotations(specs[0])  # real data
    assert "a la densité la plus forte" in specs[1]["layout"]["title"]["text"]
    _check_choropleth(built_db, specs[1], month)
    assert any(len(d.value) == overseas for d in at.dataframe)


def test_one_establishment_view_in_english(built_db):
    first, last = years(built_db)
    at = open_page("establishments", lang="en")
    establishment = sql(
        built_db,
        "SELECT establishment_id FROM contract_revenue GROUP BY 1 ORDER BY sum(revenue_eur) DESC "
        "LIMIT 1",
    )[0]
    at.selectbox(key="establishment_en").set_value(establishment).run()
    assert not at.exception
    series = figures(at)[-1]
    assert "people in prison for" in series["layout"]["title"]["text"]
    revenue = sql(
        built_db,
        "SELECT sum(revenue_eur)::DOUBLE FROM market_revenue WHERE establishment_id = ? "
        "AND year BETWEEN ? AND ? AND payer_group_id <> 'regie'",
        [establishment, first, last],
    )[0]
    tables = [d.value for d in at.dataframe]
    column = "Holders' revenue, every payer (€)"
    table = next(t for t in tables if column in t.columns)
    # Shown as English writes numbers ('1,234'); a missing value as '–'.
    assert sum(_en(v) for v in table[column]) == pytest.approx(revenue, abs=len(table))
    outcomes = next(t for t in tables if "Indicator" in t.columns)
    employed = sql(
        built_db,
        "SELECT sum(o.value) FROM outcome o JOIN indicator i USING (indicator_id) "
        "WHERE o.establishment_id = ? AND o.year = ? AND i.label_en = 'People in prison employed'",
        [establishment, last],
    )[0]
    row = outcomes[outcomes["Indicator"] == "People in prison employed"]
    assert _en(row[f"In {last}"].iloc[0]) == pytest.approx(employed, abs=0.5)
    assert (row["Total over the period"] == "–").all()  # a headcount does not add across years
    # A real establishment, invented figures: said next to them, and on every row.
    notice = [i.value for i in at.info if "A real establishment, invented figures" in i.value]
    assert notice and "100%" in notice[0].replace("\u202f", "")
    assert set(table["Provenance of the figures"]) == {"invented"}
    assert set(outcomes["Provenance of the figures"]) == {"invented"}


def _en(text: str) -> float:
    return float(text.replace(",", ""))


def _check_map(db, spec: dict, month, metro: int) -> None:
    """One trace per occupancy class, the choropleth's colours and names; each establishment
    drawn once, in its class; the départements' outline is one image, drawn under them."""
    drawn = spec["data"]
    assert [trace["marker"]["color"] for trace in drawn] == list(establishments.CLASS_COLORS)
    assert drawn[0]["name"] == "moins de 90\u202f%" and drawn[-1]["name"] == "140\u202f% et plus"
    occupancy = dict(
        sql_all(
            db,
            "SELECT e.name, sum(p.detainees) / sum(p.operational_capacity) "
            "FROM establishment e JOIN population_monthly p USING (establishment_id) "
            "WHERE p.month = ? AND NOT e.is_overseas GROUP BY e.establishment_id, e.name "
            "HAVING sum(p.operational_capacity) > 0 AND sum(p.detainees) IS NOT NULL",
            [month],
        )
    )
    seen = 0
    for index, trace in enumerate(drawn):
        for hover in trace.get("customdata") or []:
            name = hover.split(" (")[0]
            assert establishments.occupancy_class(occupancy[name]) == index, hover
            seen += 1
    assert seen == metro == len(occupancy)
    (image,) = spec["layout"]["images"]
    assert image["source"] == france_map.outline_image() and image["layer"] == "below"
    assert image["source"].startswith("data:image/svg+xml,")  # nothing asked of a host


def _check_choropleth(db, spec: dict, month) -> None:
    """Six occupancy classes, one filled trace each, light to dark, named in the legend; one
    hover point per département, whose occupancy is detainees ÷ places summed over its
    metropolitan establishments."""
    classes = [trace for trace in spec["data"] if trace.get("fill") == "toself"]
    assert [trace["name"] for trace in classes] == [
        "moins de 90\u202f%",
        "de 90\u202f% à 100\u202f%",
        "de 100\u202f% à 110\u202f%",
        "de 110\u202f% à 120\u202f%",
        "de 120\u202f% à 140\u202f%",
        "140\u202f% et plus",
    ]
    assert [trace["fillcolor"] for trace in classes] == list(establishments.CLASS_COLORS)
    occupancy = sql_all(
        db,
        "SELECT departement_code, d / c FROM (SELECT e.departement_code, "
        "sum(p.detainees) AS d, sum(p.operational_capacity) AS c "
        "FROM establishment e JOIN population_monthly p USING (establishment_id) "
        "WHERE p.month = ? AND NOT e.is_overseas GROUP BY 1) WHERE c > 0 AND d IS NOT NULL",
        [month],
    )
    assert len(spec["data"][-1]["text"]) == len(occupancy)  # the hover points
    rings = france_map.outline_rings()
    for index, trace in enumerate(classes):
        expected = sum(
            len(rings[code])
            for code, share in occupancy
            if establishments.occupancy_class(share) == index
        )
        assert trace["x"].count(None) == expected or (expected == 0 and trace["x"] == [None])


@pytest.mark.parametrize(
    ("occupancy", "index"), [(0.5, 0), (0.8999, 0), (0.9, 1), (1.0, 2), (1.39, 4), (1.4, 5), (3, 5)]
)
def test_occupancy_classes_bounds(occupancy, index):
    assert establishments.occupancy_class(occupancy) == index


def test_the_list_says_how_each_establishment_is_managed_and_the_filter_keeps_those(built_db):
    from maillon.data.filters import Filters

    delegated = establishments.establishments(Filters(2019, 2025, mode=("delegated", "ppp")))
    modes = sql(
        built_db,
        "SELECT count(*) FROM establishment_management WHERE management_mode <> 'public'",
    )[0]
    assert delegated.height == modes
    shown = establishments.table(delegated, "fr")["Mode de gestion de l'établissement"]
    assert set(shown) == {"Gestion déléguée", "Partenariat public-privé (PPP)"}


def test_a_border_two_departements_share_is_drawn_once():
    """Two squares side by side: seven segments, the shared one once; every segment of each
    square is on a drawn line."""

    def square(x: float) -> dict:
        ring = [[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]
        return {"geometry": {"type": "Polygon", "coordinates": [ring]}}

    lines = france_map.borders([square(0), square(1)])
    drawn = [frozenset(pair) for line in lines for pair in pairwise(line)]
    assert len(drawn) == len(set(drawn)) == 7
    for feature in (square(0), square(1)):
        ring = [tuple(point) for point in feature["geometry"]["coordinates"][0]]
        assert {frozenset(pair) for pair in pairwise(ring)} <= set(drawn)
    real = france_map.border_lines()
    rings = france_map.outline_rings()
    assert sum(map(len, real)) < 0.7 * sum(len(ring) for found in rings.values() for ring in found)


def test_the_outline_image_draws_every_border_where_it_lies():
    """The image's path, its steps added up, passes within half a unit (0.3 px on the page)
    through every point of every border, scaled to the image's 1,000-unit width."""
    svg = unquote(france_map.outline_image().removeprefix("data:image/svg+xml,"))
    path = re.search(r"d='([^']+)'", svg).group(1)
    lines = france_map.border_lines()
    subpaths = path.split("M")[1:]
    assert len(subpaths) == len(lines)
    x0, x1, _, y1 = france_map.bounds()
    scale = france_map.IMAGE_WIDTH / (x1 - x0)
    for subpath, line in zip(subpaths, lines, strict=True):
        start, steps = subpath.split("l")
        x, y = map(int, start.split(","))
        numbers = [int(n) for n in re.findall(r"-?\d+", steps)]
        drawn = [(x, y)]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            drawn.append((x, y))
        expected = [((px - x0) * scale, (y1 - py) * scale) for px, py in line]
        assert len(drawn) == len(expected)
        for (dx, dy), (ex, ey) in zip(drawn, expected, strict=True):
            assert abs(dx - ex) <= 0.5 and abs(dy - ey) <= 0.5


def test_the_map_counts_every_establishment_once(built_db):
    """Drawn, overseas, or metropolitan without a headcount: an overseas establishment without
    one was counted twice (167 + 16 + 4 for 186)."""
    from maillon.data.filters import Filters

    filters = Filters(*years(built_db))
    frame = establishments.establishments(filters)
    subtitle = establishments.map_view(filters, "fr").caption.subtitle
    (counts,) = re.findall(r"(\d+) établissements d'outre-mer.*?(\d+) sans effectif", subtitle)
    overseas, unknown = map(int, counts)
    assert overseas == frame.filter(frame["is_overseas"]).height
    assert establishments.drawn_on_map(frame).height + overseas + unknown == frame.height


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"disp": "MOM"}, "onglet « Établissements d'outre-mer »"),
        ({"lang": "en", "region": "03"}, "tab “Overseas establishments”"),
    ],
)
def test_a_scope_of_overseas_establishments_points_to_their_tab(built_db, query, notice):
    at = open_page("establishments", **query)
    assert not at.exception
    assert figures(at) == []  # no map of mainland France with nothing on it
    assert any(notice in i.value for i in at.info)
    overseas = open_tab(at, "establishments_tab", at.tabs[2].label)
    assert not overseas.exception and len(overseas.dataframe) + len(overseas.get("html")) > 0


def test_an_establishments_revenue_leaves_the_public_regies_cost_out(built_db):
    """CP Fresnes's "revenue" added 28 M€ of régie cost, which the Overview and the rankings
    never count as anyone's revenue."""
    first, last = years(built_db)
    establishment = sql(
        built_db,
        "SELECT establishment_id FROM market_revenue WHERE payer_group_id = 'regie' "
        "AND year BETWEEN ? AND ? GROUP BY 1 ORDER BY sum(revenue_eur) DESC LIMIT 1",
        [first, last],
    )[0]
    holders = sql(
        built_db,
        "SELECT sum(revenue_eur)::DOUBLE FROM market_revenue WHERE establishment_id = ? "
        "AND year BETWEEN ? AND ? AND payer_group_id <> 'regie'",
        [establishment, first, last],
    )[0]
    at = open_page("establishments", lang="fr")
    at.selectbox(key="establishment_fr").set_value(establishment).run()
    assert not at.exception
    (summary,) = [m.value for m in at.markdown if "Marchés de l'établissement" in m.value]
    assert money(holders, "fr") in summary and "hors régie" in summary
    table = next(d.value for d in at.dataframe if "Type d'opérateur" in d.value.columns)
    assert "Gestion publique (régie)" not in set(table["Type d'opérateur"])


def test_the_establishment_chosen_is_in_the_link_and_kept_across_the_language_switch(built_db):
    """The choice was lost on switching to English, and a link could not name it."""
    from maillon.web import ui

    establishment = sql(
        built_db, "SELECT establishment_id FROM establishment ORDER BY establishment_id LIMIT 1"
    )[0]
    at = open_page("establishments", lang="fr")
    assert at.selectbox(key="establishment_fr").value is None
    at.selectbox(key="establishment_fr").set_value(establishment).run()
    assert at.query_params[establishments.CHOSEN_PARAM] == establishment
    at.session_state[ui.LANG_KEY] = "en"
    at.run()
    assert not at.exception and at.selectbox(key="establishment_en").value == establishment
    assert any("people in prison for" in f["layout"]["title"]["text"] for f in figures(at))

    linked = open_page("establishments", lang="en", **{establishments.CHOSEN_PARAM: establishment})
    assert linked.selectbox(key="establishment_en").value == establishment
    assert not linked.warning

    # Filters that leave it out drop the choice, rather than showing the first name instead.
    elsewhere = sql(
        built_db,
        "SELECT disp FROM establishment WHERE disp <> (SELECT disp FROM establishment "
        "WHERE establishment_id = ?) LIMIT 1",
        [establishment],
    )[0]
    at.session_state[ui.FILTERS_KEY] = dataclasses.replace(
        at.session_state[ui.FILTERS_KEY], disp=(elsewhere,)
    )
    at.run()
    assert not at.exception and at.selectbox(key="establishment_en").value is None
    assert establishments.CHOSEN_PARAM not in at.query_params


def test_a_link_naming_an_establishment_out_of_the_filters_says_so_as_text(built_db):
    at = open_page("establishments", lang="fr", **{establishments.CHOSEN_PARAM: "**x**<b>y"})
    assert not at.exception and at.selectbox(key="establishment_fr").value is None
    (warning,) = [w.value for w in at.warning]
    assert "n'est pas dans les filtres en vigueur" in warning and "\\*\\*x\\*\\*" in warning
    assert establishments.CHOSEN_PARAM not in at.query_params


def test_the_choropleths_data_table_is_in_words_and_percent(built_db):
    """Its table was the query's rows: 'occupancy' 1.2083936324167872, in French too."""
    from maillon.data import queries
    from maillon.data.filters import FilterOptions, Filters

    filters = Filters.default(FilterOptions.from_frame(queries.run("filter_options")))
    for lang, density in (("fr", "Densité (%)"), ("en", "Occupancy (%)")):
        table = establishments.choropleth_view(filters, lang).table
        assert density in table.columns and "occupancy" not in table.columns
        assert table[density].round(1).equals(table[density])
        raw = establishments.by_departement(filters)
        assert table[density].to_list() == (raw["occupancy"] * 100).round(1).to_list()
