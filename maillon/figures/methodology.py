"""The methodology page's content: what each headline figure means and which SQL file computes it,
the taxonomies as the database holds them, the sources and the glossary (no Streamlit)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import polars as pl

from maillon.data import queries
from maillon.data.filters import Filters
from maillon.figures import shared
from maillon.i18n import t


@dataclass(frozen=True)
class Figure:
    key: str  # methodology.figure_<key> and methodology.figure_<key>_definition in the catalogs
    query: str  # the named query in sql/ that computes it


# The headline figures of docs/data-model.md, in the order the Overview shows them.
HEADLINE_FIGURES = (
    Figure("market_value", "overview_headline"),
    Figure("ess_share", "overview_headline"),
    Figure("returned", "overview_headline"),
    Figure("employed", "overview_headline"),
)
# The derived table behind the pro-rata attribution, shown with its definition.
ATTRIBUTION_FILE = "derived.sql"
# The field's words the pages use, explained in the glossary: glossary.<id>_term, <id>_expansion
# and <id>_text in the catalogs (the term is the field's French word in both languages).
GLOSSARY = (
    "atigip",
    "cep",
    "dap",
    "disp",
    "ess",
    "delegated",
    "public",
    "jnp",
    "detention_day",
    "settings",
    "parloir",
    "held",
    "ppsmj",
    "proxy",
    "scic",
    "scop",
    "siae",
    "spip",
    "sroi",
    "uvf",
)


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    expansion: str
    text: str  # one sentence


def glossary(lang: str) -> list[GlossaryEntry]:
    """The glossary in the reader's language, in the order of a dictionary (accents and case
    aside). Our own catalog text: plain words, nothing from the data."""
    entries = [
        GlossaryEntry(
            t(lang, f"glossary.{key}_term"),
            t(lang, f"glossary.{key}_expansion"),
            t(lang, f"glossary.{key}_text"),
        )
        for key in GLOSSARY
    ]
    return sorted(entries, key=lambda entry: _dictionary_order(entry.term))


def _dictionary_order(text: str) -> str:
    letters = unicodedata.normalize("NFKD", text)
    return "".join(c for c in letters if not unicodedata.combining(c)).casefold()


def taxonomy(name: str, lang: str) -> pl.DataFrame:
    """One taxonomy (operator_kinds, domains, payers, contract_kinds, destinations, indicators) in
    the reader's language: the *_fr / *_en pairs become one column."""
    frame = queries.run(f"methodology_{name}")
    other = "en" if lang == "fr" else "fr"
    keep = [c for c in frame.columns if not c.endswith(f"_{other}")]
    return frame.select(keep).rename(
        {c: c.removesuffix(f"_{lang}") for c in keep if c.endswith(f"_{lang}")}
    )


def sources(lang: str) -> pl.DataFrame:
    """Every source, its title and publisher in the reader's language where Maillon wrote them
    (shared.Source: a publisher's own title is cited as published), and its provenance in words
    (the printed reports and the page read 'réel', not 'real')."""
    words = {value: t(lang, f"provenance.{value}") for value in ("real", "modeled", "illustrative")}
    frame = shared.sources_in(queries.run("data_sources"), lang)
    return frame.with_columns(pl.col("provenance").replace(words))


def sql_of(name: str) -> str:
    return queries.sql_text(name)


def coverage_table(filters: Filters, lang: str) -> pl.DataFrame:
    """Per kind group and in all, the holders' revenue in the filters (every payer: wider than
    the market value) and the share of it whose holder has accounts, a split of its result and
    outcomes (sql/figure_coverage.sql)."""
    frame = queries.run("figure_coverage", **filters.params())
    return frame.select(
        pl.col("kind_group")
        .map_elements(
            lambda g: (
                t(lang, "methodology.coverage_all") if g == "all" else shared.group_label(g, lang)
            ),
            return_dtype=pl.String,
        )
        .alias(t(lang, "dash.group")),
        pl.col("revenue_eur").round(2).alias(t(lang, "methodology.coverage_revenue")),
        *[
            (pl.col(f"{need}_share") * 100).round(1).alias(t(lang, f"methodology.coverage_{need}"))
            for need in ("accounts", "split", "outcomes")
        ],
    )
