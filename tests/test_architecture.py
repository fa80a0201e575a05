"""The layout shows the architecture: each subpackage says in its docstring what lives there and
what it may import, and no module imports outside what its subpackage may (docs/architecture.md).
Only the Streamlit layer and the pages import Streamlit; no module grows past about 400 lines."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "maillon"
SHARED = {"i18n", "plain_text"}  # used by every layer
MAY_IMPORT = {
    "data": set(),
    "database": {"data"},
    "admin": {"data", "database"},
    "charts": {"data"},
    # figures read taxonomies from database and the row caps of each file format (downloads)
    "figures": {"data", "database", "charts", "exports.downloads"},
    "exports": {"data", "charts", "figures"},
    "web": {"data", "database", "admin", "charts", "figures", "exports"},
}
LONG_MODULES = {"database/demo.py"}  # the demo generator: one long, seeded story


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE)


def _maillon_imports(path: Path) -> set[str]:
    """Every `maillon.<package>[.<module>]` the file imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("maillon"):
            parts = node.module.split(".")[1:]
            if len(parts) == 1:  # from maillon.<package> import <module>, ...
                found |= {f"{parts[0]}.{alias.name}" for alias in node.names}
            elif parts:
                found.add(".".join(parts[:2]))
    return found


def test_every_subpackage_says_what_lives_there_and_what_it_may_import():
    packages = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
    assert packages == sorted(MAY_IMPORT)
    for name in packages:
        doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text()))
        assert doc and ("import" in doc.lower()), name


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_what_its_layer_may(path):
    layer = path.parent.name
    allowed = MAY_IMPORT[layer] | {layer} | SHARED
    wrong = [
        name
        for name in _maillon_imports(path)
        if name.split(".")[0] not in allowed and name not in allowed
    ]
    assert wrong == []


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_streamlit_layer_imports_streamlit(path):
    tree = ast.parse(path.read_text())
    names = {
        alias.name.split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.Import)
        for alias in n.names
    }
    names |= {
        n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
    }
    if path.name in ("__init__.py", "config.py"):  # config reads Streamlit's secrets file
        return
    assert ("streamlit" in names) == (path.parent.name == "web")


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_grows_past_about_400_lines(path):
    if str(path.relative_to(PACKAGE)) in LONG_MODULES:
        return
    assert len(path.read_text().splitlines()) <= 450


def _routes() -> dict[str, str]:
    """Each page file routed by app.py, with its URL path ('' for the default page)."""
    found = {}
    for node in ast.walk(ast.parse((ROOT / "app.py").read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page":
            options = {k.arg: k.value for k in node.keywords}
            url = options["url_path"].value if "url_path" in options else ""
            found[node.args[0].value] = url
    return found


def test_every_page_file_is_named_after_its_url():
    """No URL matches a file of pages/, so a cold server's first request goes through app.py."""
    routes = _routes()
    assert sorted(routes) == sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))
    for file, url in routes.items():
        assert file == f"pages/{(url or 'overview').replace('-', '_')}_page.py", (file, url)
