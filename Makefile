# Maillon: `make run` serves the app on the demo data; `make test` runs every check CI runs.
SHELL := /bin/bash
# uv on the PATH, else the one `make uv` puts in .tools/ (looked up at each use: it may just have
# been installed).
UV = $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
DB := data/maillon.duckdb
CHROMIUM := /usr/bin/chromium

.PHONY: run serve test data demo bench publish lint format setup uv chromium nginx poppler clean

# Bytecode compiled once here: where PYTHONDONTWRITEBYTECODE is set (as in many containers) each
# server start would otherwise compile every imported module again, about 2 s of a first visit.
setup: uv
	$(UV) sync --frozen --compile-bytecode
	$(UV) run python -m compileall -q maillon

# uv, if missing, in a virtual environment of its own: Debian's Python refuses packages installed
# outside one (PEP 668), and its venv module comes in python3-venv.
uv:
	@command -v uv >/dev/null 2>&1 || test -x .tools/bin/uv || { \
	  python3 -m venv .tools >/dev/null 2>&1 || { rm -rf .tools && apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && python3 -m venv .tools; }; \
	  .tools/bin/pip install --quiet uv; }

$(DB):
	$(UV) run python -m maillon.database.build

# One app process on http://localhost:8501, run once before readers come (deep links work at once).
run: setup $(DB)
	$(UV) run python -m maillon.serve --no-proxy --port 8501

# REPLICAS app processes behind nginx on PORT, sharing one folder of versions (docs/deploy.md).
REPLICAS ?= 2
PORT ?= 8500
serve: setup nginx $(DB)
	$(UV) run python -m maillon.serve --replicas $(REPLICAS) --port $(PORT)

chromium:
	@test -x $(CHROMIUM) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core)

lint: setup
	$(UV) run ruff check .
	$(UV) run ruff format --check .

nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light)

# pdftotext reads the printed reports back in the tests (Debian's poppler-utils).
poppler:
	@command -v pdftotext >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils)

test: setup chromium nginx poppler lint $(DB)
	$(UV) run pytest

# Regenerate the illustrative demo files, then rebuild the database from them.
data: setup
	$(UV) run python -m maillon.database.demo
	$(UV) run python -m maillon.database.build

# Every dashboard chart as a web page (FR and EN) with an index, in publish/: no server needed.
# FILTERS='<a link to the app, or its query string>' publishes the charts of that view's filters.
publish: setup $(DB)
	$(UV) run python -m maillon.exports.publish publish $(if $(FILTERS),--filters '$(FILTERS)')

bench: setup $(DB)
	$(UV) run python -m bench.run $(if $(AGAINST),--against $(AGAINST))

format: setup
	$(UV) run ruff format .
	$(UV) run ruff check --fix .

clean:
	rm -rf $(DB) $(DB).versions .pytest_cache
