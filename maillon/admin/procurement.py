"""Open data into the database: the prison administration's published contracts (DECP, read by
maillon.admin.decp) and the company register's word on their holders (SIRENE, read by
maillon.admin.sirene), as the new content of the tables they touch, merged with the data in
service. maillon.admin.importer checks and publishes it like any other import.

- DECP: one source per file (real); each holder becomes an operator (`siren_<SIREN>`, else one
  built from its published identifier), of kind `unknown` until the register classifies it, and
  several holders a grouping whose lead is the first; contracts already imported are replaced
  (same buyer and id), others kept; the contract is tied to the establishments its buyer or place
  names (maillon.admin.decp_places), none otherwise.
- SIRENE: the holders found get the register's name, legal form and kind; a grouping takes its
  lead's kind; holders not found keep theirs (`unknown` until classified) and are counted.

maillon.admin.open_data reads the files, checks these tables and holds the command line.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from maillon.admin.decp import DecpRead, locate
from maillon.admin.sirene import SireneRead
from maillon.data.queries import READ_ONLY_CONFIG
from maillon.i18n import date_text

DECP_TABLES = (
    "source",
    "operator",
    "grouping_member",
    "procurement_contract",
    "procurement_holder",
    "procurement_establishment",
)
SIRENE_TABLES = ("source", "operator", "operator_register")
DECP_URL = (
    "https://www.data.gouv.fr/fr/datasets/"
    "donnees-essentielles-de-la-commande-publique-fichiers-consolides/"
)
# The data set's own name, in every language: a citation keeps the original title.
DECP_PUBLISHER = "data.gouv.fr, données essentielles de la commande publique"
SIRENE_URL = (
    "https://www.data.gouv.fr/fr/datasets/"
    "base-sirene-des-entreprises-et-de-leurs-etablissements-siren-siret/"
)


def _slug(text: str, width: int = 48) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:width] or "x"


def current_rows(db: Path, tables: tuple[str, ...]) -> dict[str, pl.DataFrame]:
    """The rows of `tables` in the version in service."""
    # configured as the app's own connection: DuckDB refuses a second one set otherwise
    with duckdb.connect(str(db.resolve()), read_only=True, config=READ_ONLY_CONFIG) as con:
        return {table: con.sql(f'SELECT * FROM "{table}"').pl() for table in tables}


def _merge(current: pl.DataFrame, new: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """`current` with the rows of `new` added, a row of `new` replacing the one with its key."""
    new = new.select(current.columns).cast(current.schema)
    return pl.concat([current.join(new, on=key, how="anti"), new])


# ---------------------------------------------------------------- DECP


def decp_source_id(file_name: str) -> str:
    return f"decp_{_slug(Path(file_name).stem)}"


def _decp_sources(read: DecpRead, contracts: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """One real source per file read that kept contracts, described from all the contracts that
    cite it once merged (a file imported again may keep fewer of them than the first time)."""
    rows = []
    for file_name in read.contracts["file_name"].unique(maintain_order=True).to_list():
        source_id = decp_source_id(file_name)
        cited = contracts.filter(pl.col("source_id") == source_id)
        platforms = sorted({p for p in cited["platform"].to_list() if p})
        file_date = read.contracts.filter(pl.col("file_name") == file_name)["file_date"].max()
        first, last = cited["notified_on"].min(), cited["notified_on"].max()
        notified = f"du {date_text(first, 'fr')} au {date_text(last, 'fr')}"  # a French note
        listed = ", ".join(platforms)
        rows.append(
            {
                "source_id": source_id,
                "title": f"DECP : {file_name}",
                "publisher": DECP_PUBLISHER + (f" (plateformes : {listed})" if platforms else ""),
                "title_en": f"DECP: {file_name}",
                "publisher_en": DECP_PUBLISHER + (f" (platforms: {listed})" if platforms else ""),
                "url": DECP_URL,
                "licence": "Licence Ouverte 2.0 (Etalab)",
                "licence_en": "Etalab Open Licence 2.0",
                "provenance": "real",
                "data_date": file_date.isoformat() if file_date else f"{first} to {last}",
                "note": "Montants notifiés (maximum ou estimation hors taxes à la notification), "
                "pas l'argent versé ni un chiffre d'affaires ; marchés de 40 000 € ou plus "
                f"seulement ; notifications {notified}.",
            }
        )
    return pl.DataFrame(rows, schema=schema)


def _holder_operator_ids(holders: pl.DataFrame) -> pl.DataFrame:
    """Each holder with its operator id: by SIREN when it has one (the register's key), else by
    its published identifier, else by its name."""
    published = pl.concat_str(
        pl.col("id_type").fill_null(""), pl.lit("_"), pl.col("holder_id"), ignore_nulls=True
    )
    fallback = pl.when(pl.col("holder_id").is_not_null()).then(published).otherwise(pl.col("name"))
    return holders.with_columns(
        pl.when(pl.col("siren").is_not_null())
        .then(pl.concat_str(pl.lit("siren_"), pl.col("siren")))
        .otherwise(
            pl.concat_str(
                pl.lit("decp_"),
                fallback.fill_null("").map_elements(_slug, return_dtype=pl.String),
            )
        )
        .alias("operator_id")
    )


def _grouping_id(members: list[str]) -> str:
    return "grp_" + hashlib.sha1("|".join(members).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class DecpTables:
    frames: dict[str, pl.DataFrame]  # the new content of each table of DECP_TABLES
    located: int  # contracts tied to an establishment
    not_located: pl.DataFrame  # procurement_id, buyer_name, object, why (not)


def decp_tables(read: DecpRead, db: Path) -> DecpTables:
    """The new content of DECP_TABLES once the contracts of `read` are in."""
    current = current_rows(db, DECP_TABLES)
    contracts = read.contracts.with_columns(
        pl.col("contract_key").alias("procurement_id"),
        pl.col("file_name").map_elements(decp_source_id, return_dtype=pl.String).alias("source_id"),
    )
    holders = _holder_operator_ids(read.holders).join(
        contracts.select(pl.col("contract_key"), "source_id"), on="contract_key"
    )
    known = current["operator"]
    names = dict(known.select("operator_id", "name").iter_rows())
    kinds = dict(known.select("operator_id", "kind_id").iter_rows())
    new_operators, members, holder_of = [], [], {}
    for row in holders.unique("operator_id", keep="first").iter_rows(named=True):
        names.setdefault(row["operator_id"], row["name"] or f"{row['id_type']} {row['holder_id']}")
        if row["operator_id"] not in kinds:
            kinds[row["operator_id"]] = "unknown"
            new_operators.append((row["operator_id"], False, row["source_id"]))
    for (key,), rows in holders.sort("position").group_by("contract_key", maintain_order=True):
        ids = list(dict.fromkeys(rows["operator_id"].to_list()))  # a holder listed twice once
        if len(ids) == 1:
            holder_of[key] = ids[0]
            continue
        grouping = _grouping_id(ids)
        holder_of[key] = grouping
        if grouping not in kinds:
            names[grouping] = f"Groupement {names[ids[0]]} (+{len(ids) - 1})"
            kinds[grouping] = kinds[ids[0]]
            new_operators.append((grouping, True, rows["source_id"][0]))
            members += [(grouping, m, "lead" if i == 0 else "member") for i, m in enumerate(ids)]
    operators = pl.DataFrame(
        [
            {
                "operator_id": op,
                "name": names[op],
                "kind_id": kinds[op],
                "is_grouping": grouping,
                "provenance": "real",
                "source_id": source,
            }
            for op, grouping, source in new_operators
        ],
        schema=known.schema,
    )
    grouping_members = pl.DataFrame(
        members, schema=["grouping_id", "member_id", "role"], orient="row"
    )
    contract_rows = contracts.with_columns(
        pl.col("contract_key").replace_strict(holder_of).alias("operator_id"),
        pl.col("uid").alias("decp_uid"),
        pl.col("amount_eur").alias("amount_notified_eur"),
        pl.col("duration_months").round(0).cast(pl.Int32),
        pl.lit("real").alias("provenance"),
    )
    # A contract published again in a format that omits them (the 2022 one has no names) keeps
    # the buyer's name and the object it had.
    earlier = current["procurement_contract"].select(
        pl.col("procurement_id").alias("contract_key"),
        pl.col("buyer_name").alias("earlier_buyer_name"),
        pl.col("object").alias("earlier_object"),
    )
    contract_rows = (
        contract_rows.join(earlier, on="contract_key", how="left")
        .with_columns(
            pl.coalesce("buyer_name", "earlier_buyer_name").alias("buyer_name"),
            pl.coalesce("object", "earlier_object").alias("object"),
        )
        .drop("earlier_buyer_name", "earlier_object")
    )
    establishments = current_rows(db, ("establishment",))["establishment"]
    placed = locate(contract_rows, establishments).rename({"contract_key": "procurement_id"})
    links = placed.filter(pl.col("establishment_id").is_not_null())
    holder_rows = holders.rename(
        {"contract_key": "procurement_id", "name": "name_published"}
    ).select(
        "procurement_id",
        "position",
        "operator_id",
        "id_type",
        "holder_id",
        "siren",
        "name_published",
    )
    replaced = contract_rows.select("procurement_id")
    merged_contracts = _merge(current["procurement_contract"], contract_rows, ["procurement_id"])
    sources = _decp_sources(read, merged_contracts, current["source"].schema)
    frames = {
        "source": _merge(current["source"], sources, ["source_id"]),
        "operator": _merge(known, operators, ["operator_id"]),
        "grouping_member": _merge(
            current["grouping_member"], grouping_members, ["grouping_id", "member_id"]
        ),
        "procurement_contract": merged_contracts,
        "procurement_holder": pl.concat(
            [
                current["procurement_holder"].join(replaced, on="procurement_id", how="anti"),
                holder_rows.cast(current["procurement_holder"].schema),
            ]
        ),
        "procurement_establishment": pl.concat(
            [
                current["procurement_establishment"].join(
                    replaced, on="procurement_id", how="anti"
                ),
                links.select(current["procurement_establishment"].columns).cast(
                    current["procurement_establishment"].schema
                ),
            ]
        ),
    }
    not_located = placed.filter(pl.col("establishment_id").is_null()).join(
        contract_rows.select("procurement_id", "buyer_name", "object"), on="procurement_id"
    )
    return DecpTables(frames, links["procurement_id"].n_unique(), not_located)


# ---------------------------------------------------------------- SIRENE


def wanted_sirens(db: Path) -> list[str]:
    """The SIRENs of the published contracts' holders: the only rows read from the register."""
    holders = current_rows(db, ("procurement_holder",))["procurement_holder"]
    return sorted(holders["siren"].drop_nulls().unique().to_list())


def sirene_source_id(file_name: str) -> str:
    return f"sirene_{_slug(Path(file_name).stem)}"


@dataclass(frozen=True)
class SireneTables:
    frames: dict[str, pl.DataFrame]  # the new content of each table of SIRENE_TABLES
    classified: int  # holders found in the register
    not_found: list[str]  # SIRENs of holders the file does not hold


def sirene_tables(
    read: SireneRead, file_name: str, file_date: date | None, db: Path
) -> SireneTables:
    """The new content of SIRENE_TABLES once the register's rows of `read` are in."""
    current = current_rows(db, (*SIRENE_TABLES, "procurement_holder", "grouping_member"))
    source_id = sirene_source_id(file_name)
    source = pl.DataFrame(
        [
            {
                "source_id": source_id,
                "title": f"Base Sirene des entreprises, unités légales : {file_name}",
                "publisher": "Insee, répertoire SIRENE (StockUniteLegale)",
                "title_en": f"Sirene company register, legal units: {file_name}",
                "publisher_en": None,  # the register's own name
                "url": SIRENE_URL,
                "licence": "Licence Ouverte 2.0 (Etalab)",
                "licence_en": "Etalab Open Licence 2.0",
                "provenance": "real",
                "data_date": file_date.isoformat() if file_date else None,
                "note": "Forme juridique, indicateur ESS et état des titulaires de marchés ; "
                "la nature d'opérateur en est déduite (data/taxonomy/legal_form_kind.csv).",
            }
        ]
    )
    holders = current["procurement_holder"].select("operator_id", "siren").drop_nulls().unique()
    units = read.units.join(holders, on="siren")
    register = units.select(
        "operator_id",
        "siren",
        "legal_form_code",
        "legal_form_label",
        "ess_flag",
        (pl.col("state") == "active").alias("is_active"),
        "created_on",
        "activity_code",
        pl.lit(source_id).alias("source_id"),
    )
    operators = current["operator"]
    classified = operators.join(units.select("operator_id", "name", "kind_id"), on="operator_id")
    updated = classified.select(
        "operator_id",
        pl.coalesce("name_right", "name").alias("name"),  # a unit may have no name at all
        pl.col("kind_id_right").alias("kind_id"),
        "is_grouping",
        pl.lit("real").alias("provenance"),
        pl.lit(source_id).alias("source_id"),
    )
    merged = _merge(operators, updated, ["operator_id"])
    # a grouping takes its lead's kind, as the schema says
    lead_kind = (
        current["grouping_member"]
        .filter(pl.col("role") == "lead")
        .join(merged.select(pl.col("operator_id").alias("member_id"), "kind_id"), on="member_id")
        .select(pl.col("grouping_id").alias("operator_id"), pl.col("kind_id").alias("lead_kind"))
    )
    merged = (
        merged.join(lead_kind, on="operator_id", how="left")
        .with_columns(pl.coalesce("lead_kind", "kind_id").alias("kind_id"))
        .drop("lead_kind")
    )
    frames = {
        "source": _merge(current["source"], source, ["source_id"]),
        "operator": merged,
        "operator_register": _merge(current["operator_register"], register, ["operator_id"]),
    }
    return SireneTables(frames, units["operator_id"].n_unique(), list(read.not_found))
