"""The one shape every DECP format is read into (`Record`, its `Holder`s and `Change`s), and
`DecpError`, raised for a file that cannot be read at all. Values stay as published:
maillon.admin.decp_rules reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MB = 2**20
MAX_INFLATED_MB = 400  # like uploads.MAX_INFLATED_MB: a file, or the file inside a zip
# Stable codes of the errors that stop a whole file; the English line is the CLI's wording.
FILE_ERRORS = {
    "empty_file": "The file is empty.",
    "too_big": f"The file, or the file inside the zip, is larger than {MAX_INFLATED_MB} MB.",
    "bad_zip": "The zip archive cannot be opened.",
    "zip_contents": "The zip must hold exactly one DECP file.",
    "not_json": "The file starts like JSON but is not valid JSON.",
    "not_decp_json": "The JSON has no 'marches' list of contracts.",
    "not_decp_table": "The table lacks the columns of the consolidated DECP table.",
    "unreadable_table": "The CSV or Parquet file cannot be read.",
    "unknown_format": "The file is neither a zip, JSON, CSV nor Parquet DECP file.",
    "file_twice": "Two files have the same name.",
    "bad_taxonomy": "A taxonomy table (prison buyers or CPV domains) cannot be used.",
}


class DecpError(Exception):
    """A file that cannot be read at all: `file_name`, a stable `code` (FILE_ERRORS) and a
    `detail`; str() is one English sentence naming the file."""

    def __init__(self, file_name: str, code: str, detail: str = ""):
        self.file_name, self.code, self.detail = file_name, code, detail
        super().__init__(f"{file_name}: {FILE_ERRORS[code]}" + (f" {detail}" if detail else ""))


@dataclass
class Holder:
    id_type: str | None
    holder_id: str | None
    name: str | None


@dataclass
class Change:
    """A modification, or in a flat table a later version of the contract: values as published
    (None: not changed)."""

    position: int
    date: object = None
    amount: object = None
    duration: object = None
    holders: list[Holder] | None = None


@dataclass
class Record:
    """One published contract. `problem` says why it is not a contract at all; `notified` is
    the notification date (a concession's signature), `started` a concession's start."""

    file_name: str
    record_number: int
    problem: str | None = None
    record_type: str = "market"
    uid: str | None = None
    decp_id: str | None = None
    nature: str | None = None
    buyer_id: str | None = None
    buyer_name: str | None = None
    object: str | None = None
    cpv: object = None
    procedure: str | None = None
    place_code: str | None = None
    place_type: str | None = None
    place_name: str | None = None
    notified: object = None
    started: object = None
    duration: object = None
    amount: object = None
    holders: list[Holder] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    social_considerations: str | None = None
    platform: str | None = None

    @property
    def record_id(self) -> str | None:
        return self.uid or self.decp_id
