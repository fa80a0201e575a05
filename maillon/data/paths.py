"""Where Maillon's files live. The database path can be overridden (see maillon.data.config)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
TAXONOMY_DIR = DATA_DIR / "taxonomy"
DEMO_DIR = DATA_DIR / "demo"
SQL_DIR = ROOT / "sql"
DEFAULT_DATABASE = DATA_DIR / "maillon.duckdb"
