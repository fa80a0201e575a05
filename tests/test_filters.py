"""Links with good, bad and hostile parameters: parsed or ignored with a notice, never a crash."""

import pytest

from maillon.data.filters import FilterOptions, Filters, Notice, parse

OPTIONS = FilterOptions(
    years=(2019, 2020, 2021, 2022, 2023, 2024, 2025),
    values={
        "disp": ("DISP LYON", "DISP PARIS", "MOM"),
        "region": ("84", "11", "975"),
        "departement": ("75", "2A", "971"),
        "mode": ("public", "delegated", "ppp"),
        "type": ("MA", "CD"),
        "domain": ("canteen", "catering"),
        "kind": ("scop", "for_profit"),
    },
)


def test_no_parameters_give_the_defaults():
    filters, notices = parse({}, OPTIONS)
    assert filters == Filters(2019, 2025)
    assert notices == []


def test_a_full_link_is_parsed():
    query = {
        "years": ["2021-2024"],
        "region": ["84", "11"],
        "kind": ["scop"],
        "domain": ["canteen,catering"],
        "lang": ["en"],
    }
    filters, notices = parse(query, OPTIONS)
    assert filters == Filters(
        2021, 2024, region=("84", "11"), domain=("canteen", "catering"), kind=("scop",)
    )
    assert notices == []


def test_round_trip_through_the_url():
    filters = Filters(2020, 2022, disp=("MOM",), departement=("2A",), mode=("ppp",), type=("CD",))
    query = {
        k: v if isinstance(v, list) else [v] for k, v in filters.to_query_params(OPTIONS).items()
    }
    assert parse(query, OPTIONS) == (filters, [])


@pytest.mark.parametrize(
    "years", ["2010-2025", "2025-2019", "abc", "2019-2020-2021", "", "-", "2019--2020", "9" * 400]
)
def test_bad_years_fall_back_to_the_full_range(years):
    filters, notices = parse({"years": [years]}, OPTIONS)
    assert (filters.year_from, filters.year_to) == (2019, 2025)
    assert notices == [Notice("years", years)] or (years == "" and notices == [Notice("years", "")])


def test_unknown_values_are_dropped_and_known_ones_kept():
    filters, notices = parse({"region": ["84", "Atlantis", "<script>"], "bogus": ["1"]}, OPTIONS)
    assert filters.region == ("84",)
    assert Notice("region", "Atlantis") in notices
    assert Notice("region", "<script>") in notices
    assert Notice("bogus", "1") in notices


def test_params_bind_every_filter():
    params = Filters(2020, 2021, kind=("scop",)).params()
    assert params == {
        "year_from": 2020,
        "year_to": 2021,
        "disps": [],
        "regions": [],
        "departements": [],
        "modes": [],
        "types": [],
        "domains": [],
        "kinds": ["scop"],
    }
