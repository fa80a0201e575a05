"""Axis ticks in the locale's format: Plotly's d3 formats write '100M' and '60%', French wants
'100 M€' and '60 %'."""

import json

import plotly.graph_objects as go
import pytest

from maillon.charts import draw, tick_labels
from tests.page_helpers import open_page


def test_tick_values_are_round_and_cover_the_range():
    assert draw.tick_values(0, 718e6) == [0, 2e8, 4e8, 6e8, 8e8]
    assert draw.tick_values(0, 1) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert draw.tick_values(-0.05, 0.4) == [-0.1, 0, 0.1, 0.2, 0.3, 0.4]
    assert draw.tick_values(0, 23_484) == [0, 5_000, 10_000, 15_000, 20_000, 25_000]


@pytest.mark.parametrize(
    ("lang", "kind", "top", "expected"),
    [
        ("fr", "money", 718e6, ["0\xa0€", "200\xa0M€", "400\xa0M€"]),
        ("en", "money", 718e6, ["€0", "€200M", "€400M"]),
        ("fr", "percent", 1.0, ["0\u202f%", "20\u202f%", "40\u202f%"]),
        ("en", "percent", 1.0, ["0%", "20%", "40%"]),
        ("fr", "number", 23_484, ["0", "5\u202f000", "10\u202f000"]),
        ("en", "number", 23_484, ["0", "5,000", "10,000"]),
    ],
)
def test_tick_labels_in_the_locale_format(lang, kind, top, expected):
    fig = draw.locale_ticks(go.Figure(), lang, kind, top)
    assert list(fig.layout.yaxis.ticktext[:3]) == expected


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_dashboard_axis_uses_plotly_s_english_unit_formats(built_db, lang):
    at = open_page("overview", lang=lang)
    at.switch_page("pages/markets_page.py").run()
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    at.switch_page("pages/overview_page.py").run()
    specs += [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert specs
    for spec in specs:
        for name, axis in spec["layout"].items():
            if name.startswith(("xaxis", "yaxis")):
                assert axis.get("tickformat") not in ("~s", ".0%"), (name, spec["layout"]["title"])
    money_ticks = [t for spec in specs for t in spec["layout"]["yaxis"].get("ticktext", [])]
    assert any(("\xa0M€" if lang == "fr" else "M") in t for t in money_ticks)


def test_every_character_has_one_measured_width():
    """A character listed under two widths would silently take the last one."""
    listed = "".join(tick_labels._EM_WIDTHS.values())
    assert len(listed) == len(set(listed)) == len(tick_labels.EM)


@pytest.mark.parametrize(
    ("label", "short"),
    [
        ("Structure d'insertion par l'activité économique (SIAE)", "SIAE"),
        ("Worker cooperative (SCOP)", "SCOP"),
        ("Scic (société coopérative d'intérêt collectif)", "Scic"),
        ("Gestion publique (régie)", "Gestion publique"),
        ("Entrepreneur individuel (1xxx)", "Entrepreneur individuel"),
        ("Entreprise à but lucratif", "Entreprise à but lucratif"),
    ],
)
def test_a_legend_names_a_kind_by_its_acronym_or_without_its_brackets(label, short):
    assert draw.short_label(label) == short


def test_a_kind_stacks_in_the_same_place_whatever_the_filters(built_db):
    """With DISP Paris from 2021, the kinds absent in 2021 came last: SIAE sat above the
    for-profit companies, and headed the legend."""
    from maillon.data.filters import Filters
    from maillon.figures import overview

    def kinds(filters: Filters) -> list[str]:
        spec = overview.market_view(filters, "fr").figure
        return [trace.name for trace in spec.data if trace.type == "bar"]

    national = kinds(Filters(2019, 2025))
    paris = kinds(Filters(2021, 2024, disp=("DISP PARIS",)))
    assert paris == [k for k in national if k in paris]


def test_a_stack_of_one_kind_keeps_its_legend_and_a_year_without_rows_its_place():
    """Published contracts before the register classifies a holder: one grey stack with no
    legend to say it is « nature non connue », and 2022 drawn beside 2025."""
    import polars as pl

    from maillon.charts.chart import Caption

    frame = pl.DataFrame(
        {
            "year": [2019, 2022, 2025],
            "kind_id": ["unknown"] * 3,
            "label_fr": ["Nature non connue"] * 3,
            "color": ["#607060"] * 3,
            "amount": [1.0, 2.0, 3.0],
        }
    )
    fig = draw.stacked_bars(
        frame,
        x="year",
        y="amount",
        series="kind_id",
        series_label="label_fr",
        color="color",
        caption=Caption(title="t", subtitle="s", source="Source : x.", mark=""),
        lang="fr",
    )
    assert fig.layout.showlegend and [t.name for t in fig.data] == ["Nature non connue"]
    assert list(fig.layout.xaxis.categoryarray) == list(range(2019, 2026))
