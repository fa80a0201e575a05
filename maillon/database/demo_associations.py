"""Demo associations network: associations with invented names and organisational contacts,
their interventions in the real establishments, partnerships, collectives and joint actions.

It draws from its own seeded generator so that adding it left every other demo file unchanged.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl

from maillon.database import demo_institutions, demo_local_groups
from maillon.database.demo_contacts import fictional_phone, slug
from maillon.database.taxonomy import FIELDS, THEMES

ASSOCIATION_SEED = 5005
ENDED_SEED = 2  # the partnerships' end years (ended_years), drawn apart
LOCAL_GROUP_SEED = 3  # the local groups (demo_local_groups), drawn apart
SOURCE = "maillon_demo"
YEARS = list(range(2019, 2026))
# The action each field mostly leads to, and where its associations work.
ACTION_OF_FIELD = {
    "education": "tutoring",
    "culture": "workshop",
    "family_support": "visit_reception",
    "legal_access": "legal_desk",
    "health": "health_prevention",
    "reinsertion": "release_preparation",
    "housing": "housing_search",
    "employment": "job_coaching",
}
SETTINGS_OF_FIELD = {
    "education": ["inside", "inside", "both"],
    "culture": ["inside", "inside", "both"],
    "family_support": ["inside", "both", "both"],
    "legal_access": ["inside", "both"],
    "health": ["inside", "both", "after_release"],
    "reinsertion": ["both", "after_release", "both"],
    "housing": ["after_release", "after_release", "both"],
    "employment": ["after_release", "both", "both"],
}
PURPOSES = ["referral", "joint_project", "training", "shared_premises", "release_relay"]
NATIONAL_COUNT = 8
LOCAL_COUNT = 92
PARTNERSHIP_COUNT = 140
CONVENTION_SHARE = 0.55
CONVENTION_YEARS = 3
LAST_SIGNATURE = date(2026, 7, 1)  # the last month of the demo set
# Invented words only, so that no name can be taken for a real organisation.
NAME_HEADS = [
    "Atelier",
    "Lanterne",
    "Boussole",
    "Fil",
    "Escale",
    "Sillon",
    "Phare",
    "Pont",
    "Cercle",
    "Maison",
    "Ancre",
    "Semaine",
    "Jardin",
    "Carnet",
    "Trame",
    "Tisserands",
]
NAME_PLACES = [
    "d'Orvane",
    "de Brumeval",
    "de Kerlivo",
    "de Valmontier",
    "de Sainte-Ondine",
    "du Mont Ciraud",
    "de Lisbeuf",
    "des Hautes-Varennes",
    "de Castelbrune",
    "d'Ambrelac",
    "de Fontvigne",
    "du Val Tirlou",
]
NATIONAL_NAMES = [
    "Réseau Boussole-Étoile",
    "Fédération Fil d'Orvane",
    "Union des Lanternes Vertes",
    "Mouvement Plume et Passage",
    "Réseau Quatre-Saisons Dehors",
    "Collectif Arc-en-Parloir",
    "Ligue des Ateliers Brumeval",
    "Compagnons du Sillon Clair",
]
COLLECTIVE_NAMES = [
    "Plateforme Orvane-Dedans-Dehors",
    "Collectif des Rives Imaginaires",
    "Coordination Brumeval Solidaire",
    "Inter-réseau Kerlivo",
    "Fédération des Phares du Val Tirlou",
]
STREETS = ["rue des Glycines", "allée des Ormes", "quai des Lanternes", "impasse du Sillon"]
ACTION_TITLES = {
    "prison_days": "Journées nationales Prison {year} : rencontres dedans-dehors",
    "family": "Journée des familles et des parloirs {year}",
    "culture": "Festival des ateliers d'écriture {year}",
    "employment": "Forum emploi sortants {year}",
    "health": "Semaine prévention santé {year}",
    "release": "Relais de sortie : forum logement et droits {year}",
}


def local_names(rng: np.random.Generator, count: int) -> list[str]:
    pairs = [(h, p) for h in NAME_HEADS for p in NAME_PLACES]
    picked = rng.choice(len(pairs), size=count, replace=False)
    return [f"{pairs[i][0]} {pairs[i][1]}" for i in picked]


def associations(rng: np.random.Generator, sites: pl.DataFrame) -> pl.DataFrame:
    names = NATIONAL_NAMES[:NATIONAL_COUNT] + local_names(rng, LOCAL_COUNT)
    seats = sites.sort("establishment_id").sample(
        LOCAL_COUNT, with_replacement=True, seed=int(rng.integers(1 << 31))
    )
    rows = []
    for index, name in enumerate(names):
        field = FIELDS[index % len(FIELDS)] if index < NATIONAL_COUNT else rng.choice(FIELDS)
        national = index < NATIONAL_COUNT
        seat = None if national else seats.row(index - NATIONAL_COUNT, named=True)
        rows.append(
            {
                "association_id": f"as_{index + 1:03d}",
                "name": name,
                "field_id": str(field),
                "scope": "national" if national else "local",
                "setting": str(rng.choice(SETTINGS_OF_FIELD[str(field)])),
                "address": f"{rng.integers(1, 90)} {rng.choice(STREETS)}",
                "postal_code": "75011" if national else seat["postal_code"],
                "city": "Paris" if national else seat["city"].title(),
                "email": f"contact@{slug(name)}.example.org",
                "phone": fictional_phone(rng),
                "seat_site": None if national else seat["establishment_id"],
            }
        )
    return pl.DataFrame(rows)


def interventions(
    rng: np.random.Generator, assocs: pl.DataFrame, sites: pl.DataFrame
) -> pl.DataFrame:
    """National associations in many establishments, local ones in one to four of their DISP."""
    ordered = sites.sort("establishment_id")
    disp_of = dict(ordered.select("establishment_id", "disp").iter_rows())
    rows = []
    for a in assocs.iter_rows(named=True):
        if a["scope"] == "national":
            count = int(rng.integers(25, 70))
            places = rng.choice(ordered["establishment_id"].to_list(), count, replace=False)
        else:
            nearby = ordered.filter(pl.col("disp") == disp_of[a["seat_site"]])
            others = [e for e in nearby["establishment_id"].to_list() if e != a["seat_site"]]
            extra = rng.choice(others, min(len(others), int(rng.integers(0, 4))), replace=False)
            places = [a["seat_site"], *extra]
        for site in sorted(str(p) for p in places):
            first = int(rng.choice(YEARS[:-1]))
            last = YEARS[-1] if rng.random() < 0.85 else int(rng.integers(first, YEARS[-1]))
            volunteers = int(rng.integers(2, 25))
            for year in range(first, last + 1):
                people = int(volunteers * rng.uniform(2, 9))
                rows.append(
                    {
                        "association_id": a["association_id"],
                        "establishment_id": site,
                        "year": year,
                        "action_kind": ACTION_OF_FIELD[a["field_id"]],
                        "volunteers": volunteers,
                        "hours": int(volunteers * rng.uniform(20, 80)),
                        "people_reached": people,
                    }
                )
    return pl.DataFrame(rows)


def partnerships(rng: np.random.Generator, assocs: pl.DataFrame) -> pl.DataFrame:
    """Pairs drawn with a bias to the national networks; some associations stay alone."""
    ids = assocs["association_id"].to_list()
    weights = np.where(assocs["scope"] == "national", 6.0, 1.0)
    weights[-15:] = 0.0  # a tail of associations with no partner, as in the field
    weights = weights / weights.sum()
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < PARTNERSHIP_COUNT:
        a, b = rng.choice(ids, 2, replace=False, p=weights)
        pairs.add((min(a, b), max(a, b)))
    rows = []
    for index, (a, b) in enumerate(sorted(pairs)):
        since = int(rng.integers(2012, 2026))
        signed = rng.random() < CONVENTION_SHARE
        signed_year = int(rng.integers(max(since, 2023), LAST_SIGNATURE.year + 1))
        last_month = LAST_SIGNATURE.month if signed_year == LAST_SIGNATURE.year else 12
        signed_on = date(signed_year, int(rng.integers(1, last_month + 1)), 1)
        rows.append(
            {
                "partnership_id": f"pa_{index + 1:03d}",
                "association_id": a,
                "partner_id": b,
                "since_year": since,
                "purpose": str(rng.choice(PURPOSES)),
                "has_convention": bool(signed),
                "convention_signed_on": signed_on if signed else None,
                "convention_renewal_on": (
                    signed_on.replace(year=signed_on.year + CONVENTION_YEARS) if signed else None
                ),
            }
        )
    return pl.DataFrame(
        rows, schema_overrides={"convention_signed_on": pl.Date, "convention_renewal_on": pl.Date}
    )


def ended_years(frame: pl.DataFrame, seed: int) -> pl.DataFrame:
    """A few partnerships without a convention, started by 2022, ended between 2021 and 2025
    (the network annual report's partnerships lost). Its own generator: every other draw, and
    so every other demo file, stays as it was."""
    rng = np.random.default_rng([seed, ASSOCIATION_SEED, ENDED_SEED])
    ended = []
    for since, signed in frame.select("since_year", "has_convention").iter_rows():
        draw, year = rng.random(), int(rng.integers(2021, 2026))
        ended.append(max(year, since + 1) if not signed and since <= 2022 and draw < 0.15 else None)
    columns = frame.columns
    at = columns.index("since_year") + 1
    return frame.with_columns(pl.Series("ended_year", ended, dtype=pl.Int64)).select(
        [*columns[:at], "ended_year", *columns[at:]]
    )


def collectives(rng: np.random.Generator, assocs: pl.DataFrame) -> tuple[pl.DataFrame, list]:
    ids = assocs["association_id"].to_list()
    collective_rows, members = [], []
    for index, name in enumerate(COLLECTIVE_NAMES):
        collective_id = f"co_{index + 1:02d}"
        collective_rows.append(
            {
                "collective_id": collective_id,
                "name": name,
                "founded_year": int(rng.integers(2005, 2022)),
            }
        )
        chosen = rng.choice(ids[: len(ids) - 15], int(rng.integers(4, 12)), replace=False)
        members += [{"collective_id": collective_id, "association_id": str(a)} for a in chosen]
    return pl.DataFrame(collective_rows), sorted(members, key=lambda m: tuple(m.values()))


def joint_actions(
    rng: np.random.Generator, partners: pl.DataFrame, present: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Joint actions of partner pairs, held where both (or one of them) intervene."""
    actions, with_partners, at_sites = [], [], []
    picked = partners.sample(60, seed=int(rng.integers(1 << 31)))
    where = present.group_by("association_id").agg(pl.col("establishment_id").unique().sort())
    sites_of = dict(where.iter_rows())
    for index, pair in enumerate(picked.iter_rows(named=True)):
        action_id = f"ja_{index + 1:03d}"
        theme = str(rng.choice(THEMES))
        year = int(rng.choice([*YEARS[-4:], 2026]))
        day = (
            date(year, 11, 24 + int(rng.integers(0, 7)))  # held in the last week of November
            if theme == "prison_days"
            else date(year, 1, 1) + timedelta(days=int(rng.integers(0, 365)))
        )
        actions.append(
            {
                "action_id": action_id,
                "action_date": day,
                "theme": theme,
                "title": ACTION_TITLES[theme].format(year=year),
            }
        )
        pair_ids = sorted([pair["association_id"], pair["partner_id"]])
        with_partners += [{"action_id": action_id, "association_id": a} for a in pair_ids]
        candidates = sorted(set(sites_of.get(pair_ids[0], [])) | set(sites_of.get(pair_ids[1], [])))
        chosen = rng.choice(
            candidates, min(len(candidates), int(rng.integers(1, 4))), replace=False
        )
        at_sites += [{"action_id": action_id, "establishment_id": str(s)} for s in sorted(chosen)]
    frame = pl.DataFrame(actions).sort("action_date", "action_id")
    return frame, pl.DataFrame(with_partners), pl.DataFrame(at_sites)


def with_provenance(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit("illustrative").alias("provenance"), pl.lit(SOURCE).alias("source_id")
    )


def generate(sites: pl.DataFrame, seed: int) -> dict[str, pl.DataFrame]:
    """The association tables, keyed by table name, in schema column order."""
    rng = np.random.default_rng([seed, ASSOCIATION_SEED])
    assocs = associations(rng, sites)
    present = interventions(rng, assocs, sites)
    partners = partnerships(rng, assocs)
    collective_rows, members = collectives(rng, assocs)
    actions, action_partners, action_sites = joint_actions(rng, partners, present)
    return {
        "association": with_provenance(assocs.drop("seat_site")),
        "association_intervention": with_provenance(present),
        "association_partnership": with_provenance(ended_years(partners, seed)),
        "association_collective": with_provenance(collective_rows),
        "collective_member": pl.DataFrame(members),
        "joint_action": with_provenance(actions),
        "joint_action_partner": action_partners,
        "joint_action_establishment": action_sites,
        **{
            table: with_provenance(frame)
            for table, frame in demo_institutions.generate(
                sites, seed, assocs, present, collective_rows["collective_id"].to_list()
            ).items()
        },
        **{
            table: with_provenance(frame)
            for table, frame in demo_local_groups.generate(
                sites,
                np.random.default_rng([seed, ASSOCIATION_SEED, LOCAL_GROUP_SEED]),
                assocs,
                present,
            ).items()
        },
    }
