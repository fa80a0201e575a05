"""The observed inputs of the scenario simulator, each through a named query: the scope's
markets held by for-profit operators, the ESS operators' percentiles, the canteen markups, and
the contracts ending soon (the opportunities)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from maillon.data import queries
from maillon.data.filters import Filters
from maillon.figures import shared
from maillon.figures.scenario_model import (
    ASSUMPTIONS,
    BOUNDS,
    Assumptions,
    Band,
    ScopeFigures,
    population,
)

# A lower ESS canteen markup saves detainees more: its low-result value is the p90.
REVERSED = {"ess_canteen_markup"}
OBSERVED_YEARS = 3


@dataclass(frozen=True)
class ScenarioScope:
    """Where markets move: a reference year, establishments, DISPs, régions and domains
    (an empty tuple means all)."""

    year: int
    establishments: tuple[str, ...] = ()
    disps: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()


def scope_figures(
    scope: ScenarioScope, bounds: dict[str, float] | None = None
) -> tuple[ScopeFigures, dict]:
    """The scope's yearly figures, with the population its outcomes are bounded by (`bounds`
    overrides BOUNDS, the people released and families per person detained), and what the
    page states beside them: how many contracts and establishments, months of headcount and the
    population concerned."""
    row = queries.run(
        "scenario_scope",
        year=scope.year,
        establishments=list(scope.establishments),
        disps=list(scope.disps),
        regions=list(scope.regions),
        domains=list(scope.domains),
    ).row(0, named=True)
    markup = queries.run(
        "scenario_for_profit_markup",
        year_from=scope.year - OBSERVED_YEARS + 1,
        year_to=scope.year,
        establishments=list(scope.establishments),
        disps=list(scope.disps),
        regions=list(scope.regions),
    ).row(0, named=True)
    ratios = {**BOUNDS, **{k: v for k, v in (bounds or {}).items() if k in BOUNDS}}
    people = population(
        row["people_detained"], ratios["releases_per_person"], ratios["families_per_person"]
    )
    figures = ScopeFigures(
        market_value_eur=row["market_value_eur"],
        current_reinsertion_eur=row["current_reinsertion_eur"],
        current_family_eur=row["current_family_eur"],
        canteen_sales_eur=row["canteen_sales_eur"],
        current_canteen_markup=markup["markup"] or 0.0,
        # no headcount in the year (a year without population data): outcomes are not bounded
        **(
            {
                "people_released": people.people_released,
                "people_detained_in_year": people.people_detained_in_year,
                "families_of_detainees": people.families_of_detainees,
            }
            if row["population_months"]
            else {}
        ),
        accompanied_now=row["accompanied_now"],
        families_now=row["families_now"],
        certificates_now=row["certificates_now"],
    )
    counts = {
        "contracts": row["contracts"],
        "establishments": row["establishments"],
        "population_months": row["population_months"],
        "population": people,
    }
    return figures, counts


def population_provenance(scope: ScenarioScope) -> shared.Provenance:
    """The provenance and sources of the headcounts behind the population concerned (the year's
    months in the scope's DISP and régions)."""
    filters = Filters(scope.year, scope.year, disp=scope.disps, region=scope.regions)
    return shared.provenance(filters, ("establishment_population",))


def outcomes_provenance(scope: ScenarioScope) -> shared.Provenance:
    """The provenance and sources of the outcomes reached today in the scope (every domain)."""
    filters = Filters(scope.year, scope.year, disp=scope.disps, region=scope.regions)
    return shared.provenance(filters, ("outcome_fact",))


# What the scenario reads: the scope's market value and returned result, the accounts it takes
# margins from and the canteen prices it takes markups from.
INPUT_TABLES = ("market_revenue", "reallocation_by_market", "operator_result", "canteen_price")


def inputs_provenance(scope: ScenarioScope) -> shared.Provenance:
    """The provenance and sources of the rows the scenario starts from, over the years its
    assumptions are observed on and the scope's DISP, régions and domains."""
    filters = Filters(
        scope.year - OBSERVED_YEARS + 1,
        scope.year,
        disp=scope.disps,
        region=scope.regions,
        domain=scope.domains,
    )
    return shared.provenance(filters, INPUT_TABLES)


def observed_assumptions(year: int) -> pl.DataFrame:
    """Each ESS operator's value of each assumption over the last years, with the assumption's
    p10 / p50 / p90 across operators."""
    return queries.run(
        "scenario_ess_assumptions", year_from=year - OBSERVED_YEARS + 1, year_to=year
    )


def percentiles(observed: pl.DataFrame) -> pl.DataFrame:
    """One row per assumption: operators, p10, p50, p90 (computed by the query)."""
    return observed.select("assumption", "operators", "p10", "p50", "p90").unique(
        "assumption", maintain_order=True
    )


def band_from(observed: pl.DataFrame, overrides: dict[str, float] | None = None) -> Band:
    """The low / central / high assumptions and each operator's set of values; an override
    replaces the central value and shifts every other value of that assumption by the same
    amount, so the observed spread is kept."""
    values = {row["assumption"]: row for row in percentiles(observed).iter_rows(named=True)}
    overrides = overrides or {}
    low, central, high, shifts = {}, {}, {}, {}
    for name in ASSUMPTIONS:
        row = values.get(name, {"p10": 0.0, "p50": 0.0, "p90": 0.0})
        p10, p50, p90 = (row[k] or 0.0 for k in ("p10", "p50", "p90"))
        if name in REVERSED:
            p10, p90 = p90, p10
        shifts[name] = overrides[name] - p50 if name in overrides else 0.0
        low[name], central[name], high[name] = (v + shifts[name] for v in (p10, p50, p90))
    own: dict[str, dict[str, float]] = {}
    for row in observed.iter_rows(named=True):
        own.setdefault(row["operator_id"], {})[row["assumption"]] = row["value"]
    operators = tuple(
        Assumptions(
            **{
                name: (seen[name] + shifts[name] if name in seen else central[name])
                for name in ASSUMPTIONS
            }
        )
        for _operator, seen in sorted(own.items())
    )
    return Band(Assumptions(**low), Assumptions(**central), Assumptions(**high), operators)


def opportunities(as_of: date, months: int, domains: tuple[str, ...] = ()) -> pl.DataFrame:
    """Contracts held by for-profit operators ending within `months` of `as_of`. A published
    contract that names no establishment, or covers several domains, cannot seed a scenario's
    scope (which would then be everything): it is left out here."""
    kinds = queries.run("scenario_kinds").filter(pl.col("kind_group") == "for_profit")
    ending = queries.run(
        "contracts_ending_within",
        as_of=as_of,
        months=months,
        domains=list(domains),
        kinds=kinds["kind_id"].to_list(),
    )
    return ending.filter((pl.col("establishments") > 0) & pl.col("domain_id").is_not_null())


def group_colours() -> dict[str, str]:
    """The colour of each operator-kind group: that of its first kind in the taxonomy."""
    colours: dict[str, str] = {}
    for row in queries.run("scenario_kinds").iter_rows(named=True):
        colours.setdefault(row["kind_group"], row["color"])
    return colours


def contracts_scope(contracts: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The establishments and domains of the chosen contracts, to seed a scenario's scope."""
    frame = queries.run("scenario_contract_establishments", contracts=contracts)
    return (
        tuple(frame["establishment_id"].unique(maintain_order=True).to_list()),
        tuple(frame["domain_id"].unique(maintain_order=True).to_list()),
    )
