"""Calendar files (RFC 5545 iCalendar): the due dates of the conventions to renew as all-day events
a calendar program imports.

Names come from imported data: every TEXT value is escaped (backslash, semicolon, comma, line
breaks) and stripped of the other control characters, so that no value can end its line and start
a property or a component of its own. Lines end with CRLF and are folded at 75 octets, never inside
a UTF-8 character.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import polars as pl

from maillon.figures import associations_conventions as conventions
from maillon.i18n import money, t

LINE_OCTETS = 75
MIME = "text/calendar"
PRODUCT = "-//Maillon//Conventions a renouveler//FR"
# Control characters RFC 5545 does not allow in TEXT (line breaks are escaped before this).
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_UID_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True)
class Event:
    """An all-day event: its stable identifier, day, title and description (plain text)."""

    uid: str
    day: date
    summary: str
    description: str = ""


def escape(value: str | None) -> str:
    """A TEXT value (RFC 5545, 3.3.11): backslash, semicolon and comma escaped, any line break
    written as \\n, other control characters dropped."""
    text = (value or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")
    text = text.replace("\u2028", "\\n").replace("\u2029", "\\n")
    return _CONTROL.sub("", text)


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545, 3.1): each continuation starts with a space,
    and no UTF-8 character is cut."""
    parts, current, size = [], [], 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = LINE_OCTETS if not parts else LINE_OCTETS - 1
        if size + width > limit:
            parts.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def uid(*parts: str) -> str:
    """A stable, unique identifier from the parts (readable prefix, hash of the whole)."""
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]
    readable = _UID_SAFE.sub("-", "-".join(parts))[:48]
    return f"{readable}-{digest}@maillon"


def calendar(events: Iterable[Event], name: str, stamp: datetime) -> bytes:
    """A VCALENDAR with one VEVENT per event, as UTF-8 bytes with CRLF line ends."""
    stamped = stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape(event.uid)}",
            f"DTSTAMP:{stamped}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(event.summary)}",
            f"DESCRIPTION:{escape(event.description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


def convention_events(frame: pl.DataFrame, lang: str) -> list[Event]:
    """One event per convention to renew (associations_conventions.to_renew), on its renewal
    date, worded in the language."""
    events = []
    for row in frame.iter_rows(named=True):
        details = [
            t(lang, "associations.ics_object", text=conventions.what_for(row, lang)),
            t(
                lang,
                "associations.ics_with",
                partner=row["partner"],
                kind=conventions.partner_kind(row["partner_kind"], lang),
            ),
        ]
        if row["signatory_role"]:
            details.append(t(lang, "associations.ics_signatory", role=row["signatory_role"]))
        if row["amount_eur"] is not None:
            details.append(
                t(lang, "associations.ics_amount", amount=money(row["amount_eur"], lang, False))
            )
        if row["renewal_state"]:
            state = conventions.state_label(row["renewal_state"], lang)
            details.append(t(lang, "associations.ics_state", state=state))
        events.append(
            Event(
                uid=uid(row["convention_kind"], row["convention_id"]),
                day=row["renewal_on"],
                summary=t(
                    lang,
                    "associations.ics_summary",
                    holder=row["holder"],
                    partner=row["partner"],
                ),
                description="\n".join(details),
            )
        )
    return events


def conventions_calendar(frame: pl.DataFrame, lang: str, stamp: datetime | None = None) -> bytes:
    """The .ics file of the conventions to renew."""
    name = t(lang, "associations.ics_name")
    return calendar(convention_events(frame, lang), name, stamp or datetime.now(UTC))
