"""The scenario simulator's figures as one CSV file: its results, then the years of its horizon,
each row with the projection's provenance and source line."""

from __future__ import annotations

import polars as pl

from maillon.exports import downloads
from maillon.figures import scenario, shared


def csv_file(
    results: pl.DataFrame, years: pl.DataFrame, inputs: shared.Provenance, lang: str
) -> bytes:
    """The figures as CSV: the results, then the years of the horizon, each row with the
    projection's provenance and source; a projection's figures to the cent or to a hundredth
    of a person (more digits would claim a precision it does not have)."""
    found = scenario.sourced(inputs, lang)

    def rows(frame: pl.DataFrame) -> bytes:
        rounded = frame.with_columns(pl.col(pl.Float64).round(2))
        return downloads.to_bytes(
            downloads.with_provenance(rounded, found["mark"], found["source"], lang), "csv"
        )

    return rows(results.drop("result")) + b"\n" + rows(years)
