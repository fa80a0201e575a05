"""The import formats: the documentation is generated and current, the templates match the schema,
and the demo files are valid examples of each format."""

import io
import re

import polars as pl
import pytest

from maillon.admin import import_formats
from maillon.data import catalog
from maillon.data.paths import DEMO_DIR, TAXONOMY_DIR
from maillon.database.validate import CHECKS_DIR


def test_the_documentation_is_up_to_date():
    assert import_formats.DOC_FILE.read_text() == import_formats.markdown(), (
        "docs/import-formats.md is out of date: run `uv run python -m maillon.admin.import_formats`"
    )


def test_every_table_and_column_is_documented():
    doc = import_formats.DOC_FILE.read_text()
    tables = catalog.entity_tables()
    assert [f.table for f in import_formats.formats()] == tables
    for found in import_formats.formats():
        section = doc.split(f"\n## {found.table}\n", 1)[1].split("\n## ", 1)[0]
        for column in found.columns:
            assert f"| `{column.name}` |" in section, (found.table, column.name)


def test_every_business_rule_is_in_the_documentation():
    doc = import_formats.DOC_FILE.read_text()
    for path in CHECKS_DIR.glob("*.sql"):
        first_line = re.search(r"-- Rules?: (.*)", path.read_text())[1]
        assert first_line.strip() in doc, path.name
        assert f"(`{path.name}`)" in doc


@pytest.mark.parametrize("table", catalog.entity_tables())
def test_csv_template_is_the_header_of_the_table(table):
    columns = [c.name for c in import_formats.table_format(table).columns]
    assert import_formats.template_csv(table).decode() == ",".join(columns) + "\n"


def test_xlsx_template_has_one_sheet_per_table_with_its_columns():
    sheets = pl.read_excel(
        io.BytesIO(import_formats.template_xlsx()), sheet_id=0, infer_schema_length=0
    )
    assert list(sheets) == [*catalog.entity_tables(), "README"]
    for found in import_formats.formats():
        assert sheets[found.table].columns == [c.name for c in found.columns]


def test_demo_and_taxonomy_files_are_examples_of_the_formats():
    checked = 0
    for folder in (DEMO_DIR, TAXONOMY_DIR):
        for path in folder.glob("*.csv"):
            if path.stem not in catalog.entity_tables():
                continue  # e.g. population_modeled.csv, appended to population_monthly
            header = path.open(encoding="utf-8").readline().strip().split(",")
            expected = [c.name for c in import_formats.table_format(path.stem).columns]
            assert sorted(header) == sorted(expected), path.name
            checked += 1
    assert checked >= 25


def test_an_unknown_table_is_a_clear_error():
    with pytest.raises(ValueError, match="'contracts' is not a table of Maillon"):
        import_formats.template_csv("contracts")


def test_every_worded_schema_rule_is_worded_in_the_documentation():
    from maillon.database.validate import RULE_WORDS

    assert set(import_formats.DOC_WORDS) == set(RULE_WORDS)
