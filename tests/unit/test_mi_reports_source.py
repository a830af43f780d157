"""Needs-assessment rows of an Open edX problem responses report become Assessment records the MI report reads."""
import pytest

from accreditation_export.mi import figures
from accreditation_export.mi.instruments import load_instruments
from accreditation_export.sources.base import SourceError
from accreditation_export.sources.reports import ReportsSource

BLOCK = "block-v1:LP+PM101+2026+type@lp_needs_assessment+block@learning-needs-analysis"
# The last title is one the course no longer has (the report ignores it).
THEMES = ["Managing the partnership for performance", "Leading the partnership", "Learning from partnership working",
          "Building trust between partners", "Strategic leadership"]
# Columns as Open edX writes them: username, title, location, the block's keys sorted, block_key, state.
HEADER = (["username", "title", "location", "Attempts"] + [f"First: {t}" for t in sorted(THEMES)]
          + ["Latest overall", "Latest stage", "Latest submitted"] + [f"Latest: {t}" for t in sorted(THEMES)]
          + ["block_key", "state"])


def row(username, attempts, first, latest, submitted="2026-12-10T10:00:00+00:00"):
    by_title = dict(zip(THEMES, first)), dict(zip(THEMES, latest))
    return ([username, "Individual learning-needs analysis", "Course > Induction", str(attempts)]
            + [str(by_title[0][t]) for t in sorted(THEMES)] + ["3.1", "", submitted]
            + [str(by_title[1][t]) for t in sorted(THEMES)] + [BLOCK, "{}"])


def write(path, rows):
    import csv  # pylint: disable=import-outside-toplevel
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
        writer.writerow(["zed", "Log", "x", "", *[""] * (len(HEADER) - 6),
                         "block-v1:LP+PM101+2026+type@lp_reflective_log+block@log", "{}"])
    return path


def test_latest_and_first_scores_by_title(tmp_path):
    path = write(tmp_path / "responses.csv", [row("bob", 2, [2.4, 3, 3, 3, 3], [3.0, 3.2, 3, 3, 3]),
                                              row("ann", 1, [2.0, 3, 3, 3, 3], [2.0, 3, 3, 3, 3])])
    found = list(ReportsSource([path]).assessments())
    assert [(a.username, a.block, a.attempt) for a in found] == [("ann", "learning-needs-analysis", 1),
                                                                 ("bob", "learning-needs-analysis", 2)]
    assert found[1].scores["Managing the partnership for performance"] == 3.0
    assert found[1].first_scores["Managing the partnership for performance"] == 2.4
    section = figures.progress(load_instruments(), found, {}, figures.Scope(minimum=1))
    budget = next(r for r in section.csv[1].rows if r[1] == "Managing the partnership for performance")
    assert budget[2:] == [1, 1, 0, 0, 2.4, 3.0, 0.6, 1]   # bob retook (+0.6); ann has not


def test_a_score_that_is_not_a_number_names_the_cell(tmp_path):
    bad = row("ann", 1, ["two", 3, 3, 3, 3], [2.0, 3, 3, 3, 3])
    path = write(tmp_path / "responses.csv", [bad])
    with pytest.raises(SourceError, match=r"responses.csv:2: First: Managing the partnership for performance: 'two' is not a number"):
        list(ReportsSource([path]).assessments())
