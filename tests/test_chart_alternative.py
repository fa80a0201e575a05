"""A chart's text alternative, for screen readers: the same words on the dashboard (beside the
chart, visually hidden) and on the chart's web page (maillon.exports.html_page)."""

import plotly.graph_objects as go
import polars as pl

from maillon.charts.chart import Caption, Chart
from maillon.exports import html_page
from maillon.web import a11y

CHART = Chart(
    figure=go.Figure(),
    table=pl.DataFrame({"Année": [2024, 2025], "Valeur (€)": [1.5, 2.5]}),
    caption=Caption(
        title="Les opérateurs de l'ESS réalisent 19,6 % de la valeur",
        subtitle="Valeur des marchés par année,\nen euros",
        source="Source : tables market_revenue.",
        mark="DONNÉES ILLUSTRATIVES",
    ),
)


def test_the_alternative_says_the_finding_the_measure_the_mark_and_the_data():
    assert html_page.summary(CHART, "fr") == (
        "Les opérateurs de l'ESS réalisent 19,6 % de la valeur. "
        "Valeur des marchés par année, en euros. DONNÉES ILLUSTRATIVES. "
        "Données du graphique : 2 lignes, colonnes : Année, Valeur (€)."
    )
    one_row = Chart(CHART.figure, CHART.table.head(1), CHART.caption)
    assert "Données du graphique : 1 ligne, colonnes" in html_page.summary(one_row, "fr")


def test_the_dashboard_says_where_the_data_table_is():
    assert a11y.chart_alternative(CHART, "en").endswith(
        'The data table follows the chart: "Show the chart\'s data".'
    )
    assert a11y.chart_alternative(CHART, "fr").startswith(html_page.summary(CHART, "fr"))


def test_imported_text_in_the_alternative_stays_text():
    hostile = "<img src=x onerror=alert(1)> [x](http://127.0.0.1:9/p)"
    chart = Chart(CHART.figure, pl.DataFrame({hostile: [1]}), Caption(hostile, "", ""))
    page = html_page.build(chart, "en", plotly_js=False)
    summary = page.split('id="chart-summary">')[1].split("</p>")[0]
    assert "<img" not in summary and "&lt;img src=x onerror=alert(1)&gt;" in summary
    # On the dashboard it goes through st.text (maillon.web.a11y): shown as itself.
    assert hostile in a11y.chart_alternative(chart, "en")
