"""Import and validation problems are message keys worded by the locale catalogs, in French and in
English like the rest of the interface: every key the code says (a `Message("key", ...)` in
maillon/, a key returned by a business rule of sql/checks/, the `fix` of each rule) has a wording
in both languages, with the placeholders the code fills. English is the command line's wording."""

import ast
import re
import string
from pathlib import Path

import pytest

from maillon.database.problems import CURRENT_DATA, Message, Problem, ValidationError
from maillon.database.validate import CHECKS_DIR, more_rows, rule_fix
from maillon.i18n import LANGUAGES, catalog

ROOT = Path(__file__).resolve().parent.parent
SECTION = "problems."


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def _messages_in_code() -> list[tuple[str, str, set[str] | None]]:
    """(where, key, keyword names or None when some are passed as **mapping) of every
    `Message("literal key", ...)` in maillon/."""
    found = []
    for path in sorted((ROOT / "maillon").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Message"):
                continue
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names = {k.arg for k in node.keywords}
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                found.append((where, first.value, None if None in names else names))
    return found


def _rule_keys(path: Path) -> set[str]:
    """The message keys a business rule returns: its string literals `'<file name>.<key>'`."""
    return set(re.findall(rf"'({re.escape(path.stem)}\.\w+)'", path.read_text()))


def _keys_in_code() -> set[str]:
    keys = {key for _, key, _ in _messages_in_code()}
    for path in CHECKS_DIR.glob("*.sql"):
        keys |= _rule_keys(path) | {rule_fix(path).key}
    return keys


def test_the_scan_finds_the_messages():
    keys = {key for _, key, _ in _messages_in_code()}
    assert {"missing_column", "not_a_table", "file_missing", "current_data_unusable"} <= keys


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_of_the_code_has_a_wording(lang):
    missing = sorted(k for k in _keys_in_code() if SECTION + k not in catalog(lang))
    assert missing == [], f"no {lang} wording in maillon/locales/{lang}/problems.toml"


@pytest.mark.parametrize("path", sorted(CHECKS_DIR.glob("*.sql")), ids=lambda p: p.stem)
def test_every_business_rule_says_its_problems_and_fix_by_key(path):
    text = path.read_text()
    assert _rule_keys(path), f"{path.name}: no '{path.stem}.<key>' returned as its problem"
    assert not re.search(r"'\w+\.\w+'", re.sub(rf"'{path.stem}\.\w+'", "", text)), (
        f"{path.name}: a message key outside the rule's own section"
    )
    values = set(re.findall(r"'(\w+)':", text))  # the MAP of every problem's values
    for key in _rule_keys(path):
        assert _fields(catalog("en")[SECTION + key]) <= values, key
    for lang in LANGUAGES:
        assert rule_fix(path).text(lang).strip()


def test_the_code_fills_every_placeholder_of_its_messages():
    for where, key, names in _messages_in_code():
        if names is None or SECTION + key not in catalog("en"):
            continue  # values given as a mapping; a missing wording fails above
        assert _fields(catalog("en")[SECTION + key]) == names, (where, key)


def test_both_languages_have_the_same_placeholders_and_every_wording_is_used():
    used = _keys_in_code() | {"current_data", "at_row", "line", "line_with_fix"}
    for key, english in catalog("en").items():
        if not key.startswith(SECTION):
            continue
        assert _fields(catalog("fr")[key]) == _fields(english), key
        assert key.removeprefix(SECTION) in used, f"{key} is said by no code"


def test_a_message_without_a_wording_fails():
    with pytest.raises(KeyError):
        Message("no_such_problem").text("fr")


def test_values_are_carried_over_in_french():
    assert Message("unknown_reference", column="operator_id", table="operator").text("fr") == (
        "operator_id inconnu : aucune ligne correspondante dans operator"
    )
    overlap = Message(
        "contract_overlap.overlap",
        other="ct_0001",
        establishment="cp_ducos",
        domain="culture",
        other_start="2016-01-01",
        other_end="2019-04-30",
        start="2016-01-01",
        end="2019-04-30",
    )
    assert overlap.text("en") == (
        "overlaps ct_0001 at cp_ducos for domain culture (2016-01-01 to 2019-04-30 against "
        "2016-01-01 to 2019-04-30)"
    )
    assert overlap.text("fr") == (
        "chevauche ct_0001 à cp_ducos pour le domaine culture (du 2016-01-01 au 2019-04-30 "
        "contre du 2016-01-01 au 2019-04-30)"
    )


def test_the_command_line_says_a_problem_in_english_and_the_page_in_the_readers_language():
    problem = Problem(
        "target.csv", 3, "unit", "percent", Message("not_allowed", values="eur, share")
    )
    assert str(problem) == "target.csv, row 3, column unit = 'percent': must be one of: eur, share"
    assert problem.problem == "must be one of: eur, share" and problem.fix == ""
    fixed = Problem("x.csv", None, "-", "", Message("empty_file"), Message("empty_file_fix"))
    assert (
        str(fixed)
        == "x.csv, column - = '': the file is empty (choose the file that holds the data)"
    )
    assert fixed.text("fr") == (
        "x.csv, colonne - = '' : le fichier est vide (choisissez le fichier qui contient les "
        "données)"
    )
    current = Problem(CURRENT_DATA, None, "-", "t", Message("no_table"))
    assert (current.file_text("en"), current.file_text("fr")) == (
        "(current data)",
        "(données en service)",
    )


def test_problems_compare_by_key_and_values():
    assert Message("not_a_table", name="a") == Message("not_a_table", name="a")
    assert Message("not_a_table", name="a") != Message("not_a_table", name="b")
    assert hash(Problem("f", 1, "c", "v", Message("negative"))) == hash(
        Problem("f", 1, "c", "v", Message("negative"))
    )


def test_the_admin_page_lists_problems_in_the_readers_language():
    from maillon.admin import listings

    problem = Problem(
        CURRENT_DATA,
        2,
        "unit",
        "percent",
        Message("not_allowed", values="eur, share"),
        Message("not_allowed_fix"),
    )
    assert listings.problems_frame([problem], "fr").row(0) == (
        "(données en service)",
        2,
        "unit",
        "percent",
        "doit être l'une des valeurs : eur, share",
        "utilisez l'une des valeurs de la liste, écrite à l'identique",
    )
    english = listings.problems_frame([problem], "en")
    assert english.columns == ["File", "Row", "Column", "Value", "Problem", "How to fix it"]
    assert english.row(0)[4:] == (
        "must be one of: eur, share",
        "use one of the listed values, spelt exactly",
    )


def test_a_refused_build_counts_every_problem_in_its_first_line():
    """The command line said '21 problem(s)' for 20 listed and a line counting 2,362 more."""
    listed = [
        Problem("contract.csv", row, "domain_id", "x", Message("unknown_reference_fix", table="t"))
        for row in range(2, 22)
    ]
    error = ValidationError([*listed, more_rows("contract.csv", "domain_id", 2382, None, 20)])
    assert str(error).startswith("2382 problem(s) in the input files:\n")
