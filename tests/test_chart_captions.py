"""Every chart carries its caption as data (maillon.charts.chart): what the figure shows is that
caption, and what the deck, the workbook and the report read is the same value, never text read
back from the figure."""

import pytest

from maillon.charts import draw
from maillon.data.filters import Filters
from maillon.figures import (
    annual,
    associations,
    associations_network,
    markets,
    money_flow,
    outcomes,
    outcomes_sroi,
    overview,
)
from maillon.i18n import t
from maillon.plain_text import plotly_text
from tests.page_helpers import years

VIEWS = {
    "overview.market": overview.market_view,
    "markets.domain": markets.domain_view,
    "markets.share": markets.share_view,
    "markets.per_detainee": markets.per_detainee_view,
    "markets.markup": markets.markup_view,
    "money_flow.sankey": money_flow.sankey_view,
    "money_flow.result": money_flow.result_view,
    "money_flow.destinations": money_flow.destinations_view,
    "money_flow.returned": money_flow.returned_view,
    "outcomes.indicator": lambda f, lang: outcomes.indicator_view(f, "detainees_employed", lang),
    "outcomes.cost": outcomes.cost_view,
    "outcomes.sroi": lambda f, lang: outcomes_sroi.sroi_view(f, outcomes_sroi.DEFAULTS, lang),
    "annual.targets": lambda f, lang: annual.targets_view(f, f.year_to, lang),
    "associations.coverage": associations.coverage_view,
    "associations.continuity": associations.continuity_view,
    "associations_network.network": associations_network.network_view,
    "associations_network.actions": associations_network.actions_view,
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("name", sorted(VIEWS))
def test_the_figure_shows_its_caption_and_the_caption_states_its_key_figure(built_db, name, lang):
    chart = VIEWS[name](Filters(*years(built_db)), lang)
    assert chart is not None, "the demo data should draw every chart"
    caption, layout = chart.caption, chart.figure.layout
    assert layout.title.text.replace("<br>", " ") == draw.lines(caption.title).replace("<br>", " ")
    assert caption.source.startswith(t(lang, "chart.source", sources="").rstrip(". "))
    notes = [a.text.replace("<br>", " ") for a in layout.annotations]
    assert draw.lines(caption.source).replace("<br>", " ") in notes
    # The demo's markets, results, outcomes and associations are all illustrative.
    assert caption.mark == t(lang, "chart.illustrative_mark")
    assert plotly_text(caption.mark) in notes
    assert caption.key_figure and caption.key_figure in caption.title
    assert chart.table.height > 0
