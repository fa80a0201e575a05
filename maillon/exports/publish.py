"""`make publish`: every dashboard chart as its own web page, in French and in English, for the
filters given (by default, every year and no filter), with an index page; one copy of Plotly's
JavaScript beside them. The folder needs no server and no internet: open index.html from a USB
stick, or put the folder on any web server.

    uv run python -m maillon.exports.publish [FOLDER]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from html import escape
from pathlib import Path

from plotly.offline import get_plotlyjs

from maillon.charts.chart import Chart
from maillon.data import queries
from maillon.data.filters import FilterOptions, Filters
from maillon.exports import html_page
from maillon.figures import (
    annual,
    establishments,
    markets,
    money_flow,
    outcomes,
    overview,
    procurement,
)
from maillon.figures.shared import period
from maillon.i18n import LANGUAGES, t

PLOTLY_FILE = "plotly.min.js"
# The charts of the dashboard pages, by the key they have on their page.
DASHBOARD_CHARTS: tuple[tuple[str, Callable[[Filters, str], Chart | None]], ...] = (
    ("market_by_kind", overview.market_view),
    ("market_by_domain", markets.domain_view),
    ("market_share_by_kind", markets.share_view),
    ("market_per_detainee", markets.per_detainee_view),
    ("canteen_markup", markets.markup_view),
    ("procurement_by_year_kind", procurement.year_kind_view),
    ("money_sankey", money_flow.sankey_view),
    ("result_sankey", money_flow.result_view),
    ("destinations_by_year", money_flow.destinations_view),
    ("returned_by_kind", money_flow.returned_view),
    ("cost_per_person", outcomes.cost_view),
    ("establishments_map", establishments.map_view),
    ("departements_choropleth", establishments.choropleth_view),
    ("annual_targets", lambda filters, lang: annual.targets_view(filters, filters.year_to, lang)),
)


def charts(filters: Filters, lang: str) -> list[tuple[str, Chart]]:
    """(key, chart) of every dashboard chart the data can draw with these filters."""
    built = ((key, build(filters, lang)) for key, build in DASHBOARD_CHARTS)
    return [(key, chart) for key, chart in built if chart is not None]


def publish(folder: Path, filters: Filters) -> list[Path]:
    """Write the pages, the index and Plotly's JavaScript into `folder`; the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / PLOTLY_FILE]
    written[0].write_text(get_plotlyjs(), encoding="utf-8")
    listed: dict[str, list[tuple[str, Chart]]] = {}
    for lang in LANGUAGES:
        (folder / lang).mkdir(exist_ok=True)
        listed[lang] = charts(filters, lang)
        for key, chart in listed[lang]:
            page = folder / lang / f"{key}.html"
            page.write_text(html_page.build(chart, lang, f"../{PLOTLY_FILE}"), encoding="utf-8")
            written.append(page)
    index = folder / "index.html"
    index.write_text(index_page(listed, filters), encoding="utf-8")
    return [index, *written]


def index_page(listed: dict[str, list[tuple[str, Chart]]], filters: Filters) -> str:
    sections = []
    for lang, found in listed.items():
        links = "".join(
            f'<li><a href="{lang}/{key}.html">{escape(chart.caption.title)}</a></li>'
            for key, chart in found
        )
        heading = escape(t(lang, "export.publish_heading", period=period(filters)))
        sections.append(f'<section lang="{lang}"><h2>{heading}</h2><ul>{links}</ul></section>')
    return f"""<!DOCTYPE html>
<html lang="{LANGUAGES[0]}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Maillon</title><style>{html_page.STYLE}</style></head>
<body><main><h1>Maillon</h1>{"".join(sections)}</main></body>
</html>
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=Path("publish"))
    args = parser.parse_args(argv)
    with queries.one_version():
        filters = Filters.default(FilterOptions.from_frame(queries.run("filter_options")))
        written = publish(args.folder, filters)
    print(f"{len(written)} files written in {args.folder}/ (open {args.folder}/index.html)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
