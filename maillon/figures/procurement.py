"""Published contracts (DECP) on the markets page: the prison administration's contracts of
40,000 € or more as the buyers published them, by year, holder kind and buyer, with the raw rows.

Amounts are those notified (a maximum or an estimate at notification), never revenue: every label
says « montant notifié ». Each figure states how much of it the company register classifies and
how many contracts are not located. Read from sql/procurement_*.sql.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl

from maillon.charts import draw
from maillon.charts.cache import cached
from maillon.charts.chart import Caption, Chart
from maillon.data import queries
from maillon.data.filters import Filters
from maillon.exports import downloads
from maillon.figures import shared
from maillon.i18n import money, number, percent, t, tn


@dataclass(frozen=True)
class Summary:
    contracts: int
    amount_notified_eur: float | None
    classified_share: float | None  # of the amount, holders the register classifies
    ess_share_of_classified: float | None
    not_located: int

    @classmethod
    def load(cls, filters: Filters) -> Summary:
        row = queries.run("procurement_summary", **filters.params()).row(0, named=True)
        return cls(**row)

    def coverage_lines(self, lang: str) -> list[str]:
        """What these figures are and are not, and how much of them is known."""
        lines = [t(lang, "procurement.coverage_notified")]
        lines.append(
            t(
                lang,
                "procurement.coverage_classified",
                share=classified_text(self.classified_share, lang),
            )
        )
        if self.not_located:
            lines.append(tn(lang, "procurement.coverage_not_located", self.not_located))
        return lines


def classified_text(share: float | None, lang: str) -> str:
    """The classified share to one decimal, rounded down: a holder the register left out must
    never read as 100 %."""
    return percent(math.floor((share or 0.0) * 1000) / 1000, lang, decimals=1)


def provenance(filters: Filters) -> shared.Provenance:
    return shared.Provenance.of(queries.run("procurement_provenance", **filters.params()))


def real_notice(filters: Filters, lang: str) -> str:
    """A sentence for a page's notice on the demo set when real published contracts (DECP) are
    in the filters: the notice must not read as if nothing else were real. '' when there are
    none."""
    frame = queries.run("procurement_provenance", **filters.params())
    real = frame.filter(
        (pl.col("table_name") == "procurement_contract") & (pl.col("provenance") == "real")
    )["share_of_table"].sum()
    return t(lang, "procurement.real_notice", share=percent(real, lang)) if real > 0 else ""


def sourced(filters: Filters, summary: Summary, lang: str) -> dict[str, str]:
    """A caption's source line and mark, from the published contracts in the filters."""
    found = provenance(filters)
    parts = [
        t(lang, "dash.source_tables", tables="procurement_contract"),
        *found.source_texts(lang),
    ]
    lines = [
        t(lang, "chart.source", sources=t(lang, "chart.source_separator").join(parts)),
        *summary.coverage_lines(lang),
    ]
    return {"source": "\n".join(lines), "mark": found.mark(lang)}


def figures(summary: Summary, lang: str) -> dict[str, str]:
    """The section's headline figures, as the page shows them."""
    return {
        "amount": money(summary.amount_notified_eur, lang),
        "contracts": number(summary.contracts, lang),
        "ess_share": percent(summary.ess_share_of_classified, lang, decimals=1)
        if summary.ess_share_of_classified is not None
        else "–",
        "classified": classified_text(summary.classified_share, lang),
    }


def by_year_kind(filters: Filters) -> pl.DataFrame:
    return queries.run("procurement_by_year_kind", **filters.params())


@cached
def year_kind_view(filters: Filters, lang: str) -> Chart | None:
    """Amount notified by year of notification, stacked by holder kind; the title states the
    total and the ESS share of what the register classifies."""
    frame = by_year_kind(filters)
    if frame.is_empty():
        return None
    summary = Summary.load(filters)
    shown = figures(summary, lang)
    caption = Caption(
        title=t(
            lang,
            # Until the register classifies a holder, no share of the ESS can be stated.
            "procurement.year_kind_title"
            if summary.ess_share_of_classified is not None
            else "procurement.year_kind_title_unclassified",
            amount=shown["amount"],
            contracts=shown["contracts"],
            ess=shown["ess_share"],
        ),
        subtitle=t(lang, "procurement.year_kind_subtitle"),
        key_figure=shown["amount"],
        **sourced(filters, summary, lang),
    )
    fig = draw.stacked_bars(
        frame,
        x="year",
        y="amount_notified_eur",
        series="kind_id",
        series_label=f"label_{lang}",
        color="color",
        caption=caption,
        lang=lang,
    )
    table = frame.select(
        pl.col("year").alias(t(lang, "procurement.col_year")),
        pl.col(f"label_{lang}").alias(t(lang, "procurement.col_kind")),
        pl.col("contracts").alias(t(lang, "procurement.col_contracts")),
        pl.col("amount_notified_eur").alias(t(lang, "procurement.col_amount")),
    )
    return Chart(draw.finish(fig), table, caption)


def buyers(filters: Filters, lang: str) -> pl.DataFrame:
    """The buyers, largest amount notified first, with their contracts and ESS share."""
    frame = queries.run("procurement_by_buyer", **filters.params())
    return frame.select(
        pl.col("buyer_name").alias(t(lang, "procurement.col_buyer")),
        pl.col("buyer_siret").alias("SIRET"),
        pl.col("contracts").alias(t(lang, "procurement.col_contracts")),
        pl.col("amount_notified_eur").alias(t(lang, "procurement.col_amount")),
        pl.col("ess_share_of_classified").alias(t(lang, "procurement.col_ess_share")),
    )


def domains(filters: Filters, lang: str) -> pl.DataFrame:
    """The service domains (multiservice contracts apart), largest amount notified first."""
    frame = queries.run("procurement_by_domain", **filters.params())
    return frame.select(
        pl.col(f"label_{lang}").alias(t(lang, "procurement.col_domain")),
        pl.col("contracts").alias(t(lang, "procurement.col_contracts")),
        pl.col("amount_notified_eur").alias(t(lang, "procurement.col_amount")),
        pl.col("ess_share_of_classified").alias(t(lang, "procurement.col_ess_share")),
    )


def contracts(filters: Filters, lang: str) -> pl.DataFrame:
    """The published contracts in the filters, one per row, headers in the reader's language."""
    frame = queries.run("procurement_contracts", **filters.params())
    return frame.select(
        pl.col("notified_on").alias(t(lang, "procurement.col_notified")),
        pl.col("buyer_name").alias(t(lang, "procurement.col_buyer")),
        pl.col("object").alias(t(lang, "procurement.col_object")),
        pl.col(f"domain_{lang}").alias(t(lang, "procurement.col_domain")),
        pl.col("holder").alias(t(lang, "procurement.col_holder")),
        pl.col(f"kind_{lang}").alias(t(lang, "procurement.col_kind")),
        pl.col("amount_notified_eur").alias(t(lang, "procurement.col_amount")),
        pl.col("end_on").alias(t(lang, "procurement.col_end")),
        pl.col("establishments").alias(t(lang, "procurement.col_establishments")),
        pl.col("file_name").alias(t(lang, "procurement.col_file")),
        pl.col("platform").alias(t(lang, "procurement.col_platform")),
    )


def contracts_download(filters: Filters, lang: str) -> pl.DataFrame:
    """`contracts` with the mark and source line of the rows, as every download carries them."""
    caption = sourced(filters, Summary.load(filters), lang)
    return downloads.with_provenance(
        contracts(filters, lang), caption["mark"], caption["source"], lang
    )
