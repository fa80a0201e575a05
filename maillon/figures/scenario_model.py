"""The scenario calculation: move markets held by for-profit operators to ESS operators (on paper)
and compute what would flow back to reinsertion and families. Plain numbers in, numbers out.

Per year of the horizon, with V the yearly value of the markets moved and C its canteen sales:
- price savings         = C × (1 − (1 + ESS markup) / (1 + current markup))
- result under ESS      = (V − price savings) × margin: the people detained pay the lower prices,
                          so the canteen sales the result is earned on fall by as much
- to reinsertion (ESS)  = result × reinsertion_share, minus what the current holders return today
- to families (ESS)     = result × family_share, minus what the current holders return today
- outcomes              = extra euros × outcomes per euro (certificates and people accompanied per
                          reinsertion euro, families supported per family euro), bounded by the
                          population concerned: no more than the people released in a year (the
                          families, the people detained in the year) not yet reached today, and
                          no fewer than minus those reached today
The central result applies the p50 of each assumption across ESS operators. The low / high band
is the p10 / p90 of the result obtained with each ESS operator's own set of values (a missing
value taken at its p50): multiplying the p90s of margin, share and outcomes per euro would
combine behaviours that no operator has together, and overstate the spread.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

import numpy as np

BANDS = ("low", "central", "high")
ASSUMPTIONS = (
    "margin",
    "reinsertion_share",
    "family_share",
    "certificates_per_eur",
    "accompanied_per_eur",
    "families_per_eur",
    "ess_canteen_markup",
)
RESULTS = (
    "reinsertion_eur",
    "family_eur",
    "certificates",
    "people_accompanied",
    "families_supported",
    "price_savings_eur",
)


# The population concerned, per person detained on average in the year (assumptions the reader
# may change; docs/scenario.md): people released in a year, one per person held (an average stay
# of about twelve months), and families, at most one per person detained at some time in the year.
BOUNDS = {"releases_per_person": 1.0, "families_per_person": 1.0}


@dataclass(frozen=True)
class ScopeFigures:
    """What the scope holds today, per year: value of the markets moved, what their current
    holders already return to reinsertion and families, canteen sales and markup; and the
    population its outcomes are bounded by (None: not bounded), with what every holder in the
    scope already reaches."""

    market_value_eur: float = 0.0
    current_reinsertion_eur: float = 0.0
    current_family_eur: float = 0.0
    canteen_sales_eur: float = 0.0
    current_canteen_markup: float = 0.0
    people_released: float | None = None
    people_detained_in_year: float | None = None
    families_of_detainees: float | None = None
    accompanied_now: float = 0.0
    families_now: float = 0.0
    certificates_now: float = 0.0


@dataclass(frozen=True)
class Population:
    """The population concerned in a year, from the people detained on average."""

    people_detained: float
    people_released: float
    people_detained_in_year: float
    families_of_detainees: float


def population(people_detained: float, releases_per_person: float, families_per_person: float):
    """People released in a year = detained × releases per person; people detained at some time in
    the year = those held on average + those released; families = that × families per person."""
    released = people_detained * releases_per_person
    in_year = people_detained + released
    return Population(people_detained, released, in_year, in_year * families_per_person)


# Each bounded outcome: its population (a ScopeFigures field) and what is reached today.
BOUNDED = {
    "certificates": ("people_detained_in_year", "certificates_now"),
    "people_accompanied": ("people_released", "accompanied_now"),
    "families_supported": ("families_of_detainees", "families_now"),
}


def room(scope: ScopeFigures, result: str) -> float | None:
    """The most the scenario may add to a bounded outcome in a year: the population concerned not
    reached today (never below zero); None when the outcome or the scope is not bounded."""
    if result not in BOUNDED or getattr(scope, BOUNDED[result][0]) is None:
        return None
    people, now = (getattr(scope, name) for name in BOUNDED[result])
    return max(people - now, 0.0)


def _bounded(scope: ScopeFigures, result: str, value: float) -> float:
    """The outcome kept within [−reached today, room left]."""
    most = room(scope, result)
    if most is None:
        return value
    return min(max(value, -getattr(scope, BOUNDED[result][1])), most)


@dataclass(frozen=True)
class Assumptions:
    """The ESS operators' behaviour applied to the markets moved."""

    margin: float
    reinsertion_share: float
    family_share: float
    certificates_per_eur: float
    accompanied_per_eur: float
    families_per_eur: float
    ess_canteen_markup: float


@dataclass(frozen=True)
class YearResult:
    """Extra flows against the status quo for one year."""

    reinsertion_eur: float
    family_eur: float
    certificates: float
    people_accompanied: float
    families_supported: float
    price_savings_eur: float


def yearly(scope: ScopeFigures, a: Assumptions, bounded: bool = True) -> YearResult:
    """Extra euros, outcomes and price savings in one year of the scenario (outcomes within the
    population concerned unless `bounded` is False)."""
    price_factor = (1 + a.ess_canteen_markup) / (1 + scope.current_canteen_markup)
    savings = scope.canteen_sales_eur * (1 - price_factor)
    result = (scope.market_value_eur - savings) * a.margin
    reinsertion = result * a.reinsertion_share - scope.current_reinsertion_eur
    family = result * a.family_share - scope.current_family_eur
    outcomes = {
        "certificates": reinsertion * a.certificates_per_eur,
        "people_accompanied": reinsertion * a.accompanied_per_eur,
        "families_supported": family * a.families_per_eur,
    }
    if bounded:
        outcomes = {name: _bounded(scope, name, value) for name, value in outcomes.items()}
    return YearResult(
        reinsertion_eur=reinsertion, family_eur=family, price_savings_eur=savings, **outcomes
    )


def over_years(scope: ScopeFigures, a: Assumptions, start_year: int, years: int) -> dict:
    """The same yearly result for each year of the horizon (markets held at today's value)."""
    one = yearly(scope, a)
    return {start_year + i: one for i in range(max(years, 0))}


def total(scope: ScopeFigures, a: Assumptions, years: int) -> YearResult:
    """The sum over the horizon."""
    one = yearly(scope, a)
    n = max(years, 0)
    return YearResult(**{f.name: getattr(one, f.name) * n for f in fields(YearResult)})


@dataclass(frozen=True)
class Band:
    """Assumptions at p10, p50 and p90 across ESS operators, one at a time (for the sensitivity;
    the ordering lowers the result for `low`: a lower ESS canteen markup saves more, so its p90
    goes with `low`), and each ESS operator's own set of values (for the band)."""

    low: Assumptions
    central: Assumptions
    high: Assumptions
    operators: tuple[Assumptions, ...] = field(default=())


def banded(scope: ScopeFigures, band: Band) -> dict[str, YearResult]:
    """Central: the result at the p50 assumptions. Low / high: p10 / p90 across ESS operators
    of the result each would give with its own values, widened to include the central one.
    Without observed operators there is no spread: low = high = central."""
    central = yearly(scope, band.central)
    if not band.operators:
        return dict.fromkeys(BANDS, central)
    each = [yearly(scope, a) for a in band.operators]
    low, high = {}, {}
    for f in fields(YearResult):
        values = [getattr(r, f.name) for r in each]
        middle = getattr(central, f.name)
        low[f.name] = min(float(np.quantile(values, 0.1)), middle)
        high[f.name] = max(float(np.quantile(values, 0.9)), middle)
    return {"low": YearResult(**low), "central": central, "high": YearResult(**high)}


def sensitivity(scope: ScopeFigures, band: Band, result: str = "reinsertion_eur") -> list[dict]:
    """Swing of one result when each assumption alone goes from its low to its high value, the
    others held central; largest swing first."""
    rows = []
    for name in ASSUMPTIONS:
        low = replace(band.central, **{name: getattr(band.low, name)})
        high = replace(band.central, **{name: getattr(band.high, name)})
        low_value = getattr(yearly(scope, low), result)
        high_value = getattr(yearly(scope, high), result)
        rows.append(
            {
                "assumption": name,
                "low": low_value,
                "high": high_value,
                "swing": abs(high_value - low_value),
            }
        )
    return sorted(rows, key=lambda row: -row["swing"])
