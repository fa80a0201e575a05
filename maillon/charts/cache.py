"""Charts built once per data version, filters and language, then reused by every session; the
same for the provenance and captions pages compute on every run (maillon.figures.shared), and
for what pages derive from query results with Polars (a year's comparison and highlights, the
money's totals, the filter options): what is cached is immutable (frozen dataclasses, tuples,
read-only mappings, Polars frames), since every session gets the same object.

Building a Plotly figure costs tens of milliseconds (each property is validated), far more than
the cached query behind it: a page of four charts spent a quarter of a second rebuilding the
same figures on every visit. Each Polars operation costs a few tenths of a millisecond: a page
run's derived figures took about a tenth of its CPU. A new data version (an import)
is a new cache key. Like the query cache (maillon.data.queries), this is the standard library's
thread-safe LRU cache.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from maillon.data import queries

CACHE_SIZE = 512  # charts, and the provenance and captions inside them
P = ParamSpec("P")
R = TypeVar("R")


@functools.lru_cache(maxsize=CACHE_SIZE)
def _built(version: str, build: Callable, args: tuple, kwargs: tuple) -> object:
    return build(*args, **dict(kwargs))


def cached(build: Callable[P, R]) -> Callable[P, R]:
    """Cache `build(*args)` by data version and arguments (hashable: Filters, language...)."""

    @functools.wraps(build)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        version = queries.current_version()
        return _built(version, build, args, tuple(sorted(kwargs.items())))  # type: ignore[return-value]

    return wrapper


def clear() -> None:
    _built.cache_clear()
