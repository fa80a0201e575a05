"""The build: real figures exact, bad input refused with a clear message, old version kept."""

import os
import shutil

import duckdb
import polars as pl
import pytest

from maillon.data.paths import DEMO_DIR
from maillon.database import build
from maillon.database.validate import ValidationError
from tests.conftest import open_db


def _con(db):
    return open_db(db)


def test_national_total_at_july_2026_is_the_reference_figure(built_db):
    total = (
        _con(built_db)
        .execute("SELECT sum(detainees) FROM population_monthly WHERE month = DATE '2026-07-01'")
        .fetchone()[0]
    )
    assert total == 89_163


def test_all_186_establishments_with_chateaudun_in_eure_et_loir(built_db):
    con = _con(built_db)
    assert con.execute("SELECT count(*) FROM establishment").fetchone()[0] == 186
    row = con.execute(
        "SELECT departement_code, postal_code, region_code, latitude FROM establishment "
        "WHERE name = 'CD CHATEAUDUN'"
    ).fetchone()
    assert row[:3] == ("28", "28200", "24")
    assert 48.0 < row[3] < 48.1  # Châteaudun, not Orléans (47.9)


def test_population_before_april_2025_is_modeled_and_after_is_real(built_db):
    rows = (
        _con(built_db)
        .execute(
            "SELECT month >= DATE '2025-04-01' AND month NOT IN "
            "('2025-05-01', '2025-06-01', '2025-07-01') AS published, list(DISTINCT provenance) "
            "FROM population_monthly GROUP BY ALL ORDER BY 1"
        )
        .fetchall()
    )
    assert dict(rows) == {False: ["modeled"], True: ["real"]}


def test_every_fact_row_names_a_source_and_provenance(built_db):
    con = _con(built_db)
    for table in ("contract", "contract_revenue", "operator_result", "reallocation", "outcome"):
        bad = con.execute(
            f"SELECT count(*) FROM {table} LEFT JOIN source USING (source_id) "
            f"WHERE source.source_id IS NULL OR {table}.provenance <> 'illustrative'"
        ).fetchone()[0]
        assert bad == 0, table


def test_reallocation_by_market_sums_back_to_reallocation(built_db):
    con = _con(built_db)
    direct, attributed = con.execute(
        "SELECT (SELECT sum(amount_eur) FROM reallocation)::DOUBLE, "
        "(SELECT sum(amount_eur) FROM reallocation_by_market)"
    ).fetchone()
    assert attributed == pytest.approx(direct, rel=1e-9)


def test_canteen_rollup_equals_raw_sales(built_db):
    con = _con(built_db)
    raw, rollup = con.execute(
        "SELECT (SELECT sum(amount_eur) FROM canteen_sale), "
        "(SELECT sum(amount_eur) FROM canteen_sale_monthly)"
    ).fetchone()
    assert raw == rollup


@pytest.fixture()
def demo_copy(tmp_path):
    folder = tmp_path / "input"
    shutil.copytree(DEMO_DIR, folder)
    return folder


def _rewrite(path, old, new, count=1):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, count))


def _refused(db, folder) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        build.build(db, folder, progress=lambda _line: None)
    return caught.value


def test_a_broken_file_is_refused_and_the_previous_version_kept(built_db, demo_copy, tmp_path):
    db = tmp_path / "maillon.duckdb"
    first = build.build(db, DEMO_DIR, progress=lambda _line: None)
    lines = (demo_copy / "operator_result.csv").read_text().splitlines()
    header, row = lines[0].split(","), lines[1].split(",")
    row[header.index("costs_eur")] = "-5.00"
    lines[1] = ",".join(row)
    (demo_copy / "operator_result.csv").write_text("\n".join(lines) + "\n")
    error = _refused(db, demo_copy)
    messages = [str(p) for p in error.problems]
    assert any(
        p.file == "operator_result.csv"
        and p.row == 2
        and p.column == "costs_eur"
        and "must not be negative" in p.problem
        for p in error.problems
    ), messages
    assert os.path.realpath(db) == str(first)
    assert not list(db.with_name(db.name + ".versions").glob("*.partial"))


def test_an_unknown_reference_names_file_row_and_column(demo_copy, tmp_path):
    lines = (demo_copy / "contract.csv").read_text().splitlines()
    header = lines[0].split(",")
    row = lines[3].split(",")
    row[header.index("domain_id")] = "astrology"
    lines[3] = ",".join(row)
    (demo_copy / "contract.csv").write_text("\n".join(lines) + "\n")
    error = _refused(tmp_path / "x.duckdb", demo_copy)
    assert any(
        p.file == "contract.csv"
        and p.row == 4
        and p.column == "domain_id"
        and p.value == "astrology"
        and "no such row in service_domain" in p.problem
        for p in error.problems
    ), [str(p) for p in error.problems]
    assert not (tmp_path / "x.duckdb").exists()


def test_a_bad_date_and_a_missing_column_are_reported(demo_copy, tmp_path):
    lines = (demo_copy / "contract.csv").read_text().splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("start_date")] = "31/12/2020"
    lines[1] = ",".join(row)
    (demo_copy / "contract.csv").write_text("\n".join(lines) + "\n")
    text = (demo_copy / "outcome.csv").read_text().splitlines()
    (demo_copy / "outcome.csv").write_text(
        "\n".join(",".join(line.split(",")[:-1]) for line in text) + "\n"
    )
    problems = _refused(tmp_path / "x.duckdb", demo_copy).problems
    assert any(p.column == "start_date" and "YYYY-MM-DD" in p.problem for p in problems)
    assert any(
        p.file == "outcome.csv" and p.column == "source_id" and "missing" in p.problem
        for p in problems
    )


def test_reallocations_that_do_not_add_up_are_refused(demo_copy, tmp_path):
    lines = (demo_copy / "reallocation.csv").read_text().splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    amount = header.index("amount_eur")
    row[amount] = f"{float(row[amount]) + 1:.2f}"
    lines[1] = ",".join(row)
    (demo_copy / "reallocation.csv").write_text("\n".join(lines) + "\n")
    problems = _refused(tmp_path / "x.duckdb", demo_copy).problems
    assert any(
        p.file == "reallocation.csv" and "add up to" in p.problem and "result is" in p.problem
        for p in problems
    ), [str(p) for p in problems]


def test_overlapping_contracts_are_refused(demo_copy, tmp_path):
    import polars as pl

    contracts = pl.read_csv(demo_copy / "contract.csv", infer_schema=False)
    links = pl.read_csv(demo_copy / "contract_establishment.csv", infer_schema=False)
    first = contracts.row(0, named=True)
    site = links.filter(pl.col("contract_id") == first["contract_id"])["establishment_id"][0]
    clone = {**first, "contract_id": "ct_clone", "lot": "Lot clone"}
    pl.concat([contracts, pl.DataFrame([clone])]).write_csv(demo_copy / "contract.csv")
    pl.concat(
        [links, pl.DataFrame([{"contract_id": "ct_clone", "establishment_id": site}])]
    ).write_csv(demo_copy / "contract_establishment.csv")
    problems = _refused(tmp_path / "x.duckdb", demo_copy).problems
    assert any("overlaps" in p.problem and p.value == "ct_clone" for p in problems), [
        str(p) for p in problems
    ]


def test_a_file_that_is_not_utf8_csv_is_refused(demo_copy, tmp_path):
    (demo_copy / "operator.csv").write_bytes(b"\xff\xfe\x00garbage\x00\x81\x82")
    problems = _refused(tmp_path / "x.duckdb", demo_copy).problems
    assert any(p.file == "operator.csv" for p in problems)


def test_cli_refuses_with_exit_code_1_and_says_the_old_file_is_kept(demo_copy, tmp_path, capsys):
    (demo_copy / "operator.csv").write_text("operator_id,name\nop_1,Test\n")
    code = build.main(["--input", str(demo_copy), "--db", str(tmp_path / "cli.duckdb")])
    err = capsys.readouterr().err
    assert code == 1
    assert "Build refused" in err and "operator.csv" in err and "required column is missing" in err


def _older_version(built_db, tmp_path):
    """A copy of the demo database as an older Maillon wrote it: a table its schema did not have
    yet, a derived table computed differently, and data of its own (an edited target)."""
    db = tmp_path / "maillon.duckdb"
    shutil.copy(built_db.resolve(), db)
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE joint_action_establishment")
    con.execute("DROP TABLE market_revenue")
    con.execute("CREATE TABLE market_revenue AS SELECT 1 AS year")
    con.execute(
        "UPDATE target SET value = 123456 WHERE target_id = (SELECT min(target_id) FROM target)"
    )
    con.close()
    return db


def test_a_database_from_an_older_schema_is_brought_up_to_date_keeping_its_data(built_db, tmp_path):
    db = _older_version(built_db, tmp_path)
    assert build.outdated_tables(db) == ["joint_action_establishment", "market_revenue"]

    build.ensure_database(db, progress=lambda _line: None)

    assert build.outdated_tables(db) == []
    assert os.path.islink(db)  # published as a new version; the old file is kept beside it
    with _con(db) as new, _con(built_db) as demo:
        # Its own data carried over, the missing table from the demo files, derived recomputed.
        edited = "SELECT value FROM target WHERE target_id = (SELECT min(target_id) FROM target)"
        assert new.sql(edited).fetchall() == [(123456,)]
        for table in ("joint_action_establishment", "market_revenue", "contract_revenue"):
            count = f"SELECT count(*) FROM {table}"
            assert new.sql(count).fetchall() == demo.sql(count).fetchall(), table


def test_an_up_to_date_database_is_left_as_it_is(built_db):
    version = built_db.resolve()
    build.ensure_database(built_db, progress=lambda _line: None)
    assert built_db.resolve() == version


def _version_before_english_titles(folder):
    """The demo database as a Maillon without source.title_en / publisher_en / licence_en wrote
    it, with a source an import added (cited by a target)."""
    schema = folder / "schema.sql"
    lines = build.SCHEMA_FILE.read_text().splitlines(keepends=True)
    new = ("title_en", "publisher_en", "licence_en")  # their column lines and comments
    schema.write_text("".join(line for line in lines if not any(c in line for c in new)))
    taxonomy = folder / "taxonomy"
    shutil.copytree(build.TAXONOMY_DIR, taxonomy)
    sources = pl.read_csv(taxonomy / "source.csv", infer_schema=False)
    sources.drop(*new).write_csv(taxonomy / "source.csv")
    db = folder / "maillon.duckdb"
    build._schema()  # the current schema, read before the older one is written
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "SCHEMA_FILE", schema)
        patch.setattr(build, "TAXONOMY_DIR", taxonomy)
        build.build(db, DEMO_DIR, progress=lambda _line: None)
    with duckdb.connect(str(db)) as con:
        con.execute(
            "INSERT INTO source VALUES ('decp_x', 'DECP : x.json', 'data.gouv.fr', NULL, "
            "'Licence Ouverte 2.0 (Etalab)', 'real', '2024-01-01', NULL)"
        )
        con.execute(
            "UPDATE target SET source_id = 'decp_x' "
            "WHERE target_id = (SELECT min(target_id) FROM target)"
        )
    return db


def test_an_upgrade_of_the_sources_keeps_those_imports_added(tmp_path):
    db = _version_before_english_titles(tmp_path)
    assert build.outdated_tables(db) == ["source"]

    build.ensure_database(db, progress=lambda _line: None)

    assert build.outdated_tables(db) == []
    with _con(db) as con:
        sources = con.sql(
            "SELECT source_id, title, title_en FROM source "
            "WHERE source_id IN ('decp_x', 'maillon_demo') ORDER BY 1"
        ).fetchall()
        cited = "SELECT source_id FROM target WHERE target_id = (SELECT min(target_id) FROM target)"
        assert con.sql(cited).fetchall() == [("decp_x",)]
    assert sources == [
        ("decp_x", "DECP : x.json", None),  # carried over, no English yet
        (
            "maillon_demo",
            "Jeu de démonstration Maillon (données inventées)",
            "Maillon demonstration data set (invented data)",  # from the product's file
        ),
    ]


def test_a_row_more_real_than_its_source_is_refused(demo_copy, tmp_path):
    """An invented operator marked 'real' would have counted as real on every page."""
    _rewrite(
        demo_copy / "operator.csv",
        "op_002,Imaginor Gestion Pénitentiaire SA,for_profit,false,illustrative,maillon_demo",
        "op_002,Imaginor Gestion Pénitentiaire SA,for_profit,false,real,maillon_demo",
    )
    error = _refused(tmp_path / "x.duckdb", demo_copy)
    found = [p for p in error.problems if p.column == "provenance"]
    assert [(p.file, p.row, p.value) for p in found] == [("operator.csv", 3, "real")]
    assert "more real than the source it cites" in found[0].problem
    assert not (tmp_path / "x.duckdb").exists()


def test_a_modeled_row_citing_an_invented_source_is_refused_a_less_real_row_kept(
    demo_copy, tmp_path
):
    """The rank is real, then modeled, then illustrative: a row may be less real than its
    source (invented figures about a real place), never more."""
    _rewrite(
        demo_copy / "operator.csv",
        "op_002,Imaginor Gestion Pénitentiaire SA,for_profit,false,illustrative,maillon_demo",
        "op_002,Imaginor Gestion Pénitentiaire SA,for_profit,false,modeled,maillon_demo",
    )
    error = _refused(tmp_path / "x.duckdb", demo_copy)
    assert [(p.row, p.value) for p in error.problems if p.column == "provenance"] == [
        (3, "modeled")
    ]
    _rewrite(
        demo_copy / "operator.csv",
        "op_002,Imaginor Gestion Pénitentiaire SA,for_profit,false,modeled,maillon_demo",
        "op_002,Imaginor Gestion Pénitentiaire SA,for_profit,false,illustrative,"
        "ref_establishments_2026_07",
    )
    build.build(tmp_path / "y.duckdb", demo_copy, progress=lambda _line: None)
