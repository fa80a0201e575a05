"""`make publish`: every dashboard chart as its own web page, in French and in English, for the
filters given (by default, every year and no filter), with an index page; one copy of Plotly's
JavaScript beside them. The folder needs no server and no internet: open index.html from a USB
stick, or put the folder on any web server.

    uv run python -m maillon.exports.publish [FOLDER] [--filters LINK]

LINK is a link to the app as the browser shows it (or only its part after '?'): the charts are
those of its filters (years, DISP, région, type, domain, kind). A value the data does not know is
left out and said, as the app does.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from plotly.offline import get_plotlyjs

from maillon.charts.chart import Chart
from maillon.data import queries
from maillon.data.filters import FilterOptions, Filters, Notice, parse
from maillon.exports import html_page, scoped
from maillon.exports.basket import describe_filters
from maillon.figures import (
    annual,
    associations,
    associations_network,
    establishments,
    like_for_like,
    markets,
    money_by_payer,
    money_flow,
    operator_links,
    outcomes,
    outcomes_sroi,
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
    ("money_by_payer", money_by_payer.view),
    ("market_per_detainee", markets.per_detainee_view),
    ("market_per_detainee_by_domain", like_for_like.per_detainee_day_view),
    ("canteen_markup", markets.markup_view),
    ("procurement_by_year_kind", procurement.year_kind_view),
    ("money_sankey", money_flow.sankey_view),
    ("result_sankey", money_flow.result_view),
    ("destinations_by_year", money_flow.destinations_view),
    ("returned_by_kind", money_flow.returned_view),
    ("per_hundred_by_domain", like_for_like.per_hundred_view),
    ("cost_per_person", outcomes.cost_view),
    ("cost_per_person_by_domain", like_for_like.cost_per_person_view),
    ("sroi", lambda filters, lang: outcomes_sroi.sroi_view(filters, outcomes_sroi.DEFAULTS, lang)),
    (
        "sroi_by_domain",
        lambda filters, lang: like_for_like.sroi_view(filters, outcomes_sroi.DEFAULTS, lang),
    ),
    ("establishments_map", establishments.map_view),
    ("departements_choropleth", establishments.choropleth_view),
    ("annual_targets", lambda filters, lang: annual.targets_view(filters, filters.year_to, lang)),
    ("associations_coverage", associations.coverage_view),
    ("associations_continuity", associations.continuity_view),
    ("associations_network", associations_network.network_view),
    ("joint_actions", associations_network.actions_view),
    ("operator_links_money", operator_links.money_view),
)


def charts(filters: Filters, lang: str) -> list[tuple[str, Chart]]:
    """(key, chart) of every dashboard chart the data can draw with these filters, and one chart
    per outcome indicator (the page draws the one picked)."""
    built = [(key, build(filters, lang)) for key, build in DASHBOARD_CHARTS]
    by_indicator = outcomes.indicators(filters, lang)
    built += [(f"outcome_{i}", outcomes.indicator_view(filters, i, lang)) for i in by_indicator]
    return [(key, chart) for key, chart in built if chart is not None]


def filters_of(link: str, options: FilterOptions) -> tuple[Filters, list[Notice]]:
    """The filters of a link to the app (or of its query string)."""
    query = urlsplit(link).query if "://" in link or link.startswith("/") else link.lstrip("?")
    return parse(parse_qs(query, keep_blank_values=True), options)


def publish(folder: Path, filters: Filters, options: FilterOptions) -> list[Path]:
    """Write the pages, the index and Plotly's JavaScript into `folder`; the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / PLOTLY_FILE]
    written[0].write_text(get_plotlyjs(), encoding="utf-8")
    listed: dict[str, list[tuple[str, Chart]]] = {}
    for lang in LANGUAGES:
        (folder / lang).mkdir(exist_ok=True)
        for stale in (folder / lang).glob("*.html"):  # a chart an earlier run published
            stale.unlink()
        # Each page says its filters under its source: it is put on other sites on its own.
        listed[lang] = [
            (key, scoped.exported(chart, (filters, options), lang))
            for key, chart in charts(filters, lang)
        ]
        for key, chart in listed[lang]:
            page = folder / lang / f"{key}.html"
            page.write_text(html_page.build(chart, lang, f"../{PLOTLY_FILE}"), encoding="utf-8")
            written.append(page)
    index = folder / "index.html"
    index.write_text(index_page(listed, filters, options), encoding="utf-8")
    return [index, *written]


def index_page(
    listed: dict[str, list[tuple[str, Chart]]], filters: Filters, options: FilterOptions
) -> str:
    sections = []
    for lang, found in listed.items():
        # The subtitle says what each chart measures: two charts may tell the same finding.
        links = "".join(
            f'<li><a href="{lang}/{key}.html">{escape(chart.caption.title)}</a><br>'
            f"<small>{escape(chart.caption.subtitle)}</small></li>"
            for key, chart in found
        )
        heading = escape(t(lang, "export.publish_heading", period=period(filters)))
        scope = escape(describe_filters(filters, options, lang))
        sections.append(
            f'<section lang="{lang}"><h2>{heading}</h2><p>{scope}</p><ul>{links}</ul></section>'
        )
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
    parser.add_argument("--filters", default="", help="a link to the app, or its query string")
    args = parser.parse_args(argv)
    with queries.one_version():
        options = FilterOptions.from_frame(queries.run("filter_options"))
        filters, notices = filters_of(args.filters, options)
        for notice in notices:
            print(f"left out: {notice.param}={notice.value} (not in the data)", file=sys.stderr)
        written = publish(args.folder, filters, options)
    print(
        f"{len(written)} files written in {args.folder}/ for {period(filters)} "
        f"(open {args.folder}/index.html)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
