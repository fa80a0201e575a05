"""The demo's invented contacts: e-mail names on example.org and phone numbers kept for fiction,
shared by the associations and their local groups."""

from __future__ import annotations

import re
import unicodedata

import numpy as np


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def fictional_phone(rng: np.random.Generator) -> str:
    """A number in the 01 99 00 range, which ARCEP keeps for fiction."""
    return f"+33 1 99 00 {rng.integers(0, 100):02d} {rng.integers(0, 100):02d}"
