"""Demo institutions and their conventions with associations and collectives (illustrative).

The prison administration's own bodies carry their public names (the DAP, each DISP, some of the
real establishments and SPIP, a ministry); the local authorities and foundations are invented, and
so is every convention: object, dates, amounts and renewal state. It draws from its own seeded
generator so that adding it left every other demo file unchanged.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl

INSTITUTION_SEED = 7007
CONVENTION_COUNT = 52
# The demo set describes the situation at this date: states are as known then.
STATE_DATE = date(2026, 7, 1)
FIRST_RENEWAL = date(2025, 6, 1)
LAST_RENEWAL = date(2028, 9, 30)
NOTICE_MONTHS = 3  # the renewal is decided this many months before the convention ends
DISP_NAMES = {
    "DISP BORDEAUX": "Direction interrégionale des services pénitentiaires de Bordeaux",
    "DISP DIJON": "Direction interrégionale des services pénitentiaires de Dijon",
    "DISP LILLE": "Direction interrégionale des services pénitentiaires de Lille",
    "DISP LYON": "Direction interrégionale des services pénitentiaires de Lyon",
    "DISP MARSEILLE": "Direction interrégionale des services pénitentiaires de Marseille",
    "DISP PARIS": "Direction interrégionale des services pénitentiaires de Paris",
    "DISP RENNES": "Direction interrégionale des services pénitentiaires de Rennes",
    "DISP STRASBOURG": "Direction interrégionale des services pénitentiaires de Strasbourg",
    "DISP TOULOUSE": "Direction interrégionale des services pénitentiaires de Toulouse",
    "MOM": "Mission des services pénitentiaires de l'outre-mer",
}
ESTABLISHMENT_COUNT = 8
SPIP_COUNT = 6
# Invented local authorities and foundations: no real one is given an invented convention.
INVENTED = [
    ("local_authority", "Région Orvane-Littoral"),
    ("local_authority", "Département de Brumeval"),
    ("foundation", "Fondation Kerlivo pour la réinsertion"),
    ("foundation", "Fondation des Rives Claires"),
]
ROLES = {
    "dap": ["directeur de l'administration pénitentiaire", "sous-directeur de l'insertion"],
    "disp": ["directeur interrégional", "directeur interrégional adjoint"],
    "establishment": ["chef d'établissement"],
    "spip": ["directeur fonctionnel du SPIP"],
    "ministry": ["secrétaire général du ministère"],
    "local_authority": ["président du conseil régional"],
    "foundation": ["président de la fondation", "délégué général de la fondation"],
}
# (object, funded) by kind of institution.
OBJECTS = {
    "dap": [
        ("Subvention nationale de fonctionnement", True),
        ("Convention nationale d'intervention en détention", False),
    ],
    "disp": [
        ("Financement d'actions de préparation à la sortie", True),
        ("Accès des bénévoles aux établissements de la direction", False),
    ],
    "establishment": [
        ("Accueil des familles aux parloirs", False),
        ("Ateliers culturels en détention", True),
        ("Soutien scolaire des personnes détenues", False),
    ],
    "spip": [
        ("Accompagnement à la sortie des personnes suivies", True),
        ("Hébergement d'urgence à la sortie", True),
    ],
    "ministry": [("Programme culture et justice : ateliers artistiques", True)],
    "local_authority": [
        ("Insertion professionnelle des sortants", True),
        ("Aide au logement à la sortie", True),
    ],
    "foundation": [
        ("Soutien à la maison d'accueil des familles", True),
        ("Projet d'insertion par l'emploi", True),
    ],
}


def institutions(rng: np.random.Generator, sites: pl.DataFrame) -> pl.DataFrame:
    ordered = sites.sort("establishment_id")
    rows = [
        {"kind": "dap", "name": "Direction de l'administration pénitentiaire", "disp": None},
        *[{"kind": "disp", "name": DISP_NAMES[d], "disp": d} for d in sorted(DISP_NAMES)],
    ]
    picked = rng.choice(ordered.height, ESTABLISHMENT_COUNT, replace=False)
    for index in sorted(int(i) for i in picked):
        site = ordered.row(index, named=True)
        rows.append(
            {
                "kind": "establishment",
                "name": site["name"],
                "establishment_id": site["establishment_id"],
                "disp": site["disp"],
            }
        )
    departements = (
        ordered.filter(~pl.col("is_overseas"))
        .unique("departement_code", keep="first")
        .sort("departement_code")
    )
    for index in sorted(int(i) for i in rng.choice(departements.height, SPIP_COUNT, False)):
        site = departements.row(index, named=True)
        rows.append(
            {"kind": "spip", "name": f"SPIP {site['departement_name']}", "disp": site["disp"]}
        )
    rows.append({"kind": "ministry", "name": "Ministère de la Culture", "disp": None})
    rows += [{"kind": kind, "name": name, "disp": None} for kind, name in INVENTED]
    return pl.DataFrame(
        [
            {
                "institution_id": f"in_{index + 1:03d}",
                "kind": row["kind"],
                "name": row["name"],
                "establishment_id": row.get("establishment_id"),
                "disp": row["disp"],
            }
            for index, row in enumerate(rows)
        ],
        schema_overrides={"establishment_id": pl.String, "disp": pl.String},
    )


def _role(rng: np.random.Generator, place: dict) -> str:
    """The signatory's role for the institution (a département's is its council's president)."""
    if place["name"].startswith("Département"):
        return "président du conseil départemental"
    return str(rng.choice(ROLES[place["kind"]]))


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def _state(rng: np.random.Generator, renewal_on: date, valid_to: date) -> str:
    """The renewal state as known at STATE_DATE."""
    if renewal_on >= STATE_DATE:
        near = renewal_on < _add_months(STATE_DATE, 6)
        return "renewal_in_progress" if near and rng.random() < 0.4 else "in_force"
    if valid_to >= STATE_DATE:  # due, not ended yet
        return str(rng.choice(["renewal_in_progress", "in_force"]))
    return str(rng.choice(["renewed", "lapsed", "renewal_in_progress"], p=[0.6, 0.25, 0.15]))


def _holder(
    rng: np.random.Generator,
    disp: str | None,
    assocs: pl.DataFrame,
    in_disp: dict[str, list[str]],
    collective_ids: list[str],
) -> tuple[str | None, str | None]:
    """(association_id, collective_id): a collective one time in five, else an association
    working in the institution's DISP (a national one for a national institution)."""
    if rng.random() < 0.2:
        return None, str(rng.choice(collective_ids))
    if disp and in_disp.get(disp):
        return str(rng.choice(in_disp[disp])), None
    national = assocs.filter(pl.col("scope") == "national")["association_id"].to_list()
    return str(rng.choice(national)), None


def conventions(
    rng: np.random.Generator,
    places: pl.DataFrame,
    assocs: pl.DataFrame,
    present: pl.DataFrame,
    collective_ids: list[str],
    sites: pl.DataFrame,
) -> pl.DataFrame:
    disp_of = dict(sites.select("establishment_id", "disp").iter_rows())
    in_disp: dict[str, list[str]] = {}
    for association_id, site in (
        present.select("association_id", "establishment_id").unique(maintain_order=True).iter_rows()
    ):
        in_disp.setdefault(disp_of[site], []).append(association_id)
    in_disp = {d: sorted(set(ids)) for d, ids in in_disp.items()}
    span = (LAST_RENEWAL - FIRST_RENEWAL).days
    rows = []
    for index in range(CONVENTION_COUNT):
        place = places.row(int(rng.integers(places.height)), named=True)
        renewal_on = FIRST_RENEWAL + timedelta(days=int(rng.integers(0, span + 1)))
        valid_to = _add_months(renewal_on, NOTICE_MONTHS + 1) - timedelta(days=1)
        # long enough to have started by STATE_DATE
        shortest = max(1, -(-(valid_to - STATE_DATE).days // 365))
        years = int(rng.integers(shortest, max(shortest, 4) + 1))
        valid_from = _add_months(valid_to + timedelta(days=1), -12 * years)
        signed_on = valid_from - timedelta(days=int(rng.integers(7, 75)))
        object_, funded = OBJECTS[place["kind"]][int(rng.integers(len(OBJECTS[place["kind"]])))]
        amount = round(float(rng.uniform(3, 120)) * 1000 * years, -2) if funded else None
        association_id, collective_id = _holder(rng, place["disp"], assocs, in_disp, collective_ids)
        rows.append(
            {
                "convention_id": f"ic_{index + 1:03d}",
                "association_id": association_id,
                "collective_id": collective_id,
                "institution_id": place["institution_id"],
                "object": object_,
                "signatory_role": _role(rng, place),
                "signed_on": signed_on,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "renewal_on": renewal_on,
                "amount_eur": amount,
                "renewal_state": _state(rng, renewal_on, valid_to),
            }
        )
    # The first: a national association's national funding, not renewed.
    dap = places.filter(pl.col("kind") == "dap").row(0, named=True)
    rows[0] |= {
        "association_id": assocs.filter(pl.col("scope") == "national")["association_id"][0],
        "collective_id": None,
        "institution_id": dap["institution_id"],
        "object": OBJECTS["dap"][0][0],
        "signatory_role": ROLES["dap"][0],
        "signed_on": date(2022, 12, 5),
        "valid_from": date(2023, 1, 1),
        "valid_to": date(2025, 12, 31),
        "renewal_on": date(2025, 9, 30),
        "amount_eur": 180000.0,
        "renewal_state": "lapsed",
    }
    return pl.DataFrame(
        rows,
        schema_overrides={
            "association_id": pl.String,
            "collective_id": pl.String,
            "amount_eur": pl.Float64,
        },
    )


def generate(
    sites: pl.DataFrame,
    seed: int,
    assocs: pl.DataFrame,
    present: pl.DataFrame,
    collective_ids: list[str],
) -> dict[str, pl.DataFrame]:
    """The institution tables, keyed by table name, in schema column order (without provenance)."""
    rng = np.random.default_rng([seed, INSTITUTION_SEED])
    places = institutions(rng, sites)
    return {
        "institution": places,
        "institution_convention": conventions(rng, places, assocs, present, collective_ids, sites),
    }
