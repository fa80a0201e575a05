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
    population,
    room,
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
    # Prices 25 % above the reference brought to the reference: 200 000 × (1 − 1 / 1.25) = 40 000 €
    # saved by the people detained, so the markets now earn 1 M€ − 40 000 € = 960 000 €.
    # Result 960 000 € × 5 % = 48 000 €; 40 % = 19 200 € minus 5 000 € today; 10 % = 4 800 €
    # minus 1 000 € today.
    one = yearly(SCOPE, CENTRAL)
    assert one.price_savings_eur == pytest.approx(40_000)
    assert one.reinsertion_eur == pytest.approx(14_200)
    assert one.family_eur == pytest.approx(3_800)
    assert one.certificates == pytest.approx(14.2)
    assert one.people_accompanied == pytest.approx(142)
    assert one.families_supported == pytest.approx(76)


def test_canteen_savings_come_out_of_the_canteen_revenue_the_result_is_earned_on():
    # Without a canteen, nothing is saved and the result is earned on the whole value.
    no_canteen = replace(SCOPE, canteen_sales_eur=0)
    assert yearly(no_canteen, CENTRAL).reinsertion_eur == pytest.approx(
        1_000_000 * 0.05 * 0.4 - 5_000
    )
    # An ESS markup above today's costs the people detained more and raises the revenue as much.
    dearer = yearly(SCOPE, replace(CENTRAL, ess_canteen_markup=0.5))
    assert dearer.price_savings_eur == pytest.approx(200_000 * (1 - 1.5 / 1.25))
    assert dearer.reinsertion_eur == pytest.approx((1_000_000 + 40_000) * 0.05 * 0.4 - 5_000)


def test_the_horizon_repeats_the_year_and_sums_it():
    years = over_years(SCOPE, CENTRAL, 2026, 3)
    assert list(years) == [2026, 2027, 2028]
    assert total(SCOPE, CENTRAL, 3).reinsertion_eur == pytest.approx(3 * 14_200)
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
    rows = sensitivity(replace(SCOPE, canteen_sales_eur=0), band)
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
    result = banded(replace(SCOPE, canteen_sales_eur=0), band)
    # Both operators give 10 000 € − 5 000 € today = 5 000 €; central 15 000 € is kept in the band.
    assert result["low"].reinsertion_eur == pytest.approx(5_000)
    assert result["central"].reinsertion_eur == pytest.approx(15_000)
    assert result["high"].reinsertion_eur == pytest.approx(15_000)
    assert yearly(replace(SCOPE, canteen_sales_eur=0), all_p90).reinsertion_eur == pytest.approx(
        45_000
    )


def test_the_band_is_the_p10_and_p90_of_the_operators_results():
    # Margins 1 %, 3 %, 5 %, 7 %, 9 % at 40 %: results 4 000 … 36 000 €, minus 5 000 € today.
    operators = tuple(replace(CENTRAL, margin=m / 100) for m in (1, 3, 5, 7, 9))
    result = banded(replace(SCOPE, canteen_sales_eur=0), Band(CENTRAL, CENTRAL, CENTRAL, operators))
    # Linear interpolation as DuckDB's quantile_cont: p10 = 4 000 + 0.4 × 8 000 = 7 200 €.
    assert result["low"].reinsertion_eur == pytest.approx(7_200 - 5_000)
    assert result["high"].reinsertion_eur == pytest.approx(32_800 - 5_000)
    assert result["low"].reinsertion_eur <= result["central"].reinsertion_eur
    assert result["central"].reinsertion_eur <= result["high"].reinsertion_eur


def test_without_observed_operators_there_is_no_spread():
    result = banded(SCOPE, Band(CENTRAL, CENTRAL, CENTRAL))
    assert result["low"] == result["central"] == result["high"] == yearly(SCOPE, CENTRAL)


# ---------------------------------------------------------------- bounded by the population


def test_the_population_concerned_by_hand():
    # 1 000 people held on average, 1.5 releases a year each: 1 500 released; 2 500 detained at
    # some time in the year; 0.8 family each: 2 000 families.
    people = population(1_000, 1.5, 0.8)
    assert people.people_released == pytest.approx(1_500)
    assert people.people_detained_in_year == pytest.approx(2_500)
    assert people.families_of_detainees == pytest.approx(2_000)


BOUNDED = replace(
    SCOPE,
    people_released=200,
    people_detained_in_year=400,
    families_of_detainees=100,
    accompanied_now=120,
    families_now=90,
    certificates_now=10,
)


def test_outcomes_stop_at_the_people_not_yet_reached():
    # Unbounded: 142 people accompanied, 76 families, 14.2 certificates (test above). Room left:
    # 200 − 120 = 80 released not yet accompanied; 100 − 90 = 10 families; 400 − 10 certificates.
    one = yearly(BOUNDED, CENTRAL)
    assert room(BOUNDED, "people_accompanied") == pytest.approx(80)
    assert one.people_accompanied == pytest.approx(80)
    assert one.families_supported == pytest.approx(10)
    assert one.certificates == pytest.approx(14.2)
    assert yearly(BOUNDED, CENTRAL, bounded=False).people_accompanied == pytest.approx(142)
    # Euros are not bounded: only what they buy.
    assert one.reinsertion_eur == pytest.approx(14_200)


def test_a_population_already_reached_leaves_no_room_and_losses_stop_at_what_is_reached():
    full = replace(BOUNDED, accompanied_now=250)  # the data say more than the people released
    assert room(full, "people_accompanied") == 0
    assert yearly(full, CENTRAL).people_accompanied == 0
    # A scenario returning much less than today loses at most the people reached today.
    worse = replace(CENTRAL, reinsertion_share=0.0, accompanied_per_eur=1.0)
    assert yearly(BOUNDED, worse).people_accompanied == pytest.approx(-120)


def test_the_band_is_bounded_too():
    operators = tuple(replace(CENTRAL, accompanied_per_eur=r) for r in (0.001, 0.01, 0.1))
    result = banded(BOUNDED, Band(CENTRAL, CENTRAL, CENTRAL, operators))
    for level in ("low", "central", "high"):
        assert result[level].people_accompanied <= room(BOUNDED, "people_accompanied") + 1e-9
    assert room(SCOPE, "people_accompanied") is None  # no population: not bounded


def test_a_link_with_an_impossible_assumption_falls_back_to_the_observed_one():
    from maillon.figures import scenario

    linked = {
        "_sc_margin": ["1.5"],  # 150 % of the revenue
        "_sc_family_share": ["inf"],
        "_sc_reinsertion_share": ["nan"],
        "_sc_ess_canteen_markup": ["1.2"],  # a markup may exceed 100 %
        "_sc_releases_per_person": ["1e400"],
    }
    settings = scenario.from_url(linked, [2024], "A")
    assert settings.overrides == (("ess_canteen_markup", 1.2),)
