"""The illustrative demo data set: a deterministic, seeded generator of the non-public tables.

    python -m maillon.database.demo [--out data/demo] [--seed 2026]
    python -m maillon.database.demo --scale 50000000 --out bench/data   # for the bench

It writes one CSV per table, in exactly the format the build (and later imports) accept, on top of
the real establishments and population (maillon.database.reference). Magnitudes are calibrated on
the public figures of ../shared/context/FACTS.md; every operator name is invented and reads as
invented. Money is computed in integer cents so that every invariant of the model holds exactly.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from maillon.data.paths import DEMO_DIR, TAXONOMY_DIR
from maillon.database import demo_associations, demo_operator_links, reference

SEED = 2026
YEARS = list(range(2019, 2026))  # closed financial years
FIRST_MONTH, LAST_MONTH = date(2019, 1, 1), date(2026, 7, 1)
SOURCE, MODEL_SOURCE = "maillon_demo", "maillon_population_model"
CORE_DOMAINS = ["canteen", "catering", "maintenance", "cleaning_laundry", "prison_work"]
# Small domains: share of establishments covered, and the kinds that hold them (weights).
SMALL_DOMAINS = {
    "vocational_training": (0.8, {"for_profit": 4, "association": 3, "scop": 2, "scic": 1}),
    "education": (0.7, {"association": 4, "scic": 1}),
    "culture": (0.7, {"association": 5, "scic": 1, "for_profit": 1}),
    "health": (0.6, {"mutual": 3, "association": 2, "for_profit": 1}),
    "family_reception": (0.7, {"association": 6, "for_profit": 1, "scic": 1}),
}
# Market value drivers per establishment and year, before inflation (EUR).
PER_DETAINEE_YEAR = {
    "catering": 4.0 * 365,
    "prison_work": 700.0,
    "vocational_training": 300.0,
    "education": 80.0,
    "culture": 100.0,
    "health": 200.0,
    "family_reception": 115.0,
}
PER_PLACE_YEAR = {"maintenance": 3000.0, "cleaning_laundry": 600.0}
INFLATION = {2019: 1.00, 2020: 1.01, 2021: 1.03, 2022: 1.08, 2023: 1.13, 2024: 1.15, 2025: 1.17}
SMIC_HOURLY = {
    2019: 10.03,
    2020: 10.15,
    2021: 10.25,
    2022: 10.85,
    2023: 11.52,
    2024: 11.65,
    2025: 11.88,
}
# Share of detainees working by establishment type (ATIGIP 2021), and covid dips.
WORK_RATE = {"MA": 0.25, "CP": 0.27, "CD": 0.39, "MC": 0.50, "CSL": 0.20, "EPM": 0.10}
WORK_YEAR_FACTOR = {2020: 0.80, 2021: 0.90}
# Who employs working detainees: concession/RIEP (prison_work) or service général.
EMPLOYMENT_SPLIT = {
    "prison_work": 0.48,
    "catering": 0.22,
    "cleaning_laundry": 0.14,
    "maintenance": 0.09,
    "canteen": 0.07,
}
PAY_SHARE_OF_SMIC = {"prison_work": 0.45}  # production work; service général below
SERVICE_PAY_SHARE = 0.30
# Result margin (share of revenue) by kind group.
MARGIN = {"for_profit": (0.05, 0.09), "ess": (0.02, 0.06), "public": (0.00, 0.03)}
# Typical split of the result by destination, per kind (FACTS.md, section 8).
SPLITS = {
    "scop": {
        "indivisible_reserves": 40,
        "members_share": 30,
        "reinsertion_training": 6,
        "reinsertion_job_support": 6,
        "reinsertion_housing": 3,
        "reinsertion_rights": 3,
        "family_visit_centres": 3,
        "family_travel_aid": 2,
        "family_parenting": 2,
        "service_improvement": 3,
        "dividends": 2,
    },
    "scic": {
        "indivisible_reserves": 60,
        "reinsertion_training": 6,
        "reinsertion_job_support": 7,
        "reinsertion_housing": 4,
        "reinsertion_rights": 3,
        "family_visit_centres": 4,
        "family_travel_aid": 3,
        "family_parenting": 3,
        "service_improvement": 6,
        "price_cuts": 4,
    },
    "association": {
        "indivisible_reserves": 25,
        "reinsertion_training": 12,
        "reinsertion_job_support": 12,
        "reinsertion_housing": 9,
        "reinsertion_rights": 7,
        "family_visit_centres": 9,
        "family_travel_aid": 6,
        "family_parenting": 5,
        "service_improvement": 10,
        "price_cuts": 5,
    },
    "mutual": {
        "indivisible_reserves": 40,
        "service_improvement": 15,
        "price_cuts": 15,
        "reinsertion_rights": 10,
        "reinsertion_job_support": 10,
        "family_visit_centres": 5,
        "family_parenting": 5,
    },
    "siae": {
        "reinsertion_training": 20,
        "reinsertion_job_support": 25,
        "reinsertion_housing": 10,
        "indivisible_reserves": 30,
        "service_improvement": 15,
    },
    "for_profit": {
        "dividends": 55,
        "retained_earnings": 28,
        "members_share": 6,
        "service_improvement": 5,
        "reinsertion_training": 2,
        "reinsertion_job_support": 2,
        "family_visit_centres": 2,
    },
}
# Canteen: monthly spending per detainee by category (EUR, 2019), FACTS.md section 2.
CANTEEN_BUDGET = {"tobacco": 70.0, "food": 62.0, "drinks": 12.0, "hygiene": 6.0, "other": 10.0}
CANTEEN_MARKUP = {"public": (0.05, 0.15), "ess": (0.00, 0.10), "for_profit": (0.20, 0.60)}
REFERENCE_PRICE_2019 = {
    "tobacco_pack": 8.80,
    "rolling_tobacco_30g": 9.50,
    "rolling_papers": 0.90,
    "coffee_250g": 1.85,
    "instant_coffee_100g": 3.20,
    "tea_25_bags": 1.60,
    "mineral_water_1_5l": 0.45,
    "cola_1_5l": 1.40,
    "orange_juice_1l": 1.50,
    "sugar_lumps_1kg": 1.35,
    "pasta_500g": 0.85,
    "rice_1kg": 1.60,
    "canned_tuna": 1.90,
    "sardines_can": 1.40,
    "eggs_6": 1.60,
    "milk_1l": 0.85,
    "butter_250g": 2.00,
    "cheese_200g": 2.30,
    "bread_sandwich_loaf": 1.30,
    "biscuits": 1.20,
    "chocolate_bar_100g": 1.10,
    "fresh_fruit_1kg": 2.50,
    "vegetables_1kg": 2.20,
    "ketchup_500g": 1.70,
    "spices_ras_el_hanout_100g": 0.93,
    "cooking_oil_1l": 2.00,
    "halal_meat_can": 3.20,
    "shower_gel": 1.80,
    "shampoo": 2.10,
    "toothpaste": 1.50,
    "toothbrush": 1.20,
    "razors_5": 2.50,
    "deodorant": 2.40,
    "laundry_detergent": 3.50,
    "toilet_paper_6": 2.60,
    "writing_pad": 2.20,
    "stamps_10": 8.80,
    "phone_card_credit": 10.00,
    "batteries_4": 3.90,
    "newspaper": 1.20,
}
PRICE_INDEX = {
    2019: 1.00,
    2020: 1.01,
    2021: 1.02,
    2022: 1.08,
    2023: 1.16,
    2024: 1.18,
    2025: 1.19,
    2026: 1.20,
}
# Prices set outside the canteen (tobacco is regulated, stamps and phone credit have a face value).
FIXED_PRICE_CATEGORIES = {"tobacco"}
FIXED_PRICE_ITEMS = {
    "stamps_10",
    "phone_card_credit",
    "newspaper",
}

# Invented names: roots that read as invented, never a real organisation.
NAMES = {
    "for_profit": [
        "Groupe Fictalis Services SA",
        "Imaginor Gestion Pénitentiaire SA",
        "Exemplia Facility SAS",
        "Démonstra Restauration Collective SA",
    ],
    "concession": [
        "Atelier Fictif du Nord SARL",
        "Manufacture Imaginaire SAS",
        "Sous-traitance Exemplaire SARL",
        "Conditionnement Fictalis SAS",
        "Formation Imaginor SAS",
        "Santé Démonstra SAS",
    ],
    "scop": [
        "Scop Fictalis Restauration",
        "Scop La Cuisine Imaginaire",
        "Scop Entretien Exemplaire",
        "Scop Atelier des Possibles (fictive)",
        "Scop Blanchisserie Démo",
        "Scop Maintenance Utopia",
        "Scop Formation Chimère",
        "Scop Les Ateliers Fictifs",
    ],
    "scic": [
        "Scic Cantine Solidaire Imaginaire",
        "Scic Passerelle Fictive",
        "Scic Repas Exemplaires",
        "Scic Horizon Démo",
        "Scic Relais Utopia",
    ],
    "association": [
        "Association Horizon Fictif",
        "Association Les Liens Imaginaires",
        "Association Passerelles Démo",
        "Association Savoirs Utopia",
        "Association Familles Exemplaires (fictive)",
        "Association Culture Chimère",
        "Association Lire Ailleurs (fictive)",
        "Association Relais Fictif",
        "Association Accueil Imaginaire",
        "Association Sport Démo",
        "Association Droits Fictifs",
        "Association Sortie Utopia",
    ],
    "mutual": ["Mutuelle Fictive de Prévention", "Mutuelle Imaginaire Santé"],
    "siae": [
        "Chantier d'insertion Fictif",
        "Entreprise d'insertion Imaginaire",
        "Atelier d'insertion Démo",
        "Insertion Utopia (fictive)",
        "Tremplin Chimère",
        "Entreprise d'insertion Exemplaire",
    ],
}
# ESS groupings: name, lead kind, member kinds.
GROUPINGS = [
    ("Groupement Solidaire Fictif Restauration", "scop", ["scic", "siae"]),
    ("Groupement Imaginaire Entretien et Insertion", "scop", ["siae", "association"]),
    ("Groupement Cantine Utopia", "scic", ["association", "siae"]),
    ("Groupement Démo Formation Sortie", "association", ["scop", "association", "siae"]),
    ("Groupement Exemplaire Blanchisserie", "siae", ["scop", "scic"]),
]
# A lot's name says, in French like the rest of the demo's words, who runs its establishments.
LOT_SEGMENT = {"private": "prestataire privé", "public": "gestion publique (régie)"}
# Which ESS kinds can take over a core-domain lot (with weights, groupings as "grouping").
ESS_TAKEOVER = {
    "canteen": {"scic": 2, "grouping": 2, "association": 1},
    "catering": {"scop": 3, "scic": 1, "grouping": 3},
    "maintenance": {"scop": 2, "grouping": 2},
    "cleaning_laundry": {"siae": 3, "scop": 1, "grouping": 2},
    "prison_work": {"siae": 4, "scop": 2},
}


def months() -> list[date]:
    return pl.date_range(FIRST_MONTH, LAST_MONTH, "1mo", eager=True).to_list()


def add_months(day: date, count: int) -> date:
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


# ------------------------------------------------------------------ population


NATIONAL_ANCHORS = {
    date(2019, 1, 1): 70_000,
    date(2020, 1, 1): 70_600,
    date(2020, 5, 1): 58_700,
    date(2021, 1, 1): 62_700,
    date(2022, 1, 1): 69_400,
    date(2023, 1, 1): 72_300,
    date(2024, 1, 1): 75_900,
    date(2025, 1, 1): 80_700,
    date(2025, 4, 1): 82_700,
    date(2025, 8, 1): 84_019,
}


def national_trend(month: date) -> float:
    """National detainees for a month, linearly interpolated between the anchors."""
    points = sorted(NATIONAL_ANCHORS.items())
    x = [d.toordinal() for d, _ in points]
    return float(np.interp(month.toordinal(), x, [v for _, v in points]))


def population_modeled(real: pl.DataFrame) -> pl.DataFrame:
    """Modeled headcounts for the months with no published file, per establishment x quartier.

    Each quartier's April 2025 (or first published) headcount is scaled by the national trend.
    """
    published = set(real["month"].unique().to_list())
    base = (
        real.sort("month")
        .group_by("establishment_id", "quartier", maintain_order=True)
        .agg(
            pl.col("detainees").first().alias("base"),
            pl.col("operational_capacity").first().alias("capacity"),
            pl.col("month").first().alias("base_month"),
        )
    )
    rows = []
    for month in months():
        if month in published:
            continue
        factor = base["base_month"].map_elements(
            lambda m, month=month: national_trend(month) / national_trend(m),
            return_dtype=pl.Float64,
        )
        rows.append(
            base.select(
                "establishment_id",
                "quartier",
                pl.lit(month).alias("month"),
                pl.col("capacity").alias("operational_capacity"),
                (pl.col("base") * factor).round(0).cast(pl.Int32).alias("detainees"),
            )
        )
    return (
        pl.concat(rows)
        .with_columns(
            pl.col("operational_capacity").cast(pl.Int32),
            pl.lit("modeled").alias("provenance"),
            pl.lit(MODEL_SOURCE).alias("source_id"),
        )
        .sort("establishment_id", "quartier", "month")
    )


def monthly_population(real: pl.DataFrame, modeled: pl.DataFrame) -> pl.DataFrame:
    """Detainees and places per establishment and month, real where published."""
    return (
        pl.concat([real, modeled])
        .group_by("establishment_id", "month")
        .agg(
            pl.col("detainees").sum().alias("detainees"),
            pl.col("operational_capacity").sum().alias("capacity"),
        )
        .sort("establishment_id", "month")
    )


# ------------------------------------------------------------------ operators


def operators(rng: np.random.Generator, disps: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Operators (incl. one public régie per DISP and ESS groupings) and grouping members."""
    rows = []

    def add(name: str, kind: str, is_grouping: bool = False, role: str = "") -> str:
        operator_id = f"op_{len(rows) + 1:03d}"
        rows.append((operator_id, name, kind, is_grouping, role))
        return operator_id

    for name in NAMES["for_profit"]:
        add(name, "for_profit", role="group")
    for name in NAMES["concession"]:
        add(name, "for_profit", role="concession")
    for kind in ("scop", "scic", "association", "mutual", "siae"):
        for name in NAMES[kind]:
            add(name, kind)
    for disp in disps:
        label = "outre-mer" if disp == "MOM" else disp.replace("DISP ", "").title()
        add(f"Régie fictive — {label}", "public_regie", role=disp)
    members = []
    by_kind = {k: [r[0] for r in rows if r[2] == k and not r[3]] for k in NAMES}
    for name, lead_kind, member_kinds in GROUPINGS:
        grouping_id = add(name, lead_kind, is_grouping=True, role="grouping")
        chosen = [rng.choice(by_kind[lead_kind])]
        for kind in member_kinds:
            candidates = [o for o in by_kind[kind] if o not in chosen]
            chosen.append(rng.choice(candidates))
        members += [
            (grouping_id, member, "lead" if i == 0 else "member") for i, member in enumerate(chosen)
        ]
    frame = pl.DataFrame(
        rows, schema=["operator_id", "name", "kind_id", "is_grouping", "role"], orient="row"
    )
    grouping = pl.DataFrame(members, schema=["grouping_id", "member_id", "role"], orient="row")
    return frame, grouping.sort("grouping_id", "member_id")


# ------------------------------------------------------------------ contracts


def delegated_establishments(rng: np.random.Generator, sites: pl.DataFrame) -> set[str]:
    """About 71 establishments holding about 60 % of detainees under delegated management."""
    candidates = sites.filter(pl.col("type_code").is_in(["MA", "CP", "CD", "MC"]))
    order = rng.permutation(candidates.height)
    weights = candidates["detainees"].to_numpy()[order]
    ids = candidates["establishment_id"].to_numpy()[order]
    chosen, total = [], sites["detainees"].sum()
    for site, weight in zip(ids, weights, strict=True):
        if sum(w for _, w in chosen) >= 0.6 * total or len(chosen) >= 71:
            break
        if weight >= 150 or rng.random() < 0.3:
            chosen.append((site, weight))
    return {site for site, _ in chosen}


def ess_chance(year: int) -> float:
    """Chance that an ESS operator wins a renewal starting that year (a growing minority)."""
    return float(np.clip(0.03 + 0.022 * (year - 2016), 0.03, 0.25))


def contracts(
    rng: np.random.Generator, ops: pl.DataFrame, sites: pl.DataFrame, delegated: set[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Contracts and the establishments they cover, without overlaps per establishment x domain."""
    group_ops = ops.filter(pl.col("role") == "group")["operator_id"].to_list()
    concession_ops = ops.filter(pl.col("role") == "concession")["operator_id"].to_list()
    regie_by_disp = dict(
        ops.filter(pl.col("kind_id") == "public_regie").select("role", "operator_id").iter_rows()
    )
    ess_by_kind = {
        kind: ops.filter((pl.col("kind_id") == kind) & ~pl.col("is_grouping"))[
            "operator_id"
        ].to_list()
        for kind in ("scop", "scic", "association", "mutual", "siae")
    }
    ess_by_kind["grouping"] = ops.filter(pl.col("is_grouping"))["operator_id"].to_list()
    ess_by_kind["for_profit"] = concession_ops
    rows: list[tuple] = []
    links: list[tuple] = []

    def pick(weights: dict[str, int]) -> str:
        kinds = list(weights)
        kind = kinds[
            rng.choice(len(kinds), p=np.array(list(weights.values())) / sum(weights.values()))
        ]
        return str(rng.choice(ess_by_kind[kind]))

    def add(domain: str, operator_id: str, lot: str, start: date, end: date, site_ids: list[str]):
        rows.append((domain, operator_id, lot, start, end, tuple(sorted(site_ids))))

    canteen_private = {
        s for s in sites["establishment_id"] if s in delegated and rng.random() < 0.3
    }
    for disp, disp_sites in sites.group_by("disp", maintain_order=True):
        disp_name = disp[0]
        short = "outre-mer" if disp_name == "MOM" else disp_name.replace("DISP ", "").title()
        site_ids = disp_sites["establishment_id"].to_list()
        for domain in CORE_DOMAINS:
            if domain == "canteen":
                segments = {
                    "private": [s for s in site_ids if s in canteen_private],
                    "public": [s for s in site_ids if s not in canteen_private],
                }
            elif domain == "prison_work":
                segments = {
                    "private": [s for s in site_ids if rng.random() < 0.75],
                }
                segments["public"] = [s for s in site_ids if s not in segments["private"]]
            else:
                # Outside delegated management, many services are still bought from companies.
                private = [s for s in site_ids if s in delegated or rng.random() < 0.45]
                segments = {
                    "private": private,
                    "public": [s for s in site_ids if s not in private],
                }
            for segment, members in segments.items():
                if not members:
                    continue
                # The first lot starts before 2019 so that every month from 2019 has a holder.
                start = add_months(date(2016, 1, 1), int(rng.integers(0, 36)))
                holder = (
                    str(rng.choice(concession_ops if domain == "prison_work" else group_ops))
                    if segment == "private"
                    else regie_by_disp[disp_name]
                )
                while start <= date(2026, 12, 1):
                    length = int(rng.integers(48, 73))
                    end_excl = add_months(start, length)
                    end = date.fromordinal(end_excl.toordinal() - 1)
                    carved = [s for s in members if rng.random() < ess_chance(start.year)]
                    kept = [s for s in members if s not in carved]
                    lot = f"Lot {short} — {LOT_SEGMENT[segment]}"
                    if kept:
                        add(domain, holder, lot, start, end, kept)
                    for site in carved:
                        add(
                            domain,
                            pick(ESS_TAKEOVER[domain]),
                            "Établissement unique",
                            start,
                            end,
                            [site],
                        )
                    if segment == "private" and rng.random() < 0.35:
                        holder = str(
                            rng.choice(concession_ops if domain == "prison_work" else group_ops)
                        )
                    start = end_excl
    for domain, (coverage, kinds) in SMALL_DOMAINS.items():
        for site in sites["establishment_id"].to_list():
            if rng.random() >= coverage:
                continue
            start = add_months(date(2016, 1, 1), int(rng.integers(0, 36)))
            while start <= date(2026, 12, 1):
                end_excl = add_months(start, int(rng.integers(36, 61)))
                add(
                    domain,
                    pick(kinds),
                    "Établissement unique",
                    start,
                    date.fromordinal(end_excl.toordinal() - 1),
                    [site],
                )
                start = end_excl
    rows.sort(key=lambda r: (r[3], r[0], r[5], r[1]))
    contract_rows, link_rows = [], []
    for i, (domain, operator_id, lot, start, end, site_ids) in enumerate(rows, start=1):
        contract_id = f"ct_{i:04d}"
        contract_rows.append((contract_id, domain, operator_id, lot, start, end))
        link_rows += [(contract_id, s) for s in site_ids]
    frame = pl.DataFrame(
        contract_rows,
        schema=["contract_id", "domain_id", "operator_id", "lot", "start_date", "end_date"],
        orient="row",
    )
    links = pl.DataFrame(link_rows, schema=["contract_id", "establishment_id"], orient="row")
    return frame, links.sort("contract_id", "establishment_id")


# Who pays each domain's holder, outside public management: FACTS.md and DOMAIN.md (training
# paid by the Régions since 2015, health by the hospitals, education by Éducation nationale).
OTHER_PAYERS = {
    "vocational_training": "region",
    "health": "hospital",
    "education": "education_nationale",
}
# The régie's own services: the canteen is still paid by detained people, the prison workshops
# (RIEP) by ATIGIP's employment service; the rest by the interregional directorate.
REGIE_PAYERS = {"canteen": "detained_people", "prison_work": "atigip"}
DELEGATED_DOMAINS = {"canteen", "catering", "maintenance", "cleaning_laundry"}


def payers_and_kinds(
    contract_rows: pl.DataFrame, links: pl.DataFrame, op_kind: dict, delegated: set[str]
) -> pl.DataFrame:
    """Each contract's payer and legal kind, from its domain, holder, lot and establishments."""
    sites = links.group_by("contract_id").agg(pl.col("establishment_id"))
    rows = []
    for contract_id, domain, operator_id, lot, site_ids in (
        contract_rows.join(sites, on="contract_id")
        .select("contract_id", "domain_id", "operator_id", "lot", "establishment_id")
        .iter_rows()
    ):
        kind = op_kind[operator_id]
        in_delegated = (
            domain in DELEGATED_DOMAINS
            and lot.startswith("Lot ")
            and any(s in delegated for s in site_ids)
        )
        if kind == "public_regie":
            payer, contract_kind = REGIE_PAYERS.get(domain, "disp"), "regie"
        elif domain == "canteen":
            payer = "detained_people"
            contract_kind = "multiservice_delegated" if in_delegated else "public_market"
        elif domain == "prison_work":
            payer, contract_kind = "concession_clients", "concession"
        elif in_delegated:
            payer, contract_kind = "dap", "multiservice_delegated"
        else:
            payer = OTHER_PAYERS.get(domain, "disp" if lot.startswith("Lot ") else "establishment")
            grant = kind in ("association", "foundation") and domain not in ("catering",)
            contract_kind = "subsidy_agreement" if grant else "public_market"
        rows.append((contract_id, payer, contract_kind))
    return pl.DataFrame(rows, schema=["contract_id", "payer_id", "contract_kind_id"], orient="row")


def management(
    sites: pl.DataFrame,
    delegated: set[str],
    contract_rows: pl.DataFrame,
    links: pl.DataFrame,
    kinds: pl.DataFrame,
) -> pl.DataFrame:
    """Each establishment's management mode: public, or delegated / PPP with the partner and lot of
    its latest multiservice contract. About a third of the delegated ones are PPPs (chosen by a
    hash of the identifier, so the random draws of the rest of the demo are unchanged)."""
    ppp = {s for s in delegated if int(hashlib.sha256(s.encode()).hexdigest(), 16) % 3 == 0}
    multiservice = (
        contract_rows.join(kinds, on="contract_id")
        .filter(pl.col("contract_kind_id") == "multiservice_delegated")
        .join(links, on="contract_id")
        .sort("start_date")
        .group_by("establishment_id")
        .agg(pl.col("operator_id").last().alias("partner_id"), pl.col("lot").last())
    )
    return (
        sites.select("establishment_id")
        .with_columns(
            pl.when(~pl.col("establishment_id").is_in(sorted(delegated)))
            .then(pl.lit("public"))
            .when(pl.col("establishment_id").is_in(sorted(ppp)))
            .then(pl.lit("ppp"))
            .otherwise(pl.lit("delegated"))
            .alias("management_mode")
        )
        .join(multiservice, on="establishment_id", how="left")
        .with_columns(
            pl.when(pl.col("management_mode") != "public").then(pl.col("partner_id")),
            pl.when(pl.col("management_mode") != "public").then(pl.col("lot")),
        )
        .sort("establishment_id")
    )


def coverage_months(contract_sites: pl.DataFrame) -> pl.DataFrame:
    """One row per contract x establishment x month of 2019-01..2026-07 it covers."""
    calendar = pl.DataFrame({"month": months()})
    return (
        contract_sites.join(calendar, how="cross")
        .filter(
            (pl.col("month") >= pl.col("start_date").dt.month_start())
            & (pl.col("month") <= pl.col("end_date"))
        )
        .select("contract_id", "establishment_id", "domain_id", "operator_id", "month")
    )


# ------------------------------------------------------------------ canteen


def canteen(
    rng: np.random.Generator, covered: pl.DataFrame, population: pl.DataFrame, kinds: dict
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Canteen prices (per item, establishment, year and holder) and monthly sales."""
    items = pl.read_csv(TAXONOMY_DIR / "canteen_item.csv").select("item_id", "category")
    per_category = items.group_by("category").len()
    share = rng.uniform(0.6, 1.4, items.height)
    items = (
        items.with_columns(pl.Series("weight", share))
        .join(per_category, on="category")
        .with_columns(
            (pl.col("weight") / pl.col("weight").sum().over("category")).alias("weight"),
            pl.col("item_id").replace_strict(REFERENCE_PRICE_2019).alias("reference_2019"),
            pl.col("category").replace_strict(CANTEEN_BUDGET).alias("budget"),
        )
    )
    holder = covered.filter(pl.col("domain_id") == "canteen").select(
        "establishment_id", "month", "contract_id", "operator_id"
    )
    holder = holder.with_columns(pl.col("operator_id").replace_strict(kinds).alias("kind_group"))
    # One markup per contract x item, drawn in the range of the holder's kind.
    contract_items = (
        holder.select("contract_id", "kind_group")
        .unique()
        .sort("contract_id")
        .join(items.select("item_id"), how="cross")
    )
    low = contract_items["kind_group"].replace_strict({k: v[0] for k, v in CANTEEN_MARKUP.items()})
    high = contract_items["kind_group"].replace_strict({k: v[1] for k, v in CANTEEN_MARKUP.items()})
    contract_items = contract_items.with_columns(
        pl.Series("markup", rng.uniform(low.to_numpy(), high.to_numpy()))
    ).drop("kind_group")
    # No published price story (a supplier change that tripled a price at named centres) is
    # replayed: invented prices must never read as a fact about a real establishment.
    monthly = (
        holder.join(items, how="cross")
        .join(contract_items, on=["contract_id", "item_id"])
        .with_columns(pl.col("month").dt.year().alias("year"))
    )
    index = monthly["year"].replace_strict(PRICE_INDEX)
    reference_cents = (monthly["reference_2019"] * index * 100).round(0).cast(pl.Int64)
    markup = (
        pl.when(
            pl.col("category").is_in(FIXED_PRICE_CATEGORIES)
            | pl.col("item_id").is_in(FIXED_PRICE_ITEMS)
        )
        .then(0.0)
        .otherwise(pl.col("markup"))
    )
    monthly = monthly.with_columns(reference_cents.alias("reference_cents")).with_columns(
        (pl.col("reference_cents") * (1 + markup)).round(0).cast(pl.Int64).alias("price_cents")
    )
    # A price period = consecutive months with the same contract, year and price.
    periods = (
        monthly.sort("item_id", "establishment_id", "month")
        .with_columns(
            (
                (pl.col("price_cents") != pl.col("price_cents").shift(1))
                | (pl.col("year") != pl.col("year").shift(1))
                | (pl.col("contract_id") != pl.col("contract_id").shift(1))
                | (pl.col("establishment_id") != pl.col("establishment_id").shift(1))
                | (pl.col("item_id") != pl.col("item_id").shift(1))
            )
            .fill_null(True)
            .cum_sum()
            .alias("period")
        )
        .group_by("period", maintain_order=True)
        .agg(
            pl.col("item_id").first(),
            pl.col("establishment_id").first(),
            pl.col("month").min().alias("valid_from"),
            pl.col("month").max().dt.month_end().alias("valid_to"),
            pl.col("price_cents").first(),
            pl.col("reference_cents").first(),
        )
    )
    prices = periods.select(
        "item_id",
        "establishment_id",
        "valid_from",
        "valid_to",
        cents("price_cents").alias("price_eur"),
        cents("reference_cents").alias("reference_price_eur"),
        *provenance(),
    ).sort("item_id", "establishment_id", "valid_from")
    sales = monthly.join(population, on=["establishment_id", "month"]).with_columns(
        (
            pl.col("detainees")
            * pl.col("budget")
            * pl.col("weight")
            * pl.col("year").replace_strict(PRICE_INDEX)
            / (pl.col("price_cents") / 100)
        )
        .round(0)
        .cast(pl.Int64)
        .alias("quantity")
    )
    sales = sales.filter(pl.col("quantity") > 0).with_columns(
        (pl.col("quantity") * pl.col("price_cents")).alias("amount_cents")
    )
    return prices, sales.select(
        "establishment_id", "month", "item_id", "quantity", "amount_cents", "contract_id"
    )


# ------------------------------------------------------------------ money


def revenue(covered: pl.DataFrame, population: pl.DataFrame, sales: pl.DataFrame) -> pl.DataFrame:
    """Contract revenue per contract x establishment x year (cents), 2019-2025."""
    in_years = covered.filter(pl.col("month").dt.year().is_in(YEARS))
    drivers = in_years.join(population, on=["establishment_id", "month"]).with_columns(
        pl.col("month").dt.year().alias("year")
    )
    per_detainee = pl.col("domain_id").replace_strict(PER_DETAINEE_YEAR, default=0.0)
    per_place = pl.col("domain_id").replace_strict(PER_PLACE_YEAR, default=0.0)
    monthly_eur = (
        (pl.col("detainees") * per_detainee + pl.col("capacity") * per_place)
        / 12
        * pl.col("year").replace_strict(INFLATION)
    )
    others = (
        drivers.filter(pl.col("domain_id") != "canteen")
        .group_by("contract_id", "establishment_id", "year")
        .agg((monthly_eur * 100).sum().round(0).cast(pl.Int64).alias("revenue_cents"))
    )
    canteen_revenue = (
        sales.with_columns(pl.col("month").dt.year().alias("year"))
        .filter(pl.col("year").is_in(YEARS))
        .group_by("contract_id", "establishment_id", "year")
        .agg(pl.col("amount_cents").sum().alias("revenue_cents"))
    )
    return (
        pl.concat([others, canteen_revenue])
        .filter(pl.col("revenue_cents") > 0)
        .sort("contract_id", "establishment_id", "year")
    )


def outcomes(
    rng: np.random.Generator,
    covered: pl.DataFrame,
    population: pl.DataFrame,
    sites: pl.DataFrame,
    revenue_rows: pl.DataFrame,
    kinds: dict,
) -> pl.DataFrame:
    """Outcomes per operator x establishment x domain x year, from the months each holder held."""
    held = (
        covered.filter(pl.col("month").dt.year().is_in(YEARS))
        .join(population, on=["establishment_id", "month"])
        .join(sites.select("establishment_id", "type_code"), on="establishment_id")
        .with_columns(pl.col("month").dt.year().alias("year"))
        .group_by("operator_id", "establishment_id", "domain_id", "year", "type_code")
        .agg((pl.col("detainees").sum() / 12).alias("detainee_years"))
        .sort("operator_id", "establishment_id", "domain_id", "year")
    )
    money = (
        revenue_rows.join(
            covered.select("contract_id", "operator_id", "domain_id").unique(), on="contract_id"
        )
        .group_by("operator_id", "establishment_id", "domain_id", "year")
        .agg(pl.col("revenue_cents").sum())
    )
    held = held.join(money, on=["operator_id", "establishment_id", "domain_id", "year"], how="left")
    held = held.with_columns(
        pl.col("revenue_cents").fill_null(0),
        pl.col("operator_id").replace_strict(kinds).alias("kind_group"),
    )
    n = held.height
    work_rate = held["type_code"].replace_strict(WORK_RATE).to_numpy()
    year_factor = held["year"].replace_strict(WORK_YEAR_FACTOR, default=1.0).to_numpy()
    split = held["domain_id"].replace_strict(EMPLOYMENT_SPLIT, default=0.0).to_numpy()
    detainee_years = held["detainee_years"].to_numpy()
    employed = np.round(
        detainee_years * work_rate * year_factor * split * rng.uniform(0.85, 1.15, n)
    )
    hours = np.round(employed * rng.uniform(600, 900, n))
    pay = np.where(held["domain_id"].to_numpy() == "prison_work", 0.45, SERVICE_PAY_SHARE)
    wages = np.round(hours * pay * held["year"].replace_strict(SMIC_HOURLY).to_numpy(), 2)
    is_ess = held["kind_group"].to_numpy() == "ess"
    is_training = held["domain_id"].to_numpy() == "vocational_training"
    trainees = np.where(is_training, detainee_years * rng.uniform(0.06, 0.10, n), 0)
    training_hours = np.round(trainees * rng.uniform(200, 400, n))
    certificates = np.round(trainees * 0.45 * np.where(is_ess, 0.62, 0.52))
    revenue_eur = held["revenue_cents"].to_numpy() / 100
    per_accompanied = np.select(
        [is_ess, held["kind_group"].to_numpy() == "for_profit"], [12_000, 60_000], default=np.inf
    )
    accompanied = np.round(revenue_eur / per_accompanied * np.where(is_training, 2, 1))
    secured = np.round(accompanied * np.where(is_ess, rng.uniform(0.3, 0.5, n), 0.25))
    is_family = held["domain_id"].to_numpy() == "family_reception"
    families = np.round(
        np.where(is_family, detainee_years * rng.uniform(0.6, 1.0, n), 0)
        + np.where(is_ess & ~is_family, revenue_eur / 40_000, 0)
    )
    values = {
        "detainees_employed": employed,
        "hours_worked": hours,
        "wages_paid": wages,
        "training_hours": training_hours,
        "certificates": certificates,
        "people_accompanied_release": accompanied,
        "families_supported": families,
        "jobs_or_housing_at_release": secured,
    }
    keys = held.select("operator_id", "establishment_id", "domain_id", "year")
    frames = [
        keys.with_columns(pl.lit(indicator).alias("indicator_id"), pl.Series("value", value))
        for indicator, value in values.items()
    ]
    return (
        pl.concat(frames)
        .filter(pl.col("value") > 0)
        .sort("operator_id", "establishment_id", "domain_id", "year", "indicator_id")
    )


def results(
    rng: np.random.Generator,
    revenue_rows: pl.DataFrame,
    contract_ops: pl.DataFrame,
    outcome_rows: pl.DataFrame,
    kinds: dict,
) -> pl.DataFrame:
    """Operator accounts per year: revenue = its contracts, wages = its wages_paid outcomes."""
    by_operator = (
        revenue_rows.join(contract_ops, on="contract_id")
        .group_by("operator_id", "year")
        .agg(pl.col("revenue_cents").sum())
    )
    wages = (
        outcome_rows.filter(pl.col("indicator_id") == "wages_paid")
        .with_columns((pl.col("value") * 100).round(0).cast(pl.Int64).alias("wages_cents"))
        .group_by("operator_id", "year")
        .agg(pl.col("wages_cents").sum())
    )
    accounts = (
        by_operator.join(wages, on=["operator_id", "year"], how="left")
        .with_columns(pl.col("wages_cents").fill_null(0))
        .sort("operator_id", "year")
    )
    group = accounts["operator_id"].replace_strict(kinds)
    low = group.replace_strict({k: v[0] for k, v in MARGIN.items()}).to_numpy()
    high = group.replace_strict({k: v[1] for k, v in MARGIN.items()}).to_numpy()
    margin = rng.uniform(low, high)
    revenue_cents = accounts["revenue_cents"].to_numpy()
    result = np.round(revenue_cents * margin).astype(np.int64)
    result = np.minimum(result, revenue_cents - accounts["wages_cents"].to_numpy())
    return accounts.with_columns(
        pl.Series("result_cents", np.maximum(result, 0)),
    ).with_columns((pl.col("revenue_cents") - pl.col("result_cents")).alias("costs_cents"))


# Loi 78-763 art. 33 (SCOP: >= 15 % legal reserve, >= 25 % to employees) and the SCIC rule
# (>= 57.5 % indivisible): shares below the floor are raised, the largest other share pays for it.
LEGAL_FLOORS = {
    "scop": {"indivisible_reserves": 0.15, "members_share": 0.25},
    "scic": {"indivisible_reserves": 0.575},
}


def legal_floors(kind: str, template: dict, weights: np.ndarray) -> np.ndarray:
    weights = weights.copy()
    names = list(template)
    for destination, floor in LEGAL_FLOORS.get(kind, {}).items():
        i = names.index(destination)
        missing = max(0.0, floor + 0.005 - weights[i])
        if missing:
            others = [j for j in range(len(names)) if j != i]
            donor = max(others, key=lambda j: weights[j])
            weights[i] += missing
            weights[donor] -= missing
    return weights


def reallocations(rng: np.random.Generator, accounts: pl.DataFrame, op_kind: dict) -> pl.DataFrame:
    """Each positive result split by destination, adding up exactly to the result (cents)."""
    rows = []
    for operator_id, year, result in accounts.select(
        "operator_id", "year", "result_cents"
    ).iter_rows():
        if result <= 0:
            continue
        template = SPLITS[op_kind[operator_id]]
        weights = legal_floors(
            op_kind[operator_id],
            template,
            rng.dirichlet(np.array(list(template.values()), dtype=float) * 20),
        )
        amounts = np.floor(weights * result).astype(np.int64)
        amounts[np.argmax(amounts)] += result - amounts.sum()
        rows += [
            (operator_id, year, destination, int(amount))
            for destination, amount in zip(template, amounts, strict=True)
            if amount > 0
        ]
    return pl.DataFrame(
        rows, schema=["operator_id", "year", "destination_id", "amount_cents"], orient="row"
    ).sort("operator_id", "year", "destination_id")


# ------------------------------------------------------------------ output


def cents(column: str) -> pl.Expr:
    """Integer cents as an exact decimal string with two digits."""
    c = pl.col(column)
    return pl.format("{}.{}", c // 100, (c % 100).cast(pl.String).str.zfill(2))


def provenance() -> list[pl.Expr]:
    return [pl.lit("illustrative").alias("provenance"), pl.lit(SOURCE).alias("source_id")]


def write(frame: pl.DataFrame, out: Path, name: str, started: float) -> None:
    frame.write_csv(out / f"{name}.csv", date_format="%Y-%m-%d")
    print(f"  {name + '.csv':<28} {frame.height:>9,} rows  {time.perf_counter() - started:5.1f} s")


def generate(out: Path = DEMO_DIR, seed: int = SEED) -> None:
    """Write every demo file into `out`. Same seed, same bytes."""
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    sites = reference.establishments()
    real = reference.population()
    modeled = population_modeled(real)
    write(modeled, out, "population_modeled", started)
    population = monthly_population(
        real.drop("provenance", "source_id"), modeled.drop("provenance", "source_id")
    )
    latest = population.filter(pl.col("month") == LAST_MONTH).select(
        "establishment_id", "detainees"
    )
    sites = sites.join(latest, on="establishment_id", how="left").with_columns(
        pl.col("detainees").fill_null(0)
    )
    kind_groups = dict(
        pl.read_csv(TAXONOMY_DIR / "operator_kind.csv").select("kind_id", "kind_group").iter_rows()
    )
    ops, members = operators(rng, sorted(sites["disp"].unique().to_list()))
    op_kind = dict(ops.select("operator_id", "kind_id").iter_rows())
    op_group = {o: kind_groups[k] for o, k in op_kind.items()}
    write(
        ops.select("operator_id", "name", "kind_id", "is_grouping", *provenance()),
        out,
        "operator",
        started,
    )
    write(members, out, "grouping_member", started)

    delegated = delegated_establishments(rng, sites)
    contract_rows, links = contracts(rng, ops, sites, delegated)
    contract_sites = links.join(contract_rows, on="contract_id")
    covered = coverage_months(contract_sites)
    prices, sales = canteen(rng, covered, population, op_group)
    revenue_rows = revenue(covered, population, sales)
    awarded = expected_award(rng, contract_rows, links, revenue_rows)
    kinds = payers_and_kinds(contract_rows, links, op_kind, delegated)
    write(
        contract_rows.join(awarded, on="contract_id")
        .join(kinds, on="contract_id")
        .select(
            "contract_id",
            "domain_id",
            "operator_id",
            "lot",
            "start_date",
            "end_date",
            cents("awarded_cents").alias("awarded_value_eur"),
            "payer_id",
            "contract_kind_id",
            *provenance(),
        ),
        out,
        "contract",
        started,
    )
    write(links, out, "contract_establishment", started)
    write(
        management(sites, delegated, contract_rows, links, kinds).with_columns(*provenance()),
        out,
        "establishment_management",
        started,
    )
    write(
        revenue_rows.select(
            "contract_id",
            "establishment_id",
            "year",
            cents("revenue_cents").alias("revenue_eur"),
            *provenance(),
        ),
        out,
        "contract_revenue",
        started,
    )
    outcome_rows = outcomes(rng, covered, population, sites, revenue_rows, op_group)
    accounts = results(
        rng,
        revenue_rows,
        contract_rows.select("contract_id", "operator_id"),
        outcome_rows,
        op_group,
    ).filter(pl.col("operator_id").replace_strict(op_kind) != "public_regie")
    # Public management (régie) has a cost, not a result: no accounts, nothing reallocated.
    write(
        accounts.select(
            "operator_id",
            "year",
            cents("revenue_cents").alias("revenue_eur"),
            cents("costs_cents").alias("costs_eur"),
            cents("wages_cents").alias("detainee_wages_eur"),
            cents("result_cents").alias("result_eur"),
            *provenance(),
        ),
        out,
        "operator_result",
        started,
    )
    realloc = reallocations(rng, accounts, op_kind)
    write(
        realloc.select(
            "operator_id",
            "year",
            "destination_id",
            cents("amount_cents").alias("amount_eur"),
            *provenance(),
        ),
        out,
        "reallocation",
        started,
    )
    write(
        outcome_rows.with_columns(
            pl.when(pl.col("indicator_id") == "wages_paid")
            .then(pl.col("value").round(2))
            .otherwise(pl.col("value"))
        ).select(
            "operator_id",
            "establishment_id",
            "domain_id",
            "year",
            "indicator_id",
            "value",
            *provenance(),
        ),
        out,
        "outcome",
        started,
    )
    write(prices, out, "canteen_price", started)
    write(
        sales.sort("establishment_id", "month", "item_id").select(
            "establishment_id",
            pl.col("month").alias("sale_date"),
            "item_id",
            "quantity",
            cents("amount_cents").alias("amount_eur"),
            *provenance(),
        ),
        out,
        "canteen_sale",
        started,
    )
    network = demo_associations.generate(sites, seed)
    for table, frame in network.items():
        write(frame, out, table, started)
    linked = demo_operator_links.generate(ops, contract_sites, realloc, network, seed)
    for table, frame in linked.items():
        write(frame, out, table, started)


def expected_award(
    rng: np.random.Generator,
    contract_rows: pl.DataFrame,
    links: pl.DataFrame,
    revenue_rows: pl.DataFrame,
) -> pl.DataFrame:
    """Awarded value ~ the revenue expected over the whole period (within +-15 %)."""
    yearly = revenue_rows.group_by("contract_id").agg(
        (pl.col("revenue_cents").sum() / pl.col("year").n_unique()).alias("per_year")
    )
    frame = contract_rows.join(yearly, on="contract_id", how="left").with_columns(
        pl.col("per_year").fill_null(0.0),
        ((pl.col("end_date") - pl.col("start_date")).dt.total_days() / 365.25).alias("years"),
    )
    noise = rng.uniform(0.85, 1.15, frame.height)
    return frame.select(
        "contract_id",
        (pl.col("per_year") * pl.col("years") * pl.Series(noise))
        .round(0)
        .cast(pl.Int64)
        .alias("awarded_cents"),
    )


def generate_scale(rows: int, out: Path, seed: int = SEED) -> Path:
    """canteen_sale.parquet with at least `rows` order lines, spread over the days of each month.

    Each monthly line of the demo set is split into k daily order lines (k chosen to reach `rows`),
    so monthly totals are those of the demo set. Written year by year to bound memory.
    """
    import pyarrow.parquet as pq

    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    monthly_path = DEMO_DIR / "canteen_sale.csv"
    if not monthly_path.exists():
        generate(DEMO_DIR, seed)
    monthly = pl.read_csv(
        monthly_path, schema_overrides={"amount_eur": pl.Float64}, try_parse_dates=True
    )
    split = int(np.ceil(rows / monthly.height))
    target = out / "canteen_sale.parquet"
    writer = None
    written = 0
    for year in sorted(monthly["sale_date"].dt.year().unique().to_list()):
        part = monthly.filter(pl.col("sale_date").dt.year() == year)
        lines = (
            part.join(pl.DataFrame({"line": list(range(split))}), how="cross")
            .with_columns(
                (pl.col("sale_date") + pl.duration(days=pl.col("line") % 28)).alias("sale_date"),
                (pl.col("quantity") // split + (pl.col("line") < pl.col("quantity") % split))
                .cast(pl.Int32)
                .alias("quantity"),
                (pl.col("amount_eur") / split).round(2).alias("amount_eur"),
            )
            .drop("line")
            .sort("sale_date")
        )
        table = lines.to_arrow()
        if writer is None:
            writer = pq.ParquetWriter(target, table.schema)
        writer.write_table(table)
        written += lines.height
    if writer is not None:
        writer.close()
    print(f"  canteen_sale.parquet {written:,} rows in {time.perf_counter() - started:.1f} s")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--scale", type=int, default=None, help="rows of canteen_sale.parquet")
    args = parser.parse_args(argv)
    if args.scale:
        generate_scale(args.scale, args.out or Path("bench/data"), args.seed)
    else:
        print(f"Generating the demo data set (seed {args.seed})")
        generate(args.out or DEMO_DIR, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
