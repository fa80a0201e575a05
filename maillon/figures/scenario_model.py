"""The scenario calculation: move markets held by for-profit operators to ESS operators (on paper)
and compute what would flow back to reinsertion and families. Plain numbers in, numbers out.

Per year of the horizon, with V the yearly value of the markets moved:
- result under ESS      = V × margin
- to reinsertion (ESS)  = result × reinsertion_share, minus what the current holders return today
- to families (ESS)     = result × family_share, minus what the current holders return today
- outcomes              = extra euros × outcomes per euro (certificates and people accompanied per
                          reinsertion euro, families supported per family euro)
- price savings         = canteen sales × (1 − (1 + ESS markup) / (1 + current markup))
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


@dataclass(frozen=True)
class ScopeFigures:
    """What the scope holds today, per year: value of the markets moved, what their current
    holders already return to reinsertion and families, canteen sales and markup."""

    market_value_eur: float = 0.0
    current_reinsertion_eur: float = 0.0
    current_family_eur: float = 0.0
    canteen_sales_eur: float = 0.0
    current_canteen_markup: float = 0.0


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


def yearly(scope: ScopeFigures, a: Assumptions) -> YearResult:
    """Extra euros, outcomes and price savings in one year of the scenario."""
    result = scope.market_value_eur * a.margin
    reinsertion = result * a.reinsertion_share - scope.current_reinsertion_eur
    family = result * a.family_share - scope.current_family_eur
    price_factor = (1 + a.ess_canteen_markup) / (1 + scope.current_canteen_markup)
    return YearResult(
        reinsertion_eur=reinsertion,
        family_eur=family,
        certificates=reinsertion * a.certificates_per_eur,
        people_accompanied=reinsertion * a.accompanied_per_eur,
        families_supported=family * a.families_per_eur,
        price_savings_eur=scope.canteen_sales_eur * (1 - price_factor),
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
