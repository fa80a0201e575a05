"""The hand-over pack as files: one PDF for reading (print-styled HTML printed by report.py's
Chromium) and one zip for the next team's tools (a CSV per section, one XLSX workbook with a sheet
per section, and a vCard file of the partner organisations).

Names come from imported files: the HTML escapes every text and holds no script, the CSV and XLSX
cells go through the downloads module's formula guard, the vCard escapes its text values
(RFC 6350) and carries organisations only (KIND:org), never a person.

Command line: python -m maillon.exports.handover --group lg_012 --year 2025 --lang fr --out DIR
(or --area "DISP RENNES") writes the PDF and the zip into DIR.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from datetime import date
from pathlib import Path

import polars as pl

from maillon.data.config import database_path
from maillon.exports import downloads, report, workbook
from maillon.exports import vcard as vcard_file
from maillon.exports.report import escape, table_html
from maillon.figures import handover
from maillon.figures.handover import HandoverPack, Subject, UnknownSubject
from maillon.i18n import date_text, t

# Wide tables: the pack prints in landscape, in smaller type than the board report.
CSS = (
    report.CSS
    + """
@page { size: A4 landscape; margin: 12mm 12mm; }
body { font-size: 10pt; }
h1 { font-size: 22pt; margin: 0 0 3mm 0; }
h2 { font-size: 14pt; margin: 6mm 0 2mm 0; break-after: avoid; }
section { break-after: auto; }
table { font-size: 8.5pt; margin: 1mm 0 2mm 0; }
th, td { padding: 1mm 1.5mm; vertical-align: top; }
tr { break-inside: avoid; }
.note { font-size: 8.5pt; color: #555; margin: 0 0 1mm 0; break-after: avoid; }
.notice { margin-top: 4mm; }
"""
)
# Short values a line break would make harder to read (or to dial) in the PDF's narrow columns.
UNBROKEN = ("phone", "signed_on", "valid_to", "renewal_on", "amount", "date", "month", "detainees")
ZIP_DATE = (2026, 1, 1, 0, 0, 0)  # a fixed time in the zip: the same pack gives the same bytes


def _section_html(pack: HandoverPack, name: str, lang: str) -> str:
    years = {"year": pack.year, "previous": pack.year - 1, "next_year": pack.year + 1}
    frame = handover.table(pack, name, lang)
    kept = [t(lang, f"handover.col_{c}", **years) for c in UNBROKEN]
    frame = frame.with_columns(
        pl.col(c).str.replace_all(" ", "\u00a0") for c in frame.columns if c in kept
    )
    if frame.height:
        body = table_html(frame, numeric_from=99)
    else:
        empty = "handover.no_changes" if name == "changes" else "handover.empty"
        body = f"<p>{escape(t(lang, empty, **years))}</p>"
    return (
        f'<section id="{name}"><h2>{escape(t(lang, f"handover.section_{name}"))}</h2>'
        f'<p class="note">{escape(t(lang, f"handover.note_{name}", **years))}</p>{body}</section>'
    )


def _illustrative(pack: HandoverPack) -> bool:
    frames = [pack.groups, *(pack.section(name) for name in handover.SECTIONS)]
    return any(
        frame.height and (frame["provenance"] == "illustrative").any()
        for frame in frames
        if "provenance" in frame.columns
    )


def build_html(pack: HandoverPack, lang: str, day: date) -> str:
    """The pack as one print-styled HTML page: cover with the groups, then each section."""
    title = escape(pack.title(lang))
    cover = (
        f"<h1>{title}</h1>"
        f'<p class="subtitle">'
        f"{escape(t(lang, 'handover.pack_subtitle', year=pack.year, previous=pack.year - 1))}</p>"
        f"<p>{escape(t(lang, 'handover.made_on', date=date_text(day, lang)))}</p>"
        f'<p class="small">{escape(t(lang, "handover.contact_note"))}</p>'
    )
    if _illustrative(pack):
        cover += f'<p class="notice">{escape(t(lang, "handover.illustrative_note"))}</p>'
    body = cover + "".join(_section_html(pack, name, lang) for name in handover.READING_ORDER)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{CSS}</style></head><body>{body}</body></html>"
    )


def pdf(pack: HandoverPack, lang: str, day: date | None = None) -> bytes:
    return report.to_pdf(build_html(pack, lang, day or date.today()))


def vcard(pack: HandoverPack) -> str:
    """One vCard per partner organisation, each once."""
    partners = pack.partners.unique("partner_id", keep="first", maintain_order=True)
    return vcard_file.organisations(partners, name="partner")


def file_stem(pack: HandoverPack, lang: str) -> str:
    who = pack.subject.disp if pack.subject.is_area else pack.subject.group_id
    safe = "".join(c if c.isalnum() else "_" for c in who.lower())
    return f"{t(lang, 'handover.file_stem')}_{safe}_{pack.year}"


def zip_bytes(pack: HandoverPack, lang: str) -> bytes:
    """A CSV per section, the workbook (a sheet per section) and the partners' vCard file."""
    stem = file_stem(pack, lang)
    tables = {name: handover.table(pack, name, lang) for name in handover.READING_ORDER}
    sheets = [
        workbook.ChartData(
            key=t(lang, f"handover.file_{name}"),
            title=t(lang, f"handover.section_{name}"),
            source=t(lang, "handover.workbook_source"),
            mark=t(lang, "handover.provenance_illustrative") if _illustrative(pack) else "",
            table=frame,
        )
        for name, frame in tables.items()
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, data: bytes) -> None:
            archive.writestr(zipfile.ZipInfo(f"{stem}/{name}", ZIP_DATE), data)

        for index, (name, frame) in enumerate(tables.items(), start=1):
            add(
                f"{index:02d}_{t(lang, f'handover.file_{name}')}.csv",
                downloads.to_bytes(frame, "csv"),
            )
        add(f"{stem}.xlsx", workbook.build(sheets, lang, pack.title(lang)))
        add(f"{t(lang, 'handover.file_partners')}.vcf", vcard(pack).encode("utf-8"))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a hand-over pack as a PDF and a zip.")
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--group", help="local group identifier, e.g. lg_012")
    who.add_argument("--area", help='an area: a DISP, e.g. "DISP RENNES"')
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--lang", choices=("fr", "en"), default="fr")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the files into")
    args = parser.parse_args(argv)
    if not database_path().exists():
        print(t(args.lang, "handover.no_database"), file=sys.stderr)
        return 2
    subject = Subject(group_id=args.group, disp=args.area)
    try:
        pack = handover.build(subject, args.year)
    except UnknownSubject as problem:
        value = args.year if str(problem) == "handover.unknown_year" else args.group or args.area
        print(t(args.lang, str(problem), value=value), file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    stem = file_stem(pack, args.lang)
    for path, data in (
        (args.out / f"{stem}.pdf", pdf(pack, args.lang)),
        (args.out / f"{stem}.zip", zip_bytes(pack, args.lang)),
    ):
        path.write_bytes(data)
        print(t(args.lang, "handover.written", path=path))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
