"""The DECP reader: keeps the prison administration's contracts from French public-procurement
files (données essentielles de la commande publique), whatever their format, and says why every
other record was left out.

    read_decp(files)            -> DecpRead: contracts, holders, dropped records, counts
    locate(contracts, establishments)  (maillon.admin.decp_places)

A record is judged in this order, and dropped at the first reason that applies, so that a town's
record with a bad date counts as not_prison_buyer: can its buyer be read (unreadable_record), is
the buyer the prison administration (not_prison_buyer), has it an id (unreadable_record), is its
CPV code in a service domain (out_of_scope_cpv), its notification date (unreadable_date), its
amount (absurd_amount), its holders (no_holder), and was it read already (duplicate).
Modifications are applied in date order. Formats: maillon.admin.decp_formats; value rules:
maillon.admin.decp_rules (see docs/procurement-taxonomies.md).

    python -m maillon.admin.decp FILE...    what a file holds, kept and dropped by reason
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

import polars as pl

from maillon.admin.decp_formats import read_records
from maillon.admin.decp_places import locate
from maillon.admin.decp_records import FILE_ERRORS, Change, DecpError, Holder, Record
from maillon.admin.decp_rules import (
    EXCLUDED,
    MULTISERVICE,
    BuyerRule,
    CpvRule,
    TaxonomyError,
    add_months,
    cpv_code,
    cpv_domains,
    normalized,
    parse_amount,
    parse_date,
    parse_duration,
    prison_buyers,
    siren,
    siret,
)
from maillon.database.reference import establishments

__all__ = ["FILE_ERRORS", "REASONS", "DecpError", "DecpRead", "locate", "read_decp"]

# Stable reason codes, in the order records are judged; the English line is the CLI's wording.
REASONS = {
    "unreadable_record": "The record is not an object, or names no buyer or no contract id.",
    "not_prison_buyer": "The buyer is not recognised as the prison administration.",
    "out_of_scope_cpv": "The CPV code is missing or belongs to no service domain.",
    "unreadable_date": "The notification date is missing, impossible or implausible.",
    "absurd_amount": "The amount is missing, not a number, 0 or less, a placeholder or over 1e10.",
    "no_holder": "The contract names no holder.",
    "duplicate": "The same contract was already read (same uid, or same buyer, id and date).",
}
# A character lost in the publisher's encoding, or UTF-8 read as Windows-1252 ('Ã©', 'â€™').
GARBLED = "\ufffd|Ã[\u0080-\u00bf]|â€"
CONTRACT_SCHEMA = {
    "contract_key": pl.String,
    "uid": pl.String,
    "decp_id": pl.String,
    "record_type": pl.String,
    "nature": pl.String,
    "buyer_siret": pl.String,
    "buyer_name": pl.String,
    "object": pl.String,
    "cpv_code": pl.String,
    "domain_id": pl.String,
    "is_multiservice": pl.Boolean,
    "procedure": pl.String,
    "place_code": pl.String,
    "place_type": pl.String,
    "place_name": pl.String,
    "notified_on": pl.Date,
    "duration_months": pl.Float64,
    "end_on": pl.Date,
    "amount_eur": pl.Float64,
    "initial_amount_eur": pl.Float64,
    "modifications_applied": pl.Int32,
    "social_considerations": pl.String,
    "platform": pl.String,
    "file_name": pl.String,
    "file_date": pl.Date,
}
HOLDER_SCHEMA = {
    "contract_key": pl.String,
    "position": pl.Int32,
    "id_type": pl.String,
    "holder_id": pl.String,
    "siren": pl.String,
    "name": pl.String,
}
DROPPED_SCHEMA = {
    "file_name": pl.String,
    "record_number": pl.Int64,
    "record_id": pl.String,
    "reason": pl.String,
    "detail": pl.String,
}


@dataclass(frozen=True)
class DecpRead:
    """What read_decp found. contracts: one row per kept contract (CONTRACT_SCHEMA); holders: one
    row per holder, position 1 the lead (mandataire) of a grouping; dropped: one row per record
    left out, with its reason (REASONS); formats and kept_by_file: per file read."""

    contracts: pl.DataFrame
    holders: pl.DataFrame
    dropped: pl.DataFrame
    formats: dict[str, str]
    kept_by_file: dict[str, int]

    def dropped_by_reason(self, file_name: str | None = None) -> dict[str, int]:
        """{reason: records dropped} for one file or for all, in REASONS order, zeros left out."""
        rows = (
            self.dropped
            if file_name is None
            else self.dropped.filter(pl.col("file_name") == file_name)
        )
        counts = dict(rows.group_by("reason").len().iter_rows())
        return {reason: counts[reason] for reason in REASONS if counts.get(reason)}

    def garbled(self) -> int:
        """Kept contracts whose buyer, object or a holder's name has a character lost in the
        file (U+FFFD: a byte its encoding could not read) or encoded twice ('SociÃ©tÃ©'): kept
        as published, and counted so that the report says so."""
        texts = pl.concat(
            [
                self.contracts.select("contract_key", text=pl.col("buyer_name")),
                self.contracts.select("contract_key", text=pl.col("object")),
                self.holders.select("contract_key", text=pl.col("name")),
            ]
        )
        garbled = texts.filter(pl.col("text").str.contains(GARBLED))
        return garbled["contract_key"].n_unique()


class _Drop(Exception):
    """A record left out: one of REASONS and a detail."""

    def __init__(self, reason: str, detail: str):
        self.reason, self.detail = reason, detail


def read_decp(
    files: list[tuple[str, bytes]],
    buyers: pl.DataFrame | None = None,
    cpv: pl.DataFrame | None = None,
    file_dates: dict[str, date] | None = None,
) -> DecpRead:
    """The prison administration's contracts in DECP files given as (name, content).

    buyers and cpv default to data/taxonomy/prison_buyer.csv and cpv_domain.csv; file_dates
    (name -> the day the file was published) bounds plausible notification dates (today when not
    given) and fills file_date. Raises DecpError naming the first file that cannot be read."""
    try:
        buyer_rule = BuyerRule(buyers if buyers is not None else prison_buyers())
        cpv_rule = CpvRule(cpv if cpv is not None else cpv_domains())
    except TaxonomyError as error:
        raise DecpError(error.file_name, "bad_taxonomy", error.detail) from None
    contracts: list[dict] = []
    holders: list[dict] = []
    dropped: list[dict] = []
    formats: dict[str, str] = {}
    kept_by_file: dict[str, int] = {}
    seen: dict[tuple[str, str], Record] = {}
    for name, data in files:
        if name in formats:
            raise DecpError(name, "file_twice")
        file_date = (file_dates or {}).get(name)
        formats[name], records = read_records(name, data, buyer_rule.recognises)
        kept_by_file[name] = 0
        for record in records:
            try:
                contract, contract_holders = _judge(record, buyer_rule, cpv_rule, file_date)
                _check_duplicate(record, contract["contract_key"], seen)
            except _Drop as drop:
                dropped.append(
                    {
                        "file_name": name,
                        "record_number": record.record_number,
                        "record_id": record.record_id,
                        "reason": drop.reason,
                        "detail": drop.detail,
                    }
                )
                continue
            contracts.append(contract)
            holders += contract_holders
            kept_by_file[name] += 1
    return DecpRead(
        pl.DataFrame(contracts, schema=CONTRACT_SCHEMA, orient="row"),
        pl.DataFrame(holders, schema=HOLDER_SCHEMA, orient="row"),
        pl.DataFrame(dropped, schema=DROPPED_SCHEMA, orient="row"),
        formats,
        kept_by_file,
    )


def _check_duplicate(record: Record, key: str, seen: dict[tuple[str, str], Record]) -> None:
    """The first reading of a contract is kept; the same uid, or the same buyer, id and
    notification date (the contract key), read again is a duplicate of it."""
    for kind, value in (("uid", record.uid), ("key", key)):
        first = seen.get((kind, value)) if value else None
        if first is not None:
            same = "uid" if kind == "uid" else "buyer, id and notification date"
            raise _Drop(
                "duplicate", f"same {same} as {first.file_name} record {first.record_number}"
            )
    for kind, value in (("uid", record.uid), ("key", key)):
        if value:
            seen[(kind, value)] = record


def _judge(
    record: Record, buyer_rule: BuyerRule, cpv_rule: CpvRule, file_date: date | None
) -> tuple[dict, list[dict]]:
    """The contract row and its holder rows, or _Drop with the first reason that applies."""
    if record.problem:
        raise _Drop("unreadable_record", record.problem)
    buyer_siret = siret(record.buyer_id)
    if not (record.buyer_id or record.buyer_name):
        raise _Drop("unreadable_record", "no buyer (acheteur or autoriteConcedante)")
    if not buyer_rule.recognises(buyer_siret, record.buyer_name):
        raise _Drop(
            "not_prison_buyer", f"buyer {record.buyer_id or '-'} {record.buyer_name or ''}".strip()
        )
    if not record.decp_id:
        raise _Drop("unreadable_record", "no contract id")
    domain_id, is_multiservice, code = _domain(record, cpv_rule)
    latest = file_date or date.today()
    notified_on, why = parse_date(record.notified, latest)
    if notified_on is None:
        raise _Drop("unreadable_date", why)
    initial_amount, why = parse_amount(record.amount)
    if initial_amount is None:
        raise _Drop("absurd_amount", why)
    amount, duration, parties, applied = _modified(record, initial_amount, latest)
    if not parties:
        raise _Drop("no_holder", "no titulaire or concessionnaire with an id or a name")
    buyer = buyer_siret or "name-" + quote(normalized(record.buyer_name).replace(" ", "-"))
    key = ":".join((buyer, quote(record.decp_id, safe="-._"), notified_on.isoformat()))
    started, _ = parse_date(record.started, latest)
    contract = {
        "contract_key": key,
        "uid": record.uid,
        "decp_id": record.decp_id,
        "record_type": record.record_type,
        "nature": record.nature,
        "buyer_siret": buyer_siret,
        "buyer_name": record.buyer_name,
        "object": record.object,
        "cpv_code": code,
        "domain_id": domain_id,
        "is_multiservice": is_multiservice,
        "procedure": record.procedure,
        "place_code": record.place_code,
        "place_type": record.place_type,
        "place_name": record.place_name,
        "notified_on": notified_on,
        "duration_months": duration,
        # a concession runs from the start of its execution when the record gives it
        "end_on": add_months(started or notified_on, duration) if duration else None,
        "amount_eur": amount,
        "initial_amount_eur": initial_amount,
        "modifications_applied": applied,
        "social_considerations": record.social_considerations,
        "platform": record.platform,
        "file_name": record.file_name,
        "file_date": file_date,
    }
    holder_rows = [
        {
            "contract_key": key,
            "position": position,
            "id_type": holder.id_type,
            "holder_id": holder.holder_id,
            "siren": siren(holder.id_type, holder.holder_id),
            "name": holder.name,
        }
        for position, holder in enumerate(parties, start=1)
    ]
    return contract, holder_rows


def _domain(record: Record, cpv_rule: CpvRule) -> tuple[str | None, bool, str]:
    code = cpv_code(record.cpv)
    if code is None:
        written = record.cpv if record.cpv not in (None, "") else None
        raise _Drop(
            "out_of_scope_cpv", f"CPV {written!r} is not 8 digits" if written else "no CPV code"
        )
    found = cpv_rule.match(code)
    if found is None:
        raise _Drop("out_of_scope_cpv", f"CPV {code} belongs to no service domain")
    if found.domain_id == EXCLUDED:
        raise _Drop("out_of_scope_cpv", f"CPV {code} excluded ({found.prefix}: {found.label})")
    if found.domain_id == MULTISERVICE:
        return None, True, code
    return found.domain_id, False, code


def _modified(
    record: Record, amount: float, latest: date
) -> tuple[float, float | None, list[Holder], int]:
    """(amount, duration, holders, modifications applied) after the record's modifications,
    applied in order of their date (notification, else signature, else publication; undated
    ones last, as published). A value that cannot be read leaves the previous one; a
    modification that changed nothing is not counted."""
    duration = parse_duration(record.duration)
    parties = _holders(record.holders)
    applied = 0

    def when(change: Change) -> tuple[date, int]:
        day, _ = parse_date(change.date, latest)
        return (day or date.max, change.position)

    for change in sorted(record.changes, key=when):
        new_amount, _ = parse_amount(change.amount)
        new_duration = parse_duration(change.duration)
        new_parties = _holders(change.holders or [])
        if new_amount is None and new_duration is None and not new_parties:
            continue
        amount = new_amount if new_amount is not None else amount
        duration = new_duration if new_duration is not None else duration
        parties = new_parties or parties
        applied += 1
    return amount, duration, parties, applied


def _holders(published: list[Holder]) -> list[Holder]:
    """Holders with an id or a name, each once, in published order."""
    kept, seen = [], set()
    for holder in published:
        identity = (holder.id_type, holder.holder_id) if holder.holder_id else (None, holder.name)
        if (holder.holder_id or holder.name) and identity not in seen:
            seen.add(identity)
            kept.append(holder)
    return kept


def main(paths: list[str]) -> int:
    """Print what each file holds: kept contracts, dropped records by reason, the first rows."""
    if not paths:
        print("usage: python -m maillon.admin.decp FILE...", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        files = [(Path(p).name, Path(p).read_bytes()) for p in paths]
        read = read_decp(files)
    except OSError as exc:
        print(f"cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    except DecpError as error:
        print(error, file=sys.stderr)
        return 2
    for name, kind in read.formats.items():
        print(f"{name} ({kind}): {read.kept_by_file[name]} contract(s) kept")
        for reason, count in read.dropped_by_reason(name).items():
            print(f"  {count:>7}  {reason}: {REASONS[reason]}")
    print(
        f"All files: {read.contracts.height} kept, {read.dropped.height} dropped, "
        f"read in {time.perf_counter() - started:.1f} s"
    )
    print(f"Kept with garbled text (lost or doubly encoded characters): {read.garbled()}")
    if read.contracts.height:
        located = dict(locate(read.contracts, establishments())["located_by"].value_counts().rows())
        print(
            f"Establishments: {located.get('buyer', 0)} located by the buyer, "
            f"{located.get('place', 0)} by the place, {located.get('not_located', 0)} not located"
        )
        with pl.Config(tbl_rows=10, tbl_cols=8, fmt_str_lengths=40):
            print(
                read.contracts.select(
                    "contract_key", "buyer_name", "domain_id", "notified_on", "amount_eur", "object"
                ).head(10)
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
