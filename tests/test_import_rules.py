"""Every validation rule of an import, with the exact message and fix the admin sees (in English
here; every one also has its French wording).

Each test uploads demo files with one thing broken through `importer.check` (the path of the admin
page) against a database built from the demo files; nothing is published by a check.
"""

import io

import polars as pl
import pytest

from maillon.admin import import_log, importer
from maillon.data.paths import DEMO_DIR
from maillon.database.validate import Problem, ValidationError


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from maillon.database import build

    path = tmp_path_factory.mktemp("rules") / "maillon.duckdb"
    build.build(path, progress=lambda _line: None)
    return path


def demo(table: str) -> pl.DataFrame:
    return pl.read_csv(DEMO_DIR / f"{table}.csv", infer_schema=False)


def csv(frame: pl.DataFrame, separator: str = ",") -> bytes:
    return frame.write_csv(separator=separator).encode()


def edited(table: str, row: int, column: str, value: str | None) -> bytes:
    """The demo file with one cell changed; `row` counts data rows from 0 (file row = row + 2)."""
    frame = demo(table)
    values = frame[column].to_list()
    values[row] = value
    return csv(frame.with_columns(pl.Series(column, values, dtype=pl.String)))


def problems(db, *files: tuple[str, bytes]) -> list[Problem]:
    before = db.resolve()
    with pytest.raises(ValidationError) as refused:
        importer.check(list(files), "test", db)
    assert db.resolve() == before  # nothing published
    for problem in refused.value.problems:  # and the French page words it in French
        assert problem.problem_text("fr") != problem.problem, problem
        assert problem.fix_text("fr") != problem.fix, problem
    return refused.value.problems


def shown(problem: Problem) -> tuple:
    """What the reader of the English page sees: file, row, column, value, problem and fix."""
    return (problem.file, problem.row, problem.column, problem.value, problem.problem, problem.fix)


def only(found: list[Problem]) -> Problem:
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


# ---------------------------------------------------------------- columns, types, values


def test_a_missing_required_column(db):
    found = problems(db, ("target.csv", csv(demo("target").drop("unit"))))
    expected = "target_id, year, metric_id, scope, value, unit, provenance, source_id, note"
    assert shown(only(found)) == (
        "target.csv",
        1,
        "unit",
        "",
        "required column is missing",
        f"add a column named unit to the header row; expected columns: {expected}",
    )


def test_an_unknown_column(db):
    frame = demo("target").with_columns(pl.lit("x").alias("comment"))
    problem = only(problems(db, ("target.csv", csv(frame))))
    assert (problem.row, problem.column, problem.problem) == (1, "comment", "unknown column")
    assert problem.fix.startswith("remove this column or correct its name; expected columns: ")


def test_an_empty_required_value(db):
    problem = only(problems(db, ("target.csv", edited("target", 3, "metric_id", ""))))
    assert shown(problem) == (
        "target.csv",
        5,
        "metric_id",
        "",
        "is required but empty",
        "fill in a value",
    )


@pytest.mark.parametrize(
    ("table", "column", "value", "message", "fix"),
    [
        (
            "target",
            "value",
            "12,5",
            "is not a number, or is too large",
            "write digits with a dot for decimals, without spaces, thousands separators or "
            "currency sign, e.g. 1234.50",
        ),
        (
            "operator_result",
            "revenue_eur",
            "1e30",
            "is not a number with at most 2 decimals, or is too large",
            "write digits with a dot for decimals, without spaces, thousands separators or "
            "currency sign, e.g. 1234.50",
        ),
        (
            "contract_revenue",
            "revenue_eur",
            "1234.567",
            "is not a number with at most 2 decimals, or is too large",
            "write digits with a dot for decimals, without spaces, thousands separators or "
            "currency sign, e.g. 1234.50",
        ),
        (
            "target",
            "year",
            "2025.5",
            "is not a whole number, or is too large",
            "write digits only, without decimals, spaces or separators, e.g. 2025",
        ),
        (
            "contract",
            "start_date",
            "31/01/2025",
            "is not a date in the form YYYY-MM-DD",
            "write it as YYYY-MM-DD, e.g. 2025-01-31",
        ),
        (
            "association_partnership",
            "has_convention",
            "oui",
            "is not true or false",
            "write true or false",
        ),
    ],
)
def test_a_value_of_the_wrong_type(db, table, column, value, message, fix):
    problem = only(problems(db, (f"{table}.csv", edited(table, 0, column, value))))
    assert shown(problem) == (f"{table}.csv", 2, column, value, message, fix)


def test_a_value_outside_the_allowed_list(db):
    problem = only(problems(db, ("target.csv", edited("target", 1, "unit", "percent"))))
    assert shown(problem) == (
        "target.csv",
        3,
        "unit",
        "percent",
        "must be one of: eur, share, people, hours, count",
        "use one of the listed values, spelt exactly",
    )


def test_negative_money(db):
    problem = only(problems(db, ("contract.csv", edited("contract", 4, "awarded_value_eur", "-1"))))
    assert shown(problem) == (
        "contract.csv",
        6,
        "awarded_value_eur",
        "-1.00",
        "must not be negative",
        "enter zero or a positive value",
    )


def test_a_share_above_100_percent(db):
    problem = only(problems(db, ("target.csv", edited("target", 0, "value", "8"))))
    assert shown(problem) == (
        "target.csv",
        2,
        "value",
        "8.0",
        "a share must be between 0 and 1",
        "write a share as a fraction: 0.25 for 25%",
    )


def test_costs_above_revenue(db):
    frame = demo("operator_result")
    revenue = frame["revenue_eur"][0]
    broken = edited("operator_result", 0, "costs_eur", str(float(revenue) + 1))
    found = problems(db, ("operator_result.csv", broken))
    assert (
        "operator_result.csv",
        2,
        "costs_eur",
        f"{float(revenue) + 1:.2f}",
        "costs are greater than revenue",
        "check both amounts: costs_eur cannot exceed revenue_eur",
    ) in [shown(p) for p in found]


# ---------------------------------------------------------------- keys and references


def test_a_duplicate_key(db):
    frame = demo("target")
    found = problems(db, ("target.csv", csv(pl.concat([frame, frame.head(1)]))))
    assert (
        "target.csv",
        frame.height + 2,
        "target_id",
        frame["target_id"][0],
        "duplicate: the same key appears on an earlier row",
        "keep one row per key, or correct the key",
    ) in [shown(p) for p in found]


def test_a_duplicate_of_a_unique_combination(db):
    frame = demo("target")
    copy = frame.head(1).with_columns(pl.lit("t_copy").alias("target_id"))
    problem = only(problems(db, ("target.csv", csv(pl.concat([frame, copy])))))
    first = frame.row(0, named=True)
    assert shown(problem) == (
        "target.csv",
        frame.height + 2,
        "year + metric_id + scope",
        f"{first['year']} / {first['metric_id']} / {first['scope']}",
        "duplicate: the same year + metric_id + scope appears on an earlier row",
        "keep one row for each combination of these columns",
    )


@pytest.mark.parametrize(
    ("table", "column", "referenced"),
    [
        ("contract_establishment", "establishment_id", "establishment"),
        ("contract", "operator_id", "operator"),
        ("contract", "domain_id", "service_domain"),
    ],
)
def test_an_unknown_reference(db, table, column, referenced):
    problem = only(problems(db, (f"{table}.csv", edited(table, 2, column, "nowhere"))))
    assert shown(problem) == (
        f"{table}.csv",
        4,
        column,
        "nowhere",
        f"unknown {column}: no such row in {referenced}",
        f"correct the identifier, or add the row to {referenced} in the same import",
    )


def test_removing_a_row_that_others_still_use(db):
    """An operator removed from operator.csv while its contracts stay: the contracts are named."""
    operators = demo("operator")
    used = demo("contract")["operator_id"][0]
    found = problems(db, ("operator.csv", csv(operators.filter(pl.col("operator_id") != used))))
    assert found
    assert all(p.file.endswith(" (current data)") and p.value == used for p in found[:1])
    assert found[0].problem == "unknown operator_id: no such row in operator"


def test_a_header_only_file_says_so_first_and_every_problem_names_its_table(db):
    """operator.csv with its header alone: first the file is said empty, then each row of the
    data in service that refers to an operator is named by its table."""
    from maillon.admin import listings

    header = (DEMO_DIR / "operator.csv").read_text().splitlines()[0] + "\n"
    found = problems(db, ("operator.csv", header.encode()))
    assert shown(found[0]) == (
        "operator.csv",
        None,
        "-",
        "operator",
        "holds no data row for table operator, only its header: importing it would empty the table",
        "put the rows of operator under the header: a file replaces its whole table, so the rows "
        "of other tables that refer to operator would refer to nothing",
    )
    referring = found[1:]
    tables = {p.file.removesuffix(" (current data)") for p in referring}
    assert all(p.file.endswith(" (current data)") for p in referring)
    assert {"grouping_member", "contract"} <= tables and "" not in tables
    member = next(p for p in referring if p.file.startswith("grouping_member "))
    assert (member.row, member.column) == (2, "grouping_id")
    french = listings.problems_frame(found, "fr")["Fichier"].to_list()
    assert french[0] == "operator.csv"
    assert "grouping_member (données en service)" in french
    assert all(f.endswith(" (données en service)") for f in french[1:])


# ---------------------------------------------------------------- business rules


def test_reallocations_must_add_up_to_the_result(db):
    frame = demo("reallocation")
    first = frame.row(0, named=True)
    amount = float(first["amount_eur"]) + 10
    problem = only(
        problems(db, ("reallocation.csv", edited("reallocation", 0, "amount_eur", f"{amount:.2f}")))
    )
    result = demo("operator_result").filter(
        (pl.col("operator_id") == first["operator_id"]) & (pl.col("year") == first["year"])
    )["result_eur"][0]
    total = (
        frame.filter(
            (pl.col("operator_id") == first["operator_id"]) & (pl.col("year") == first["year"])
        )["amount_eur"]
        .cast(pl.Decimal(16, 2))
        .sum()
    )
    added = f"{float(total) + 10:.2f}"
    assert shown(problem) == (
        "reallocation.csv",
        2,
        "amount_eur",
        added,
        f"reallocations of {first['operator_id']} in {first['year']} add up to {added} "
        f"but its result is {result}",
        "correct the reallocation amounts of that operator and year so that they add up to "
        "result_eur in operator_result (include reserves, members and dividends).",
    )


def test_no_overlapping_contracts_for_one_establishment_and_domain(db):
    contracts = demo("contract")
    links = demo("contract_establishment")
    first = contracts.row(0, named=True)
    establishment = links.filter(pl.col("contract_id") == first["contract_id"])["establishment_id"][
        0
    ]
    clone = contracts.head(1).with_columns(pl.lit("ct_clone").alias("contract_id"))
    clone_link = pl.DataFrame({"contract_id": ["ct_clone"], "establishment_id": [establishment]})
    found = problems(
        db,
        ("contract.csv", csv(pl.concat([contracts, clone]))),
        ("contract_establishment.csv", csv(pl.concat([links, clone_link]))),
    )
    period = f"{first['start_date']} to {first['end_date']}"
    assert (
        "contract_establishment.csv",
        links.height + 2,
        "contract_id",
        "ct_clone",
        f"overlaps {first['contract_id']} at {establishment} for domain {first['domain_id']} "
        f"({period} against {period})",
        "end the earlier contract before the later one starts, or remove the establishment "
        "from one of the two contracts (contract_establishment).",
    ) in [shown(p) for p in found]


# ---------------------------------------------------------------- many problems


def test_every_row_in_error_is_counted_though_the_first_20_of_a_column_are_listed(db):
    """All 2,382 amounts written the French way: the page, the list and the log say 2,382."""
    from maillon.admin import listings
    from maillon.database.problems import problem_count

    contracts = demo("contract")
    french = [
        f"{float(v):,.2f}".replace(",", " ").replace(".", ",")
        for v in contracts["awarded_value_eur"]
    ]
    french_file = csv(contracts.with_columns(pl.Series("awarded_value_eur", french)))
    found = problems(db, ("contract.csv", french_file))
    assert [p.row for p in found[:20]] == list(range(2, 22))
    assert {p.message.key for p in found[:20]} == {"not_decimal"}
    more = found[20]
    assert shown(more) == (
        "contract.csv",
        None,
        "awarded_value_eur",
        "…",
        f"and {contracts.height - 20} more row(s) with this same problem "
        "(only the first 20 are listed)",
        found[0].fix,
    )
    assert len(found) == 21 and problem_count(found) == contracts.height == 2382
    assert listings.refused_text(found, "fr") == (
        "2\u202f382 problème(s) : rien n'a été importé. Corrigez les fichiers et vérifiez à "
        "nouveau. Seuls les 20 premiers problèmes de chaque colonne et de chaque règle sont "
        "listés ; une ligne à leur suite dit combien il y en a d'autres (dans la liste "
        "téléchargée aussi)."
    )
    assert listings.refused_text(found, "en").startswith("2,382 problem(s): nothing was imported.")
    listed = listings.problems_frame(found, "fr")
    assert listed.height == 21
    assert listed.row(20)[4] == (
        "et 2362 autre(s) ligne(s) avec ce même problème (seules les 20 premières sont listées)"
    )
    logged = import_log.read(db)[0]
    assert (logged["outcome"], logged["problems"]) == ("refused", 2382)
    assert listings.log_frame([logged], "en").row(0)[-1] == "refused (2,382)"


def test_a_business_rule_broken_many_times_is_counted_too(db):
    from maillon.database.problems import problem_count

    frame = demo("reallocation")
    more = [f"{float(v) + 10:.2f}" for v in frame["amount_eur"]]
    found = problems(
        db, ("reallocation.csv", csv(frame.with_columns(pl.Series("amount_eur", more))))
    )
    rule = [p for p in found if p.message.key.startswith("reallocation_adds_up.")]
    assert len(rule) == 20
    after = found[found.index(rule[-1]) + 1]
    groups = frame.select("operator_id", "year").unique().height
    assert (after.message.key, dict(after.message.params)) == (
        "more_rows",
        {"count": groups - 20, "listed": 20},
    )
    assert after.fix == rule[0].fix
    assert problem_count([*rule, after]) == groups


def test_every_row_with_a_missing_separator_is_counted(db):
    from maillon.database.problems import problem_count

    text = (DEMO_DIR / "target.csv").read_text().splitlines()
    text[1:31] = [line.replace(",", "", 1) for line in text[1:31]]
    found = problems(db, ("target.csv", ("\n".join(text) + "\n").encode()))
    assert [p.row for p in found[:20]] == list(range(2, 22))
    assert (
        found[20].problem
        == "and 10 more row(s) with this same problem (only the first 20 are listed)"
    )
    assert found[20].fix == found[0].fix
    assert len(found) == 21 and problem_count(found) == 30


# ---------------------------------------------------------------- files that cannot be read


@pytest.mark.parametrize(
    ("name", "data", "message", "fix_start"),
    [
        ("target.csv", b"", "the file is empty", "choose the file"),
        ("targets.csv", b"a\n1\n", "the name 'targets' is not a table of Maillon", "name the file"),
        ("target.txt", b"a\n1\n", "is not a file type Maillon reads", "upload .csv or .xlsx"),
        (
            "target.csv",
            "target_id,note\nt,Année\n".encode("cp1252"),
            "is not UTF-8 text (byte 0xe9 on line 2)",
            "save the file as",
        ),
        (
            "target.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00",
            "is not a text file (it holds binary data)",
            "save",
        ),
        ("target.csv", "a,b\n".encode("utf-16"), "is UTF-16 text, not UTF-8", "save the file as"),
        ("target.xlsx", b"PK\x03\x04 broken", "is not a readable XLSX workbook", "open it"),
        ("backup.zip", b"not a zip", "is not a readable zip file", "use a backup zip"),
    ],
)
def test_a_file_that_cannot_be_read(db, name, data, message, fix_start):
    problem = only(problems(db, (name, data)))
    assert problem.file == name
    assert problem.problem.startswith(message)
    assert problem.fix.startswith(fix_start)


def test_a_row_with_a_missing_separator(db):
    text = (DEMO_DIR / "target.csv").read_text().splitlines()
    text[3] = text[3].replace(",", "", 1)
    problem = only(problems(db, ("target.csv", ("\n".join(text) + "\n").encode())))
    assert (problem.row, problem.problem) == (4, "has 8 values but the header has 9 columns")
    assert problem.fix.startswith("check for a missing or extra ','")


def test_a_cell_past_the_csv_limit_is_said_where_and_how_long(db):
    """A 2 MB value in one field: the cell, its length and the limit, never Python's words."""
    text = (DEMO_DIR / "target.csv").read_text().splitlines()
    cells = text[3].split(",")
    cells[-1] = '"' + "long note, " * 200_000 + '"'
    text[3] = ",".join(cells)
    problem = only(problems(db, ("target.csv", ("\n".join(text) + "\n").encode())))
    assert shown(problem) == (
        "target.csv",
        4,
        "note",
        "long note, long note, long note, long no…",
        "the value is 2200000 characters long, over the 131072 a cell may hold",
        "shorten this value to at most 131072 characters",
    )
    assert problem.text("fr") == (
        "target.csv, ligne 4, colonne note = 'long note, long note, long note, long no…' : la "
        "valeur fait 2200000 caractères, plus que les 131072 qu'une cellule peut contenir "
        "(raccourcissez cette valeur à 131072 caractères au plus)"
    )
    assert "field limit" not in problem.text("fr") + problem.text("en")


def test_a_quote_that_never_closes_in_a_large_file_is_said_so(db):
    text = (DEMO_DIR / "target.csv").read_text().splitlines()
    text = text[:1] + [text[1].replace(",", ',"', 1)] + text[2:] * 4000
    problem = only(problems(db, ("target.csv", ("\n".join(text) + "\n").encode())))
    assert (problem.file, problem.row, problem.column) == ("target.csv", 2, "year")
    assert problem.problem == (
        "a value opened here with a double quote never closes: the rest of the file would be "
        "read as this one value"
    )
    assert problem.fix.startswith("check the double quotes on this line")


def test_a_table_given_twice(db):
    data = (DEMO_DIR / "target.csv").read_bytes()
    problem = only(problems(db, ("target.csv", data), ("TARGET.csv", data)))
    assert problem.problem == "table target is given twice (also in target.csv)"


def test_every_refused_check_is_logged(db):
    problems(db, ("target.csv", b""))
    last = import_log.read(db)[0]
    assert (last["action"], last["outcome"], last["problems"]) == ("check", "refused", 1)
    assert last["files"][0]["name"] == "target.csv"
    assert last["files"][0]["size"] == 0


# ---------------------------------------------------------------- what is accepted


def test_bom_semicolons_and_xlsx_with_date_cells_are_read(db):
    """French Excel habits: a BOM, semicolons, real date cells in a workbook."""
    import xlsxwriter

    targets = demo("target").with_columns(
        pl.when(pl.col("target_id") == "t_2019_ess_share")
        .then(pl.lit("0.09"))
        .otherwise(pl.col("value"))
        .alias("value")
    )
    contracts = demo("contract")
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer) as workbook:
        sheet = workbook.add_worksheet("contract")
        dates = workbook.add_format({"num_format": "dd/mm/yyyy"})
        sheet.write_row(0, 0, contracts.columns)
        for r, row in enumerate(contracts.iter_rows(), start=1):
            for c, (name, value) in enumerate(zip(contracts.columns, row, strict=True)):
                if name.endswith("_date"):
                    year, month, day = map(int, value.split("-"))
                    from datetime import datetime

                    sheet.write_datetime(r, c, datetime(year, month, day), dates)
                elif name == "awarded_value_eur":
                    sheet.write_number(r, c, float(value))
                else:
                    sheet.write_string(r, c, value)
    candidate = importer.check(
        [
            ("target.csv", b"\xef\xbb\xbf" + csv(targets, separator=";")),
            ("marches.xlsx", buffer.getvalue()),
        ],
        "test",
        db,
    )
    try:
        assert candidate.rows == {"contract": contracts.height, "target": targets.height}
        assert candidate.changes["contract"].unchanged, candidate.changes["contract"]
        change = candidate.changes["target"]
        assert (change.added, change.changed, change.removed) == (0, 1, 0)
        assert change.changed_cells.rows() == [("t_2019_ess_share", "value", "0.08", "0.09")]
    finally:
        importer.discard(candidate)
