"""The SIRENE reader (maillon.admin.sirene): a StockUniteLegale file written here as CSV, zipped
CSV and Parquet, with INSEE's column names, gives the same classified units; every INSEE
legal-form code resolves to a kind; a file that is not a StockUniteLegale says why."""

import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from maillon.admin import sirene
from maillon.data.paths import TAXONOMY_DIR

# StockUniteLegale's columns, in the order of INSEE's file.
COLUMNS = [
    "siren",
    "statutDiffusionUniteLegale",
    "unitePurgeeUniteLegale",
    "dateCreationUniteLegale",
    "sigleUniteLegale",
    "sexeUniteLegale",
    "prenom1UniteLegale",
    "prenom2UniteLegale",
    "prenom3UniteLegale",
    "prenom4UniteLegale",
    "prenomUsuelUniteLegale",
    "pseudonymeUniteLegale",
    "identifiantAssociationUniteLegale",
    "trancheEffectifsUniteLegale",
    "anneeEffectifsUniteLegale",
    "dateDernierTraitementUniteLegale",
    "nombrePeriodesUniteLegale",
    "categorieEntreprise",
    "anneeCategorieEntreprise",
    "dateDebut",
    "etatAdministratifUniteLegale",
    "nomUniteLegale",
    "nomUsageUniteLegale",
    "denominationUniteLegale",
    "denominationUsuelle1UniteLegale",
    "denominationUsuelle2UniteLegale",
    "denominationUsuelle3UniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "nomenclatureActivitePrincipaleUniteLegale",
    "nicSiegeUniteLegale",
    "economieSocialeSolidaireUniteLegale",
    "societeMissionUniteLegale",
    "caractereEmployeurUniteLegale",
]

# siren, diffusion, created, acronym, first name, last name, name, legal form, activity, ESS, state
# fmt: off
ROWS = [
    ("000123456", "O", "1998-05-12", "", "", "", "ASSOCIATION LE LIEN", "9220", "88.99B", "O", "A"),
    ("100000001", "O", "2012-03-01", "", "", "", "RESTO SOLIDAIRE", "5710", "56.29A", "O", "A"),
    ("100000002", "O", "1985-09-30", "", "", "", "SCOP IMPRIMERIE", "5458", "18.12Z", "O", "A"),
    ("100000003", "O", "2016-01-15", "SCIC", "", "", "SCIC LINGE", "5560", "96.01A", "", "A"),
    ("100000004", "O", "2001-06-21", "", "", "", "LIRE EN PRISON", "9220", "94.99Z", "N", "A"),
    ("100000005", "O", "1950-01-01", "", "", "", "MUTUELLE FAMILLES", "8210", "65.12Z", "O", "A"),
    ("100000006", "O", "2005-11-02", "", "", "", "FONDATION RELAIS", "9300", "88.99B", "O", "A"),
    ("100000007", "O", "", "ATIGIP", "", "", "AGENCE DU TRAVAIL", "7389", "84.12Z", "N", "A"),
    ("100000008", "O", "2003-04-04", "", "", "", "CANTINES DU SUD", "5499", "47.11F", "N", "C"),
    ("100000009", "P", "2019-07-07", "", "[ND]", "[ND]", "", "1000", "96.09Z", "N", "A"),
    ("100000010", "O", "2020-02-29", "", "CLAIRE", "MARTIN", "", "1000", "85.59A", "N", "A"),
    ("100000011", "O", "2021-13-45", "", "", "", "SANS FORME CONNUE", "", "", "", "A"),
    ("200000001", "O", "2000-01-01", "", "", "", "NOT WANTED SA", "5599", "70.10Z", "N", "A"),
    ("200000002", "O", "2000-01-01", "", "", "", "NOT WANTED ASSO", "9220", "94.99Z", "O", "A"),
]
# fmt: on
FIELDS = [
    "siren",
    "statutDiffusionUniteLegale",
    "dateCreationUniteLegale",
    "sigleUniteLegale",
    "prenomUsuelUniteLegale",
    "nomUniteLegale",
    "denominationUniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "economieSocialeSolidaireUniteLegale",
    "etatAdministratifUniteLegale",
]
WANTED = [f"{n:09d}" for n in range(100000001, 100000012)] + [" 000123456 ", "300000000", ""]

# fmt: off
EXPECTED = pl.DataFrame(
    [
        ("000123456", "ASSOCIATION LE LIEN", "9220", "association", True, "O", "active",
         date(1998, 5, 12), "88.99B"),
        ("100000001", "RESTO SOLIDAIRE", "5710", "ess_company", True, "O", "active",
         date(2012, 3, 1), "56.29A"),
        ("100000002", "SCOP IMPRIMERIE", "5458", "scop", True, "O", "active",
         date(1985, 9, 30), "18.12Z"),
        ("100000003", "SCIC LINGE", "5560", "cooperative", True, None, "active",
         date(2016, 1, 15), "96.01A"),
        ("100000004", "LIRE EN PRISON", "9220", "association", True, "N", "active",
         date(2001, 6, 21), "94.99Z"),
        ("100000005", "MUTUELLE FAMILLES", "8210", "mutual", True, "O", "active",
         date(1950, 1, 1), "65.12Z"),
        ("100000006", "FONDATION RELAIS", "9300", "foundation", True, "O", "active",
         date(2005, 11, 2), "88.99B"),
        ("100000007", "AGENCE DU TRAVAIL", "7389", "public_body", False, "N", "active",
         None, "84.12Z"),
        ("100000008", "CANTINES DU SUD", "5499", "for_profit", False, "N", "ceased",
         date(2003, 4, 4), "47.11F"),
        ("100000009", "[non diffusible]", "1000", "for_profit", False, "N", "active",
         date(2019, 7, 7), "96.09Z"),
        ("100000010", "CLAIRE MARTIN", "1000", "for_profit", False, "N", "active",
         date(2020, 2, 29), "85.59A"),
        ("100000011", "SANS FORME CONNUE", None, "unknown", False, None, "active",
         None, None),
    ],
    schema=["siren", "name", "legal_form_code", "kind_id", "is_ess", "ess_flag", "state",
            "created_on", "activity_code"],
    orient="row",
)
# fmt: on
LABELS = dict(pl.read_csv(sirene.LEGAL_FORM_LABELS_FILE, infer_schema=False).iter_rows())


def stock(rows=ROWS, columns=COLUMNS) -> pl.DataFrame:
    """A StockUniteLegale as INSEE publishes it: every column text, empty where not given."""
    given = [dict(zip(FIELDS, row, strict=True)) for row in rows]
    return pl.DataFrame(
        {column: [row.get(column, "") for row in given] for column in columns},
        schema=dict.fromkeys(columns, pl.String),
    )


def write(frame: pl.DataFrame, folder: Path, file_format: str) -> Path:
    if file_format == "parquet":
        frame.write_parquet(path := folder / "StockUniteLegale_utf8.parquet")
        return path
    frame.write_csv(csv := folder / "StockUniteLegale_utf8.csv")
    if file_format == "csv":
        return csv
    with zipfile.ZipFile(path := folder / "StockUniteLegale_utf8.zip", "w") as archive:
        archive.write(csv, csv.name, compress_type=zipfile.ZIP_DEFLATED)
    csv.unlink()
    return path


@pytest.mark.parametrize("file_format", ["csv", "zip", "parquet"])
def test_each_format_gives_the_wanted_units_classified(tmp_path, file_format):
    read = sirene.read_sirene(write(stock(), tmp_path, file_format), WANTED)

    expected = EXPECTED.with_columns(
        legal_form_label=pl.col("legal_form_code").replace_strict(LABELS, default=None)
    ).select(list(sirene.UNITS_SCHEMA))
    assert_frame_equal(read.units, expected)
    assert read.not_found == ("300000000",)
    assert (read.wanted, read.found) == (13, 12)


def test_leading_zeros_come_back_when_a_parquet_holds_sirens_as_numbers(tmp_path):
    frame = stock().with_columns(pl.col("siren").cast(pl.Int64))
    read = sirene.read_sirene(write(frame, tmp_path, "parquet"), ["000123456"])
    assert read.units["siren"].to_list() == ["000123456"]


def test_a_semicolon_csv_without_the_sole_trader_names_still_reads(tmp_path):
    path = tmp_path / "stock.csv"
    frame = stock(columns=[c for c in COLUMNS if c not in sirene.OPTIONAL_COLUMNS])
    frame.write_csv(path, separator=";")
    read = sirene.read_sirene(path, ["100000010", "100000002"])
    # Without first and last names, a sole trader has no name to show.
    assert read.units.select("siren", "name").rows() == [
        ("100000002", "SCOP IMPRIMERIE"),
        ("100000010", None),
    ]


def test_a_sole_trader_without_names_is_named_by_its_acronym(tmp_path):
    row = ("100000012", "O", "", "ATELIER JM", "", "", "", "1000", "", "N", "A")
    read = sirene.read_sirene(write(stock([row]), tmp_path, "csv"), ["100000012"])
    assert read.units["name"].to_list() == ["ATELIER JM"]


def test_nothing_wanted_reads_nothing(tmp_path):
    read = sirene.read_sirene(write(stock(), tmp_path, "parquet"), [])
    assert read.units.height == 0
    assert read.units.schema == pl.Schema(sirene.UNITS_SCHEMA)
    assert (read.not_found, read.wanted, read.found) == ((), 0, 0)


# ---------------------------------------------------------------------------- files it refuses


@pytest.mark.parametrize("file_format", ["csv", "zip", "parquet"])
def test_missing_columns_are_named_with_the_file(tmp_path, file_format):
    frame = stock().drop("categorieJuridiqueUniteLegale", "economieSocialeSolidaireUniteLegale")
    path = write(frame, tmp_path, file_format)
    with pytest.raises(sirene.SireneFileError) as error:
        sirene.read_sirene(path, WANTED)
    assert str(error.value) == (
        f"{path}: not a StockUniteLegale file, columns missing: "
        "categorieJuridiqueUniteLegale, economieSocialeSolidaireUniteLegale"
    )


def test_a_big_zip_missing_columns_does_not_leave_its_inflating_thread_blocked(tmp_path):
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("stock.csv", "siren,other\n" + "123456789,x\n" * 200_000)
    with pytest.raises(sirene.SireneFileError, match="columns missing: denominationUniteLegale"):
        sirene.read_sirene(path, ["123456789"])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("stock.xlsx", b"PK\x03\x04", "a .csv, a .zip holding one CSV or a .parquet, not .xlsx"),
        ("stock", b"siren\n", "not a file without extension"),
        ("stock.parquet", b"siren,name\n", "cannot be read as a StockUniteLegale file"),
        ("stock.zip", b"not a zip", "not a readable zip"),
    ],
)
def test_another_format_is_refused_with_a_reason(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(sirene.SireneFileError, match=message) as error:
        sirene.read_sirene(path, ["123456789"])
    assert str(error.value).startswith(f"{path}: ")


def test_a_zip_must_hold_one_csv(tmp_path):
    path = tmp_path / "stock.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.csv", "siren\n")
        archive.writestr("b.csv", "siren\n")
    with pytest.raises(sirene.SireneFileError, match=r"exactly one CSV file \(found: a.csv, b.csv"):
        sirene.read_sirene(path, ["123456789"])


def test_a_corrupt_zip_is_an_error_not_a_shorter_file(tmp_path):
    path = write(stock(ROWS * 5000), tmp_path, "zip")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(data)
    with pytest.raises(sirene.SireneFileError, match="cannot be"):
        sirene.read_sirene(path, WANTED)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(sirene.SireneFileError, match="no such file"):
        sirene.read_sirene(tmp_path / "absent.csv", ["123456789"])


def test_a_broken_row_is_an_error_not_a_shorter_file(tmp_path):
    path = write(stock(), tmp_path, "csv")
    path.write_text(path.read_text() + "100000099,too,few\n")
    with pytest.raises(sirene.SireneFileError, match="cannot be read as a StockUniteLegale"):
        sirene.read_sirene(path, WANTED)


# ---------------------------------------------------------------------------- legal forms


def test_every_insee_legal_form_resolves_to_a_kind():
    forms = sirene.resolve_legal_forms()
    assert forms.height == len(LABELS) == 260
    assert forms["legal_form_code"].to_list() == list(LABELS)
    assert set(forms["kind_id"]) <= sirene.LEGAL_FORM_KINDS
    assert forms["kind_id"].null_count() == 0


def test_every_row_of_the_mapping_is_used_and_a_full_code_row_carries_the_insee_label():
    table = sirene.legal_form_kinds()
    for prefix, label in table.select("code_prefix", "label").iter_rows():
        assert any(code.startswith(prefix) for code in LABELS), prefix
        if len(prefix) == 4:
            assert label == LABELS[prefix]


def test_cooperatives_and_scops_are_read_from_their_labels():
    kinds = dict(sirene.resolve_legal_forms().select("legal_form_code", "kind_id").iter_rows())
    for code, label in LABELS.items():
        if "(SCOP)" in label:
            assert kinds[code] == "scop", code
        elif "coopérative" in label.lower():
            assert kinds[code] == "cooperative", code
    assert sorted(code for code, kind in kinds.items() if kind == "scop") == [
        "5458",
        "5558",
        "5658",
    ]


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("1000", "for_profit"),
        ("5710", "for_profit"),
        ("5547", "cooperative"),  # HLM production cooperative: not a worker cooperative
        ("5194", "cooperative"),  # Crédit mutuel: a cooperative bank, not a mutual
        ("6411", "mutual"),
        ("8210", "mutual"),
        ("8110", "public_body"),
        ("7321", "public_body"),  # association syndicale autorisée: a public establishment
        ("4150", "public_body"),
        ("9260", "association"),
        ("9224", "for_profit"),  # AARPI: a law firm
        ("9300", "foundation"),
        ("8410", "unknown"),
    ],
)
def test_a_few_codes_land_where_the_doc_says(code, kind):
    kinds = dict(sirene.resolve_legal_forms().select("legal_form_code", "kind_id").iter_rows())
    assert kinds[code] == kind


def test_a_mapping_with_a_kind_sirene_cannot_tell_or_a_bad_prefix_is_refused():
    table = pl.DataFrame(
        {"code_prefix": ["5710", "57", "ab", "9"], "kind_id": ["ess_company", "scic", "x", "9"]}
    )
    with pytest.raises(ValueError) as error:
        sirene.check_legal_form_kinds(table)
    assert str(error.value) == (
        "legal-form kinds: prefixes that are not 1 to 4 digits: ab; "
        "kinds SIRENE cannot tell: 5710, 57, ab, 9"
    )


def test_a_given_mapping_replaces_the_file(tmp_path):
    table = pl.DataFrame({"code_prefix": ["5"], "kind_id": ["for_profit"]})
    read = sirene.read_sirene(write(stock(), tmp_path, "csv"), ["100000002"], table)
    assert read.units.select("kind_id", "is_ess").row(0) == ("ess_company", True)


def test_a_public_body_flagged_ess_stays_public_and_not_ess(tmp_path):
    row = ("100000013", "O", "", "", "", "", "COMMUNE", "7210", "84.11Z", "O", "A")
    read = sirene.read_sirene(write(stock([row]), tmp_path, "csv"), ["100000013"])
    assert read.units.select("kind_id", "is_ess", "ess_flag").row(0) == ("public_body", False, "O")


def test_each_kind_it_gives_is_a_kind_of_maillon_with_the_same_ess_status():
    kinds = pl.read_csv(TAXONOMY_DIR / "operator_kind.csv", infer_schema=False)
    is_ess = {kind: flag == "true" for kind, flag in kinds.select("kind_id", "is_ess").iter_rows()}
    for kind in sirene.KINDS:
        assert is_ess[kind] == (kind in sirene.ESS_BY_STATUTE | {"ess_company"}), kind
