"""DECP files as records of one shape (`Record`), whatever their published format: the 2019 JSON
(`{"marches": [...]}` or `{"marches": {"marche": [...]}}`), the 2022 JSON (lists nested one level
deeper: `titulaires: [{"titulaire": {...}}]`, `{"marche": [...], "contrat-concession": [...]}`)
and the consolidated flat table (CSV or Parquet, one row per contract x holder x version). A .zip
holding one such file is opened. The format is told from the content, not the file name.

This module tells the format, opens the zip, decodes the text and reads the two JSON formats;
maillon.admin.decp_flat reads the flat table. A file that cannot be read at all raises DecpError
(maillon.admin.decp_records), which names the file and says what is wrong.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
import zlib
from collections.abc import Callable

import polars as pl

from maillon.admin.decp_flat import csv_frame, flat_records, text_columns
from maillon.admin.decp_records import MAX_INFLATED_MB, MB, Change, DecpError, Holder, Record
from maillon.admin.decp_rules import text

CHUNK = MB
# Valid UTF-8 multi-byte sequences: a file that fails UTF-8 but holds none was written in a
# Windows/Latin-1 encoding; one that holds some mixes encodings (the lost accents become U+FFFD).
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def read_records(
    name: str, data: bytes, is_prison_buyer: Callable[[str | None, str | None], bool]
) -> tuple[str, list[Record]]:
    """(format read, records in file order). `is_prison_buyer(siret, name)` lets a large flat
    table skip building the details of the contracts that will be dropped for their buyer."""
    if not data:
        raise DecpError(name, "empty_file")
    if len(data) > MAX_INFLATED_MB * MB:
        raise DecpError(name, "too_big", f"({len(data) / MB:.0f} MB)")
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        member, data = _unzip(name, data)
        kind, records = _read_content(name, data, is_prison_buyer, member)
        return f"{kind} in a zip", records
    return _read_content(name, data, is_prison_buyer, None)


def _unzip(name: str, data: bytes) -> tuple[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir() and not info.filename.startswith("__MACOSX/")
        ]
        if len(members) != 1:
            listed = ", ".join(m.filename for m in members[:5]) or "nothing"
            raise DecpError(name, "zip_contents", f"It holds {len(members)} files: {listed}.")
        (info,) = members
        cap = MAX_INFLATED_MB * MB
        if info.file_size > cap:
            raise DecpError(name, "too_big", f"({info.filename}: {info.file_size / MB:.0f} MB)")
        inflated = bytearray()
        with archive.open(info) as member:  # declared sizes can lie: count while inflating
            while chunk := member.read(CHUNK):
                inflated += chunk
                if len(inflated) > cap:
                    raise DecpError(name, "too_big", f"({info.filename})")
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
        raise DecpError(name, "bad_zip", f"({exc})") from None
    return info.filename, bytes(inflated)


def decoded(data: bytes) -> str:
    """UTF-8 (BOM dropped); a Windows/Latin-1 file as cp1252; a mixed file with U+FFFD."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if UTF8_SEQUENCE.search(data):
            return data.decode("utf-8-sig", errors="replace")
        return data.decode("cp1252", errors="replace")


def _read_content(
    name: str, data: bytes, is_prison_buyer: Callable, member: str | None
) -> tuple[str, list[Record]]:
    inside = f" ({member})" if member else ""
    if data.startswith(b"PAR1"):
        try:
            frame = pl.read_parquet(io.BytesIO(data))
        except Exception as exc:  # Polars and Arrow raise several types for a broken file
            raise DecpError(
                name, "unreadable_table", f"{inside} {type(exc).__name__}".strip()
            ) from None
        return "flat Parquet", flat_records(name, text_columns(frame), is_prison_buyer)
    if b"\x00" in data[:65536]:
        raise DecpError(name, "unknown_format", inside.strip())
    content = decoded(data)
    if content.lstrip()[:1] in ("{", "["):
        return _json_records(name, content, inside)
    return "flat CSV", flat_records(name, csv_frame(name, content, inside), is_prison_buyer)


def _json_records(name: str, content: str, inside: str) -> tuple[str, list[Record]]:
    try:
        document = json.loads(content)
    except json.JSONDecodeError as exc:
        raise DecpError(
            name, "not_json", f"{inside} line {exc.lineno} column {exc.colno}: {exc.msg}.".strip()
        ) from None
    except RecursionError:
        raise DecpError(name, "not_json", f"{inside} nested too deeply.".strip()) from None
    marches = document.get("marches") if isinstance(document, dict) else None
    items: list[tuple[object, bool]] = []
    if isinstance(marches, list):
        items = [(item, False) for item in marches]
    elif isinstance(marches, dict) and ({"marche", "contrat-concession"} & marches.keys()):
        for key, value in marches.items():  # in file order
            if key in ("marche", "contrat-concession"):
                listed = value if isinstance(value, list) else [value]
                items += [(item, key == "contrat-concession") for item in listed]
    else:
        found = (
            ", ".join(list(document)[:5]) if isinstance(document, dict) else type(document).__name__
        )
        raise DecpError(name, "not_decp_json", f"{inside} Found: {found}.".strip())
    records = [
        _json_record(name, n, item, concession) for n, (item, concession) in enumerate(items, 1)
    ]
    nested = any(isinstance(item, dict) and _is_2022(item) for item, _ in items)
    return ("2022 JSON" if nested else "2019 JSON"), records


def _is_2022(item: dict) -> bool:
    parties = item.get("titulaires") or item.get("concessionnaires") or []
    first = parties[0] if isinstance(parties, list) and parties else None
    return (isinstance(first, dict) and ({"titulaire", "concessionnaire"} & first.keys())) or (
        isinstance(item.get("considerationsSociales"), dict)
    )


def _listing(value: object, inner: str) -> list:
    """A list as published either way: [a, b], {inner: [a, b]} or {inner: a}; each element
    unwrapped from {inner: element}."""
    if isinstance(value, dict) and inner in value:
        value = value[inner]
    if value is None:
        return []
    listed = value if isinstance(value, list) else [value]
    return [
        item[inner] if isinstance(item, dict) and set(item) == {inner} else item for item in listed
    ]


def _parties(item: dict) -> list[Holder] | None:
    """The holders (titulaires or concessionnaires); None when the record names none at all."""
    for key, inner in (("titulaires", "titulaire"), ("concessionnaires", "concessionnaire")):
        if key in item:
            return [
                Holder(
                    text(p.get("typeIdentifiant")),
                    text(p.get("id")),
                    text(p.get("denominationSociale") or p.get("nom")),
                )
                for p in _listing(item[key], inner)
                if isinstance(p, dict)
            ]
    return None


def _json_record(name: str, number: int, item: object, in_concessions: bool) -> Record:
    if not isinstance(item, dict):
        return Record(name, number, problem=f"not an object but {type(item).__name__}")
    concession = (
        in_concessions
        or "concession" in (text(item.get("_type")) or "").lower()
        or "autoriteConcedante" in item
    )
    buyer = item.get("autoriteConcedante") if concession else item.get("acheteur")
    buyer = buyer if isinstance(buyer, dict) else {}
    place = item.get("lieuExecution") if isinstance(item.get("lieuExecution"), dict) else {}
    social = [text(s) for s in _listing(item.get("considerationsSociales"), "considerationSociale")]
    changes = []
    for position, change in enumerate(_listing(item.get("modifications"), "modification"), 1):
        if isinstance(change, dict):
            changes.append(
                Change(
                    position,
                    date=change.get("dateNotificationModification")
                    or change.get("dateSignatureModification")
                    or change.get("datePublicationDonneesModification"),
                    amount=change.get("valeurGlobale" if concession else "montant"),
                    duration=change.get("dureeMois"),
                    holders=_parties(change) or None,  # an empty list changes nothing
                )
            )
    return Record(
        name,
        number,
        record_type="concession" if concession else "market",
        uid=text(item.get("uid")),
        decp_id=text(item.get("id")),
        nature=text(item.get("nature")),
        buyer_id=text(buyer.get("id")),
        buyer_name=text(buyer.get("nom")),
        object=text(item.get("objet")),
        cpv=item.get("codeCPV"),
        procedure=text(item.get("procedure")),
        place_code=text(place.get("code")),
        place_type=text(place.get("typeCode")),
        place_name=text(place.get("nom")),
        notified=(item.get("dateSignature") or item.get("dateDebutExecution"))
        if concession
        else item.get("dateNotification"),
        started=item.get("dateDebutExecution") if concession else None,
        duration=item.get("dureeMois"),
        amount=item.get("valeurGlobale" if concession else "montant"),
        holders=_parties(item) or [],
        changes=changes,
        social_considerations="; ".join(s for s in social if s) or None,
        platform=text(item.get("source")),
    )
