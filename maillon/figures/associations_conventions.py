"""The associations page's conventions to renew: those between two associations and those binding
an association or a collective to an institution or funder, in one table, over a horizon the
reader picks (no Streamlit)."""

from __future__ import annotations

from datetime import date

import polars as pl

from maillon.data import queries
from maillon.data.filters import Filters
from maillon.figures.associations import label, scope_params
from maillon.i18n import number, t

HORIZONS = (3, 6, 12, 24)
DEFAULT_HORIZON = 12
INSTITUTION_KINDS = (
    "dap",
    "disp",
    "establishment",
    "spip",
    "ministry",
    "local_authority",
    "foundation",
    "other",
)
RENEWAL_STATES = ("in_force", "renewal_in_progress", "renewed", "lapsed")
TABLE_COLUMNS = (
    "holder",
    "holder_kind",
    "with",
    "with_kind",
    "object",
    "signatory",
    "signed_on",
    "renewal_on",
    "amount",
    "state",
    "overdue",
)


def to_renew(filters: Filters, as_of: date, months: int) -> pl.DataFrame:
    """Conventions of both kinds whose renewal falls before `as_of` + `months` months (the past
    ones overdue), renewed ones left out; one row each, by renewal date."""
    return queries.run(
        "associations_conventions_to_renew", **scope_params(filters), as_of=as_of, months=months
    )


def horizon_label(months: int, lang: str) -> str:
    return t(lang, "associations.horizon_months", months=months)


def partner_kind(kind: str, lang: str) -> str:
    """'association' or an institution kind, in words."""
    return t(lang, f"associations.partner_kind_{kind}")


def holder_kind(kind: str, lang: str) -> str:
    return t(lang, f"associations.holder_kind_{kind}")


def state_label(state: str | None, lang: str) -> str:
    """A renewal state in words; conventions between associations record none."""
    return t(lang, f"associations.state_{state}") if state else t(lang, "associations.state_none")


def what_for(row: dict, lang: str) -> str:
    """A convention's object: its purpose (between associations) or its own words."""
    return label(lang, "purpose", row["purpose"]) if row["purpose"] else row["object"] or "–"


def summary(frame: pl.DataFrame) -> dict[str, int]:
    """How many conventions, overdue, with an institution, lapsed."""
    return {
        "count": frame.height,
        "overdue": int(frame["overdue"].sum() or 0) if frame.height else 0,
        "institutions": frame.filter(pl.col("convention_kind") == "institution").height,
        "lapsed": frame.filter(pl.col("renewal_state") == "lapsed").height,
    }


def summary_text(frame: pl.DataFrame, lang: str) -> str:
    """The sentence above the table: how many, overdue, with an institution, lapsed."""
    counts = summary(frame)
    return t(lang, "associations.renew_count", **{k: number(v, lang) for k, v in counts.items()})


def to_renew_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The conventions as shown and downloaded: with whom (partner association, or institution
    and its kind), signatory role, amount, renewal state, overdue flag; headers in the language."""
    yes, no = t(lang, "associations.yes"), t(lang, "associations.no")
    rows = [
        {
            "holder": row["holder"],
            "with": row["partner"],
            "holder_kind": holder_kind(row["holder_kind"], lang),
            "with_kind": partner_kind(row["partner_kind"], lang),
            "object": what_for(row, lang),
            "signatory": row["signatory_role"] or "–",
            "signed_on": row["signed_on"],
            "renewal_on": row["renewal_on"],
            "amount": row["amount_eur"],
            "state": state_label(row["renewal_state"], lang),
            "overdue": yes if row["overdue"] else no,
        }
        for row in frame.iter_rows(named=True)
    ]
    schema = {
        **{c: pl.String for c in TABLE_COLUMNS},
        "signed_on": pl.Date,
        "renewal_on": pl.Date,
        "amount": pl.Float64,
    }
    shown = pl.DataFrame(rows, schema=schema)
    return shown.rename({c: t(lang, f"associations.col_renew_{c}") for c in TABLE_COLUMNS})
