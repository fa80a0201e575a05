"""The consolidated flat DECP table (CSV or Parquet) as records: one row per contract x holder x
version, as republished by consolidation projects (columns uid, id, acheteur_id, acheteur_nom,
titulaire_id, titulaire_typeIdentifiant, titulaire_nom, objet, montant, codeCPV, dureeMois,
dateNotification, modification_id, donneesActuelles, sourceDataset...). Every column is read as
text, so identifiers keep their leading zeros.

A contract is its uid (else its buyer and id); its version 0 is the contract as notified, each
later modification_id its whole state after a modification (the row's dateNotification is then
the modification's date). A table without modification_id is read as one version per contract.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import polars as pl

from maillon.admin.decp_records import Change, DecpError, Holder, Record
from maillon.admin.decp_rules import siret, text

FLAT_COLUMNS = ("id", "acheteur_id", "titulaire_id", "montant", "codeCPV", "dateNotification")


def text_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """Every column as text, as a CSV would give it; a list of texts joined by '; '."""
    columns = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.List) and dtype.inner == pl.String:
            columns.append(column.list.join("; "))
        elif dtype.is_nested():
            columns.append(column.map_elements(_json_text, return_dtype=pl.String))
        else:
            columns.append(column.cast(pl.String))
    return frame.select(columns)


def _json_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def csv_frame(name: str, content: str, inside: str) -> pl.DataFrame:
    first_line = content.lstrip().split("\n", 1)[0]
    separator = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return pl.read_csv(
            io.StringIO(content),
            separator=separator,
            infer_schema=False,
            truncate_ragged_lines=True,
        )
    except (pl.exceptions.PolarsError, ValueError) as exc:
        raise DecpError(
            name, "unreadable_table", f"{inside} {type(exc).__name__}".strip()
        ) from None


def flat_records(name: str, frame: pl.DataFrame, is_prison_buyer: Callable) -> list[Record]:
    """One record per contract (its uid, else its buyer and id), numbered by its first row (the
    header is not counted)."""
    missing = [c for c in FLAT_COLUMNS if c not in frame.columns]
    if missing:
        raise DecpError(name, "not_decp_table", f"Missing: {', '.join(missing)}.")
    blank = pl.lit(None, pl.String)
    frame = frame.with_columns(
        *(
            blank.alias(c)
            for c in ("uid", "acheteur_nom", "modification_id")
            if c not in frame.columns
        )
    ).with_row_index("_row", offset=1)
    uid_text, id_text = pl.col("uid").str.strip_chars(), pl.col("id").str.strip_chars()
    frame = frame.with_columns(  # a row with neither uid nor id is a contract of its own
        pl.when(uid_text != "")
        .then("u|" + uid_text)
        .when(id_text != "")
        .then("b|" + pl.col("acheteur_id").fill_null("") + "|" + id_text)
        .otherwise("r|" + pl.col("_row").cast(pl.String))
        .alias("_key")
    )
    identity = ("uid", "id", "acheteur_id", "acheteur_nom")
    firsts = (
        frame.group_by("_key", maintain_order=True)
        .agg(pl.col("_row", *identity).first())
        .with_columns(  # as text() would, for many rows at once
            pl.when(pl.col(c).str.strip_chars() != "").then(pl.col(c).str.strip_chars()).alias(c)
            for c in identity
        )
    )
    buyers = firsts.select("acheteur_id", "acheteur_nom").unique()
    recognised = [  # each buyer once: a national table repeats them
        is_prison_buyer(siret(buyer_id), buyer_name) for buyer_id, buyer_name in buyers.iter_rows()
    ]
    firsts = firsts.join(
        buyers.with_columns(pl.Series("_prison", recognised, dtype=pl.Boolean)),
        on=["acheteur_id", "acheteur_nom"],
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )
    prison = firsts.filter("_prison")["_key"]
    rows_by_key: dict[str, list[dict]] = {}
    for row in frame.filter(pl.col("_key").is_in(prison.implode())).iter_rows(named=True):
        rows_by_key.setdefault(row["_key"], []).append(row)
    records = []
    for key, number, uid, decp_id, buyer_id, buyer_name, _ in firsts.iter_rows():
        rows = rows_by_key.get(key)
        if rows is None:  # dropped for its buyer: only what the report needs
            records.append(
                Record(
                    name, number, uid=uid, decp_id=decp_id, buyer_id=buyer_id, buyer_name=buyer_name
                )
            )
        else:
            records.append(_flat_record(name, rows))
    return records


def _flat_record(name: str, rows: list[dict]) -> Record:
    """The rows of one contract: version 0 is the contract as notified, each later version
    (modification_id) its state after a modification, one row per holder."""
    versions: dict[int, list[dict]] = {}
    for row in rows:
        versions.setdefault(_version(row["modification_id"]), []).append(row)
    order = sorted(versions)
    first = versions[order[0]][0]

    def holders(version_rows: list[dict]) -> list[Holder]:
        return [
            Holder(
                text(r.get("titulaire_typeIdentifiant")),
                text(r["titulaire_id"]),
                text(r.get("titulaire_nom")),
            )
            for r in version_rows
        ]

    changes = [
        Change(
            position,
            date=versions[v][0]["dateNotification"],
            amount=versions[v][0]["montant"],
            duration=versions[v][0].get("dureeMois"),
            holders=holders(versions[v]),
        )
        for position, v in enumerate(order[1:], 1)
    ]
    kind = (text(first.get("type")) or text(first.get("_type")) or "").lower()
    return Record(
        name,
        first["_row"],
        record_type="concession" if "concession" in kind else "market",
        uid=text(first["uid"]),
        decp_id=text(first["id"]),
        nature=text(first.get("nature")),
        buyer_id=text(first["acheteur_id"]),
        buyer_name=text(first["acheteur_nom"]),
        object=text(first.get("objet")),
        cpv=first["codeCPV"],
        procedure=text(first.get("procedure")),
        place_code=text(first.get("lieuExecution_code")),
        place_type=text(first.get("lieuExecution_typeCode")),
        place_name=text(first.get("lieuExecution_nom")),
        notified=first["dateNotification"],
        duration=first.get("dureeMois"),
        amount=first["montant"],
        holders=holders(versions[order[0]]),
        changes=changes,
        social_considerations=text(first.get("considerationsSociales")),
        platform=text(first.get("sourceDataset")) or text(first.get("source")),
    )


def _version(value: object) -> int:
    """modification_id as a number; 0 (the contract as notified) when missing or not a number."""
    written = text(value)
    try:
        return int(float(written)) if written else 0
    except ValueError:
        return 0
