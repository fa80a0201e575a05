"""The hand-over pack (« dossier de passation ») of one local group, or of every local group of one
DISP, for a year: the groups, their partners with organisational contacts, conventions in force
or due, establishments with their real data, joint actions done and planned, and what changed
since the previous year's pack (no Streamlit).

What changed is the difference between two packs built the same way, for the year and the year
before, so it can never disagree with what each year's pack shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from maillon.data import queries
from maillon.figures.associations import label
from maillon.figures.associations_conventions import partner_kind, state_label
from maillon.i18n import date_text, money, number, t

SECTIONS = ("partners", "conventions", "establishments", "actions")
# What identifies a row of a section from one year to the next, and what names it in words.
KEYS = {
    "partners": ("partnership_id", "partner_id"),
    "conventions": ("convention_id",),
    "establishments": ("establishment_id",),
}
NAMES = {"partners": "partner", "conventions": "counterpart", "establishments": "name"}
WHOSE = {"partners": "association", "conventions": "association", "establishments": "local_groups"}
CHANGE_SCHEMA = {
    "section": pl.String,
    "change": pl.String,
    "key": pl.String,
    "label": pl.String,
    "whose": pl.String,
    "kind": pl.String,
    "object": pl.String,
}


class UnknownSubject(ValueError):
    """No such local group or area, or no pack for that year; the message is a catalog key."""


@dataclass(frozen=True)
class Subject:
    """One local group (its identifier) or one area (a DISP, every local group in it)."""

    group_id: str | None = None
    disp: str | None = None

    def params(self) -> dict:
        return {"group_id": self.group_id, "disp": self.disp}

    @property
    def is_area(self) -> bool:
        return self.group_id is None


@dataclass(frozen=True)
class HandoverPack:
    subject: Subject
    year: int
    groups: pl.DataFrame
    partners: pl.DataFrame
    conventions: pl.DataFrame
    establishments: pl.DataFrame
    actions: pl.DataFrame
    changes: pl.DataFrame

    def section(self, name: str) -> pl.DataFrame:
        return getattr(self, name)

    def title(self, lang: str) -> str:
        who = self.subject.disp if self.subject.is_area else self.groups["name"][0]
        return t(lang, "handover.pack_title", who=who, year=self.year)


def choices() -> pl.DataFrame:
    """Every local group with its association, area and first and last year."""
    return queries.run("handover_choices")


def areas(groups: pl.DataFrame) -> list[str]:
    return sorted(set(groups["disp"].to_list()))


def years(subject: Subject) -> list[int]:
    """The years a pack exists for: a group of the subject went to an establishment."""
    return queries.run("handover_years", **subject.params())["year"].to_list()


def sections(subject: Subject, year: int) -> dict[str, pl.DataFrame]:
    """The pack's sections for the year, one named query each."""
    return {
        name: queries.run(f"handover_{name}", **subject.params(), year=year) for name in SECTIONS
    }


def _keyed(frame: pl.DataFrame, name: str) -> dict[str, dict]:
    """Each row of a section by its key: what names it, whose it is, and for a convention its
    kind and object (two conventions can bind the same counterpart)."""
    keys = frame.select(pl.concat_str(KEYS[name], separator="/")).to_series().to_list()
    named = frame.select(
        pl.col(NAMES[name]).alias("label"),
        pl.col(WHOSE[name]).alias("whose"),
        *(
            (pl.col("convention_kind").alias("kind"), pl.col("object"))
            if name == "conventions"
            else (pl.lit(None, pl.String).alias("kind"), pl.lit(None, pl.String).alias("object"))
        ),
    )
    return dict(zip(keys, named.iter_rows(named=True), strict=True))


def changes(current: dict[str, pl.DataFrame], previous: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Rows added to and removed from each section between the previous pack and this one."""
    rows = []
    for name in KEYS:
        now, before = _keyed(current[name], name), _keyed(previous[name], name)
        for change, keys, rows_of in (
            ("added", now.keys() - before, now),
            ("removed", before.keys() - now, before),
        ):
            rows += [
                {"section": name, "change": change, "key": key, **rows_of[key]}
                for key in sorted(keys, key=lambda k: (rows_of[k]["label"], k))
            ]
    return pl.DataFrame(rows, schema=CHANGE_SCHEMA)


def build(subject: Subject, year: int) -> HandoverPack:
    """The pack of a local group or an area for a year; UnknownSubject when there is none."""
    groups = queries.run("handover_groups", **subject.params())
    if groups.is_empty():
        raise UnknownSubject(
            "handover.unknown_area" if subject.is_area else "handover.unknown_group"
        )
    if year not in years(subject):
        raise UnknownSubject("handover.unknown_year")
    current = sections(subject, year)
    return HandoverPack(
        subject, year, groups, **current, changes=changes(current, sections(subject, year - 1))
    )


# ---------------------------------------------------------------- tables in the reader's language


def _yes_no(value: bool | None, lang: str) -> str:
    return t(lang, "associations.yes") if value else t(lang, "associations.no")


def _address(row: dict) -> str:
    town = " ".join(part for part in (row["postal_code"], row["city"]) if part)
    return ", ".join(part for part in (row["address"], town) if part)


def _provenance(value: str | None, lang: str) -> str:
    return t(lang, f"handover.provenance_{value}") if value else "–"


def _groups(pack: HandoverPack, lang: str) -> list[dict]:
    return [
        {
            "group": row["name"],
            "association": row["association"],
            "area": row["disp"],
            "contact_role": row["contact_role"],
            "email": row["email"] or "–",
            "phone": row["phone"] or "–",
            "address": _address(row),
            "founded": str(row["founded_year"]),
            "provenance": _provenance(row["provenance"], lang),
        }
        for row in pack.groups.iter_rows(named=True)
    ]


def _partners(pack: HandoverPack, lang: str) -> list[dict]:
    return [
        {
            "association": row["association"],
            "partner": row["partner"],
            "field": label(lang, "field", row["field_id"]),
            "purpose": label(lang, "purpose", row["purpose"]),
            "since": str(row["since_year"]),
            "convention": _yes_no(row["has_convention"], lang),
            "email": row["email"] or "–",
            "phone": row["phone"] or "–",
            "address": _address(row),
            "provenance": _provenance(row["provenance"], lang),
        }
        for row in pack.partners.iter_rows(named=True)
    ]


def _conventions(pack: HandoverPack, lang: str) -> list[dict]:
    rows = []
    for row in pack.conventions.iter_rows(named=True):
        rows.append(
            {
                "association": row["association"],
                "counterpart": row["counterpart"],
                "counterpart_kind": partner_kind(row["counterpart_kind"], lang),
                "object": _object(row["convention_kind"], row["object"], lang),
                "signatory": row["signatory_role"] or "–",
                "signed_on": date_text(row["signed_on"], lang),
                "valid_to": date_text(row["valid_to"], lang),
                "renewal_on": date_text(row["renewal_on"], lang),
                "amount": money(row["amount_eur"], lang) if row["amount_eur"] is not None else "–",
                "state": state_label(row["renewal_state"], lang),
                "in_force": _yes_no(row["in_force"], lang),
                "due": _yes_no(row["due"], lang),
                "provenance": _provenance(row["provenance"], lang),
            }
        )
    return rows


def _establishments(pack: HandoverPack, lang: str) -> list[dict]:
    return [
        {
            "establishment": row["name"],
            "type": row["type_code"],
            "town": row["city"],
            "departement": row["departement_code"],
            "capacity": number(row["operational_capacity"], lang),
            "detainees": number(row["detainees"], lang),
            "month": date_text(row["population_month"], lang, month=True),
            "groups": row["local_groups"],
            "provenance": t(
                lang,
                "handover.establishment_provenance",
                place=_provenance(row["establishment_provenance"], lang),
                people=_provenance(row["population_provenance"], lang),
                visit=_provenance(row["visit_provenance"], lang),
            ),
        }
        for row in pack.establishments.iter_rows(named=True)
    ]


def _actions(pack: HandoverPack, lang: str) -> list[dict]:
    return [
        {
            "date": date_text(row["action_date"], lang),
            "status": t(lang, f"handover.status_{row['status']}"),
            "theme": label(lang, "theme", row["theme"]),
            "title": row["title"],
            "partners": row["partners"],
            "establishments": row["establishments"],
            "provenance": _provenance(row["provenance"], lang),
        }
        for row in pack.actions.iter_rows(named=True)
    ]


def _object(kind: str | None, value: str | None, lang: str) -> str:
    """A convention's object: its purpose in words between associations, else its own words."""
    return label(lang, "purpose", value) if kind == "partnership" else value or "–"


def _changes(pack: HandoverPack, lang: str) -> list[dict]:
    return [
        {
            "section": t(lang, f"handover.section_{row['section']}"),
            "change": t(lang, f"handover.change_{row['change']}"),
            "what": row["label"],
            "object": _object(row["kind"], row["object"], lang) if row["kind"] else "",
            "whose": row["whose"],
        }
        for row in pack.changes.iter_rows(named=True)
    ]


ROWS = {
    "groups": _groups,
    "changes": _changes,
    "partners": _partners,
    "conventions": _conventions,
    "establishments": _establishments,
    "actions": _actions,
}
READING_ORDER = tuple(ROWS)
# Columns a one-group pack leaves out: they would repeat its one group and association.
AREA_ONLY = {"association", "groups", "whose"}


def table(pack: HandoverPack, name: str, lang: str) -> pl.DataFrame:
    """A section as the reader sees it: values in words and headers in the language, one row per
    row of the section (the groups' own table included)."""
    rows = ROWS[name](pack, lang)
    hidden = set() if pack.subject.is_area or name == "groups" else AREA_ONLY
    columns = [c for c in COLUMNS[name] if c not in hidden]
    frame = pl.DataFrame(
        [[row[c] for c in columns] for row in rows],
        schema={c: pl.String for c in columns},
        orient="row",
    )
    years = {"year": pack.year, "next_year": pack.year + 1}
    return frame.rename({c: t(lang, f"handover.col_{c}", **years) for c in columns})


COLUMNS = {
    "groups": (
        "group",
        "association",
        "area",
        "contact_role",
        "email",
        "phone",
        "address",
        "founded",
        "provenance",
    ),
    "changes": ("section", "change", "what", "object", "whose"),
    "partners": (
        "association",
        "partner",
        "field",
        "purpose",
        "since",
        "convention",
        "email",
        "phone",
        "address",
        "provenance",
    ),
    "conventions": (
        "association",
        "counterpart",
        "counterpart_kind",
        "object",
        "signatory",
        "signed_on",
        "valid_to",
        "renewal_on",
        "amount",
        "state",
        "in_force",
        "due",
        "provenance",
    ),
    "establishments": (
        "establishment",
        "type",
        "town",
        "departement",
        "capacity",
        "detainees",
        "month",
        "groups",
        "provenance",
    ),
    "actions": ("date", "status", "theme", "title", "partners", "establishments", "provenance"),
}
