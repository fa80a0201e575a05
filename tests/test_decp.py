"""The DECP reader (maillon.admin.decp): the four real 2019 files of data/reference/decp-2019,
counted again here with plain json and the decisions written out anew; small prison-like
fixtures in each format (tests/fixtures/decp, all invented); files that are not DECP."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
import unicodedata
import zipfile
from collections import Counter
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import polars as pl
import pytest

from maillon.admin import decp_formats, listings
from maillon.admin.decp import REASONS, DecpError, locate, read_decp
from maillon.admin.decp_places import why_text
from maillon.admin.decp_rules import prison_buyers
from maillon.data.paths import REFERENCE_DIR, TAXONOMY_DIR
from maillon.database.reference import establishments
from maillon.i18n import t

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REFERENCE_DIR / "decp-2019"
SAMPLES = sorted(SAMPLE_DIR.glob("*.zip"))
FIXTURES = Path(__file__).parent / "fixtures" / "decp"
FILE_2019, FILE_2022, FILE_FLAT = (
    "decp-2019-prison.json",
    "decp-2022-prison.json",
    "decp-flat-prison.csv",
)
FILE_DATES = {FILE_2019: date(2024, 6, 30)}


# --- the real 2019 files, counted independently ---------------------------------------------


def _sample_records(path: Path) -> list:
    with zipfile.ZipFile(path) as archive:
        (member,) = archive.namelist()
        return json.loads(archive.read(member).decode("utf-8"))["marches"]


def _plain(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text).strip()


@cache
def _taxonomy(name: str) -> tuple[dict, ...]:
    with (TAXONOMY_DIR / name).open(encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


@cache
def _name_patterns(match: str) -> tuple[re.Pattern, ...]:
    rows = _taxonomy("prison_buyer.csv")
    return tuple(
        re.compile(rf"\b{re.escape(_plain(r['value']))}\b") for r in rows if r["match"] == match
    )


def _prison_name(name: str) -> bool:
    plain = _plain(name)
    if any(p.search(plain) for p in _name_patterns("exclude_name_pattern")):
        return False
    return any(p.search(plain) for p in _name_patterns("name_pattern"))


def _domain(code) -> str | None:
    digits = str(code or "").split("-")[0].strip()
    digits = "0" + digits if len(digits) == 7 and digits.isdigit() else digits
    if not (len(digits) == 8 and digits.isdigit()):
        return None
    prefixes = {row["cpv_prefix"]: row["domain_id"] for row in _taxonomy("cpv_domain.csv")}
    for length in range(8, 0, -1):
        if digits[:length] in prefixes:
            domain = prefixes[digits[:length]]
            return None if domain == "excluded" else domain
    return None


def _day(raw) -> date | None:
    found = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", str(raw or ""))
    try:
        day = date(*map(int, found.groups())) if found else None
    except ValueError:
        return None
    return day if day and date(1990, 1, 1) <= day <= date.today() else None


def _amount_ok(raw) -> bool:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return False
    nines = value.is_integer() and re.fullmatch(r"9{7,}", str(int(value)))
    return 0 < value <= 1e10 and not nines


def _final_holders(record: dict, key: str) -> list:
    holders = [h for h in record.get(key) or [] if h.get("id") or h.get("denominationSociale")]
    dated = sorted(
        (
            _day(
                m.get("dateNotificationModification")
                or m.get("dateSignatureModification")
                or m.get("datePublicationDonneesModification")
            )
            or date.max,
            n,
            m,
        )
        for n, m in enumerate(record.get("modifications") or [])
    )
    for *_, change in dated:
        new = [h for h in change.get(key) or [] if h.get("id") or h.get("denominationSociale")]
        holders = new or holders
    return holders


def _expected(paths: list[Path], prison_sirets: set[str]) -> dict[str, Counter]:
    """{file: Counter(kept / reason)} decided again, record by record, with plain json."""
    counts: dict[str, Counter] = {}
    seen: set = set()
    for path in paths:
        counts[path.name] = Counter()
        for record in _sample_records(path):
            counts[path.name][_reason(record, prison_sirets, seen)] += 1
    return counts


def _reason(record, prison_sirets: set[str], seen: set) -> str:
    if not isinstance(record, dict):
        return "unreadable_record"
    concession = record.get("_type") == "Contrat de concession"
    buyer = record.get("autoriteConcedante" if concession else "acheteur")
    if not isinstance(buyer, dict) or not (buyer.get("id") or buyer.get("nom")):
        return "unreadable_record"
    if buyer.get("id") not in prison_sirets and not _prison_name(buyer.get("nom") or ""):
        return "not_prison_buyer"
    if not record.get("id"):
        return "unreadable_record"
    if _domain(record.get("codeCPV")) is None:
        return "out_of_scope_cpv"
    day = _day(record.get("dateSignature") if concession else record.get("dateNotification"))
    if day is None:
        return "unreadable_date"
    if not _amount_ok(record.get("valeurGlobale" if concession else "montant")):
        return "absurd_amount"
    if not _final_holders(record, "concessionnaires" if concession else "titulaires"):
        return "no_holder"
    keys = {("uid", record.get("uid")), ("key", buyer.get("id"), record["id"], day)}
    keys.discard(("uid", None))
    if keys & seen:
        return "duplicate"
    seen.update(keys)
    return "kept"


def _counts(read, name: str) -> Counter:
    return Counter({"kept": read.kept_by_file[name], **read.dropped_by_reason(name)}) + Counter()


def test_the_real_2019_files_hold_no_prison_contract_and_every_record_is_accounted_for():
    files = [(path.name, path.read_bytes()) for path in SAMPLES]
    assert len(files) == 4
    started = time.perf_counter()
    read = read_decp(files)
    seconds = time.perf_counter() - started
    print(f"\nreading the four 2019 zips took {seconds:.2f} s")
    assert seconds < 60
    expected = _expected(SAMPLES, set())
    for name, _ in files:
        assert read.formats[name] == "2019 JSON in a zip"
        assert _counts(read, name) == expected[name] + Counter(), name
    assert read.contracts.is_empty() and read.holders.is_empty()
    assert read.dropped.height == sum(sum(c.values()) for c in expected.values()) == 10657
    assert read.dropped_by_reason() == {"unreadable_record": 1, "not_prison_buyer": 10656}


def test_the_two_justice_related_records_of_the_sample_are_not_prison_buyers():
    """A regional equipment office of the Ministry of Justice, and a town's study about its
    former maison d'arrêt (the phrase is in the object, the buyer is the town)."""
    read = read_decp([(path.name, path.read_bytes()) for path in SAMPLES])
    found = []
    for path in SAMPLES:
        for number, record in enumerate(_sample_records(path), start=1):
            text = json.dumps(record, ensure_ascii=False).lower()
            if "maison d'arrêt" in text or "ministère de la justice" in text:
                row = read.dropped.filter(
                    (pl.col("file_name") == path.name) & (pl.col("record_number") == number)
                )
                found.append(row["reason"].to_list())
    assert found == [["not_prison_buyer"], ["not_prison_buyer"]]


def test_the_real_2019_files_read_as_if_every_buyer_were_the_prison_administration():
    """Every buyer's SIRET listed as a prison buyer: the other checks run on real defects."""
    sirets = {
        (r.get("acheteur") or r.get("autoriteConcedante") or {}).get("id")
        for path in SAMPLES
        for r in _sample_records(path)
        if isinstance(r, dict)
    }
    sirets = {s for s in sirets if s and re.fullmatch(r"\d{14}", s)}
    buyers = pl.DataFrame({"match": "siret", "value": sorted(sirets), "label": "every buyer"})
    read = read_decp([(path.name, path.read_bytes()) for path in SAMPLES], buyers=buyers)
    expected = _expected(SAMPLES, sirets)
    for path in SAMPLES:
        assert _counts(read, path.name) == expected[path.name] + Counter(), path.name
    total = sum(expected.values(), Counter())
    assert total["kept"] == read.contracts.height > 500
    for reason in ("unreadable_record", "out_of_scope_cpv", "unreadable_date", "absurd_amount"):
        assert total[reason] > 0, reason
    assert total["duplicate"] == 15  # published by two platforms, or twice by one
    assert read.holders["contract_key"].n_unique() == read.contracts.height
    assert set(read.holders["position"]) >= {1, 2, 3}


# --- prison-like fixtures in each format --------------------------------------------------


def _fixture_buyers() -> pl.DataFrame:
    """The product's table plus the fixtures' two buyers known only by SIRET (2022 format)."""
    extra = pl.DataFrame(
        {
            "match": ["siret", "siret"],
            "value": ["11111111100011", "11111111100078"],
            "label": ["MA Nantes (fixture)", "DISP (fixture)"],
            "note": ["", ""],
        }
    )
    return pl.concat([prison_buyers(), extra])


@pytest.fixture(scope="module")
def fixtures_read():
    files = [(name, (FIXTURES / name).read_bytes()) for name in (FILE_2019, FILE_2022, FILE_FLAT)]
    return read_decp(files, buyers=_fixture_buyers(), file_dates=FILE_DATES)


D = date
KEPT = [
    # contract_key, type, domain_id, multiservice, notified, months, end, amount, initial amount,
    # modifications applied, file
    ("11111111100011:2021-RES-01:2021-03-15", "market", "catering", False,
     D(2021, 3, 15), 36.0, D(2024, 3, 15), 450000.0, 450000.0, 0, FILE_2019),
    ("11111111100029:2020-NET-02:2020-01-10", "market", "cleaning_laundry", False,
     D(2020, 1, 10), 36.0, D(2023, 1, 10), 260000.0, 200000.0, 2, FILE_2019),
    ("11111111100037:2021-CANT-01:2021-12-01", "concession", "canteen", False,
     D(2021, 12, 1), 48.0, D(2026, 1, 1), 1300000.0, 1200000.5, 1, FILE_2019),
    ("11111111100045:2019-GD-01:2019-07-01", "market", None, True,
     D(2019, 7, 1), 96.0, D(2027, 7, 1), 85e6, 85e6, 0, FILE_2019),
    ("11111111100052:2020-FP-06:2020-02-03", "market", "vocational_training", False,
     D(2020, 2, 3), 12.0, D(2021, 2, 3), 60000.0, 60000.0, 0, FILE_2019),
    ("11111111100060:2021-BLA-10:2021-05-20", "market", "cleaning_laundry", False,
     D(2021, 5, 20), 24.0, D(2023, 5, 20), 90000.0, 90000.0, 0, FILE_2019),
    ("11111111100078:2023-BLA-07:2023-04-03", "market", "cleaning_laundry", False,
     D(2023, 4, 3), 30.0, D(2025, 10, 3), 150000.0, 120000.0, 1, FILE_2022),
    ("11111111100086:2022-MNT-03:2022-05-02", "market", "maintenance", False,
     D(2022, 5, 2), 30.0, D(2024, 11, 2), 120000.0, 100000.0, 1, FILE_FLAT),
]  # fmt: skip
KEPT_COLUMNS = [
    "contract_key", "record_type", "domain_id", "is_multiservice", "notified_on",
    "duration_months", "end_on", "amount_eur", "initial_amount_eur", "modifications_applied",
    "file_name",
]  # fmt: skip
DROPPED = [
    (FILE_2019, 5, "2018MD0001", "not_prison_buyer"),  # a town's study; its date is bad too
    (FILE_2019, 7, "2018-NET-07", "unreadable_date"),  # 0218-10-29
    (FILE_2019, 8, "2021-RES-08", "absurd_amount"),  # NC
    (FILE_2019, 9, "2021-RES-09", "absurd_amount"),  # 1e17
    (FILE_2019, 11, "2021-MNT-11", "no_holder"),
    (FILE_2019, 12, "2021-INF-12", "out_of_scope_cpv"),  # IT; its date and amount are bad too
    (FILE_2019, 13, "2021-MED-13", "out_of_scope_cpv"),  # staff occupational health, excluded
    (FILE_2019, 14, None, "unreadable_record"),  # a string, not an object
    (FILE_2019, 15, "2021-X-15", "unreadable_record"),  # no buyer
    (FILE_2019, 16, "2021-ENAP-16", "not_prison_buyer"),  # the staff school
    (FILE_2019, 17, "2025-RES-17", "unreadable_date"),  # after the file's date
    (FILE_2022, 1, "2021-RES-01", "duplicate"),  # the 2019 file's first record, another platform
    (FILE_2022, 3, "2022-TEL-01", "out_of_scope_cpv"),  # a 2022 concession carries no CPV
    (FILE_FLAT, 5, "111111111000452019-GD-01", "duplicate"),  # same uid as the 2019 record 4
    (FILE_FLAT, 7, "222222222000292022-VOI-01", "not_prison_buyer"),
    (FILE_FLAT, 8, "111111111000862022-NET-04", "absurd_amount"),  # empty amount
]


def test_fixtures_keep_the_prison_contracts_with_their_modifications_applied(fixtures_read):
    read = fixtures_read
    assert read.formats == {FILE_2019: "2019 JSON", FILE_2022: "2022 JSON", FILE_FLAT: "flat CSV"}
    assert read.kept_by_file == {FILE_2019: 6, FILE_2022: 1, FILE_FLAT: 1}
    assert read.contracts.select(KEPT_COLUMNS).rows() == KEPT
    assert read.contracts.schema["notified_on"] == pl.Date
    by_key = {row["contract_key"]: row for row in read.contracts.iter_rows(named=True)}
    concession = by_key["11111111100037:2021-CANT-01:2021-12-01"]
    assert concession["end_on"] == date(2026, 1, 1)  # 48 months from its start, 2022-01-01
    laundry = by_key["11111111100078:2023-BLA-07:2023-04-03"]
    assert laundry["social_considerations"] == "Clause sociale; Marché réservé"
    assert laundry["buyer_name"] is None and laundry["platform"] is None
    caen = by_key["11111111100060:2021-BLA-10:2021-05-20"]
    assert caen["buyer_name"] == "Centre p\ufffdnitentiaire de Caen-Ifs"  # kept as published
    assert by_key["11111111100052:2020-FP-06:2020-02-03"]["place_name"] == (
        "Centre de détention de Châteaudun"
    )
    assert set(read.contracts["file_date"].drop_nulls()) == {date(2024, 6, 30)}


def test_fixture_holders_keep_their_order_ids_and_names(fixtures_read):
    holders = fixtures_read.holders
    grouping = holders.filter(pl.col("contract_key").str.starts_with("11111111100011:"))
    assert grouping.select("position", "id_type", "holder_id", "siren", "name").rows() == [
        (1, "SIRET", "33333333300011", "333333333", "Cuisine Exemple Ouest"),
        (2, "SIRET", "33333333400019", "333333334", "Insertion Exemple"),
        (3, "TVA", "BE0123456789", None, "Traiteur Exemple SPRL"),
    ]
    modified = holders.filter(pl.col("contract_key").str.starts_with("11111111100029:"))
    assert modified["holder_id"].to_list() == ["44444444500013", "44444444600011"]
    flat = holders.filter(pl.col("contract_key").str.starts_with("11111111100086:"))
    assert flat.select("position", "holder_id", "siren").rows() == [
        (1, "01234567800019", "012345678"),  # leading zeros kept
        (2, "06666666600012", "066666666"),
    ]
    nested = holders.filter(pl.col("contract_key").str.starts_with("11111111100078:"))
    assert nested.select("holder_id", "name").rows() == [("45454545500019", None)]
    caen = holders.filter(pl.col("contract_key").str.starts_with("11111111100060:"))
    assert caen["name"].to_list() == ["Soci\ufffdt\ufffd Exemple de Blanchisserie"]
    assert holders.height == 13


def test_contracts_with_garbled_text_are_counted_as_kept_as_published(fixtures_read):
    """Names with lost characters reached the tables without the report saying how many."""
    assert fixtures_read.garbled() == 1  # Caen: buyer and holder with U+FFFD, one contract
    twice = fixtures_read.holders.with_columns(
        pl.when(pl.col("position") == 3)
        .then(pl.lit("SociÃ©tÃ© Exemple"))
        .otherwise(pl.col("name"))
        .alias("name")
    )
    read = replace(fixtures_read, holders=twice)
    assert read.garbled() == 2  # and the grouping whose third holder is doubly encoded
    report = listings.decp_report_frame(read.dropped_by_reason(), 8, read.garbled(), "en")
    assert report.row(1) == (t("en", "admin.decp_garbled"), 2)


def test_fixture_records_left_out_say_where_and_why(fixtures_read):
    dropped = fixtures_read.dropped
    assert dropped.select("file_name", "record_number", "record_id", "reason").rows() == DROPPED
    assert fixtures_read.dropped_by_reason(FILE_2019) == {
        "unreadable_record": 2,
        "not_prison_buyer": 2,
        "out_of_scope_cpv": 2,
        "unreadable_date": 2,
        "absurd_amount": 2,
        "no_holder": 1,
    }
    assert fixtures_read.dropped_by_reason() == Counter(d[3] for d in DROPPED)
    rows = {(r[0], r[1]): r[4] for r in dropped.rows()}
    assert rows[(FILE_2022, 1)] == f"same buyer, id and notification date as {FILE_2019} record 1"
    assert rows[(FILE_FLAT, 5)] == f"same uid as {FILE_2019} record 4"
    assert rows[(FILE_2019, 7)] == "implausible date '0218-10-29' (before 1990)"
    assert rows[(FILE_2019, 8)] == "amount 'NC' is not a number"
    assert "ceiling" in rows[(FILE_2019, 9)]
    assert rows[(FILE_2019, 13)].startswith("CPV 85147000 excluded")
    assert rows[(FILE_2022, 3)] == "no CPV code"
    assert "after the file's date 2024-06-30" in rows[(FILE_2019, 17)]
    assert dropped["detail"].null_count() == 0  # every dropped record says why


def test_the_flat_table_reads_the_same_from_typed_parquet():
    frame = pl.read_csv(FIXTURES / FILE_FLAT, separator=";", infer_schema=False).with_columns(
        pl.col("montant").cast(pl.Float64),
        pl.col("dureeMois", "modification_id").cast(pl.Int64),
        pl.col("donneesActuelles") == "true",
    )
    parquet = io.BytesIO()
    frame.write_parquet(parquet)
    buyers = _fixture_buyers()
    from_parquet = read_decp([("flat.parquet", parquet.getvalue())], buyers=buyers)
    from_csv = read_decp([("flat.csv", (FIXTURES / FILE_FLAT).read_bytes())], buyers=buyers)
    assert from_parquet.formats == {"flat.parquet": "flat Parquet"}
    assert from_parquet.contracts.drop("file_name").equals(from_csv.contracts.drop("file_name"))
    assert from_parquet.holders.equals(from_csv.holders)
    assert from_parquet.dropped.drop("file_name").equals(from_csv.dropped.drop("file_name"))
    assert from_parquet.kept_by_file == {"flat.parquet": 2}  # the uid duplicate is alone here


def test_a_zip_holding_one_file_reads_like_the_file():
    content = (FIXTURES / FILE_2019).read_bytes()
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(FILE_2019, content)
    zipped = read_decp(
        [("sample.zip", packed.getvalue())], file_dates={"sample.zip": FILE_DATES[FILE_2019]}
    )
    plain = read_decp([(FILE_2019, content)], file_dates=FILE_DATES)
    assert zipped.formats == {"sample.zip": "2019 JSON in a zip"}
    assert zipped.contracts.drop("file_name").equals(plain.contracts.drop("file_name"))
    assert zipped.dropped.drop("file_name").equals(plain.dropped.drop("file_name"))


def test_the_2019_format_wrapped_in_marche_reads_the_same():
    content = (FIXTURES / FILE_2019).read_bytes()
    records = json.loads(content.decode("utf-8", errors="replace"))["marches"]
    wrapped = json.dumps({"marches": {"marche": records}}).encode()
    read = read_decp([("wrapped.json", wrapped)], file_dates={"wrapped.json": date(2024, 6, 30)})
    plain = read_decp([(FILE_2019, content)], file_dates=FILE_DATES)
    assert read.formats == {"wrapped.json": "2019 JSON"}
    assert read.contracts.drop("file_name").equals(plain.contracts.drop("file_name"))
    assert read.dropped.drop("file_name").equals(plain.dropped.drop("file_name"))


def test_flat_rows_without_uid_or_id_are_records_of_their_own():
    header = "uid,id,acheteur_id,acheteur_nom,titulaire_id,montant,codeCPV,dateNotification"
    row = ",,11111111100011,MAISON D'ARRET DE NANTES,33333333300011,50000,90910000,2021-01-04"
    read = read_decp([("rows.csv", f"{header}\n{row}\n{row}\n".encode())])
    assert read.dropped.select("record_number", "reason", "detail").rows() == [
        (1, "unreadable_record", "no contract id"),
        (2, "unreadable_record", "no contract id"),
    ]


def test_buyers_named_nowhere_are_recognised_only_by_siret():
    """The 2022 format gives the buyer's SIRET alone: without SIRET rows nothing is kept."""
    read = read_decp([(FILE_2022, (FIXTURES / FILE_2022).read_bytes())])
    assert read.dropped_by_reason() == {"not_prison_buyer": 3}


def test_a_latin1_file_is_read_with_its_accents():
    record = {
        "id": "X1",
        "acheteur": {"id": "11111111100011", "nom": "Maison d'arrêt de Nantes"},
        "objet": "Blanchisserie",
        "codeCPV": "98310000",
        "dateNotification": "2021-01-04",
        "montant": 50000,
        "dureeMois": 12,
        "titulaires": [
            {"typeIdentifiant": "SIRET", "id": "33333333300011", "denominationSociale": "Société"}
        ],
    }
    data = json.dumps({"marches": [record]}, ensure_ascii=False).encode("cp1252")
    read = read_decp([("latin1.json", data)])
    assert read.contracts["buyer_name"].to_list() == ["Maison d'arrêt de Nantes"]
    assert read.holders["name"].to_list() == ["Société"]


@pytest.mark.parametrize(
    ("buyer", "place", "establishment_id", "located_by"),
    [
        ("MAISON D'ARRET DE NANTES", None, "cp_nantes", "buyer"),  # listed as CP NANTES
        ("CENTRE PENITENTIAIRE DE LYON-CORBAS", None, "ma_lyon_corbas", "buyer"),
        ("Centre pénitentiaire de Rennes", None, "cp_rennes", "buyer"),
        ("CP DE MARSEILLE", None, "cp_marseille", "buyer"),  # not EPM MARSEILLE
        ("Centre de détention du Port", None, "cd_le_port", "buyer"),
        ("Maison centrale de Saint-Martin-de-Ré", None, "mc_st_martin_de_re", "buyer"),
        ("Centre p\ufffdnitentiaire de Caen-Ifs", None, "cp_caen_ifs", "buyer"),
        ("Centre de d\ufffdtention de Ch\ufffdteaudun", None, "cd_chateaudun", "buyer"),
        ("SPIP D'EURE-ET-LOIR", "Centre de détention de Châteaudun", "cd_chateaudun", "place"),
        ("Maison d'arrêt de Melun", None, None, "not_located"),  # CD and CSL there, no MA
        ("DISP DE LYON", "Rhône", None, "not_located"),
        ("DIRECTION DE L'ADMINISTRATION PENITENTIAIRE", "France", None, "not_located"),
    ],
)
def test_locate_links_a_contract_only_to_the_one_establishment_named(
    buyer, place, establishment_id, located_by
):
    contracts = pl.DataFrame({"contract_key": ["k"], "buyer_name": [buyer], "place_name": [place]})
    located = locate(contracts, establishments())
    assert located.select("establishment_id", "located_by").row(0) == (establishment_id, located_by)
    if located_by == "not_located":
        assert located["why"][0].len() > 0  # says why, in either language
        assert why_text(located["why"].to_list()[0], "fr") != why_text(
            located["why"].to_list()[0], "en"
        )


def test_locate_on_the_fixtures(fixtures_read):
    located = locate(fixtures_read.contracts, establishments())
    assert located.select("establishment_id", "located_by").rows() == [
        ("cp_nantes", "buyer"),
        ("ma_lyon_corbas", "buyer"),
        (None, "not_located"),  # a DISP
        (None, "not_located"),  # the DAP, national
        ("cd_chateaudun", "place"),
        ("cp_caen_ifs", "buyer"),
        (None, "not_located"),  # a 2022 record: no buyer name, no place name
        ("cd_muret", "buyer"),
    ]
    why = located["why"].to_list()
    assert why_text(why[0], "en") == "named MA, listed by the ministry as CP NANTES"
    assert why_text(why[0], "fr") == "nommé MA, listé par le ministère comme CP NANTES"
    assert why_text(why[6], "fr") == "ni l'acheteur ni le lieu ne nomment un établissement"
    assert why[1][0]["code"] == "akin" and why[7] == []  # Muret: named as listed


def test_why_a_contract_is_not_located_is_said_in_the_readers_language():
    """The admin page in French said it in English ('neither the buyer nor the place...')."""
    contracts = pl.DataFrame(
        {
            "contract_key": ["melun", "corbas"],
            "buyer_name": ["Maison d'arrêt de Melun", "Maison d'arrêt de Nowhere"],
            "place_name": [None, "Centre de détention de Châteaudun"],
        }
    )
    located = locate(contracts, establishments())
    melun = why_text(located["why"].to_list()[0], "fr")
    assert melun.startswith("acheteur : aucun MA à MELUN (listés à cet endroit : ")
    assert why_text(located["why"].to_list()[0], "en").startswith("buyer: no MA at MELUN (listed")
    assert located["why"].to_list()[1] == []  # found by the place, of the kind named
    frame = listings.not_located_frame(
        located.filter(pl.col("establishment_id").is_null()).with_columns(
            buyer_name=pl.lit("x"), object=pl.lit("y")
        ),
        "fr",
    )
    assert frame.columns == ["Acheteur", "Objet", "Pourquoi non localisé"]
    assert frame.item(0, 2) == melun


# --- files that are not DECP ----------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return packed.getvalue()


GARBAGE = [
    ("notes.json", b"{not json", "not_json"),
    ("other.json", b'{"data": []}', "not_decp_json"),
    ("list.json", b"[1, 2]", "not_decp_json"),
    ("empty.zip", _zip({}), "zip_contents"),
    ("two.zip", _zip({"a.json": b"{}", "b.json": b"{}"}), "zip_contents"),
    ("broken.zip", b"PK\x03\x04 not really a zip", "bad_zip"),
    ("table.csv", b"a,b\n1,2\n", "not_decp_table"),
    ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "unknown_format"),
    ("empty.csv", b"", "empty_file"),
    ("broken.parquet", b"PAR1 not really parquet", "unreadable_table"),
]


@pytest.mark.parametrize(("name", "data", "code"), GARBAGE, ids=[g[0] for g in GARBAGE])
def test_a_file_that_is_not_decp_is_a_clear_error_naming_it(name, data, code):
    with pytest.raises(DecpError) as raised:
        read_decp([(name, data)])
    assert raised.value.code == code
    assert str(raised.value).startswith(f"{name}: ")


def test_a_table_without_the_columns_says_which_are_missing():
    with pytest.raises(DecpError, match=r"table.csv: .* Missing: id, acheteur_id, titulaire_id"):
        read_decp([("table.csv", b"uid;objet\nx;y\n")])


def test_a_zip_inflating_past_the_cap_is_refused(monkeypatch):
    monkeypatch.setattr(decp_formats, "MAX_INFLATED_MB", 1)
    with pytest.raises(DecpError) as raised:
        read_decp([("bomb.zip", _zip({"big.json": b" " * (3 * 2**20)}))])
    assert raised.value.code == "too_big"


def test_two_files_with_one_name_and_a_broken_taxonomy_are_clear_errors():
    content = (FIXTURES / FILE_2019).read_bytes()
    with pytest.raises(DecpError, match="Two files have the same name"):
        read_decp([("a.json", content), ("a.json", content)])
    wrong = pl.DataFrame({"match": ["sirett"], "value": ["1"], "label": ["x"]})
    with pytest.raises(DecpError, match=r"prison_buyer.csv: .* row 2: match must be one of"):
        read_decp([("a.json", content)], buyers=wrong)
    wrong_cpv = pl.DataFrame({"cpv_prefix": ["55"], "domain_id": ["food"], "label": ["x"]})
    with pytest.raises(DecpError, match="unknown domain_id 'food'"):
        read_decp([("a.json", content)], cpv=wrong_cpv)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "maillon.admin.decp", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_the_command_line_prints_counts_and_reasons(tmp_path):
    done = _cli(str(FIXTURES / FILE_2019))
    assert done.returncode == 0, done.stderr
    assert f"{FILE_2019} (2019 JSON): 7 contract(s) kept" in done.stdout  # no file date given
    assert f"not_prison_buyer: {REASONS['not_prison_buyer']}" in done.stdout
    garbage = tmp_path / "notes.json"
    garbage.write_bytes(b"{not json")
    failed = _cli(str(garbage))
    assert failed.returncode == 2
    assert failed.stderr.startswith("notes.json: The file starts like JSON but is not valid JSON.")
    assert "Traceback" not in failed.stderr


@pytest.mark.parametrize(
    ("rule", "value"),
    [
        ("siret", "١٢٣٤٥٦٧٨٩٠١٢٣٤"),  # Arabic-Indic digits: \d matches them, an identifier is ASCII
        ("cpv_code", "⁵⁵⁵²³¹⁰⁰"),  # superscripts pass str.isdigit()
        ("cpv_code", "５５５２３１００"),  # full-width digits
    ],
)
def test_an_identifier_is_ascii_digits_only(rule, value):
    from maillon.admin import decp_rules

    assert getattr(decp_rules, rule)(value) is None
    assert decp_rules.siren("SIRET", "١٢٣٤٥٦٧٨٩٠١٢٣٤") is None
    assert decp_rules.cpv_code("55523100-3") == "55523100"
    assert decp_rules.cpv_code("9310000") == "09310000"
