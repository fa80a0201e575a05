"""What the scenario page shows, without Streamlit: the scenario read from and written to the
URL, the result tables and the two charts (band, sensitivity)."""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import asdict, dataclass, replace
from urllib.parse import parse_qs, urlencode

import plotly.graph_objects as go
import polars as pl

from maillon.charts import draw
from maillon.charts.chart import Caption, Chart
from maillon.data.url_values import whole_number
from maillon.figures import scenario_data, scenario_model, shared
from maillon.figures.scenario_model import ASSUMPTIONS, BANDS, BOUNDS, Band, ScopeFigures
from maillon.i18n import money, number, percent, t

# The scenario lives in the URL under '_sc_' names (ui.write_url keeps '_' parameters).
PREFIX = "_sc_"
LIST_FIELDS = ("establishments", "disps", "regions", "domains")
URL_KEYS = (
    *(PREFIX + name for name in ("name", "year", "horizon", *LIST_FIELDS)),
    *(PREFIX + name for name in (*ASSUMPTIONS, *BOUNDS)),
)
# Saved scenarios, each one a URL-encoded scenario, so that a link carries the comparison too.
SAVED_PARAM = PREFIX + "saved"
DEFAULT_HORIZON = 5
SHARE_ASSUMPTIONS = {"margin", "reinsertion_share", "family_share", "ess_canteen_markup"}
# Shares of a whole, at most 100 %: the margin of the revenue, the two others of the result (a
# markup over the reference price may exceed it).
WHOLE_SHARES = {"margin", "reinsertion_share", "family_share"}


def ceiling(name: str) -> float | None:
    """The largest value an assumption or bound may take, None where there is none."""
    return 1.0 if name in WHOLE_SHARES else None


@dataclass(frozen=True)
class Settings:
    """A scenario as the user set it: name, scope, horizon and the assumptions changed."""

    name: str
    year: int
    horizon: int = DEFAULT_HORIZON
    establishments: tuple[str, ...] = ()
    disps: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    overrides: tuple[tuple[str, float], ...] = ()  # assumptions and bounds (BOUNDS) changed


def _last(values: list[str]) -> str:
    return values[-1] if values else ""


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def from_url(params: dict[str, list[str]], years: list[int], default_name: str) -> Settings:
    """The scenario of a link; anything missing or invalid takes its default."""
    year_text = _last(params.get(PREFIX + "year", []))
    year = whole_number(year_text)
    year = year if year in years else max(years)
    horizon_text = _last(params.get(PREFIX + "horizon", []))
    horizon = whole_number(horizon_text)
    horizon = DEFAULT_HORIZON if horizon is None else horizon
    overrides = []
    for name in (*ASSUMPTIONS, *BOUNDS):
        value = _float(_last(params.get(PREFIX + name, [])))
        if value is not None and math.isfinite(value) and 0 <= value <= (ceiling(name) or math.inf):
            overrides.append((name, value))
    return Settings(
        name=_last(params.get(PREFIX + "name", [])) or default_name,
        year=year,
        horizon=min(max(horizon, 1), 15),
        **{f: tuple(v for v in params.get(PREFIX + f, []) if v) for f in LIST_FIELDS},
        overrides=tuple(overrides),
    )


def known_only(settings: Settings, known: dict[str, Collection[str]]) -> tuple[Settings, list[str]]:
    """The settings without the scope values the data does not hold (`known`: the values of
    each list field), and those values as a link wrote them ('_sc_disps=FOO')."""
    ignored = [
        f"{PREFIX}{f}={v}" for f in LIST_FIELDS for v in getattr(settings, f) if v not in known[f]
    ]
    kept = {f: tuple(v for v in getattr(settings, f) if v in known[f]) for f in LIST_FIELDS}
    return replace(settings, **kept), ignored


def to_url(settings: Settings) -> dict[str, str | list[str]]:
    wanted: dict[str, str | list[str]] = {
        PREFIX + "name": settings.name,
        PREFIX + "year": str(settings.year),
        PREFIX + "horizon": str(settings.horizon),
    }
    for f in LIST_FIELDS:
        if getattr(settings, f):
            wanted[PREFIX + f] = list(getattr(settings, f))
    for name, value in settings.overrides:
        wanted[PREFIX + name] = f"{value:.6g}"
    return wanted


def assumption_text(name: str, value: float, lang: str) -> str:
    if name in SHARE_ASSUMPTIONS:
        return percent(value, lang, decimals=1)
    return t(lang, "scenario.per_thousand", value=number(value * 1000, lang, decimals=2))


def assumptions_table(observed: pl.DataFrame, band: Band, lang: str) -> pl.DataFrame:
    """Each assumption: the value used, and the observed p10 / p50 / p90 across ESS operators."""
    rows = {
        row["assumption"]: row for row in scenario_data.percentiles(observed).iter_rows(named=True)
    }
    out = []
    for name in ASSUMPTIONS:
        row = rows.get(name, {})
        out.append(
            {
                t(lang, "scenario.col_assumption"): t(lang, f"scenario.a_{name}"),
                t(lang, "scenario.col_used"): assumption_text(
                    name, getattr(band.central, name), lang
                ),
                "p10": assumption_text(name, row.get("p10") or 0.0, lang),
                "p50": assumption_text(name, row.get("p50") or 0.0, lang),
                "p90": assumption_text(name, row.get("p90") or 0.0, lang),
                t(lang, "scenario.col_operators"): row.get("operators", 0),
            }
        )
    return pl.DataFrame(out)


def results_table(scope: ScopeFigures, band: Band, settings: Settings, lang: str) -> pl.DataFrame:
    """Per result: low, central and high per year, and the central total over the horizon."""
    per_year = scenario_model.banded(scope, band)
    horizon = scenario_model.total(scope, band.central, settings.horizon)
    return pl.DataFrame(
        {
            "result": list(scenario_model.RESULTS),
            t(lang, "scenario.col_result"): [
                t(lang, f"scenario.r_{r}") for r in scenario_model.RESULTS
            ],
            **{
                t(lang, f"scenario.band_{b}"): [
                    getattr(per_year[b], r) for r in scenario_model.RESULTS
                ]
                for b in BANDS
            },
            t(lang, "scenario.col_horizon", years=settings.horizon): [
                getattr(horizon, r) for r in scenario_model.RESULTS
            ],
            t(lang, "scenario.col_room"): [
                scenario_model.room(scope, r) for r in scenario_model.RESULTS
            ],
        }
    )


def population_table(
    scope: ScopeFigures,
    people: scenario_model.Population,
    settings: Settings,
    sources: dict[str, shared.Provenance],
    lang: str,
) -> pl.DataFrame:
    """The population the outcomes are bounded by, each figure with its source or « hypothèse »:
    the headcount (its rows' sources), the people released and the families (assumptions, with
    the order of magnitude they rest on), and what every holder in the scope reaches today."""
    bounds = {**scenario_model.BOUNDS, **dict(settings.overrides)}
    changed = {name for name in scenario_model.BOUNDS if name in dict(settings.overrides)}

    def from_rows(found: shared.Provenance) -> str:
        kind = shared.row_provenance(found.illustrative, found.modeled, lang)
        return t(lang, "chart.source_separator").join([kind, *found.source_texts(lang)])

    def assumed(name: str) -> str:
        value = number(bounds[name], lang, decimals=2)
        key = "scenario.source_changed" if name in changed else f"scenario.source_{name}"
        return t(lang, key, value=value)

    rows = [
        ("p_detained", people.people_detained, from_rows(sources["population"])),
        ("p_released", people.people_released, assumed("releases_per_person")),
        ("p_in_year", people.people_detained_in_year, t(lang, "scenario.source_in_year")),
        ("p_families", people.families_of_detainees, assumed("families_per_person")),
        ("p_accompanied_now", scope.accompanied_now, from_rows(sources["outcomes"])),
        ("p_families_now", scope.families_now, from_rows(sources["outcomes"])),
        ("p_certificates_now", scope.certificates_now, from_rows(sources["outcomes"])),
    ]
    return pl.DataFrame(
        {
            t(lang, "scenario.col_population"): [
                t(lang, f"scenario.{key}", year=settings.year) for key, _, _ in rows
            ],
            t(lang, "scenario.col_value_people"): [number(v, lang) for _, v, _ in rows],
            t(lang, "scenario.col_source"): [source for _, _, source in rows],
        }
    )


def ceilings_text(scope: ScopeFigures, lang: str) -> str:
    """The ceiling of each bounded outcome, in one sentence ('' when the scope is not bounded)."""
    rooms = {result: scenario_model.room(scope, result) for result in scenario_model.BOUNDED}
    if any(value is None for value in rooms.values()):
        return ""
    return t(
        lang,
        "scenario.ceilings",
        accompanied=number(rooms["people_accompanied"], lang),
        families=number(rooms["families_supported"], lang),
        certificates=number(rooms["certificates"], lang),
    )


def bound_note(scope: ScopeFigures, band: Band, result: str, lang: str) -> str:
    """What bounds an outcome, for its card: the room left in the population concerned, and
    whether the central figure reached it ('' for a result that is not bounded)."""
    most = scenario_model.room(scope, result)
    if most is None:
        return ""
    raw = getattr(scenario_model.yearly(scope, band.central, bounded=False), result)
    key = "scenario.bound_reached" if raw > most else "scenario.bound_note"
    return t(lang, key, room=number(most, lang), raw=number(raw, lang))


def years_table(scope: ScopeFigures, band: Band, settings: Settings, lang: str) -> pl.DataFrame:
    """The central result for each year of the horizon (the CSV export of the figures)."""
    rows = []
    for year, result in scenario_model.over_years(
        scope, band.central, settings.year + 1, settings.horizon
    ).items():
        named = {t(lang, f"scenario.r_{key}"): value for key, value in asdict(result).items()}
        rows.append({t(lang, "scenario.col_year"): year, **named})
    return pl.DataFrame(rows)


def sourced(inputs: shared.Provenance, lang: str) -> dict[str, str]:
    """A scenario chart's source and mark: the method and the sources of its input rows; a
    projection is modeled even when every input is real."""
    sources = [t(lang, "scenario.source"), *inputs.source_texts(lang)]
    mark = inputs.mark(lang) if inputs.illustrative > 0 else t(lang, "chart.modeled_mark")
    return {"source": t(lang, "chart.source_separator").join(sources), "mark": mark}


def band_figure(
    scope: ScopeFigures,
    band: Band,
    settings: Settings,
    colours: dict[str, str],
    inputs: shared.Provenance,
    lang: str,
) -> Chart:
    """Extra euros per year to reinsertion and to families: central bar, low-high whisker."""
    per_year = scenario_model.banded(scope, band)
    keys = ("reinsertion_eur", "family_eur")
    labels = [t(lang, f"scenario.r_{k}") for k in keys]
    central = [getattr(per_year["central"], k) for k in keys]
    low = [getattr(per_year["low"], k) for k in keys]
    high = [getattr(per_year["high"], k) for k in keys]
    # The value goes under its bar's name: above the bar it would collide with the whisker.
    fig = go.Figure(
        go.Bar(
            x=[
                f"{name}<br><b>{money(v, lang)}</b>"
                for name, v in zip(labels, central, strict=True)
            ],
            y=central,
            marker_color=colours.get("ess", "#009E73"),
            text=[money(v, lang) for v in central],
            textposition="none",
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [h - c for h, c in zip(high, central, strict=True)],
                "arrayminus": [c - lo for c, lo in zip(central, low, strict=True)],
                "color": "#333",
                "thickness": 2,
                "width": 14,
            },
            hovertemplate="%{x} : %{text}<extra></extra>",
        )
    )
    total = sum(central)
    amount = money(abs(total), lang)
    caption = Caption(
        title=t(
            lang,
            "scenario.band_title" if total >= 0 else "scenario.band_title_negative",
            amount=amount,
        ),
        subtitle=t(lang, "scenario.band_subtitle"),
        key_figure=amount,
        **sourced(inputs, lang),
    )
    draw.style(fig, caption, lang)
    draw.money_axis(fig, lang, top=max([*high, 0]), bottom=min([*low, 0]))
    fig.update_layout(showlegend=False, height=480, bargap=0.5)
    fig.update_xaxes(tickfont={"size": 15})
    fig = draw.finish(fig, legend=None, axis_room=72)
    table = pl.DataFrame(
        {
            t(lang, "scenario.col_result"): labels,
            t(lang, "scenario.band_low"): low,
            t(lang, "scenario.band_central"): central,
            t(lang, "scenario.band_high"): high,
        }
    )
    return Chart(fig, table, caption)


def sensitivity_figure(
    scope: ScopeFigures, band: Band, colours: dict[str, str], inputs: shared.Provenance, lang: str
) -> Chart:
    """How far extra euros to reinsertion and families move when each assumption alone goes
    from its low to its high observed value."""
    reinsertion = {
        r["assumption"]: r for r in scenario_model.sensitivity(scope, band, "reinsertion_eur")
    }
    family = {r["assumption"]: r for r in scenario_model.sensitivity(scope, band, "family_eur")}
    rows = [
        {
            "assumption": name,
            "label": t(lang, f"scenario.a_{name}"),
            "swing": reinsertion[name]["swing"] + family[name]["swing"],
        }
        for name in ASSUMPTIONS
        if name in ("margin", "reinsertion_share", "family_share")
    ]
    frame = pl.DataFrame(rows).sort("swing", descending=True)
    frame = frame.with_columns(pl.lit(colours.get("ess", "#009E73")).alias("color"))
    top = frame.row(0, named=True)
    caption = Caption(
        title=t(lang, "scenario.sensitivity_title", assumption=top["label"].lower()),
        subtitle=t(lang, "scenario.sensitivity_subtitle"),
        **sourced(inputs, lang),
    )
    fig = draw.horizontal_bars(
        frame,
        y="label",
        x="swing",
        color="color",
        text=[money(v, lang) for v in frame["swing"]],
        caption=caption,
        lang=lang,
    )
    table = frame.select(
        pl.col("label").alias(t(lang, "scenario.col_assumption")),
        pl.col("swing").alias(t(lang, "scenario.col_swing")),
    )
    return Chart(fig, table, caption)


def encode(settings: Settings) -> str:
    return urlencode(to_url(settings), doseq=True)


def decode(text: str, years: list[int], default_name: str) -> Settings:
    return from_url(parse_qs(text), years, default_name)


def compared(
    current: Settings, central: dict, saved: list[Settings]
) -> list[tuple[Settings, dict]]:
    """The scenario on screen with its central yearly results, then each other saved one."""
    rows = [(current, central)]
    for other in saved:
        if other.name == current.name:
            continue
        figures, _ = scenario_data.scope_figures(
            scenario_data.ScenarioScope(**{f: getattr(other, f) for f in ("year", *LIST_FIELDS)}),
            dict(other.overrides),
        )
        band = scenario_data.band_from(
            scenario_data.observed_assumptions(other.year), dict(other.overrides)
        )
        rows.append((other, asdict(scenario_model.yearly(figures, band.central))))
    return rows


def comparison_table(rows: list[tuple[Settings, dict]], lang: str) -> pl.DataFrame:
    """Scenarios side by side: one column per scenario, central yearly results as text (money
    for euros, whole numbers for outcomes)."""
    data = {
        t(lang, "scenario.col_result"): [t(lang, f"scenario.r_{r}") for r in scenario_model.RESULTS]
    }
    for settings, per_year in rows:
        data[settings.name] = [
            money(per_year[r], lang) if r.endswith("_eur") else number(per_year[r], lang)
            for r in scenario_model.RESULTS
        ]
    return pl.DataFrame(data)


def shown_results(results: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The results table as text: money for euros, whole numbers for outcomes."""
    rows = []
    for row in results.iter_rows(named=True):
        is_money = row.pop("result").endswith("_eur")
        rows.append(
            {
                k: v if isinstance(v, str) else (money(v, lang) if is_money else number(v, lang))
                for k, v in row.items()
            }
        )
    return pl.DataFrame(rows)


def opportunities_table(contracts: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Contracts ending soon, with localized headers and money."""
    return pl.DataFrame(
        {
            t(lang, "scenario.col_end"): contracts["end_date"].cast(pl.Date),
            t(lang, "scenario.col_domain"): contracts[f"domain_{lang}"],
            t(lang, "scenario.col_operator"): contracts["operator_name"],
            t(lang, "scenario.col_value"): [
                money(v, lang) for v in contracts["awarded_value_eur"].cast(pl.Float64)
            ],
            t(lang, "scenario.col_establishments"): contracts["establishments"],
            t(lang, "scenario.col_contract"): contracts["contract_id"],
            t(lang, "chart.provenance_column"): [
                shared.row_provenance(float(p == "illustrative"), float(p == "modeled"), lang)
                for p in contracts["provenance"]
            ],
        }
    )
