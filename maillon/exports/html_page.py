"""A chart as a web page that needs nothing else: the figure with Plotly's JavaScript (inlined, or
one file beside the pages of a published folder; never a CDN), its title, source line and
provenance mark, a text alternative, and the data table below it. For people who put the figures
on their own site or carry them on a USB stick (`make publish` writes them all)."""

from __future__ import annotations

from html import escape

import plotly.io as pio

from maillon.charts.chart import Chart
from maillon.charts.readable import readable
from maillon.i18n import number, t

STYLE = """
body { font-family: "Source Sans Pro", "Helvetica Neue", Arial, sans-serif; color: #262730;
       margin: 0 auto; max-width: 1100px; padding: 1.5rem; line-height: 1.45; }
.note { color: #555; font-size: 0.9rem; }
table { border-collapse: collapse; margin-top: 1rem; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.4rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.7rem; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
"""


def build(chart: Chart, lang: str, plotly_js: bool | str = True) -> str:
    """The page's HTML. `plotly_js`: True inlines Plotly's JavaScript (one file for one chart);
    a relative path ('../plotly.min.js') points to one copy shared by a published folder."""
    caption = chart.caption
    figure = pio.to_html(
        chart.figure,
        full_html=False,
        include_plotlyjs=plotly_js,
        config={"displaylogo": False, "responsive": True},
        default_width="100%",
        default_height="560px",
    )
    # The figure draws its title, mark and source line; the same words as text for screen
    # readers (and search engines), not drawn twice.
    text = summary(chart, lang)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(caption.title)}</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<figure aria-describedby="chart-summary">
<p class="sr-only" id="chart-summary">{escape(text)}</p>
{figure}
<figcaption class="sr-only">{escape(caption.source)}</figcaption>
</figure>
{data_table(chart, lang)}
<p class="note">{escape(t(lang, "export.html_note"))}</p>
</main>
</body>
</html>
"""


def summary(chart: Chart, lang: str) -> str:
    """The chart's text alternative, as plain text: its title (the finding), what it measures,
    how much of it is not real, and what its data table holds. Shared by this page and the
    dashboard (maillon.web.a11y); escape it wherever it goes into HTML."""
    caption = chart.caption
    columns = ", ".join(chart.table.columns)
    rows = chart.table.height
    data = t(lang, "chart.alt_data_one" if rows == 1 else "chart.alt_data", rows=number(rows, lang))
    parts = (caption.title, caption.subtitle, caption.mark, f"{data} {columns}")
    return " ".join(_sentence(part) for part in parts if part.strip())


def _sentence(text: str) -> str:
    """One part of the text alternative on one line, ending like a sentence (a screen reader
    pauses there)."""
    text = " ".join(text.split())
    return text if text[-1] in ".!?…" else f"{text}."


def data_table(chart: Chart, lang: str) -> str:
    """The rows behind the chart as an HTML table, numbers in the language's format; every
    value escaped (names come from imported data)."""
    shown = readable(chart.table, lang)
    numeric = [dtype.is_numeric() for dtype in chart.table.schema.values()]
    head = "".join(f'<th scope="col">{escape(name)}</th>' for name in shown.columns)
    rows = "".join(
        "<tr>"
        + "".join(
            f'<td class="number">{_text(value)}</td>' if is_number else f"<td>{_text(value)}</td>"
            for value, is_number in zip(row, numeric, strict=True)
        )
        + "</tr>"
        for row in shown.iter_rows()
    )
    label = escape(t(lang, "export.html_table", title=chart.caption.title))
    return (
        f"<table><caption>{label}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def _text(value: object) -> str:
    return "–" if value is None else escape(str(value))
