"""The scenario calculation on small cases worked out by hand."""

from dataclasses import replace

import pytest

from maillon.figures.scenario_model import (
    ASSUMPTIONS,
    Assumptions,
    Band,
    ScopeFigures,
    banded,
    over_years,
    sensitivity,
    total,
    yearly,
)

SCOPE = ScopeFigures(
    market_value_eur=1_000_000,
    current_reinsertion_eur=5_000,
    current_family_eur=1_000,
    canteen_sales_eur=200_000,
    current_canteen_markup=0.25,
)
CENTRAL = Assumptions(
    margin=0.05,
    reinsertion_share=0.4,
    family_share=0.1,
    certificates_per_eur=0.001,
    accompanied_per_eur=0.01,
    families_per_eur=0.02,
    ess_canteen_markup=0.0,
)


def test_a_hand_computed_year():
    # result 1 M€ × 5 % = 50 000 €; 40 % = 20 000 € minus 5 000 € today; 10 % = 5 000 € minus 1 000.
    one = yearly(SCOPE, CENTRAL)
    assert one.reinsertion_eur == pytest.approx(15_000)
    assert one.family_eur == pytest.approx(4_000)
    assert one.certificates == pytest.approx(15)
    assert one.people_accompanied == pytest.approx(150)
    assert one.families_supported == pytest.approx(80)
    # Prices 25 % above the reference brought to the reference: 200 000 × (1 − 1 / 1.25).
    assert one.price_savings_eur == pytest.approx(40_000)


def test_the_horizon_repeats_the_year_and_sums_it():
    years = over_years(SCOPE, CENTRAL, 2026, 3)
    assert list(years) == [2026, 2027, 2028]
    assert total(SCOPE, CENTRAL, 3).reinsertion_eur == pytest.approx(45_000)
    assert total(SCOPE, CENTRAL, 0).reinsertion_eur == 0


def test_zero_scope_gives_zero():
    one = yearly(ScopeFigures(), CENTRAL)
    assert all(value == 0 for value in vars(one).values())


@pytest.mark.parametrize(
    ("assumption", "results"),
    [
        ("margin", ("reinsertion_eur", "family_eur", "people_accompanied", "families_supported")),
        ("reinsertion_share", ("reinsertion_eur", "certificates", "people_accompanied")),
        ("family_share", ("family_eur", "families_supported")),
        ("certificates_per_eur", ("certificates",)),
        ("accompanied_per_eur", ("people_accompanied",)),
        ("families_per_eur", ("families_supported",)),
    ],
)
def test_each_assumption_raises_the_results_it_drives(assumption, results):
    lower, higher = (
        yearly(SCOPE, replace(CENTRAL, **{assumption: getattr(CENTRAL, assumption) * f}))
        for f in (1, 1.5)
    )
    for result in results:
        assert getattr(higher, result) > getattr(lower, result), result


def test_a_lower_ess_markup_saves_more_and_more_market_value_returns_more():
    cheap = yearly(SCOPE, replace(CENTRAL, ess_canteen_markup=0.0))
    dear = yearly(SCOPE, replace(CENTRAL, ess_canteen_markup=0.1))
    assert cheap.price_savings_eur > dear.price_savings_eur
    bigger = replace(SCOPE, market_value_eur=2_000_000)
    assert yearly(bigger, CENTRAL).reinsertion_eur > yearly(SCOPE, CENTRAL).reinsertion_eur


def test_sensitivity_ranks_the_assumption_with_the_widest_swing_first():
    band = Band(
        low=replace(CENTRAL, margin=0.04, reinsertion_share=0.2),
        central=CENTRAL,
        high=replace(CENTRAL, margin=0.06, reinsertion_share=0.6),
    )
    rows = sensitivity(SCOPE, band)
    # reinsertion share 0.2 → 0.6 on 50 000 €: 20 000 € swing; margin 4 → 6 % at 40 %: 8 000 €.
    assert [r["assumption"] for r in rows[:2]] == ["reinsertion_share", "margin"]
    assert rows[0]["swing"] == pytest.approx(20_000)
    assert rows[1]["swing"] == pytest.approx(8_000)
    assert {r["assumption"] for r in rows} == set(ASSUMPTIONS)


def test_the_band_takes_each_operator_as_a_whole_not_the_product_of_p90s():
    # Two ESS operators, each good at one thing: A has a 10 % margin but gives 10 % to
    # reinsertion, B a 2 % margin but gives 50 %. Results on 1 M€: A 10 000 €, B 10 000 €.
    a = replace(CENTRAL, margin=0.10, reinsertion_share=0.1)
    b = replace(CENTRAL, margin=0.02, reinsertion_share=0.5)
    all_p90 = replace(CENTRAL, margin=0.10, reinsertion_share=0.5)  # 50 000 €: nobody does that
    band = Band(low=CENTRAL, central=CENTRAL, high=all_p90, operators=(a, b))
    result = banded(SCOPE, band)
    # Both operators give 10 000 € − 5 000 € today = 5 000 €; central 15 000 € is kept in the band.
    assert result["low"].reinsertion_eur == pytest.approx(5_000)
    assert result["central"].reinsertion_eur == pytest.approx(15_000)
    assert result["high"].reinsertion_eur == pytest.approx(15_000)
    assert yearly(SCOPE, all_p90).reinsertion_eur == pytest.approx(45_000)


def test_the_band_is_the_p10_and_p90_of_the_operators_results():
    # Margins 1 %, 3 %, 5 %, 7 %, 9 % at 40 %: results 4 000 … 36 000 €, minus 5 000 € today.
    operators = tuple(replace(CENTRAL, margin=m / 100) for m in (1, 3, 5, 7, 9))
    result = banded(SCOPE, Band(CENTRAL, CENTRAL, CENTRAL, operators))
    # Linear interpolation as DuckDB's quantile_cont: p10 = 4 000 + 0.4 × 8 000 = 7 200 €.
    assert result["low"].reinsertion_eur == pytest.approx(7_200 - 5_000)
    assert result["high"].reinsertion_eur == pytest.approx(32_800 - 5_000)
    assert result["low"].reinsertion_eur <= result["central"].reinsertion_eur
    assert result["central"].reinsertion_eur <= result["high"].reinsertion_eur


def test_without_observed_operators_there_is_no_spread():
    result = banded(SCOPE, Band(CENTRAL, CENTRAL, CENTRAL))
    assert result["low"] == result["central"] == result["high"] == yearly(SCOPE, CENTRAL)
