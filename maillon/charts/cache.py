"""Charts built once per data version, filters and language, then reused by every session.

Building a Plotly figure costs tens of milliseconds (each property is validated), far more than
the cached query behind it: a page of four charts spent a quarter of a second rebuilding the
same figures on every visit. A new data version (an import) is a new cache key.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

import plotly.graph_objects as go
import polars as pl

from maillon.data import queries

CACHE_SIZE = 256
P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_cache: OrderedDict[tuple, object] = OrderedDict()


@dataclass(frozen=True)
class ChartView:
    """A chart and the rows behind it. Shared between sessions: never modify it in place."""

    figure: go.Figure
    table: pl.DataFrame


def cached(build: Callable[P, R]) -> Callable[P, R]:
    """Cache `build(*args)` by data version and arguments (hashable: Filters, language...)."""

    @functools.wraps(build)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        key = (
            queries.current_version(),
            build.__module__,
            build.__qualname__,
            args,
            tuple(sorted(kwargs.items())),
        )
        with _lock:
            if key in _cache:
                _cache.move_to_end(key)
                return _cache[key]  # type: ignore[return-value]
        value = build(*args, **kwargs)
        with _lock:
            _cache[key] = value
            if len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
        return value

    return wrapper


def clear() -> None:
    with _lock:
        _cache.clear()
