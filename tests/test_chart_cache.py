"""Built charts are reused per data version and arguments, and rebuilt after an import."""

import pytest

from maillon.charts import cache
from maillon.data import queries


def test_a_chart_is_built_once_per_version_and_arguments(monkeypatch):
    version = {"path": "/data/v1.duckdb"}
    monkeypatch.setattr(queries, "current_version", lambda db=None: version["path"])
    calls = []

    @cache.cached
    def build(scope: str, lang: str) -> tuple[str, str]:
        calls.append((scope, lang))
        return (scope, lang)

    assert build("all", "fr") == ("all", "fr")
    assert build("all", "fr") is build("all", "fr")
    assert build("all", "en") == ("all", "en")  # another language is another chart
    assert calls == [("all", "fr"), ("all", "en")]
    version["path"] = "/data/v2.duckdb"  # an import published a new version
    build("all", "fr")
    assert calls[-1] == ("all", "fr") and len(calls) == 3


def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(queries, "current_version", lambda db=None: "/data/v1.duckdb")
    cache.clear()
    calls = []

    @cache.cached
    def build(n: int) -> int:
        calls.append(n)
        return n

    for n in range(cache.CACHE_SIZE + 1):
        build(n)
    build(cache.CACHE_SIZE)  # the newest entry stays
    build(0)  # evicted: the oldest entries go first
    assert calls == [*range(cache.CACHE_SIZE + 1), 0]


def test_what_pages_derive_on_every_run_is_computed_once_and_read_only(built_db):
    """The figures a page derives from its query results with Polars on every run are built
    once per data version and shared by every session: so they cannot be changed in place."""
    from maillon.data.filters import Filters
    from maillon.figures import annual, money_by_payer, money_flow, outcomes
    from maillon.web import ui

    filters = Filters(2019, 2025)
    for derive in (
        lambda: annual.comparison(filters, 2025),
        lambda: annual.highlights(filters, 2025, "fr"),
        lambda: money_flow.totals(filters),
        lambda: money_by_payer.Beside.load(filters, "fr"),
        lambda: outcomes.indicators(filters, "fr"),
        ui.filter_options,
    ):
        assert derive() is derive()
    assert isinstance(annual.highlights(filters, 2025, "fr"), tuple)
    options = ui.filter_options()
    with pytest.raises(TypeError):
        options.values["disp"] = ()  # type: ignore[index]
    with pytest.raises(TypeError):
        outcomes.indicators(filters, "fr")["x"] = "y"  # type: ignore[index]
