"""Built charts are reused per data version and arguments, and rebuilt after an import."""

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
