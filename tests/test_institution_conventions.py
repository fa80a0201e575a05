"""Conventions with institutions and funders (issue 20, item 2): the conventions to renew, of both
kinds, against independent SQL on the built file; the calendar file read back by a minimal RFC 5545
parser written here with the standard library; hostile names that cannot add properties; the page;
and the import rule of one signing party."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import polars as pl
import pytest

from maillon.data.filters import Filters
from maillon.exports import calendar
from maillon.figures import associations_conventions as conventions
from tests.page_helpers import open_page, open_tab, sql_all
from tests.test_import_rules import (
    db,  # noqa: F401  (the import tests' database)
    edited,
    only,
    problems,
    shown,
)

YEARS = (2019, 2025)
AS_OF = date(2026, 11, 23)
STAMP = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)


def _plus_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, day.day)


def expected_rows(path, months: int, disp: str = "") -> list[tuple]:
    """(kind, id, renewal date, overdue) of the conventions to renew, from the base tables."""
    limit = _plus_months(AS_OF, months)
    return sql_all(
        path,
        """
        WITH present AS (
            SELECT DISTINCT i.association_id
            FROM association_intervention AS i
            JOIN establishment AS e USING (establishment_id)
            WHERE i.year BETWEEN $year_from AND $year_to AND ($disp = '' OR e.disp = $disp)
        )
        SELECT 'partnership', partnership_id, convention_renewal_on,
               convention_renewal_on < $as_of
        FROM association_partnership
        WHERE has_convention AND convention_renewal_on < $limit
          AND (association_id IN (FROM present) OR partner_id IN (FROM present))
        UNION ALL
        SELECT 'institution', c.convention_id, c.renewal_on, c.renewal_on < $as_of
        FROM institution_convention AS c
        JOIN institution AS n USING (institution_id)
        WHERE c.renewal_state <> 'renewed' AND c.renewal_on < $limit
          AND (c.association_id IN (FROM present)
               OR c.collective_id IN (SELECT collective_id FROM collective_member
                                      WHERE association_id IN (FROM present)))
          AND ($disp = '' OR n.disp IS NULL OR n.disp = $disp)
        ORDER BY 3, 2
        """,
        {
            "year_from": YEARS[0],
            "year_to": YEARS[1],
            "disp": disp,
            "as_of": AS_OF,
            "limit": limit,
        },
    )


def view_rows(frame: pl.DataFrame) -> list[tuple]:
    return list(frame.select("convention_kind", "convention_id", "renewal_on", "overdue").rows())


# ---------------------------------------------------------------- the view


@pytest.mark.parametrize("months", conventions.HORIZONS)
def test_the_view_is_the_independent_query(built_db, months):
    frame = conventions.to_renew(Filters(*YEARS), AS_OF, months)
    expected = expected_rows(built_db, months)
    assert view_rows(frame) == expected
    kinds = {row[0] for row in expected}
    assert kinds == {"partnership", "institution"}  # both kinds are covered


def test_the_view_in_one_disp_is_the_independent_query(built_db):
    frame = conventions.to_renew(Filters(*YEARS, disp=("DISP LYON",)), AS_OF, 24)
    assert view_rows(frame) == expected_rows(built_db, 24, "DISP LYON")
    assert 0 < frame.height < conventions.to_renew(Filters(*YEARS), AS_OF, 24).height


def test_the_demo_has_overdue_near_far_and_lapsed_conventions(built_db):
    frame = conventions.to_renew(Filters(*YEARS), AS_OF, 24).filter(
        pl.col("convention_kind") == "institution"
    )
    due = frame["renewal_on"]
    assert (due < AS_OF).sum() > 0
    for low, high in ((0, 3), (3, 6), (6, 12), (12, 24)):
        within = (due >= _plus_months(AS_OF, low)) & (due < _plus_months(AS_OF, high))
        assert within.sum() > 0, (low, high)
    lapsed = frame.filter(pl.col("renewal_state") == "lapsed")
    assert lapsed.height > 0
    # the text's example: a national association whose funding by the DAP was not renewed
    assert (
        sql_all(
            built_db,
            """SELECT count(*) FROM institution_convention c
           JOIN association a USING (association_id) JOIN institution i USING (institution_id)
           WHERE a.scope = 'national' AND i.kind = 'dap' AND c.renewal_state = 'lapsed'
             AND c.amount_eur > 0""",
        )[0][0]
        == 1
    )
    assert set(frame["holder_kind"]) == {"association", "collective"}


def test_the_table_says_with_whom_and_in_both_languages(built_db):
    frame = conventions.to_renew(Filters(*YEARS), AS_OF, 12)
    for lang in ("fr", "en"):
        table = conventions.to_renew_table(frame, lang)
        assert table.height == frame.height
        assert table.width == len(conventions.TABLE_COLUMNS)
    fr = conventions.to_renew_table(frame, "fr")
    kinds = set(fr["Type de partenaire"])
    assert "Association" in kinds and kinds & {"DAP", "DISP", "SPIP", "Fondation"}
    assert set(fr["En retard"]) == {"oui", "non"}


# ---------------------------------------------------------------- the calendar file


def unfold(data: bytes) -> list[str]:
    """RFC 5545 content lines: CRLF only, each physical line at most 75 octets, folds undone."""
    assert data.endswith(b"\r\n")
    physical = data.split(b"\r\n")[:-1]
    for line in physical:
        assert b"\r" not in line and b"\n" not in line
        assert len(line) <= 75, line
    text = data.decode("utf-8")  # a fold never cuts a UTF-8 character
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def parse(data: bytes) -> list[dict[str, tuple[str, str]]]:
    """The VEVENTs of a VCALENDAR: {name: (parameters, value)}, values of TEXT unescaped."""
    lines = unfold(data)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    events, current, depth = [], None, 0
    for line in lines:
        head, _, value = line.partition(":")
        name, _, params = head.partition(";")
        assert re.fullmatch(r"[A-Z][A-Z0-9-]*", name), line
        if name == "BEGIN":
            depth += 1
            if value == "VEVENT":
                assert depth == 2
                current = {}
        elif name == "END":
            depth -= 1
            if value == "VEVENT":
                events.append(current)
                current = None
        elif current is not None:
            assert name not in current, f"{name} twice in one event"
            current[name] = (params, unescape(value))
    assert depth == 0
    return events


@pytest.mark.parametrize("months", [3, 24])
def test_the_ics_holds_exactly_the_due_dates_in_the_horizon(built_db, months):
    frame = conventions.to_renew(Filters(*YEARS), AS_OF, months)
    for lang in ("fr", "en"):
        events = parse(calendar.conventions_calendar(frame, lang, STAMP))
        days = sorted(
            date.fromisoformat(f"{v[:4]}-{v[4:6]}-{v[6:]}")
            for params, v in (e["DTSTART"] for e in events)
            if params == "VALUE=DATE"
        )
        assert days == sorted(row[2] for row in expected_rows(built_db, months))
        uids = [e["UID"][1] for e in events]
        assert len(set(uids)) == len(uids) == frame.height
        assert all(e["DTSTAMP"][1] == "20261130T093000Z" for e in events)
        start = "Renouvellement de la convention" if lang == "fr" else "Convention renewal"
        assert all(e["SUMMARY"][1].startswith(start) for e in events)


def test_uids_are_stable(built_db):
    frame = conventions.to_renew(Filters(*YEARS), AS_OF, 24)
    first = [e.uid for e in calendar.convention_events(frame, "fr")]
    again = [e.uid for e in calendar.convention_events(frame.reverse(), "en")]
    assert sorted(first) == sorted(again)


HOSTILE = "Évasion\r\nBEGIN:VEVENT\r\nSUMMARY:injecté, ; \\ fin\nDTSTART:19700101\x00\x0b"


def hostile_frame() -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "convention_id": "ic_1\r\nUID:other",
                "convention_kind": "institution",
                "holder": HOSTILE,
                "holder_kind": "association",
                "partner": "Fondation, « virgules » ; points-virgules",
                "partner_kind": "foundation",
                "purpose": None,
                "object": "Objet\nATTENDEE:mailto:x@example.org",
                "signatory_role": "présidente;ROLE=CHAIR",
                "signed_on": date(2024, 1, 1),
                "renewal_on": date(2026, 12, 31),
                "amount_eur": 1234.5,
                "renewal_state": "in_force",
                "overdue": False,
            }
        ]
    )


def test_hostile_names_cannot_inject_properties():
    data = calendar.conventions_calendar(hostile_frame(), "fr", STAMP)
    events = parse(data)
    assert len(events) == 1
    (event,) = events
    assert set(event) == {
        "UID",
        "DTSTAMP",
        "DTSTART",
        "DTEND",
        "SUMMARY",
        "DESCRIPTION",
        "TRANSP",
    }
    assert event["DTSTART"] == ("VALUE=DATE", "20261231")
    summary = event["SUMMARY"][1]
    assert summary == (
        "Renouvellement de la convention : Évasion\nBEGIN:VEVENT\nSUMMARY:injecté, ; \\ fin\n"
        "DTSTART:19700101 – Fondation, « virgules » ; points-virgules"
    )
    assert "ATTENDEE:mailto" in event["DESCRIPTION"][1]
    assert re.fullmatch(r"[A-Za-z0-9_.@-]+", event["UID"][1])
    text = data.decode()
    assert text.count("BEGIN:VEVENT") == 2  # the real one, and the escaped text of the name
    assert text.count("\r\nBEGIN:VEVENT\r\n") == 1
    assert "\x00" not in text and "\x0b" not in text


def test_folding_never_cuts_a_character():
    line = "SUMMARY:" + "é" * 100 + "€" * 30
    folded = calendar.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert re.sub(r"\r\n ", "", folded) == line
    assert calendar.escape("a\\b;c,d\r\ne\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"


# ---------------------------------------------------------------- the page


def _renew_table(at):
    found = [d.value for d in at.dataframe if "Type de partenaire" in d.value.columns]
    assert len(found) == 1
    return found[0]


def test_the_page_shows_institution_conventions_and_the_horizon_changes_them(built_db):
    at = open_tab(open_page("associations"), "associations_tab", "Conventions à renouveler")
    radio = at.radio(key="assoc_months")
    assert radio.value == conventions.DEFAULT_HORIZON
    assert list(radio.options) == [f"{m} mois" for m in conventions.HORIZONS]
    wide = _renew_table(at)
    kinds = set(wide["Type de partenaire"])
    assert "Association" in kinds and kinds - {"Association"}
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Échéances dans un agenda (ICS)" in labels
    at = radio.set_value(3).run()
    assert not at.exception
    narrow = _renew_table(at)
    assert len(narrow) < len(wide)
    at = at.radio(key="assoc_months").set_value(24).run()
    assert len(_renew_table(at)) > len(wide)


def test_the_page_in_english(built_db):
    at = open_tab(open_page("associations", lang="en"), "associations_tab", "Conventions due")
    assert not at.exception
    tables = [d.value for d in at.dataframe if "Kind of partner" in d.value.columns]
    assert len(tables) == 1 and len(tables[0]) > 0
    assert "Due dates in a calendar (ICS)" in [b.proto.label for b in at.get("download_button")]


# ---------------------------------------------------------------- import


def test_a_convention_bound_to_both_an_association_and_a_collective_is_refused(db):  # noqa: F811
    data = edited("institution_convention", 0, "collective_id", "co_01")
    problem = only(problems(db, ("institution_convention.csv", data)))
    assert shown(problem) == (
        "institution_convention.csv",
        2,
        "association_id",
        "as_001",
        "a convention binds either an association or a collective: exactly one of "
        "association_id and collective_id must be filled in",
        "fill in association_id when an association signs, collective_id when a collective "
        "signs, and leave the other empty",
    )


def test_a_convention_bound_to_neither_is_refused(db):  # noqa: F811
    data = edited("institution_convention", 0, "association_id", None)
    problem = only(problems(db, ("institution_convention.csv", data)))
    assert problem.column == "association_id" and "exactly one of" in problem.problem


def test_an_establishment_only_for_an_institution_that_is_one(db):  # noqa: F811
    data = edited("institution", 0, "establishment_id", "cp_aiton")
    problem = only(problems(db, ("institution.csv", data)))
    assert shown(problem)[:4] == ("institution.csv", 2, "establishment_id", "cp_aiton")
    assert problem.fix == "set kind to establishment, or leave establishment_id empty"
