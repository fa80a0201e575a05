"""Numbers read from a page address: anyone can write one, and no link may stop a page. Python's
str.isdigit() lets through what int() refuses ("²"), and int() refuses more than 4,300 digits."""

import pytest

from maillon.data.url_values import whole_number
from tests.page_helpers import open_page

ODD = ["²", "٣", "9" * 5000, "-1", "1.5", "1e3", " ", "", "0x10"]


@pytest.mark.parametrize(("text", "number"), [("2024", 2024), (" 7 ", 7), ("007", 7)])
def test_ascii_digits_are_a_whole_number(text, number):
    assert whole_number(text) == number


@pytest.mark.parametrize("text", ODD)
def test_anything_else_is_not(text):
    assert whole_number(text) is None


# (page, its parameters that carry a number)
NUMBERED = [
    ("overview", "years"),
    ("annual", "_year"),
    ("network-annual", "_year"),
    ("present", "_slide"),
    ("scenario", "_sc_year"),
    ("scenario", "_sc_horizon"),
    ("explorer", "_page"),
    ("markets", "_markets_tab"),
]


@pytest.mark.parametrize(("page", "param"), NUMBERED)
@pytest.mark.parametrize("value", ["²", "9" * 5000])
def test_a_link_with_an_odd_number_opens_the_page(built_db, page, param, value):
    at = open_page(page, **{param: value})
    assert not at.exception, [e.message for e in at.exception]
