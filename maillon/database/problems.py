"""What validation and import report: a Problem says where (file, row, column), the value, what is
wrong and how to fix it. The two sentences are Messages, a key of the `problems` section of the
locale catalogs (maillon/locales/<lang>/problems.toml) and the values of its {placeholders}; they
are worded in a language only when shown: the admin page in the reader's language, the command
line, the build log and exception texts in English (`str(problem)`).
"""

from __future__ import annotations

from dataclasses import dataclass

from maillon.i18n import t

CURRENT_DATA = "(current data)"  # the file of rows carried over from the version in service
LOG_LANGUAGE = "en"


@dataclass(frozen=True, init=False)
class Message:
    """`Message("not_a_table", name="targets")`: the key `problems.not_a_table` with the values of
    its placeholders (any name but `key` and `lang`), kept as they are until worded."""

    key: str
    params: tuple[tuple[str, object], ...]

    def __init__(self, key: str, **params: object) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "params", tuple(sorted(params.items())))

    def text(self, lang: str) -> str:
        return t(lang, f"problems.{self.key}", **dict(self.params))

    def __repr__(self) -> str:
        values = "".join(f", {name}={value!r}" for name, value in self.params)
        return f"Message({self.key!r}{values})"


@dataclass(frozen=True)
class Problem:
    """`problem` and `fix` are the English wording; `text(lang)` the whole line in a language."""

    file: str
    row: int | None
    column: str
    value: str
    message: Message
    fix_message: Message | None = None

    def file_text(self, lang: str) -> str:
        return t(lang, "problems.current_data") if self.file == CURRENT_DATA else self.file

    def problem_text(self, lang: str) -> str:
        return self.message.text(lang)

    def fix_text(self, lang: str) -> str:
        return self.fix_message.text(lang) if self.fix_message else ""

    @property
    def problem(self) -> str:
        """What is wrong, in English."""
        return self.problem_text(LOG_LANGUAGE)

    @property
    def fix(self) -> str:
        """How to fix it, in English ("" if nothing is said)."""
        return self.fix_text(LOG_LANGUAGE)

    def text(self, lang: str) -> str:
        """The whole problem on one line."""
        where = (
            self.file_text(lang)
            if self.row is None
            else t(lang, "problems.at_row", file=self.file_text(lang), row=self.row)
        )
        fix = self.fix_text(lang)
        return t(
            lang,
            "problems.line_with_fix" if fix else "problems.line",
            where=where,
            column=self.column,
            value=self.value,
            problem=self.problem_text(lang),
            fix=fix,
        )

    def __str__(self) -> str:
        return self.text(LOG_LANGUAGE)


MORE_ROWS = "more_rows"  # the key of the line that counts the problems past those listed


def problem_count(problems: list[Problem]) -> int:
    """How many problems were found: those listed, and those the more_rows lines count."""
    return sum(
        dict(p.message.params)["count"] if p.message.key == MORE_ROWS else 1 for p in problems
    )


class ValidationError(Exception):
    """Raised with every problem found; nothing has been written when it is raised."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more lines" if len(problems) > 50 else ""
        found = problem_count(problems)
        super().__init__(f"{found} problem(s) in the input files:\n{lines}{more}")
