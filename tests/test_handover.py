"""The hand-over pack (issue 20, item 1): for a demo local group, every section holds exactly what
independent SQL written here on the base tables finds; "what changed since last year" equals the
set differences of that SQL for the year and the year before; the zip holds a CSV per section, a
workbook read back with the same rows and a vCard read back line by line; hostile names stay
inert in the PDF's HTML, the CSV, the XLSX and the vCard; the command line; the page's tab in French
and English."""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from maillon.exports import handover as handover_files
from maillon.figures import handover
from maillon.figures.handover import Subject
from tests.page_helpers import open_page, open_tab, sql_all

GROUP = "lg_024"  # a demo group whose 2024 pack changed in every section since 2023
YEAR = 2024
DAY = date(2026, 11, 30)
ROOT = Path(__file__).resolve().parent.parent
HOSTILE = '=HYPERLINK("http://evil.example","x"), <script>alert(1)</script>; \\ fin'

# The group's association and area, then each section's keys for a year, from the base tables.
GROUP_SQL = "SELECT association_id, disp FROM local_group WHERE local_group_id = ?"
CURRENT = "p.since_year <= $year AND coalesce(p.ended_year, 9999) > $year"
PARTNERS_SQL = f"""
    SELECT p.partnership_id,
           CASE WHEN p.association_id = $a THEN p.partner_id ELSE p.association_id END
    FROM association_partnership AS p
    WHERE (p.association_id = $a OR p.partner_id = $a) AND {CURRENT}"""
CONVENTIONS_SQL = f"""
    SELECT p.partnership_id FROM association_partnership AS p
    WHERE (p.association_id = $a OR p.partner_id = $a) AND {CURRENT} AND p.has_convention
      AND ((year(p.convention_signed_on) <= $year AND year(p.convention_renewal_on) >= $year)
           OR year(p.convention_renewal_on) = $year + 1)
    UNION ALL
    SELECT c.convention_id FROM institution_convention AS c
    JOIN institution AS i ON i.institution_id = c.institution_id
    WHERE c.association_id = $a AND (i.disp IS NULL OR i.disp = $disp)
      AND ((year(c.valid_from) <= $year AND year(c.valid_to) >= $year)
           OR (year(c.renewal_on) = $year + 1 AND c.renewal_state <> 'renewed'))"""
ESTABLISHMENTS_SQL = """
    SELECT establishment_id FROM local_group_establishment
    WHERE local_group_id = $group AND year = $year"""
ACTIONS_SQL = f"""
    SELECT DISTINCT j.action_id, year(j.action_date) = $year
    FROM joint_action AS j
    JOIN joint_action_partner AS p ON p.action_id = j.action_id
    JOIN joint_action_establishment AS x ON x.action_id = j.action_id
    WHERE p.association_id = $a AND year(j.action_date) >= $year
      AND x.establishment_id IN ({ESTABLISHMENTS_SQL})"""


def expected(db, year: int) -> dict[str, set]:
    association, disp = sql_all(db, GROUP_SQL, [GROUP])[0]
    params = {"a": association, "disp": disp, "group": GROUP, "year": year}

    def rows(query: str) -> set:
        used = {k: v for k, v in params.items() if f"${k}" in query}
        return set(sql_all(db, query, used))

    return {
        "partners": rows(PARTNERS_SQL),
        "conventions": {row[0] for row in rows(CONVENTIONS_SQL)},
        "establishments": {row[0] for row in rows(ESTABLISHMENTS_SQL)},
        "actions": rows(ACTIONS_SQL),
    }


def found(pack: handover.HandoverPack) -> dict[str, set]:
    return {
        "partners": set(pack.partners.select("partnership_id", "partner_id").iter_rows()),
        "conventions": set(pack.conventions["convention_id"]),
        "establishments": set(pack.establishments["establishment_id"]),
        "actions": {
            (a, s == "done") for a, s in pack.actions.select("action_id", "status").iter_rows()
        },
    }


@pytest.fixture(scope="module")
def pack(built_db) -> handover.HandoverPack:
    return handover.build(Subject(group_id=GROUP), YEAR)


def test_each_section_is_what_independent_sql_finds(pack, built_db):
    want = expected(built_db, YEAR)
    assert found(pack) == want
    assert all(want.values()), "the demo group should fill every section"
    assert pack.groups["local_group_id"].to_list() == [GROUP]
    # The establishments' data are the establishment table's own, and marked real.
    names = dict(sql_all(built_db, "SELECT establishment_id, name FROM establishment"))
    assert all(
        names[e] == n for e, n in pack.establishments.select("establishment_id", "name").iter_rows()
    )
    assert set(pack.establishments["establishment_provenance"]) == {"real"}
    assert set(pack.establishments["visit_provenance"]) == {"illustrative"}


def test_what_changed_is_the_difference_of_the_two_years(pack, built_db):
    now, before = expected(built_db, YEAR), expected(built_db, YEAR - 1)
    keyed = {
        "partners": lambda rows: {f"{p}/{a}" for p, a in rows},
        "conventions": set,
        "establishments": set,
    }
    want = {
        (section, change, key)
        for section, as_keys in keyed.items()
        for change, keys in (
            ("added", as_keys(now[section]) - as_keys(before[section])),
            ("removed", as_keys(before[section]) - as_keys(now[section])),
        )
        for key in keys
    }
    got = set(pack.changes.select("section", "change", "key").iter_rows())
    assert got == want
    assert {section for section, _, _ in got} == set(keyed), "a change in every section"


def test_an_area_gathers_its_groups(built_db):
    disp = sql_all(built_db, GROUP_SQL, [GROUP])[0][1]
    area = handover.build(Subject(disp=disp), YEAR)
    groups = {
        g
        for (g,) in sql_all(
            built_db, "SELECT local_group_id FROM local_group WHERE disp = ?", [disp]
        )
    }
    assert set(area.groups["local_group_id"]) == groups
    visited = sql_all(
        built_db,
        "SELECT DISTINCT v.establishment_id FROM local_group_establishment AS v "
        "JOIN local_group AS g USING (local_group_id) WHERE g.disp = ? AND v.year = ?",
        [disp, YEAR],
    )
    assert set(area.establishments["establishment_id"]) == {e for (e,) in visited}


def test_unknown_group_area_or_year_is_refused(built_db):
    for subject, year in (
        (Subject(group_id="lg_999"), YEAR),
        (Subject(disp="DISP NULLE PART"), YEAR),
        (Subject(group_id=GROUP), 1990),
    ):
        with pytest.raises(handover.UnknownSubject):
            handover.build(subject, year)


def _zip(pack, lang: str) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(handover_files.zip_bytes(pack, lang))) as archive:
        return {Path(name).name: archive.read(name) for name in archive.namelist()}


def _workbook(files: dict[str, bytes]) -> io.BytesIO:
    return io.BytesIO(next(v for k, v in files.items() if k.endswith(".xlsx")))


def read_vcards(text: str) -> list[dict[str, str]]:
    """vCards read line by line (folded lines joined): each BEGIN has its END, nothing outside."""
    assert text.endswith("\r\n")
    lines = text.replace("\r\n ", "").split("\r\n")[:-1]
    cards, card = [], None
    for line in lines:
        name, _, value = line.partition(":")
        if line == "BEGIN:VCARD":
            assert card is None
            card = {}
        elif line == "END:VCARD":
            assert card is not None
            cards.append(card)
            card = None
        else:
            assert card is not None, line
            card[name.split(";")[0]] = value
    assert card is None
    return cards


def _unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_zip_holds_csv_workbook_and_vcard(pack, lang):
    files = _zip(pack, lang)
    csvs = sorted(name for name in files if name.endswith(".csv"))
    assert len(csvs) == len(handover.READING_ORDER)
    counts = {name: len(list(csv.reader(io.StringIO(files[name].decode())))) - 1 for name in csvs}
    tables = [handover.table(pack, name, lang) for name in handover.READING_ORDER]
    assert list(counts.values()) == [frame.height for frame in tables]
    sheets = pl.read_excel(_workbook(files), sheet_id=0)  # every sheet, in order
    assert [frame.height for frame in list(sheets.values())[: len(tables)]] == [
        frame.height for frame in tables
    ]
    cards = read_vcards(next(v for k, v in files.items() if k.endswith(".vcf")).decode())
    assert len(cards) == pack.partners["partner_id"].n_unique()
    assert all(card["KIND"] == "org" and card["VERSION"] == "4.0" for card in cards)
    assert {_unescape(card["ORG"]) for card in cards} == set(pack.partners["partner"])
    assert all(card["EMAIL"].endswith(".example.org") for card in cards)


def hostile_pack(pack) -> handover.HandoverPack:
    partners = pack.partners.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit(HOSTILE))
        .otherwise(pl.col("partner"))
        .alias("partner"),
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit(HOSTILE))
        .otherwise(pl.col("association"))
        .alias("association"),
    )
    groups = pack.groups.with_columns(pl.lit(HOSTILE).alias("association"))
    return dataclasses.replace(pack, partners=partners, groups=groups)


def test_hostile_names_stay_inert_everywhere(pack):
    hostile = hostile_pack(pack)
    page = handover_files.build_html(hostile, "fr", DAY)
    assert "<script" not in page and "&lt;script&gt;" in page
    files = _zip(hostile, "fr")
    for name, data in files.items():
        if name.endswith(".csv"):
            cells = [cell for row in csv.reader(io.StringIO(data.decode())) for cell in row]
            assert "'" + HOSTILE in cells or name[:2] not in ("01", "03"), name
            assert not any(cell.startswith(("=", "@")) for cell in cells), name
    sheets = pl.read_excel(_workbook(files), sheet_id=0, infer_schema_length=0)
    values = [v for frame in sheets.values() for column in frame.iter_columns() for v in column]
    assert "'" + HOSTILE in values
    assert not any(str(v).startswith(("=", "@")) for v in values if v)
    with zipfile.ZipFile(_workbook(files)) as book:  # no cell of any sheet holds a formula
        xml = [book.read(n) for n in book.namelist() if n.startswith("xl/worksheets/")]
    assert xml and not any(b"<f>" in part or b"<f " in part for part in xml)
    vcf = next(v for k, v in files.items() if k.endswith(".vcf")).decode()
    cards = read_vcards(vcf)  # the commas and semicolons of the name add no property
    assert {tuple(card) for card in cards} <= {
        ("VERSION", "KIND", "FN", "ORG", "ADR", "EMAIL", "TEL")
    }
    named = [card for card in cards if "HYPERLINK" in card["ORG"]]
    assert len(named) == 1 and _unescape(named[0]["ORG"]) == "'" + HOSTILE
    assert all(not card["ORG"].startswith(("=", "@", "+", "-")) for card in cards)


def test_pdf_prints(pack):
    data = handover_files.pdf(pack, "fr", DAY)
    assert data.startswith(b"%PDF")


def test_command_line_writes_both_files_and_refuses_unknown(built_db, tmp_path):
    command = [sys.executable, "-m", "maillon.exports.handover", "--year", str(YEAR)]
    env = {**os.environ, "MAILLON_DB": str(built_db)}
    done = subprocess.run(
        [*command, "--group", GROUP, "--lang", "en", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    written = sorted(p.suffix for p in tmp_path.iterdir())
    assert written == [".pdf", ".zip"]
    refused = subprocess.run(
        [*command, "--group", "lg_999", "--out", str(tmp_path / "no")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert refused.returncode == 2
    assert refused.stderr.strip() == "Groupe local inconnu : lg_999."
    assert "Traceback" not in refused.stderr and not (tmp_path / "no").exists()


@pytest.mark.parametrize(
    ("lang", "tab", "heading"),
    [("fr", "Passation", "Partenaires"), ("en", "Hand-over", "Partners")],
)
def test_the_page_shows_the_hand_over_tab(built_db, lang, tab, heading):
    at = open_page("associations", lang=lang)
    assert tab in [t.label for t in at.tabs]
    at = open_tab(at, "associations_tab", tab)
    assert any(heading in m.value for m in at.markdown)
    assert len(at.get("download_button")) >= 2
    assert len(at.dataframe) >= 3


def test_demo_groups_have_organisational_fictional_contacts_and_change_yearly(built_db):
    rows = sql_all(built_db, "SELECT contact_role, email, phone, disp FROM local_group")
    assert len(rows) >= 10
    assert all(
        role.split()[0] in {"responsable", "coordination", "secrétariat"} for role, *_ in rows
    )
    assert all(email.endswith(".example.org") for _, email, _, _ in rows)
    assert all(phone.startswith("+33 1 99 00 ") for _, _, phone, _ in rows)
    # A group only goes to establishments of its own area.
    outside = sql_all(
        built_db,
        "SELECT count(*) FROM local_group_establishment AS v JOIN local_group AS g "
        "USING (local_group_id) JOIN establishment AS e USING (establishment_id) "
        "WHERE e.disp <> g.disp",
    )
    assert outside == [(0,)]
    changed = sql_all(
        built_db,
        "SELECT count(DISTINCT a.local_group_id) FROM local_group_establishment AS a "
        "WHERE a.year = 2025 AND NOT EXISTS (SELECT 1 FROM local_group_establishment AS b "
        "WHERE b.local_group_id = a.local_group_id AND b.establishment_id = a.establishment_id "
        "AND b.year = 2024)",
    )
    assert changed[0][0] >= 3, "a few groups take up a new establishment each year"
