"""Contact cards of organisations as vCard 4.0 (RFC 6350): the associations' directory and the
partners of a hand-over pack. Organisations only (KIND:org), never a person.

Names come from imported files: text values are escaped and lines folded by the rules vCard
shares with iCalendar (maillon.exports.calendar), and a text a spreadsheet would read as a formula
is made inert (contact lists end up in spreadsheets); the phone number keeps its leading +.
"""

from __future__ import annotations

import polars as pl

from maillon.exports import calendar, downloads


def organisations(frame: pl.DataFrame, name: str) -> str:
    """One card per row: the organisation's name (column `name`), its address (`address`, `city`,
    `postal_code`, in France), `email` and `phone` when given."""
    safe = downloads.spreadsheet_safe(frame.drop("phone")).with_columns(frame["phone"])
    lines = []
    for row in safe.iter_rows(named=True):
        shown = calendar.escape(row[name])
        street, town, code = (calendar.escape(row[c]) for c in ("address", "city", "postal_code"))
        address = ";".join(["", "", street, town, "", code, "France"])  # RFC 6350 ADR parts
        card = ["BEGIN:VCARD", "VERSION:4.0", "KIND:org", f"FN:{shown}", f"ORG:{shown}"]
        card.append(f"ADR;TYPE=work:{address}")
        if row["email"]:
            card.append(f"EMAIL;TYPE=work:{calendar.escape(row['email'])}")
        if row["phone"]:
            card.append(f"TEL;TYPE=work,voice:{calendar.escape(row['phone'])}")
        card.append("END:VCARD")
        lines += [calendar.fold(line) for line in card]
    return "".join(f"{line}\r\n" for line in lines)
