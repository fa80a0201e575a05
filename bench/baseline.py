"""The pandas baseline: each named query that reads a big table, answered the way a typical
Streamlit app does it, with the tables loaded into pandas DataFrames once and then filtered and
grouped in memory at every interaction.

The baseline is given every advantage short of changing its nature: it reads the same
denormalized tables as the SQL (market_revenue and the other derived tables, so there are no
joins to do), only the columns it needs, ids as categoricals, money as float64; the canteen
baseline reads the raw order lines (canteen_sale), which is what an app without a rollup has.
Load time is measured separately and never counted in query time.

A baseline returns a DataFrame with a subset of the query's columns; bench.run checks that the
DuckDB answer holds the same rows (numbers within 1e-6 relative) before it reports any time.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import duckdb
import numpy as np
import pandas as pd
import polars as pl

# How the baselines read each table: every column (DECIMAL becomes float64), except the two below.
# The establishment's région is the key the filters use (the département for overseas
# collectivities without a région), as in the derived tables.
TABLE_SQL = {
    "establishment": """
        SELECT * EXCLUDE (region_code), coalesce(region_code, departement_code) AS region_code
        FROM establishment""",
}
BIG_TABLE = "canteen_sale"

SCOPE_COLUMNS = {
    "disps": "disp",
    "regions": "region_code",
    "departements": "departement_code",
    "modes": "management_mode",
    "types": "type_code",
    "domains": "domain_id",
    "kinds": "kind_id",
}

Frames = dict[str, pd.DataFrame]


@dataclass(frozen=True)
class Baseline:
    tables: tuple[str, ...]
    answer: Callable[[Frames, dict], pd.DataFrame]


BASELINES: dict[str, Baseline] = {}


def baseline(name: str, *tables: str):
    """Register the pandas equivalent of sql/<name>.sql, reading `tables`."""

    def register(fn: Callable[[Frames, dict], pd.DataFrame]):
        BASELINES[name] = Baseline(tables, fn)
        return fn

    return register


# ---------------------------------------------------------------------------- loading


@dataclass
class Loaded:
    frames: Frames
    seconds: dict[str, float]
    # canteen_sale: fraction of the rows loaded (1.0 unless they did not fit in memory).
    fraction: float = 1.0
    sample_modulo: int = 1


def canteen_sale_sql(con: duckdb.DuckDBPyConnection, sample_modulo: int = 1) -> str:
    """The order lines with only the columns the baseline needs, ids as categoricals (ENUMs
    become pandas categories), money as float64. `sample_modulo` > 1 keeps one row in that many
    (a deterministic sample by row id) when the whole table would not fit in memory."""

    def enum(sql: str) -> str:
        values = [row[0] for row in con.sql(sql).fetchall()]
        return "ENUM(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"

    where = f"WHERE hash(rowid) % {sample_modulo} = 0" if sample_modulo > 1 else ""
    return f"""
        SELECT establishment_id::{enum("SELECT establishment_id FROM establishment")}
                   AS establishment_id,
               sale_date,
               item_id::{enum("SELECT item_id FROM canteen_item")} AS item_id,
               quantity,
               amount_eur::DOUBLE AS amount_eur
        FROM canteen_sale {where}"""


def load(con: duckdb.DuckDBPyConnection, tables: set[str], max_rows: int | None = None) -> Loaded:
    """Load `tables` into pandas, timing each. canteen_sale is sampled if it has more than
    `max_rows` rows (the caller then extrapolates pandas times linearly, and says so)."""
    frames: Frames = {}
    seconds: dict[str, float] = {}
    modulo = 1
    for table in sorted(tables):
        started = time.perf_counter()
        if table == BIG_TABLE:
            rows = con.sql("SELECT count(*) FROM canteen_sale").fetchall()[0][0]
            if max_rows is not None and rows > max_rows:
                modulo = math.ceil(rows / max_rows)
            frames[table] = con.sql(canteen_sale_sql(con, modulo)).df()
        else:
            frames[table] = con.sql(TABLE_SQL.get(table, f"SELECT * FROM {table}")).df()
        seconds[table] = time.perf_counter() - started
    fraction = 1.0
    if modulo > 1:
        total = con.sql("SELECT count(*) FROM canteen_sale").fetchall()[0][0]
        fraction = len(frames[BIG_TABLE]) / total
    return Loaded(frames, seconds, fraction, modulo)


def memory_bytes(frames: Frames) -> int:
    return int(sum(f.memory_usage(deep=True).sum() for f in frames.values()))


# ---------------------------------------------------------------------------- helpers


def in_scope(frame: pd.DataFrame, params: dict) -> pd.Series:
    """The in_scope macro: an empty list means no filter on that dimension."""
    mask = pd.Series(True, index=frame.index)
    for param, column in SCOPE_COLUMNS.items():
        values = params.get(param)
        if values and column in frame.columns:
            mask &= frame[column].isin(list(values))
    return mask


def years(frame: pd.DataFrame, params: dict) -> pd.Series:
    return frame["year"].between(params["year_from"], params["year_to"])


# ---------------------------------------------------------------------------- the baselines


def scoped(t: Frames, table: str, p: dict) -> pd.DataFrame:
    """Rows of a derived table in the years and the scope of the interaction."""
    frame = t[table]
    return frame[years(frame, p) & in_scope(frame, p)]


def market_value(t: Frames, p: dict) -> pd.DataFrame:
    """The market_value_scoped macro: the rows the prison administration pays."""
    market = scoped(t, "market_revenue", p)
    return market[market["payer_group_id"] == "administration"]


def holders_revenue(t: Frames, p: dict) -> pd.DataFrame:
    """Every payer's rows, régie left out (a cost, with no result)."""
    market = scoped(t, "market_revenue", p)
    return market[market["payer_group_id"] != "regie"]


def kinds(t: Frames, *columns: str) -> pd.DataFrame:
    return t["operator_kind"][["kind_id", *columns]]


def kind_groups(t: Frames) -> pd.DataFrame:
    """kind_group, color (of its first kind), sort_order (its first kind's)."""
    return (
        t["operator_kind"]
        .sort_values("sort_order")
        .groupby("kind_group")
        .agg(color=("color", "first"), sort_order=("sort_order", "min"))
        .reset_index()
    )


def share(values: pd.Series, total: pd.Series) -> pd.Series:
    """values / nullif(total, 0)."""
    return values / total.where(total != 0)


@baseline("overview_headline", "market_revenue", "reallocation_by_market", "outcome_fact")
def overview_headline(t: Frames, p: dict) -> pd.DataFrame:
    market = market_value(t, p)
    value = market["revenue_eur"].sum() if len(market) else None
    ess_value = market.loc[market["is_ess"], "revenue_eur"].sum()
    realloc = scoped(t, "reallocation_by_market", p)
    returned = realloc.loc[realloc["is_returned"], "amount_eur"].sum()
    of = t["outcome_fact"]
    past = of.loc[of["year"] <= p["year_to"], "year"]
    employed_year = int(past.max()) if len(past) else None
    employed = of.loc[
        (of["indicator_id"] == "detainees_employed")
        & (of["year"] == employed_year)
        & in_scope(of, p),
        "value",
    ].sum()
    return pd.DataFrame(
        {
            "market_value_eur": [value],
            "ess_value_eur": [ess_value],
            "ess_share": [ess_value / value if value else None],
            "returned_eur": [returned],
            "detainees_employed": [employed],
            "employed_year": [employed_year],
            "establishments": [market["establishment_id"].nunique()],
            "operators": [market["operator_id"].nunique()],
        }
    )


@baseline("money_by_payer", "market_revenue", "payer_group", "operator_kind")
def money_by_payer(t: Frames, p: dict) -> pd.DataFrame:
    market = scoped(t, "market_revenue", p)
    market = market.assign(
        illustrative=market["revenue_eur"].where(market["provenance"] == "illustrative", 0),
        modeled=market["revenue_eur"].where(market["provenance"] == "modeled", 0),
    )
    money = (
        market.groupby(["payer_group_id", "kind_id"])
        .agg(
            amount_eur=("revenue_eur", "sum"),
            illustrative=("illustrative", "sum"),
            modeled=("modeled", "sum"),
            contracts=("contract_id", "nunique"),
        )
        .reset_index()
    )
    money["illustrative_share"] = share(money.pop("illustrative"), money["amount_eur"])
    money["modeled_share"] = share(money.pop("modeled"), money["amount_eur"])
    groups = t["payer_group"].rename(
        columns={"label_fr": "payer_fr", "label_en": "payer_en", "sort_order": "payer_order"}
    )
    labels = kinds(t, "label_fr", "label_en", "color", "sort_order").rename(
        columns={"label_fr": "kind_fr", "label_en": "kind_en", "sort_order": "kind_order"}
    )
    out = money.merge(groups, on="payer_group_id").merge(labels, on="kind_id")
    return out[out["amount_eur"] > 0].sort_values(["payer_order", "kind_order"])


@baseline("overview_per_hundred", "market_revenue", "reallocation_by_market", "operator_kind")
def overview_per_hundred(t: Frames, p: dict) -> pd.DataFrame:
    groups = kinds(t, "kind_group")
    market = scoped(t, "market_revenue", p).merge(groups, on="kind_id")
    market = market.assign(covered_revenue_eur=market["revenue_eur"].where(market["has_split"], 0))
    revenue = market.groupby("kind_group", as_index=False)[
        ["revenue_eur", "covered_revenue_eur"]
    ].sum()
    realloc = scoped(t, "reallocation_by_market", p).merge(groups, on="kind_id")
    returned = (
        realloc.assign(
            reinsertion_eur=realloc["amount_eur"].where(realloc["category_id"] == "reinsertion", 0),
            family_eur=realloc["amount_eur"].where(realloc["category_id"] == "family", 0),
        )
        .groupby("kind_group", as_index=False)[["reinsertion_eur", "family_eur"]]
        .sum()
    )
    out = revenue.merge(returned, on="kind_group", how="left").fillna(
        {"reinsertion_eur": 0, "family_eur": 0}
    )
    out = out[out["kind_group"].isin(["ess", "for_profit"])]
    out["split_share"] = share(out["covered_revenue_eur"], out["revenue_eur"])
    out["reinsertion_per_100"] = 100 * share(out["reinsertion_eur"], out["covered_revenue_eur"])
    out["family_per_100"] = 100 * share(out["family_eur"], out["covered_revenue_eur"])
    return out


@baseline("market_value_by_year_kind", "market_revenue", "operator_kind")
def market_value_by_year_kind(t: Frames, p: dict) -> pd.DataFrame:
    out = (
        market_value(t, p)
        .groupby(["year", "kind_id"], as_index=False)["revenue_eur"]
        .sum()
        .rename(columns={"revenue_eur": "market_value_eur"})
    )
    out["share_of_year"] = out["market_value_eur"] / out.groupby("year")[
        "market_value_eur"
    ].transform("sum")
    labels = kinds(t, "label_fr", "label_en", "is_ess", "sort_order")
    return out.merge(labels, on="kind_id").sort_values(["year", "sort_order"])


@baseline("markets_value_by_domain_year", "market_revenue", "service_domain")
def markets_value_by_domain_year(t: Frames, p: dict) -> pd.DataFrame:
    out = (
        market_value(t, p)
        .groupby(["year", "domain_id"], as_index=False)["revenue_eur"]
        .sum()
        .rename(columns={"revenue_eur": "market_value_eur"})
    )
    labels = t["service_domain"][["domain_id", "label_fr", "label_en", "sort_order"]]
    return out.merge(labels, on="domain_id")


@baseline("markets_top_operators", "market_revenue", "operator", "operator_kind")
def markets_top_operators(t: Frames, p: dict) -> pd.DataFrame:
    value = (
        market_value(t, p)
        .groupby("operator_id")
        .agg(
            market_value_eur=("revenue_eur", "sum"),
            contracts=("contract_id", "nunique"),
            establishments=("establishment_id", "nunique"),
            domains=("domain_id", "nunique"),
        )
        .reset_index()
    )
    value["share"] = value["market_value_eur"] / value["market_value_eur"].sum()
    operators = t["operator"][["operator_id", "name", "kind_id", "is_grouping"]]
    labels = kinds(t, "label_fr").rename(columns={"label_fr": "kind_fr"})
    out = value.merge(operators, on="operator_id").merge(labels, on="kind_id")
    return out.drop(columns="kind_id").sort_values("market_value_eur", ascending=False)


@baseline(
    "markets_top_establishments", "market_revenue", "establishment_population", "establishment"
)
def markets_top_establishments(t: Frames, p: dict) -> pd.DataFrame:
    market = market_value(t, p)
    market = market.assign(ess_eur=market["revenue_eur"].where(market["is_ess"], 0))
    value = (
        market.groupby("establishment_id")
        .agg(
            market_value_eur=("revenue_eur", "sum"),
            ess_value_eur=("ess_eur", "sum"),
            operators=("operator_id", "nunique"),
            domains=("domain_id", "nunique"),
        )
        .reset_index()
    )
    pop = t["establishment_population"]
    pop = pop[(pop["month"].dt.year <= p["year_to"]) & pop["detainees"].notna()]
    latest = pop.loc[pop.groupby("establishment_id")["month"].idxmax()]
    est = t["establishment"][["establishment_id", "name", "type_code", "region_name"]]
    out = value.merge(est, on="establishment_id").merge(
        latest[["establishment_id", "detainees"]], on="establishment_id", how="left"
    )
    out["ess_share"] = share(out["ess_value_eur"], out["market_value_eur"])
    return out.drop(columns="ess_value_eur").sort_values("market_value_eur", ascending=False)


@baseline("markets_per_detainee", "market_revenue", "establishment_population", "operator_kind")
def markets_per_detainee(t: Frames, p: dict) -> pd.DataFrame:
    revenue = (
        market_value(t, p)
        .merge(kinds(t, "kind_group"), on="kind_id")
        .groupby(["year", "establishment_id", "kind_group"], as_index=False)["revenue_eur"]
        .sum()
    )
    pop = t["establishment_population"]
    pop = pop[pop["month"].dt.year.between(p["year_from"], p["year_to"])]
    pop = pop.assign(
        year=pop["month"].dt.year,
        detainee_days=pop["detainees"] * pop["month"].dt.days_in_month,
        modeled=(pop["provenance"] != "real").astype(int),
    )
    population = (
        pop.groupby(["year", "establishment_id"])
        .agg(
            detainee_days=("detainee_days", lambda s: s.sum(min_count=1)),
            places=("operational_capacity", "mean"),
            modeled_months=("modeled", "sum"),
            months=("modeled", "size"),
        )
        .reset_index()
    )
    out = (
        revenue.merge(population, on=["year", "establishment_id"])
        .merge(kind_groups(t), on="kind_group")
        .groupby(["kind_group", "color"], as_index=False)
        .agg(
            revenue_eur=("revenue_eur", "sum"),
            detainee_days=("detainee_days", "sum"),
            place_years=("places", "sum"),
            modeled_months=("modeled_months", "sum"),
            months=("months", "sum"),
        )
    )
    out["eur_per_detainee_day"] = share(out["revenue_eur"], out["detainee_days"])
    out["eur_per_place_year"] = share(out["revenue_eur"], out["place_years"])
    return out


def within_domain(t: Frames, per_operator: pd.DataFrame, top: str, bottom: str) -> pd.DataFrame:
    """The like-for-like shape: per_operator (domain_id, operator_id, kind_group, top, bottom,
    value) with each domain and group's operators, pooled top / bottom, p10, median and p90, the
    domain's labels, the operator's name and the group's colour."""
    values = per_operator.groupby(["domain_id", "kind_group"])["value"]
    per_group = per_operator.groupby(["domain_id", "kind_group"], as_index=False).agg(
        operators=("operator_id", "size"), top=(top, "sum"), bottom=(bottom, "sum")
    )
    per_group["group_value"] = per_group.pop("top") / per_group.pop("bottom")
    per_group["comparable"] = per_group["operators"] >= 3
    for name, q in (("p10", 0.1), ("median", 0.5), ("p90", 0.9)):
        per_group = per_group.merge(
            values.quantile(q).rename(name).reset_index(), on=["domain_id", "kind_group"]
        )
    domains = t["service_domain"][["domain_id", "label_fr", "label_en"]].rename(
        columns={"label_fr": "domain_fr", "label_en": "domain_en"}
    )
    names = t["operator"][["operator_id", "name"]].rename(columns={"name": "operator_name"})
    return (
        per_operator.merge(per_group, on=["domain_id", "kind_group"])
        .merge(domains, on="domain_id")
        .merge(names, on="operator_id")
        .merge(kind_groups(t)[["kind_group", "color"]], on="kind_group")
    )


@baseline(
    "markets_per_detainee_by_domain",
    "market_revenue",
    "establishment_population",
    "operator_kind",
    "service_domain",
    "operator",
)
def markets_per_detainee_by_domain(t: Frames, p: dict) -> pd.DataFrame:
    revenue = (
        market_value(t, p)
        .groupby(
            ["year", "establishment_id", "domain_id", "operator_id", "kind_id"], as_index=False
        )["revenue_eur"]
        .sum()
    )
    pop = t["establishment_population"]
    pop = pop[pop["month"].dt.year.between(p["year_from"], p["year_to"])]
    pop = pop.assign(
        year=pop["month"].dt.year, detainee_days=pop["detainees"] * pop["month"].dt.days_in_month
    )
    days = pop.groupby(["year", "establishment_id"], as_index=False)["detainee_days"].sum()
    per_operator = (
        revenue.merge(days, on=["year", "establishment_id"])
        .merge(kinds(t, "kind_group"), on="kind_id")
        .groupby(["domain_id", "operator_id", "kind_group"], as_index=False)[
            ["revenue_eur", "detainee_days"]
        ]
        .sum()
    )
    per_operator = per_operator[per_operator["detainee_days"] > 0]
    per_operator["value"] = per_operator["revenue_eur"] / per_operator["detainee_days"]
    return within_domain(t, per_operator, "revenue_eur", "detainee_days")


def returned_by_operator_domain(t: Frames, p: dict) -> pd.DataFrame:
    """What each operator returns to reinsertion and families in each domain."""
    realloc = scoped(t, "reallocation_by_market", p)
    realloc = realloc[realloc["is_returned"]]
    return realloc.groupby(["domain_id", "operator_id"], as_index=False)["amount_eur"].sum()


@baseline(
    "money_flow_per_hundred_by_domain",
    "market_revenue",
    "reallocation_by_market",
    "operator_kind",
    "service_domain",
    "operator",
)
def money_flow_per_hundred_by_domain(t: Frames, p: dict) -> pd.DataFrame:
    market = scoped(t, "market_revenue", p)
    revenue = (
        market[market["has_split"]]
        .groupby(["domain_id", "operator_id", "kind_id"], as_index=False)["revenue_eur"]
        .sum()
        .rename(columns={"revenue_eur": "covered_revenue_eur"})
    )
    per_operator = (
        revenue.merge(
            returned_by_operator_domain(t, p), on=["domain_id", "operator_id"], how="left"
        )
        .fillna({"amount_eur": 0})
        .rename(columns={"amount_eur": "returned_eur"})
        .merge(kinds(t, "kind_group"), on="kind_id")
    )
    per_operator = per_operator[per_operator["covered_revenue_eur"] > 0]
    per_operator["value"] = 100 * per_operator["returned_eur"] / per_operator["covered_revenue_eur"]
    per_operator["returned_100"] = 100 * per_operator["returned_eur"]
    out = within_domain(t, per_operator, "returned_100", "covered_revenue_eur")
    return out.drop(columns=["returned_100", "kind_id"])


@baseline(
    "outcomes_cost_by_domain",
    "outcome_fact",
    "reallocation_by_market",
    "operator_kind",
    "service_domain",
    "operator",
)
def outcomes_cost_by_domain(t: Frames, p: dict) -> pd.DataFrame:
    facts = scoped(t, "outcome_fact", p)
    helped = facts[
        (facts["indicator_id"] == "people_accompanied_release")
        | (
            (facts["indicator_id"] == "families_supported")
            & (facts["domain_id"] != "family_reception")
        )
    ]
    helped = (
        helped.groupby(["domain_id", "operator_id", "kind_id"], as_index=False)["value"]
        .sum()
        .rename(columns={"value": "people_helped"})
    )
    per_operator = (
        helped[helped["people_helped"] > 0]
        .merge(returned_by_operator_domain(t, p), on=["domain_id", "operator_id"])
        .rename(columns={"amount_eur": "returned_eur"})
        .merge(kinds(t, "kind_group"), on="kind_id")
    )
    per_operator["value"] = per_operator["returned_eur"] / per_operator["people_helped"]
    return within_domain(t, per_operator, "returned_eur", "people_helped").drop(columns="kind_id")


@baseline(
    "outcomes_sroi_by_domain",
    "market_revenue",
    "outcome_fact",
    "operator_kind",
    "service_domain",
    "operator",
)
def outcomes_sroi_by_domain(t: Frames, p: dict) -> pd.DataFrame:
    market = scoped(t, "market_revenue", p)
    market = market[
        market["has_outcomes"]
        & (market["domain_id"] != "canteen")
        & (market["payer_group_id"] != "regie")
    ]
    invested = (
        market.groupby(["domain_id", "operator_id", "kind_id"], as_index=False)["revenue_eur"]
        .sum()
        .rename(columns={"revenue_eur": "invested_eur"})
    )
    proxies = pd.DataFrame({"indicator_id": p["indicator_ids"], "proxy_eur": p["proxy_eur"]})
    facts = scoped(t, "outcome_fact", p)
    facts = facts[facts["domain_id"] != "canteen"].merge(proxies, on="indicator_id")
    valued = (
        facts.assign(net_value_eur=facts["value"] * facts["proxy_eur"] * p["factor"])
        .groupby(["domain_id", "operator_id"], as_index=False)["net_value_eur"]
        .sum()
    )
    per_operator = (
        invested[invested["invested_eur"] > 0]
        .merge(valued, on=["domain_id", "operator_id"], how="left")
        .fillna({"net_value_eur": 0})
        .merge(kinds(t, "kind_group"), on="kind_id")
    )
    per_operator["value"] = per_operator["net_value_eur"] / per_operator["invested_eur"]
    out = within_domain(t, per_operator, "net_value_eur", "invested_eur")
    return out.drop(columns="kind_id")


@baseline("money_flow_destinations_by_year", "reallocation_by_market", "destination_category")
def money_flow_destinations_by_year(t: Frames, p: dict) -> pd.DataFrame:
    out = (
        scoped(t, "reallocation_by_market", p)
        .groupby(["year", "category_id"], as_index=False)["amount_eur"]
        .sum()
    )
    out["share_of_year"] = out["amount_eur"] / out.groupby("year")["amount_eur"].transform("sum")
    labels = t["destination_category"][["category_id", "label_fr", "is_returned", "sort_order"]]
    return out.merge(labels, on="category_id")


@baseline(
    "money_flow_returned_by_kind", "market_revenue", "reallocation_by_market", "operator_kind"
)
def money_flow_returned_by_kind(t: Frames, p: dict) -> pd.DataFrame:
    market = holders_revenue(t, p)
    market = market.assign(covered=market["revenue_eur"].where(market["has_split"], 0))
    revenue = market.groupby("kind_id", as_index=False)[["revenue_eur", "covered"]].sum()
    revenue["split_share"] = share(revenue.pop("covered"), revenue["revenue_eur"])
    realloc = scoped(t, "reallocation_by_market", p)
    result = (
        realloc.assign(
            reinsertion_eur=realloc["amount_eur"].where(realloc["category_id"] == "reinsertion", 0),
            family_eur=realloc["amount_eur"].where(realloc["category_id"] == "family", 0),
        )
        .groupby("kind_id", as_index=False)
        .agg(
            result_eur=("amount_eur", "sum"),
            reinsertion_eur=("reinsertion_eur", "sum"),
            family_eur=("family_eur", "sum"),
        )
    )
    out = revenue.merge(kinds(t, "label_fr", "is_ess"), on="kind_id").merge(
        result, on="kind_id", how="left"
    )
    out["returned_share_of_result"] = share(
        out["reinsertion_eur"].fillna(0) + out["family_eur"].fillna(0), out["result_eur"]
    )
    return out.fillna({"result_eur": 0, "reinsertion_eur": 0, "family_eur": 0})


@baseline("reallocation_by_destination", "reallocation_by_market", "destination")
def reallocation_by_destination(t: Frames, p: dict) -> pd.DataFrame:
    out = (
        scoped(t, "reallocation_by_market", p)
        .groupby(["year", "category_id", "destination_id", "is_returned"], as_index=False)[
            "amount_eur"
        ]
        .sum()
    )
    labels = t["destination"][["destination_id", "label_fr"]].rename(
        columns={"label_fr": "destination_fr"}
    )
    return out.merge(labels, on="destination_id")


def swap_ends(frame: pd.DataFrame, source_type: str, source_id: str) -> pd.DataFrame:
    """A link grouped by its target: the grouped column becomes the target."""
    return frame.assign(
        target_type=frame["source_type"],
        target_id=frame["source_id"],
        source_type=source_type,
        source_id=source_id,
    )


@baseline(
    "money_flow_links",
    "market_revenue",
    "reallocation_by_market",
    "operator_result",
    "operator_kind",
)
def money_flow_links(t: Frames, p: dict) -> pd.DataFrame:
    accounts = t["operator_result"]
    accounts = accounts.loc[
        accounts["revenue_eur"] > 0,
        ["operator_id", "year", "revenue_eur", "costs_eur", "detainee_wages_eur"],
    ].rename(columns={"revenue_eur": "operator_revenue_eur"})
    market = scoped(t, "market_revenue", p)
    market = market[market["has_split"]].merge(accounts, on=["operator_id", "year"])
    market = market.assign(
        wages=market["revenue_eur"] * market["detainee_wages_eur"] / market["operator_revenue_eur"],
        other=market["revenue_eur"]
        * (market["costs_eur"] - market["detainee_wages_eur"])
        / market["operator_revenue_eur"],
    )
    result = scoped(t, "reallocation_by_market", p)
    columns = ["stage", "source_type", "source_id", "target_type", "target_id", "kind_id"]

    def links(frame, stage, source, source_type, target, target_type, value, with_kind=True):
        keys = [source] if target is None else [source, target]
        out = frame.groupby(keys, as_index=False)[value].sum()
        return pd.DataFrame(
            {
                "stage": stage,
                "source_type": source_type,
                "source_id": out[source],
                "target_type": target_type,
                "target_id": out[target] if target is not None else None,
                "kind_id": out["kind_id"] if with_kind else None,
                "value_eur": out[value],
            }
        )

    out = pd.concat(
        [
            links(market, 1, "domain_id", "domain", "kind_id", "kind", "revenue_eur"),
            links(market, 2, "kind_id", "kind", None, "cost", "wages").assign(target_id="wages"),
            links(market, 2, "kind_id", "kind", None, "cost", "other").assign(
                target_id="other_costs"
            ),
            links(result, 2, "kind_id", "kind", None, "cost", "amount_eur").assign(
                target_id="result"
            ),
            links(
                result, 3, "category_id", "category", None, "cost", "amount_eur", with_kind=False
            ).pipe(swap_ends, source_type="cost", source_id="result"),
        ],
        ignore_index=True,
    )
    out = out[out["value_eur"] > 0]
    return out.merge(kinds(t, "color"), on="kind_id", how="left")[[*columns, "value_eur", "color"]]


@baseline(
    "canteen_markup",
    "canteen_price",
    "contract",
    "contract_establishment",
    "operator",
    "establishment",
    "canteen_item",
    "operator_kind",
)
def canteen_markup(t: Frames, p: dict) -> pd.DataFrame:
    contract = t["contract"]
    holder = (
        contract.loc[contract["domain_id"] == "canteen", ["contract_id", "operator_id"]]
        .assign(
            start_date=contract["start_date"],
            end_date=contract["end_date"],
        )
        .merge(t["contract_establishment"], on="contract_id")
        .merge(t["operator"][["operator_id", "kind_id"]], on="operator_id")
    )
    prices = t["canteen_price"]
    prices = prices[
        (prices["valid_from"] <= pd.Timestamp(p["year_to"], 12, 31))
        & (prices["valid_to"] >= pd.Timestamp(p["year_from"], 1, 1))
    ]
    est = t["establishment"][["establishment_id", "disp", "region_code", "type_code"]]
    priced = prices.merge(est, on="establishment_id").merge(
        holder[["establishment_id", "start_date", "end_date", "kind_id"]], on="establishment_id"
    )
    priced = priced[
        (priced["valid_from"] >= priced["start_date"])
        & (priced["valid_from"] <= priced["end_date"])
    ].assign(domain_id="canteen")
    priced = priced[in_scope(priced, p)].merge(
        t["canteen_item"][["item_id", "category"]], on="item_id"
    )
    sums = {
        "prices": ("item_id", "size"),
        "price_eur": ("price_eur", "sum"),
        "reference_price_eur": ("reference_price_eur", "sum"),
    }
    by_category = priced.groupby(["kind_id", "category"]).agg(**sums).reset_index()
    basket = priced.groupby("kind_id").agg(**sums).reset_index().assign(category="basket")
    out = pd.concat([by_category, basket], ignore_index=True)
    out["markup"] = out["price_eur"] / out["reference_price_eur"] - 1
    return out.merge(kinds(t, "label_fr", "kind_group", "color"), on="kind_id")


MODE_LABELS = {
    "fr": {
        "public": "Gestion publique",
        "delegated": "Gestion déléguée",
        "ppp": "Partenariat public-privé (PPP)",
    },
    "en": {
        "public": "Public management",
        "delegated": "Delegated management",
        "ppp": "Public-private partnership (PPP)",
    },
}


@baseline(
    "filter_options",
    "market_revenue",
    "establishment",
    "establishment_type",
    "service_domain",
    "operator_kind",
    "establishment_management",
)
def filter_options(t: Frames, p: dict) -> pd.DataFrame:
    columns = ["dimension", "value", "label_fr", "label_en", "sort_order"]
    year_values = sorted(t["market_revenue"]["year"].unique())
    parts = [
        pd.DataFrame(
            [("year", str(y), str(y), str(y), int(y)) for y in year_values], columns=columns
        )
    ]
    est = t["establishment"]
    disps = est["disp"].drop_duplicates()
    overseas = disps == "MOM"
    parts.append(
        pd.DataFrame(
            {
                "dimension": "disp",
                "value": disps,
                "label_fr": disps.str.replace("DISP ", "").where(~overseas, "Mission outre-mer"),
                "label_en": disps.str.replace("DISP ", "").where(~overseas, "Overseas mission"),
                "sort_order": overseas.astype(int) * 99,
            }
        )
    )
    parts.append(
        pd.DataFrame(
            {
                "dimension": "region",
                "value": est["region_code"],
                "label_fr": est["region_name"],
                "label_en": est["region_name"],
                "sort_order": est["is_overseas"].astype(int),
            }
        ).drop_duplicates()
    )
    departements = est[["departement_code", "departement_name"]].drop_duplicates()
    named = departements["departement_code"] + " " + departements["departement_name"]
    parts.append(
        pd.DataFrame(
            {
                "dimension": "departement",
                "value": departements["departement_code"],
                "label_fr": named,
                "label_en": named,
                "sort_order": 0,
            }
        )
    )
    modes = t["establishment_management"]["management_mode"].drop_duplicates()
    order = {"public": 1, "delegated": 2, "ppp": 3}
    parts.append(
        pd.DataFrame(
            {
                "dimension": "mode",
                "value": modes,
                "label_fr": modes.map(MODE_LABELS["fr"]),
                "label_en": modes.map(MODE_LABELS["en"]),
                "sort_order": modes.map(order),
            }
        )
    )
    for dimension, table, key in (
        ("type", "establishment_type", "type_code"),
        ("domain", "service_domain", "domain_id"),
        ("kind", "operator_kind", "kind_id"),
    ):
        frame = t[table].rename(columns={key: "value"})
        parts.append(frame.assign(dimension=dimension)[columns])
    return pd.concat(parts, ignore_index=True)


@baseline("outcomes_by_year_kind", "outcome_fact", "indicator", "operator_kind")
def outcomes_by_year_kind(t: Frames, p: dict) -> pd.DataFrame:
    out = (
        scoped(t, "outcome_fact", p)
        .groupby(["year", "indicator_id", "kind_id"], as_index=False)["value"]
        .sum()
    )
    indicators = t["indicator"][["indicator_id", "label_fr", "unit", "is_headcount"]].rename(
        columns={"label_fr": "indicator_fr"}
    )
    return out.merge(indicators, on="indicator_id").merge(
        kinds(t, "label_fr", "is_ess"), on="kind_id"
    )


@baseline(
    "outcomes_sroi",
    "market_revenue",
    "reallocation_by_market",
    "outcome_fact",
    "operator_kind",
)
def outcomes_sroi(t: Frames, p: dict) -> pd.DataFrame:
    groups = kinds(t, "kind_group")
    market = scoped(t, "market_revenue", p).merge(groups, on="kind_id")
    canteen = market["domain_id"] == "canteen"
    market = market.assign(
        covered_revenue_eur=market["revenue_eur"].where(market["has_outcomes"], 0),
        invested_eur=market["revenue_eur"].where(market["has_outcomes"] & ~canteen, 0),
        canteen_eur=market["revenue_eur"].where(market["has_outcomes"] & canteen, 0),
        split_revenue_eur=market["revenue_eur"].where(market["has_split"], 0),
    )
    revenue = market.groupby("kind_group", as_index=False)[
        ["revenue_eur", "covered_revenue_eur", "invested_eur", "canteen_eur", "split_revenue_eur"]
    ].sum()
    revenue["outcomes_share"] = share(revenue["covered_revenue_eur"], revenue["revenue_eur"])
    revenue["split_share"] = share(revenue.pop("split_revenue_eur"), revenue["revenue_eur"])
    realloc = scoped(t, "reallocation_by_market", p).merge(groups, on="kind_id")
    invested = (
        realloc[realloc["is_returned"]]
        .groupby("kind_group", as_index=False)["amount_eur"]
        .sum()
        .rename(columns={"amount_eur": "returned_raw"})
    )
    of = scoped(t, "outcome_fact", p).merge(groups, on="kind_id")
    families = of["indicator_id"] == "families_supported"
    own_service = families & (of["domain_id"] == "family_reception")
    helped = (
        of[(of["indicator_id"] == "people_accompanied_release") | (families & ~own_service)]
        .groupby("kind_group", as_index=False)["value"]
        .sum()
        .rename(columns={"value": "people_raw"})
    )
    own = (
        of[own_service]
        .groupby("kind_group", as_index=False)["value"]
        .sum()
        .rename(columns={"value": "own_service_families"})
    )
    out = kind_groups(t)
    for part in (revenue, invested, helped, own):
        out = out.merge(part, on="kind_group", how="left")
    out["eur_per_person_helped"] = out["returned_raw"] / out["people_raw"].where(
        out["people_raw"] != 0
    )
    out = out.assign(returned_eur=out["returned_raw"], people_helped=out["people_raw"]).fillna(
        {
            "revenue_eur": 0,
            "invested_eur": 0,
            "canteen_eur": 0,
            "returned_eur": 0,
            "people_helped": 0,
            "own_service_families": 0,
        }
    )
    out = out[out["revenue_eur"] > 0]
    return out[
        [
            "kind_group",
            "color",
            "revenue_eur",
            "covered_revenue_eur",
            "invested_eur",
            "canteen_eur",
            "outcomes_share",
            "split_share",
            "returned_eur",
            "people_helped",
            "own_service_families",
            "eur_per_person_helped",
        ]
    ]


@baseline("outcomes_sroi_quantities", "outcome_fact", "sroi_proxy", "operator_kind")
def outcomes_sroi_quantities(t: Frames, p: dict) -> pd.DataFrame:
    of = scoped(t, "outcome_fact", p).merge(kinds(t, "kind_group"), on="kind_id")
    valued = of[
        (of["domain_id"] != "canteen") & of["indicator_id"].isin(t["sroi_proxy"]["indicator_id"])
    ]
    return (
        valued.groupby(["kind_group", "indicator_id"], as_index=False)["value"]
        .sum()
        .rename(columns={"value": "quantity"})
    )


@baseline(
    "establishment_markets",
    "market_revenue",
    "reallocation_by_market",
    "service_domain",
    "operator",
    "operator_kind",
)
def establishment_markets(t: Frames, p: dict) -> pd.DataFrame:
    def here(table: str) -> pd.DataFrame:
        frame = t[table]
        return frame[(frame["establishment_id"] == p["establishment_id"]) & years(frame, p)]

    paid = here("market_revenue")
    revenue = (
        paid[paid["payer_group_id"] != "regie"]
        .groupby(["operator_id", "domain_id", "kind_id"])
        .agg(
            revenue_eur=("revenue_eur", "sum"),
            first_year=("year", "min"),
            last_year=("year", "max"),
        )
        .reset_index()
    )
    realloc = here("reallocation_by_market")
    returned = (
        realloc[realloc["is_returned"]]
        .groupby(["operator_id", "domain_id"], as_index=False)["amount_eur"]
        .sum()
        .rename(columns={"amount_eur": "returned_eur"})
    )
    domains = t["service_domain"][["domain_id", "label_fr"]].rename(
        columns={"label_fr": "domain_fr"}
    )
    operators = t["operator"][["operator_id", "name"]].rename(columns={"name": "operator_name"})
    labels = kinds(t, "label_fr").rename(columns={"label_fr": "kind_fr"})
    out = (
        revenue.merge(domains, on="domain_id")
        .merge(operators, on="operator_id")
        .merge(labels, on="kind_id")
        .merge(returned, on=["operator_id", "domain_id"], how="left")
        .fillna({"returned_eur": 0})
    )
    return out[
        [
            "domain_fr",
            "operator_name",
            "kind_fr",
            "first_year",
            "last_year",
            "revenue_eur",
            "returned_eur",
        ]
    ]


@baseline("establishment_outcomes", "outcome_fact", "indicator")
def establishment_outcomes(t: Frames, p: dict) -> pd.DataFrame:
    frame = t["outcome_fact"]
    here = frame[(frame["establishment_id"] == p["establishment_id"]) & years(frame, p)]
    by_year = here.groupby(["indicator_id", "year"], as_index=False)["value"].sum()
    last = by_year["year"].max()
    totals = by_year.groupby("indicator_id", as_index=False)["value"].sum()
    in_last = (
        by_year[by_year["year"] == last]
        .groupby("indicator_id", as_index=False)["value"]
        .sum()
        .rename(columns={"value": "last_year_value"})
    )
    indicators = t["indicator"]
    out = (
        totals.rename(columns={"value": "period_value"})
        .merge(in_last, on="indicator_id", how="left")
        .fillna({"last_year_value": 0})
        .merge(indicators, on="indicator_id")
        .sort_values("sort_order")
    )
    out["last_year"] = last
    return out[
        [
            "indicator_id",
            "label_fr",
            "label_en",
            "unit",
            "is_headcount",
            "last_year",
            "last_year_value",
            "period_value",
        ]
    ]


def occupancy(frame: pd.DataFrame) -> pd.Series:
    places = frame["operational_capacity"]
    return frame["detainees"] / places.where(places != 0)


@baseline("establishment_population_series", "establishment_population")
def establishment_population_series(t: Frames, p: dict) -> pd.DataFrame:
    pop = t["establishment_population"]
    pop = pop[pop["establishment_id"] == p["establishment_id"]]
    out = pop[["month", "detainees", "operational_capacity", "provenance"]]
    return out.assign(occupancy=occupancy(out))


def last_month(t: Frames, p: dict):
    months = t["establishment_population"]["month"]
    return months[months.dt.year <= p["year_to"]].max()


def population_at(t: Frames, month) -> pd.DataFrame:
    pop = t["establishment_population"]
    return pop[pop["month"] == month]


@baseline("establishments_by_departement", "establishment", "establishment_population")
def establishments_by_departement(t: Frames, p: dict) -> pd.DataFrame:
    est = t["establishment"]
    est = est.loc[
        ~est["is_overseas"] & in_scope(est, p),
        ["establishment_id", "departement_code", "departement_name"],
    ]
    pop = population_at(t, last_month(t, p))[
        ["establishment_id", "detainees", "operational_capacity"]
    ]
    out = (
        est.merge(pop, on="establishment_id")
        .groupby(["departement_code", "departement_name"])
        .agg(
            establishments=("establishment_id", "size"),
            detainees=("detainees", lambda s: s.sum(min_count=1)),
            operational_capacity=("operational_capacity", lambda s: s.sum(min_count=1)),
        )
        .reset_index()
    )
    return out.assign(occupancy=occupancy(out))


@baseline("establishments_map", "establishment", "establishment_population", "population_monthly")
def establishments_map(t: Frames, p: dict) -> pd.DataFrame:
    month = last_month(t, p)
    quartiers = t["population_monthly"]
    quartiers = quartiers[quartiers["month"] == month]
    unpublished = (
        quartiers.assign(nc=quartiers["detainees"].isna().astype(int))
        .groupby("establishment_id", as_index=False)["nc"]
        .sum()
        .rename(columns={"nc": "quartiers_nc"})
    )
    est = t["establishment"]
    est = est.loc[
        in_scope(est, p),
        ["establishment_id", "name", "type_code", "region_name", "is_overseas", "latitude"],
    ]
    pop = population_at(t, month)[
        ["establishment_id", "month", "detainees", "operational_capacity", "provenance"]
    ]
    out = (
        est.merge(pop, on="establishment_id", how="left")
        .merge(unpublished, on="establishment_id", how="left")
        .fillna({"quartiers_nc": 0})
    )
    return out.assign(occupancy=occupancy(out))


@baseline(
    "associations_coverage",
    "establishment",
    "establishment_population",
    "association_intervention",
    "association",
)
def associations_coverage(t: Frames, p: dict) -> pd.DataFrame:
    visits = t["association_intervention"]
    visits = visits[visits["year"] == p["year_to"]].merge(
        t["association"][["association_id", "field_id"]], on="association_id"
    )
    fields = (
        visits.groupby("establishment_id")["field_id"]
        .nunique()
        .rename("fields_covered")
        .reset_index()
    )
    est = t["establishment"]
    est = est.loc[in_scope(est, p), ["establishment_id", "name"]]
    pop = population_at(t, last_month(t, p))[["establishment_id", "detainees"]]
    out = est.merge(pop, on="establishment_id", how="left").merge(
        fields, on="establishment_id", how="left"
    )
    return out.fillna({"fields_covered": 0})


@baseline("figure_provenance", "provenance_weight", "source")
def figure_provenance(t: Frames, p: dict) -> pd.DataFrame:
    keys = ["table_name", "provenance", "source_id"]
    w = t["provenance_weight"]
    in_years = w["year"].isna() | w["year"].between(p["year_from"], p["year_to"])
    place = in_scope(w, {**p, "domains": [], "kinds": []})
    market = in_scope(w, p)
    kept = (
        (w["filtered_by"] == "none")
        | ((w["filtered_by"] == "place") & place)
        | market.where(w["filtered_by"] == "market", False)
    )
    out = w[in_years & kept].groupby(keys, as_index=False)["weight"].sum()
    out = out[out["weight"] > 0]
    out["weight"] = out["weight"].astype(float)
    out["share_of_table"] = out["weight"] / out.groupby("table_name")["weight"].transform("sum")
    sources = t["source"][
        ["source_id", "title", "publisher", "title_en", "publisher_en", "data_date"]
    ]
    return out.merge(sources, on="source_id").sort_values(keys)


@baseline("figure_coverage", "market_revenue", "operator_kind")
def figure_coverage(t: Frames, p: dict) -> pd.DataFrame:
    market = holders_revenue(t, p).merge(kinds(t, "kind_group"), on="kind_id")
    needs = {"accounts": "has_accounts", "split": "has_split", "outcomes": "has_outcomes"}
    market = market.assign(
        **{need: market["revenue_eur"].where(market[flag], 0) for need, flag in needs.items()}
    )
    columns = ["revenue_eur", *needs]
    groups = market.groupby("kind_group", as_index=False)[columns].sum()
    whole = market[columns].sum().to_frame().T.assign(kind_group="all")
    out = pd.concat([groups, whole], ignore_index=True)
    for need in needs:
        out[f"{need}_share"] = share(out.pop(need), out["revenue_eur"])
    return out.sort_values("kind_group")


def establishments_in_scope(t: Frames, p: dict) -> pd.Series:
    est = t["establishment"]
    return est.loc[in_scope(est, p), "establishment_id"]


@baseline("canteen_sales_by_item", "canteen_sale", "establishment", "canteen_item")
def canteen_sales_by_item(t: Frames, p: dict) -> pd.DataFrame:
    """The reference benchmark: canteen amount by item over the years and establishments in
    scope, from the raw order lines."""
    sales = t["canteen_sale"]
    start = pd.Timestamp(p["year_from"], 1, 1)
    end = pd.Timestamp(p["year_to"] + 1, 1, 1)
    mask = (
        (sales["sale_date"] >= start)
        & (sales["sale_date"] < end)
        & sales["establishment_id"].isin(establishments_in_scope(t, p))
    )
    out = (
        sales[mask]
        .groupby("item_id", observed=True)
        .agg(quantity=("quantity", "sum"), amount_eur=("amount_eur", "sum"))
        .reset_index()
    )
    out["item_id"] = out["item_id"].astype(str)
    items = t["canteen_item"][["item_id", "label_fr", "label_en"]]
    return out.merge(items, on="item_id").sort_values("amount_eur", ascending=False)


# ---------------------------------------------------------------------------- comparison


class Mismatch(AssertionError):
    """A DuckDB answer differs from its pandas equivalent: a wrong fast answer is a failure."""


def _value(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, bool | np.bool_):
        return bool(v)
    if isinstance(v, int | float | Decimal | np.integer | np.floating):
        f = float(v)
        return None if math.isnan(f) else f
    if isinstance(v, datetime | pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _sort_key(row: tuple) -> tuple:
    key = []
    for v in row:
        if v is None:
            key.append((0, ""))
        elif isinstance(v, bool):
            key.append((1, str(int(v))))
        elif isinstance(v, float):
            key.append((2, f"{v:+.5e}"))
        else:
            key.append((3, v))
    return tuple(key)


def _close(a, b, rel: float) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=rel, abs_tol=1e-6)
    return a == b


def check_same(name: str, duck: pl.DataFrame, pandas_answer: pd.DataFrame, rel: float = 1e-6):
    """Raise Mismatch unless the DuckDB frame has the same rows as the pandas one (on the
    pandas frame's columns; row order ignored; numbers within `rel`)."""
    columns = list(pandas_answer.columns)
    missing = [c for c in columns if c not in duck.columns]
    if missing:
        raise Mismatch(f"{name}: DuckDB answer has no column {missing}")
    if duck.height != len(pandas_answer):
        raise Mismatch(f"{name}: DuckDB {duck.height} rows, pandas {len(pandas_answer)} rows")
    got = sorted(
        (tuple(_value(v) for v in row) for row in duck.select(columns).iter_rows()), key=_sort_key
    )
    want = sorted(
        (tuple(_value(v) for v in row) for row in pandas_answer.itertuples(index=False)),
        key=_sort_key,
    )
    for g, w in zip(got, want, strict=True):
        if not all(_close(a, b, rel) for a, b in zip(g, w, strict=True)):
            raise Mismatch(f"{name}: DuckDB row {g} != pandas row {w} (columns {columns})")


@baseline("money_flow_result_links", "reallocation_by_market")
def money_flow_result_links(t: Frames, p: dict) -> pd.DataFrame:
    out = (
        scoped(t, "reallocation_by_market", p)
        .groupby(["category_id", "destination_id"], as_index=False)["amount_eur"]
        .sum()
    )
    out = out[out["amount_eur"] > 0]
    return pd.DataFrame(
        {
            "stage": 1,
            "source_type": "category",
            "source_id": out["category_id"],
            "target_type": "destination",
            "target_id": out["destination_id"],
            "value_eur": out["amount_eur"],
        }
    )


def _scenario_rows(t: Frames, table: str, p: dict) -> pd.DataFrame:
    """Rows of `table` in the scenario's year and scope, held by for-profit operators."""
    kinds_ = t["operator_kind"]
    for_profit = kinds_.loc[kinds_["kind_group"] == "for_profit", "kind_id"]
    frame = t[table]
    mask = (frame["year"] == p["year"]) & in_scope(
        frame, {"disps": p["disps"], "regions": p["regions"], "domains": p["domains"]}
    )
    mask &= frame["kind_id"].isin(for_profit)
    if p["establishments"]:
        mask &= frame["establishment_id"].isin(list(p["establishments"]))
    return frame[mask]


@baseline("scenario_scope", "market_revenue", "reallocation_by_market", "operator_kind")
def scenario_scope(t: Frames, p: dict) -> pd.DataFrame:
    market = _scenario_rows(t, "market_revenue", p)
    returned = _scenario_rows(t, "reallocation_by_market", p)
    return pd.DataFrame(
        {
            "market_value_eur": [market["revenue_eur"].sum()],
            "canteen_sales_eur": [
                market.loc[market["domain_id"] == "canteen", "revenue_eur"].sum()
            ],
            "contracts": [market["contract_id"].nunique()],
            "current_reinsertion_eur": [
                returned.loc[returned["category_id"] == "reinsertion", "amount_eur"].sum()
            ],
            "current_family_eur": [
                returned.loc[returned["category_id"] == "family", "amount_eur"].sum()
            ],
        }
    )


def _canteen_prices_by_holder(t: Frames, p: dict) -> pd.DataFrame:
    """Canteen prices in force during the years, with the canteen contract holder then."""
    contract = t["contract"]
    holder = (
        contract.loc[contract["domain_id"] == "canteen"]
        .merge(t["contract_establishment"], on="contract_id")
        .merge(t["operator"][["operator_id", "kind_id"]], on="operator_id")
        .merge(t["operator_kind"][["kind_id", "kind_group"]], on="kind_id")
    )
    prices = t["canteen_price"]
    prices = prices[
        (prices["valid_from"] <= pd.Timestamp(p["year_to"], 12, 31))
        & (prices["valid_to"] >= pd.Timestamp(p["year_from"], 1, 1))
    ]
    priced = prices.merge(
        holder[
            ["establishment_id", "operator_id", "kind_id", "kind_group", "start_date", "end_date"]
        ],
        on="establishment_id",
    )
    return priced[
        (priced["valid_from"] >= priced["start_date"])
        & (priced["valid_from"] <= priced["end_date"])
    ]


@baseline(
    "scenario_for_profit_markup",
    "canteen_price",
    "contract",
    "contract_establishment",
    "operator",
    "operator_kind",
    "establishment",
)
def scenario_for_profit_markup(t: Frames, p: dict) -> pd.DataFrame:
    priced = _canteen_prices_by_holder(t, p)
    priced = priced[priced["kind_group"] == "for_profit"].merge(
        t["establishment"][["establishment_id", "disp", "region_code"]], on="establishment_id"
    )
    priced = priced[in_scope(priced, {"disps": p["disps"], "regions": p["regions"]})]
    if p["establishments"]:
        priced = priced[priced["establishment_id"].isin(list(p["establishments"]))]
    return pd.DataFrame(
        {
            "prices": [len(priced)],
            "markup": [priced["price_eur"].sum() / priced["reference_price_eur"].sum() - 1],
        }
    )


@baseline(
    "scenario_ess_assumptions",
    "operator_result",
    "reallocation",
    "destination",
    "outcome",
    "canteen_price",
    "contract",
    "contract_establishment",
    "operator",
    "operator_kind",
)
def scenario_ess_assumptions(t: Frames, p: dict) -> pd.DataFrame:
    kinds_ = t["operator_kind"]
    ess_kinds = kinds_.loc[kinds_["kind_group"] == "ess", "kind_id"]
    operators = t["operator"]
    ess = operators.loc[operators["kind_id"].isin(ess_kinds), "operator_id"]

    def in_years(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[years(frame, p) & frame["operator_id"].isin(ess)]

    accounts = (
        in_years(t["operator_result"]).groupby("operator_id")[["revenue_eur", "result_eur"]].sum()
    )
    given = in_years(t["reallocation"]).merge(t["destination"], on="destination_id")
    given = given.pivot_table(
        index="operator_id", columns="category_id", values="amount_eur", aggfunc="sum"
    )
    outcomes = in_years(t["outcome"])
    produced = outcomes.pivot_table(
        index="operator_id", columns="indicator_id", values="value", aggfunc="sum"
    )
    # Families received by a family-reception market are that market's own service.
    beyond = outcomes[
        (outcomes["indicator_id"] == "families_supported")
        & (outcomes["domain_id"] != "family_reception")
    ]
    produced["families_supported"] = beyond.groupby("operator_id")["value"].sum()
    prices = _canteen_prices_by_holder(t, p)
    prices = (
        prices[prices["operator_id"].isin(ess)]
        .groupby("operator_id")[["price_eur", "reference_price_eur"]]
        .sum()
    )
    both = accounts.join(given, how="left")
    positive = both[both["result_eur"] > 0]
    returned = given[given["reinsertion"] > 0].join(produced, how="left").fillna(0)
    to_family = given[given["family"] > 0].join(produced, how="left").fillna(0)
    values = {
        "margin": (accounts["result_eur"] / accounts["revenue_eur"])[accounts["revenue_eur"] > 0],
        "reinsertion_share": positive["reinsertion"].fillna(0) / positive["result_eur"],
        "family_share": positive["family"].fillna(0) / positive["result_eur"],
        "certificates_per_eur": returned["certificates"] / returned["reinsertion"],
        "accompanied_per_eur": returned["people_accompanied_release"] / returned["reinsertion"],
        "families_per_eur": to_family["families_supported"] / to_family["family"],
        "ess_canteen_markup": prices["price_eur"] / prices["reference_price_eur"] - 1,
    }
    rows = [
        {
            "operator_id": operator_id,
            "assumption": name,
            "value": value,
            "operators": len(series),
            "p10": series.quantile(0.1),
            "p50": series.quantile(0.5),
            "p90": series.quantile(0.9),
        }
        for name, series in values.items()
        for operator_id, value in series.items()
    ]
    return pd.DataFrame(rows).sort_values(["assumption", "operator_id"], ignore_index=True)


# ---------------------------------------------------------------------------- operator links

LINK_KEY = ["operator_id", "year", "destination_id"]


def returned_in_scope(t: Frames, p: dict) -> pd.DataFrame:
    """Each reinsertion and family reallocation's amount in the filters and its share of the
    whole reallocation (sql/operator_links_money.sql's in_scope)."""
    realloc = scoped(t, "reallocation_by_market", p)
    returned = realloc[realloc["is_returned"]].groupby(LINK_KEY, as_index=False)["amount_eur"].sum()
    whole = t["reallocation"][[*LINK_KEY, "amount_eur"]].rename(columns={"amount_eur": "whole"})
    out = returned.merge(whole, on=LINK_KEY)
    out = out[out["whole"] > 0]
    return out.assign(share=out["amount_eur"] / out["whole"])


def named_in_scope(t: Frames, p: dict) -> pd.DataFrame:
    """Each beneficiary row, its amount taken in its reallocation's share in the filters."""
    named = returned_in_scope(t, p)[[*LINK_KEY, "share"]].merge(
        t["reallocation_beneficiary"][[*LINK_KEY, "association_id", "amount_eur"]], on=LINK_KEY
    )
    return named.assign(amount_eur=named["amount_eur"] * named["share"])


@baseline(
    "operator_links_money",
    "reallocation_by_market",
    "reallocation",
    "reallocation_beneficiary",
    "operator",
)
def operator_links_money(t: Frames, p: dict) -> pd.DataFrame:
    returned = returned_in_scope(t, p).groupby("operator_id", as_index=False)["amount_eur"].sum()
    named = named_in_scope(t, p).groupby("operator_id", as_index=False)["amount_eur"].sum()
    out = returned.rename(columns={"amount_eur": "returned_eur"}).merge(
        named.rename(columns={"amount_eur": "named_eur"}), on="operator_id", how="left"
    )
    out = out.fillna({"named_eur": 0})
    out = out[out["returned_eur"] > 0]
    return out.merge(t["operator"][["operator_id", "name", "kind_id"]], on="operator_id")


@baseline(
    "operator_links_beneficiaries",
    "reallocation_by_market",
    "reallocation",
    "reallocation_beneficiary",
)
def operator_links_beneficiaries(t: Frames, p: dict) -> pd.DataFrame:
    out = (
        named_in_scope(t, p)
        .groupby(["operator_id", "association_id"], as_index=False)["amount_eur"]
        .sum()
    )
    return out[out["amount_eur"] > 0]


@baseline(
    "operator_links_graph",
    "market_revenue",
    "establishment",
    "establishment_management",
    "association_intervention",
    "operator_partnership",
)
def operator_links_graph(t: Frames, p: dict) -> pd.DataFrame:
    modes = t["establishment_management"][["establishment_id", "management_mode"]]
    places = t["establishment"].merge(modes, on="establishment_id", how="left")
    places = places[in_scope(places, {k: v for k, v in p.items() if k not in ("domains", "kinds")})]
    sites = set(places["establishment_id"])
    visits = t["association_intervention"]
    present = set(
        visits[years(visits, p) & visits["establishment_id"].isin(sites)]["association_id"]
    )
    market = t["market_revenue"]
    holding = set(market[years(market, p) & market["establishment_id"].isin(sites)]["operator_id"])
    links = t["operator_partnership"]
    ended = links["ended_year"]
    kept = (
        (links["since_year"] <= p["year_to"])
        & (ended.isna() | (ended >= p["year_from"]))
        & links["association_id"].isin(present)
        & links["operator_id"].isin(holding)
        & (links["establishment_id"].isna() | links["establishment_id"].isin(sites))
    )
    return links[kept][["partnership_id", "association_id", "operator_id"]]


@baseline(
    "handover_establishments",
    "local_group",
    "local_group_establishment",
    "establishment",
    "population_monthly",
)
def handover_establishments(t: Frames, p: dict) -> pd.DataFrame:
    groups = t["local_group"]
    chosen = groups[(groups["local_group_id"] == p["group_id"]) | (groups["disp"] == p["disp"])]
    visits = t["local_group_establishment"]
    visits = visits[visits["year"] == p["year"]].merge(
        chosen[["local_group_id", "name"]], on="local_group_id"
    )
    visited = (
        visits.sort_values("name")
        .groupby("establishment_id", as_index=False)
        .agg(local_groups=("name", " ; ".join), visit_provenance=("provenance", "min"))
    )
    quartiers = t["population_monthly"]
    quartiers = quartiers[
        (quartiers["month"].dt.year == p["year"]) & quartiers["detainees"].notna()
    ]
    last = quartiers.groupby("establishment_id", as_index=False)["month"].max()
    headcount = (
        quartiers.merge(last, on=["establishment_id", "month"])
        .groupby(["establishment_id", "month"], as_index=False)
        .agg(detainees=("detainees", "sum"), population_provenance=("provenance", "min"))
        .rename(columns={"month": "population_month"})
    )
    places = t["establishment"][
        ["establishment_id", "name", "type_code", "city", "operational_capacity"]
    ]
    return visited.merge(places, on="establishment_id").merge(
        headcount, on="establishment_id", how="left"
    )
