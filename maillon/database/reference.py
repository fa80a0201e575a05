"""Real reference data: the 186 establishments, their monthly population and the published
public figures (data/reference).

The files are copies of ../shared/data/reference (see data/reference/SOURCES.md). This module
turns them into the `establishment`, `population_monthly` and `public_fact` tables, and fixes the
known geocoding error.
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl

from maillon.data.paths import REFERENCE_DIR

ESTABLISHMENTS_FILE = REFERENCE_DIR / "etablissements_penitentiaires_2026-07-01.csv"
POPULATION_FILE = REFERENCE_DIR / "population_detenue_par_quartier_mensuelle_2025-04_2026-07.csv"
ESTABLISHMENT_SOURCE = "ref_establishments_2026_07"
POPULATION_SOURCE = "ref_population_2025_2026"
PUBLIC_FACTS_FILE = REFERENCE_DIR / "public-facts.csv"
# Maillon's own French and English words for each figure (never the source's wording).
PUBLIC_FACT_LABELS_FILE = REFERENCE_DIR / "public-facts-labels.csv"
PUBLIC_FACTS_SOURCE = "ref_public_facts"

# The source referentiel geocodes CD Châteaudun to Orléans (45000). It is at Châteaudun, Route
# d'Orléans, 28200, Eure-et-Loir (28), Centre-Val de Loire (24).
CORRECTIONS = {
    "CD CHATEAUDUN": {
        "postal_code": "28200",
        "departement_code": "28",
        "departement_name": "Eure-et-Loir",
        "latitude": 48.0645,
        "longitude": 1.3560,
        "note": "Source geocoded to Orléans (45000); Maillon places it in Châteaudun (28200, "
        "département 28).",
    }
}


def establishment_id(name: str) -> str:
    """Ministry label to a stable key: 'CP FRESNES - Villejuif' -> 'cp_fresnes_villejuif'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")


def establishments() -> pl.DataFrame:
    """The establishment table, one row per establishment, columns as in sql/schema.sql."""
    raw = pl.read_csv(ESTABLISHMENTS_FILE, infer_schema=False)
    rows = []
    for r in raw.iter_rows(named=True):
        fix = CORRECTIONS.get(r["etablissement"], {})
        region_code = r["region_code"] or None
        rows.append(
            {
                "establishment_id": establishment_id(r["etablissement"]),
                "name": r["etablissement"],
                "type_code": r["type_code"],
                "ministry_code": int(r["cd_etablissement"]) if r["cd_etablissement"] else None,
                "disp": r["disp"],
                "address": r["adresse"] or None,
                "postal_code": fix.get("postal_code", r["code_postal"]),
                "city": r["ville"],
                "departement_code": fix.get("departement_code", r["departement_code"]),
                "departement_name": fix.get("departement_name", r["departement_nom"]),
                "region_code": region_code,
                # Overseas collectivities (975, 986-988) have no région: show the collectivity.
                "region_name": r["region_nom"] or re.sub(r"\s*\(COM\)$", "", r["departement_nom"]),
                "is_overseas": r["departement_code"].startswith("97")
                or r["departement_code"].startswith("98"),
                "latitude": fix.get("latitude", float(r["latitude"])),
                "longitude": fix.get("longitude", float(r["longitude"])),
                "quartiers": r["quartiers"],
                "operational_capacity": int(r["capacite_operationnelle"])
                if r["capacite_operationnelle"]
                else None,
                "source_id": ESTABLISHMENT_SOURCE,
                "note": fix.get("note") or r["remarque"] or None,
            }
        )
    return pl.DataFrame(rows, infer_schema_length=None).sort("establishment_id")


def population() -> pl.DataFrame:
    """Published monthly headcounts per establishment and quartier (real; NC left empty)."""
    raw = pl.read_csv(POPULATION_FILE, infer_schema=False)
    return raw.select(
        pl.col("etablissement")
        .map_elements(establishment_id, return_dtype=pl.String)
        .alias("establishment_id"),
        pl.col("quartier"),
        pl.col("date").str.to_date("%Y-%m-%d").alias("month"),
        pl.col("capacite_operationnelle")
        .cast(pl.Int32, strict=False)
        .alias("operational_capacity"),
        pl.col("ecroues_detenus").cast(pl.Int32, strict=False).alias("detainees"),
        pl.lit("real").alias("provenance"),
        pl.lit(POPULATION_SOURCE).alias("source_id"),
    ).sort("establishment_id", "quartier", "month")


def public_facts() -> pl.DataFrame:
    """The public_fact table: the transcribed figures with Maillon's labels. Two figures sharing a
    metric (the same count at two dates) are told apart by their year."""
    raw = pl.read_csv(PUBLIC_FACTS_FILE, infer_schema=False).with_row_index("sort_order", 1)
    year = pl.col("reference_date").str.extract(r"(\d{4})").cast(pl.Int32)
    shared_metric = pl.col("metric").count().over("metric") > 1
    raw = raw.with_columns(
        pl.when(shared_metric)
        .then(pl.concat_str("metric", pl.lit("_"), year.cast(pl.String)))
        .otherwise(pl.col("metric"))
        .alias("fact_id"),
        year.alias("reference_year"),
    )
    labels = pl.read_csv(PUBLIC_FACT_LABELS_FILE, infer_schema=False)
    facts = raw.join(labels, on="fact_id", how="left", validate="1:1")
    number = pl.col("value").str.strip_chars().cast(pl.Float64, strict=False)
    return facts.select(
        "fact_id",
        pl.col("topic").alias("theme"),
        pl.col("sort_order").cast(pl.Int32),
        "metric",
        pl.col("value").alias("value_published"),
        pl.when(pl.col("unit_kind") == "text").then(None).otherwise(number).alias("value_number"),
        "unit_kind",
        pl.col("unit").alias("unit_published"),
        pl.col("scope").alias("scope_published"),
        pl.col("reference_date").alias("date_published"),
        "reference_year",
        *LABEL_COLUMNS,
        "publisher",  # as transcribed, with English words ("GEPSA (company site)")
        "publisher_label_fr",
        "publisher_label_en",
        "source_url",
        "licence_note",
        "reliability",
        pl.lit("real").alias("provenance"),
        pl.lit(PUBLIC_FACTS_SOURCE).alias("source_id"),
    ).sort("sort_order")


LABEL_COLUMNS = (
    "label_fr",
    "label_en",
    "unit_fr",
    "unit_en",
    "scope_fr",
    "scope_en",
    "date_fr",
    "date_en",
    "value_fr",
    "value_en",
    "series_id",
    "series_label_fr",
    "series_label_en",
)
