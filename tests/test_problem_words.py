"""Import problems read in French on the French page (the rule tests check every message they
produce; here, the fixes of the business rules and the wording of a few messages)."""

import pytest

from maillon.admin.problem_words import FRENCH, in_french, translated
from maillon.database.validate import CHECKS_DIR, Problem, rule_fix


@pytest.mark.parametrize("path", sorted(CHECKS_DIR.glob("*.sql")), ids=lambda p: p.stem)
def test_every_business_rule_fix_has_a_french_wording(path):
    fix = rule_fix(path)
    assert fix and in_french(fix) != fix


def test_variable_parts_are_carried_over():
    assert in_french("unknown operator_id: no such row in operator") == (
        "operator_id inconnu : aucune ligne correspondante dans operator"
    )
    assert in_french(
        "overlaps ct_0001 at cp_ducos for domain culture (2016-01-01 to 2019-04-30 against "
        "2016-01-01 to 2019-04-30)"
    ) == (
        "chevauche ct_0001 à cp_ducos pour le domaine culture (du 2016-01-01 au 2019-04-30 "
        "contre du 2016-01-01 au 2019-04-30)"
    )


def test_english_stays_english_and_unknown_text_is_kept():
    problem = Problem("target.csv", 2, "value", "x", "is required but empty", "fill in a value")
    assert translated(problem, "en") == problem
    assert in_french("something new") == "something new"
    assert translated(Problem("(current data)", None, "-", "", "x", "y"), "fr").file == (
        "(données en service)"
    )


def test_no_two_patterns_match_the_same_text():
    samples = [p.pattern for p, _ in FRENCH]
    assert len(samples) == len(set(samples))
