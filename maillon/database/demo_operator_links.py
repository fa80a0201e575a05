"""Demo link between associations and operators: partnerships between an association and an
operator that holds markets where the association works, and the part of the operators'
reinsertion and family reallocations that funds a named association's programme.

It draws from its own seeded generator so that adding it left every other demo file unchanged.
Cooperatives and the rest of the ESS work with more associations, and name a beneficiary for
more of their money, than for-profit groups do; public régie has no result to reallocate.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from maillon.data.paths import TAXONOMY_DIR

LINK_SEED = 7007
SOURCE = "maillon_demo"
LAST_YEAR = 2025
# Mean number of association partners of an operator, by kind group.
PARTNERS = {"ess": 3.2, "for_profit": 1.4, "public": 0.6, "unknown": 0.5}
# Chance that one reinsertion or family reallocation names beneficiary associations, by group.
NAMED = {"ess": 0.65, "for_profit": 0.3, "public": 0.2, "unknown": 0.2}
ENDED_SHARE = 0.12
LOCAL_SHARE = 0.5
# The fields of action whose associations carry each use of the money, best first.
FIELDS_OF_DESTINATION = {
    "reinsertion_training": ("education", "employment", "reinsertion"),
    "reinsertion_job_support": ("employment", "reinsertion"),
    "reinsertion_housing": ("housing", "reinsertion"),
    "reinsertion_rights": ("legal_access", "reinsertion"),
    "family_visit_centres": ("family_support",),
    "family_travel_aid": ("family_support",),
    "family_parenting": ("family_support", "education"),
}
PURPOSE_OF_FIELD = {
    "employment": "hiring_after_release",
    "reinsertion": "release_relay",
    "housing": "release_relay",
    "education": "training",
    "culture": "training",
    "family_support": "family_support",
    "legal_access": "referral",
    "health": "referral",
}


def kind_groups() -> dict[str, str]:
    frame = pl.read_csv(TAXONOMY_DIR / "operator_kind.csv")
    return dict(frame.select("kind_id", "kind_group").iter_rows())


def partnerships(
    rng: np.random.Generator, ops: pl.DataFrame, sites: pl.DataFrame, present: pl.DataFrame
) -> pl.DataFrame:
    """Each operator's partners, drawn among the associations that work where it holds markets
    (the more establishments shared, the likelier)."""
    group_of = kind_groups()
    fields = dict(present.select("association_id", "field_id").unique().iter_rows())
    rows = []
    for operator_id, kind_id in ops.sort("operator_id").select("operator_id", "kind_id").rows():
        places = set(sites.filter(pl.col("operator_id") == operator_id)["establishment_id"])
        near = (
            present.filter(pl.col("establishment_id").is_in(sorted(places)))
            .group_by("association_id")
            .agg(pl.col("establishment_id").unique().sort())
            .sort("association_id")
        )
        count = min(int(rng.poisson(PARTNERS[group_of[kind_id]])), near.height)
        if not count:
            continue
        weights = near["establishment_id"].list.len().to_numpy().astype(float)
        picked = rng.choice(near.height, size=count, replace=False, p=weights / weights.sum())
        for index in sorted(picked):
            association_id, shared = near.row(int(index))
            since = int(rng.integers(2016, LAST_YEAR + 1))
            ended = (
                int(rng.integers(since, LAST_YEAR + 1))
                if since < LAST_YEAR and rng.random() < ENDED_SHARE
                else None
            )
            local = shared[int(rng.integers(len(shared)))] if rng.random() < LOCAL_SHARE else None
            purpose = PURPOSE_OF_FIELD[fields[association_id]]
            rows.append((association_id, operator_id, since, ended, purpose, local))
    frame = pl.DataFrame(
        rows,
        schema={
            "association_id": pl.String,
            "operator_id": pl.String,
            "since_year": pl.Int64,
            "ended_year": pl.Int64,
            "purpose": pl.String,
            "establishment_id": pl.String,
        },
        orient="row",
    ).sort("operator_id", "association_id")
    return frame.select(
        pl.format("po_{}", pl.int_range(1, frame.height + 1).cast(pl.String).str.zfill(3)).alias(
            "partnership_id"
        ),
        pl.all(),
    )


def beneficiaries(
    rng: np.random.Generator,
    ops: pl.DataFrame,
    sites: pl.DataFrame,
    realloc: pl.DataFrame,
    present: pl.DataFrame,
    partners: pl.DataFrame,
) -> pl.DataFrame:
    """For some reinsertion and family reallocations, 30-90 % of the amount named to one to
    three associations of a fitting field: the operator's partners first, else associations
    working that year where the operator holds markets."""
    group_of = {o: kind_groups()[k] for o, k in ops.select("operator_id", "kind_id").iter_rows()}
    places = sites.group_by("operator_id").agg(pl.col("establishment_id").unique())
    places_of = {o: set(e) for o, e in places.iter_rows()}
    partners_of: dict[str, set[str]] = {}
    for association_id, operator_id in partners.select("association_id", "operator_id").rows():
        partners_of.setdefault(operator_id, set()).add(association_id)
    rows = []
    returned = realloc.filter(pl.col("destination_id").is_in(list(FIELDS_OF_DESTINATION)))
    for operator_id, year, destination_id, amount in returned.sort(
        "operator_id", "year", "destination_id"
    ).rows():
        if amount <= 0 or rng.random() >= NAMED[group_of[operator_id]]:
            continue
        fields = FIELDS_OF_DESTINATION[destination_id]
        working = present.filter(
            (pl.col("year") == year)
            & pl.col("establishment_id").is_in(sorted(places_of.get(operator_id, ())))
            & pl.col("field_id").is_in(fields)
        )["association_id"]
        candidates = sorted(set(working))
        preferred = sorted(partners_of.get(operator_id, set()) & set(candidates))
        pool = preferred or candidates
        if not pool:
            continue
        count = min(int(rng.integers(1, 4)), len(pool))
        chosen = sorted(rng.choice(pool, size=count, replace=False).tolist())
        named = int(amount * rng.uniform(0.3, 0.9))
        parts = np.floor(rng.dirichlet(np.full(count, 2.0)) * named).astype(np.int64)
        rows += [
            (operator_id, year, destination_id, a, int(p))
            for a, p in zip(chosen, parts, strict=True)
            if p > 0
        ]
    return pl.DataFrame(
        rows,
        schema=["operator_id", "year", "destination_id", "association_id", "amount_cents"],
        orient="row",
    )


def with_provenance(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit("illustrative").alias("provenance"), pl.lit(SOURCE).alias("source_id")
    )


def generate(
    ops: pl.DataFrame,
    contract_sites: pl.DataFrame,
    realloc: pl.DataFrame,
    network: dict[str, pl.DataFrame],
    seed: int,
) -> dict[str, pl.DataFrame]:
    """operator_partnership and reallocation_beneficiary, in schema column order. `realloc` has
    operator_id, year, destination_id and amount_cents; `network` is the association tables."""
    rng = np.random.default_rng([seed, LINK_SEED])
    sites = contract_sites.select("operator_id", "establishment_id").unique()
    present = (
        network["association_intervention"]
        .select("association_id", "establishment_id", "year")
        .join(network["association"].select("association_id", "field_id"), on="association_id")
    )
    partners = partnerships(rng, ops, sites, present)
    named = beneficiaries(rng, ops, sites, realloc, present, partners)
    c = pl.col("amount_cents")
    return {
        "operator_partnership": with_provenance(partners),
        "reallocation_beneficiary": with_provenance(
            named.select(
                "operator_id",
                "year",
                "destination_id",
                "association_id",
                pl.format("{}.{}", c // 100, (c % 100).cast(pl.String).str.zfill(2)).alias(
                    "amount_eur"
                ),
            )
        ),
    }
