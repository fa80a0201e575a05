"""Demo local groups: the national associations' groups in several DISP and one group for a few
local associations, with the establishments each goes to year by year (a few change every year,
so that a hand-over pack has something to say about what changed since last year).

Names and contacts are invented like the associations'. It draws from its own seeded generator so
that adding it left every other demo file unchanged.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from maillon.database.demo_contacts import fictional_phone, slug

LOCAL_ASSOCIATION_GROUPS = 6
NATIONAL_AREAS = (3, 6)  # a national association has groups in this many DISP (low, high + 1)
ROLES = [
    "responsable des relations extérieures",
    "coordination du groupe local",
    "secrétariat du groupe",
    "responsable de la passation",
]
STREETS = ["rue du Belvédère", "place des Tilleuls", "chemin des Lavandières"]
KEEP = 0.8  # chance that a group keeps going to an establishment the following year
SHARE = 0.8  # the share of its association's establishments of the area a group goes to


def _areas(rng: np.random.Generator, assoc: dict, present: pl.DataFrame) -> list[str]:
    """The DISP where the association intervenes, most-visited first; a national association
    gets groups in a few of them, a local one in its own."""
    counted = (
        present.group_by("disp").agg(pl.col("establishment_id").n_unique().alias("sites"))
    ).sort("sites", "disp", descending=[True, False])
    disps = counted["disp"].to_list()
    if assoc["scope"] == "local":
        return disps[:1]
    return disps[: int(rng.integers(*NATIONAL_AREAS))]


def _visits(
    rng: np.random.Generator, group_id: str, candidates: dict[int, list[str]], founded: int
) -> list[dict]:
    """Year after year, most establishments kept, a few dropped and others taken up, among the
    association's establishments of the area that year."""
    rows, current = [], set()
    for year in sorted(y for y in candidates if y >= founded):
        there = candidates[year]
        kept = {site for site in sorted(current) if site in there and rng.random() < KEEP}
        wanted = max(1, round(len(there) * SHARE))
        # New establishments first; one just left is taken up again only when none remains.
        for pool in ([x for x in there if x not in current], [x for x in there if x not in kept]):
            while pool and len(kept) < wanted:
                kept.add(pool.pop(int(rng.integers(len(pool)))))
        current = kept
        rows += [
            {"local_group_id": group_id, "establishment_id": site, "year": year}
            for site in sorted(current)
        ]
    return rows


def generate(
    sites: pl.DataFrame, rng: np.random.Generator, assocs: pl.DataFrame, present: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """local_group and local_group_establishment, in schema column order (without provenance)."""
    located = present.join(
        sites.select("establishment_id", "disp", "city", "postal_code"), "establishment_id"
    )
    local_ids = assocs.filter(pl.col("scope") == "local")["association_id"].to_list()
    picked = sorted(str(a) for a in rng.choice(local_ids, LOCAL_ASSOCIATION_GROUPS, replace=False))
    chosen = assocs.filter(
        (pl.col("scope") == "national") | pl.col("association_id").is_in(picked)
    ).sort("association_id")
    groups, visits = [], []
    for assoc in chosen.iter_rows(named=True):
        own = located.filter(pl.col("association_id") == assoc["association_id"])
        for disp in _areas(rng, assoc, own):
            in_area = own.filter(pl.col("disp") == disp).sort("establishment_id", "year")
            seat = in_area.row(int(rng.integers(in_area.height)), named=True)
            group_id = f"lg_{len(groups) + 1:03d}"
            town = seat["city"].title()
            founded = int(rng.integers(2012, 2023))
            groups.append(
                {
                    "local_group_id": group_id,
                    "association_id": assoc["association_id"],
                    "name": f"{assoc['name']} – groupe de {town}",
                    "disp": disp,
                    "contact_role": str(rng.choice(ROLES)),
                    "email": f"{slug(town)}@{slug(assoc['name'])}.example.org",
                    "phone": fictional_phone(rng),
                    "address": f"{rng.integers(1, 60)} {rng.choice(STREETS)}",
                    "postal_code": seat["postal_code"],
                    "city": town,
                    "founded_year": founded,
                }
            )
            candidates = {
                year: frame["establishment_id"].sort().to_list()
                for (year,), frame in in_area.group_by("year")
            }
            visits += _visits(rng, group_id, candidates, founded)
    return {"local_group": pl.DataFrame(groups), "local_group_establishment": pl.DataFrame(visits)}
