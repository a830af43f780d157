"""Spreadsheet formula injection is neutralised in every CSV cell."""
import csv
import io

import pytest

from lp_xblocks.common.csv_safe import csv_text, safe_cell


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x", "＝HYPERLINK()"])
def test_formula_triggers_are_prefixed(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value, expected", [
    ("Leadership", "Leadership"), (3.5, 3.5), (-1.5, -1.5), (0, 0), (None, ""), (True, "yes"), ("a=b", "a=b"),
])
def test_ordinary_values_pass(value, expected):
    assert safe_cell(value) == expected


def test_csv_text_applies_to_header_and_rows_and_quotes():
    text = csv_text(["=name", "score"], [['=HYPERLINK("http://x")', -0.5], ["O'Neil, Ann", 4]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["'=name", "score"], ["'=HYPERLINK(\"http://x\")", "-0.5"], ["O'Neil, Ann", "4"]]
