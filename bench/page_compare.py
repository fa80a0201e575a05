"""Browser timings of this tree against an earlier commit of Maillon, in the same run.

    uv run python -m bench.page_compare REF [--rounds 3] [--runs 5]

A change must not make a page slower (issue 17: by more than 10 %). Timings against the bare
Streamlit page (bench.page_load) move with the machine's load by ±15-30 % from one run to the
next, too much to see 10 %. Here the earlier commit is checked out beside this tree (a git
worktree), gets its own demo database, and both apps are measured in turns in one browser: each
round serves one tree then the other (the order alternates), and the medians over the rounds
are compared. Each tree runs with its own `.streamlit/config.toml`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench import page_load
from bench.page_load import ROOT

LIMIT = 1.10  # a page may not be slower than the earlier commit by more than 10 %


def own_database(tree: Path) -> dict[str, str]:
    """The environment of a tree's build and server: its own database, whatever MAILLON_DB says
    in this process (else the earlier code would rebuild, and both servers serve, the same file)."""
    return {**os.environ, "MAILLON_DB": str(tree / "data" / "maillon.duckdb")}


@contextmanager
def checkout(ref: str):
    """The commit `ref` in a temporary worktree, with its demo database built by its own code."""
    with tempfile.TemporaryDirectory(prefix="maillon-ref-") as folder:
        tree = Path(folder) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), ref], cwd=ROOT, check=True)
        try:
            subprocess.run(
                [sys.executable, "-m", "maillon.database.build"],
                cwd=tree,
                env=own_database(tree),
                check=True,
                stdout=subprocess.DEVNULL,
            )
            yield tree
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT)


def run(ref: str, rounds: int = 3, runs: int = 5) -> list[tuple[str, float, float]]:
    """(timing, seconds at `ref`, seconds now): medians over the rounds of page_load's medians."""
    found: dict[str, list[dict[str, float]]] = {"ref": [], "now": []}
    with checkout(ref) as tree, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=page_load.CHROMIUM, args=page_load.ARGS)
        trees = [("ref", tree), ("now", ROOT)]
        for round_number in range(rounds):
            for name, root in trees if round_number % 2 == 0 else trees[::-1]:
                env = own_database(root) if name == "ref" else None
                with page_load.serve(root / "app.py", env=env, cwd=root) as url:
                    found[name].append(
                        page_load.measure(
                            browser, url, page_load.HOME, page_load.MAILLON_PAGES, runs
                        )
                    )
        browser.close()
    return [
        (
            timing,
            statistics.median(r[timing] for r in found["ref"]),
            statistics.median(r[timing] for r in found["now"]),
        )
        for timing in found["now"][0]
    ]


def label(timing: str) -> str:
    return timing if timing == "reload" else f"navigation to {timing}"


def table(rows: list[tuple[str, float, float]], ref: str) -> str:
    lines = [f"| timing | at {ref} | now | ratio | ≤ {LIMIT:.2f}x |", "|---|---|---|---|---|"]
    for timing, before, now in rows:
        ratio = now / before
        lines.append(
            f"| {label(timing)} | {before:.2f} s | {now:.2f} s | {ratio:.2f}x | "
            f"{'yes' if ratio <= LIMIT else 'no'} |"
        )
    return "\n".join(lines)


def slower(rows: list[tuple[str, float, float]], ref: str) -> list[str]:
    """A sentence per timing slower than `ref` by more than LIMIT allows."""
    return [
        f"{label(timing)}: {now / before:.2f}x the time at {ref} (limit {LIMIT:.2f}x)"
        for timing, before, now in rows
        if now / before > LIMIT
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ref", help="the earlier commit (hash, tag or branch)")
    parser.add_argument("--rounds", type=int, default=3, choices=range(1, 21), metavar="1-20")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    rows = run(args.ref, args.rounds, args.runs)
    print(table(rows, args.ref))
    return 1 if slower(rows, args.ref) else 0


if __name__ == "__main__":
    sys.exit(main())
