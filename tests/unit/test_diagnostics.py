"""Issue 15, pure: several raters of one partnership combined; the MI's partnerships, "don't know" and comments."""
import copy
import csv
import datetime as dt

import pytest

from accreditation_export.mi import figures
from accreditation_export.mi.diagnostics import diagnostics
from accreditation_export.mi.figures import Scope, Suppressed
from accreditation_export.mi.instruments import load_instruments
from accreditation_export.mi.render import write_csv
from accreditation_export.mi.report import render_report
from lp_xblocks.needs_assessment import raters
from lp_xblocks.needs_assessment.instrument import DONT_KNOW
from tests import diagnostics_fixture as fx

INSTRUMENT = {
    "scale": [{"value": v, "label": str(v)} for v in range(1, 6)],
    "themes": [
        {"id": "lead", "title": "Leadership", "statements": [{"id": "l1", "text": "a"}, {"id": "l2", "text": "b"}],
         "bands": [{"upto": 5, "label": "All"}]},
        {"id": "trust", "title": "Trust", "statements": [{"id": "t1", "text": "c"}],
         "bands": [{"upto": 5, "label": "All"}]},
    ],
    "stages": [{"id": "s1", "label": "One", "text": ""}, {"id": "s2", "label": "Two", "text": ""}],
}


def rating(role, l1, l2, t1, placed=None):
    return {"role": role, "answers": {"l1": l1, "l2": l2, "t1": t1}, "placements": placed or {}}


def test_combine_hand_worked():
    ratings = [
        rating("manager", 5, 5, 4, {"partnership": "s2"}),
        rating("partner", 2, 3, 4, {"partnership": "s1"}),     # leadership 2.5
        rating("partner", 4, 3, DONT_KNOW, {"partnership": "s1"}),   # leadership 3.5, trust unscored
        rating("partner", 1, 2, 1),                            # leadership 1.5
    ]
    result = raters.combine(INSTRUMENT, ratings, minimum=3)
    assert (result["raters"], result["partners"], result["suppressed"]) == (4, 3, False)
    lead, trust = result["themes"]
    assert lead["manager"] == 5.0
    # partners 2.5, 3.5, 1.5: mean 2.5, range 2.0, spread sqrt(((0)^2 + 1^2 + 1^2) / 3) = 0.816 -> 0.82
    assert lead["partners"] == {"n": 3, "mean": 2.5, "lowest": 1.5, "highest": 3.5, "range": 2.0, "spread": 0.82}
    # all four: 5, 2.5, 3.5, 1.5: mean 3.125 -> 3.13; range 3.5
    assert (lead["all"]["mean"], lead["all"]["range"]) == (3.13, 3.5)
    assert trust["partners"]["n"] == 2 and trust["all"]["n"] == 3       # "don't know" is not a rating
    # l1: 5, 2, 4, 1 spread 1.58; t1: 4, 4, 1 spread 1.41; l2: 5, 3, 3, 2 spread 1.09
    assert [item["id"] for item in result["differ_most"]] == ["l1", "t1", "l2"]
    assert result["differ_most"][0]["range"] == 4
    assert result["placements"][0] == {"target": "partnership", "manager": "s2", "partners": {"s1": 2, "s2": 0}}


def test_combine_suppresses_below_the_minimum_partners_but_keeps_the_managers_view():
    ratings = [rating("manager", 5, 5, 4, {"partnership": "s2"}), rating("partner", 1, 1, 1, {"partnership": "s1"})]
    result = raters.combine(INSTRUMENT, ratings, minimum=2)
    assert result["suppressed"] is True
    assert [(t["manager"], t["partners"], t["all"]) for t in result["themes"]] == [(5.0, None, None), (4.0, None, None)]
    assert result["differ_most"] == [] and result["placements"][0]["partners"] is None
    assert result["placements"][0]["manager"] == "s2"


def test_combine_skips_answers_the_instrument_no_longer_has():
    edited = copy.deepcopy(INSTRUMENT)
    ratings = [rating("partner", 9, 3, 3), {"role": "partner", "answers": {"gone": 5, "l1": 2}, "placements": {}}]
    result = raters.combine(edited, ratings, minimum=1)
    assert result["themes"][0]["partners"]["n"] == 2
    assert result["themes"][0]["all"]["mean"] == 2.5        # 3.0 (l2 only) and 2.0 (l1 only)


def test_spread_is_population_standard_deviation():
    assert raters.spread([2, 4, 4, 4, 5, 5, 7, 9]) == 2.0
    assert raters.spread([3]) == 0.0


# ------------------------------------------------------------------------------------------ MI

INSTRUMENTS = load_instruments()


def section(**scope):
    return diagnostics(INSTRUMENTS, fx.assessments(), Scope(**scope))


def table(found, table_id):
    return next(item for item in found.csv if isinstance(item, figures.Table) and item.id == table_id)


def test_partnerships_are_counted_once_in_the_stages_section():
    health = next(i for i in INSTRUMENTS if i.block == fx.HEALTH)
    chosen = figures.latest_attempts(fx.assessments(), Scope(minimum=1), fx.HEALTH)
    counts, placed, respondents = figures.partnership_stages(health, chosen)
    assert (placed, respondents) == (3, 6)
    assert counts == {"Co-existence": 1, "Co-operation": 0, "Co-ordination": 1, "Collaboration": 1, "Co-ownership": 0}


def test_partnerships_dont_know_and_comment_counts_hand_worked():
    found = section(minimum=3)
    assert table(found, "partnerships").rows == [["Partnership health check", 6, 4, 1, 3, 2]]
    dont_know = {row[0]: row for row in table(found, "dont-know").rows}
    assert dont_know["Partnership health check"] == ["Partnership health check", 6, 3, 50.0, 8]
    comments = {(row[0], row[1]): row[2:] for row in table(found, "satisfaction-comments").rows}
    survey = next(i for i in INSTRUMENTS if i.block == fx.SURVEY)
    by_title = {theme.id: theme.title for theme in survey.themes}
    assert comments[(survey.title, by_title["online-induction"])] == [5, 2]
    assert comments[(survey.title, by_title["induction-workshop"])] == [5, 1]


def test_suppression_and_editions():
    found = section(minimum=7)
    assert all(isinstance(cell, Suppressed) for cell in table(found, "partnerships").rows[0][1:])
    funder = section(minimum=3, audience=figures.FUNDER)
    assert "satisfaction-comment-texts" not in {t.id for t in funder.csv}
    assert not any("More case studies" in str(row) for t in funder.csv for row in t.rows)
    staff = section(minimum=3)
    texts = table(staff, "satisfaction-comment-texts")
    assert texts.personal and sorted(row[2] for row in texts.rows) == sorted(
        ["More case studies", fx.FORMULA, "<b>Great</b> venue"])


def test_comments_are_escaped_in_html_and_formula_safe_in_csv(tmp_path):
    staff = section(minimum=3)
    document = render_report([staff], Scope(minimum=3), "fixture", dt.date(2027, 1, 5))
    assert "<b>Great</b>" not in document and "&lt;b&gt;Great&lt;/b&gt; venue" in document
    path = write_csv(tmp_path, table(staff, "satisfaction-comment-texts"))
    with path.open(newline="", encoding="utf-8") as handle:
        cells = [row["Comment"] for row in csv.DictReader(handle)]
    assert "'" + fx.FORMULA in cells


@pytest.mark.parametrize("audience", [figures.STAFF, figures.FUNDER])
def test_both_editions_render(audience):
    found = section(minimum=3, audience=audience)
    assert render_report([found], Scope(minimum=3, audience=audience), "fixture", dt.date(2027, 1, 5))


# ------------------------------------------------------------------------------------------ profile

def test_participant_profile_and_equality_monitoring_hand_worked():
    from accreditation_export.mi.profile import profile  # pylint: disable=import-outside-toplevel
    rows = {
        # 7 participants: role manager 5, co-ordinator 2; partnerships TEND (3), HARW (3), blank (1)
        "p1": {"role": "Manager", "partnership": "TEND", "gender": "Woman"},
        "p2": {"role": "Manager", "partnership": "TEND", "gender": "Woman"},
        "p3": {"role": "Manager", "partnership": "TEND", "gender": "Man"},
        "p4": {"role": "Manager", "partnership": "HARW", "gender": ""},
        "p5": {"role": "Manager", "partnership": "HARW", "gender": "Woman"},
        "p6": {"role": "Co-ordinator", "partnership": "HARW", "gender": "Woman"},
        "p7": {"role": "Co-ordinator", "partnership": "", "gender": "Woman"},
        "absent": {"role": "Manager", "partnership": "ZZZ", "gender": "Man"},   # took no part: not counted
    }
    taking_part = {f"p{n}" for n in range(1, 8)}
    found = profile(rows, taking_part, Scope(minimum=3))
    table_rows = {(row[0], row[1]): row[2:] for row in found.csv[0].rows}
    assert table_rows[("Partnerships represented", "")] == [2, None]
    assert table_rows[("Role", "Manager")] == [5, 71.4]
    assert all(isinstance(cell, Suppressed) for cell in table_rows[("Role", "Co-ordinator")])   # 2 < 3
    equality = {(row[0], row[1]): row[2:] for row in found.csv[1].rows}
    assert equality[("Gender", "Woman")] == [5, 71.4]
    assert isinstance(equality[("Gender", "Man")][0], Suppressed)
    assert isinstance(equality[("Gender", "Not stated")][0], Suppressed)
    small = profile(rows, {"p1", "p2"}, Scope(minimum=3))
    assert all(isinstance(row[2], Suppressed) for row in small.csv[0].rows)


def test_profile_without_the_optional_columns_says_so():
    from accreditation_export.mi.profile import profile  # pylint: disable=import-outside-toplevel
    found = profile({"a": {"username": "a"}}, {"a"}, Scope(minimum=1))
    assert found.csv[0].rows == [] and "none of the profile columns" in found.csv[0].empty


# ------------------------------------------------------------------------------------------ modules

def test_module_completion_and_retention_hand_worked():
    from accreditation_export.mi.modules import completion  # pylint: disable=import-outside-toplevel
    from accreditation_export.sources.base import Exercise, Learner, ReflectiveEntry  # pylint: disable=import-outside-toplevel
    when = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    late = dt.datetime(2027, 3, 1, tzinfo=dt.timezone.utc)

    def entry(name, version, status="submitted", decided=None):
        return ReflectiveEntry(name, "e-" + name, "log-a", "t", status, version, (), None, decided)

    def exercise(name, passed, kind="facilitation_exercise", block="ex-a", at=when):
        return Exercise(name, kind, block, passed, at)

    modules = [("Module A", {"log-a": "reflective_log", "ex-a": "facilitation_exercise"}),
               ("Module B", {"survey-b": "needs_assessment"})]
    records = [
        # Module A: p1..p4 complete (entry submitted + exercise passed); p5 entry only; p6 a draft only.
        *(item for name in ("p1", "p2", "p3", "p4") for item in (entry(name, 1), exercise(name, True))),
        entry("p5", 1), entry("p6", 0, status="draft"), Learner("p7"),
        # Module B: p1, p2, p3 answered the survey; p4's answer is dated after the period (not yet there).
        *(exercise(name, True, "needs_assessment", "survey-b") for name in ("p1", "p2", "p3")),
        exercise("p4", True, "needs_assessment", "survey-b", at=late),
    ]
    found = completion(modules, records, Scope(minimum=3, end=dt.date(2026, 12, 31)))
    rows = {row[0]: row[1:] for row in found.csv[0].rows}
    # A: started 6 (p1-p6), completed 4: 66.7%; retention 100%.
    assert rows["Module A"] == [2, 6, 4, 66.7, 100.0]
    # B: started 3 of the 6 who started A: 50%; all 3 completed.
    assert rows["Module B"] == [1, 3, 3, 100.0, 50.0]
    small = completion(modules, records, Scope(minimum=4, end=dt.date(2026, 12, 31)))
    assert all(isinstance(cell, Suppressed) for cell in {row[0]: row for row in small.csv[0].rows}["Module B"][2:5])


def test_the_shipped_course_has_five_modules_with_activities():
    from accreditation_export.mi.modules import load_modules  # pylint: disable=import-outside-toplevel
    modules = load_modules()
    assert [title.split(":")[0] for title, _blocks in modules] == [
        "Induction", "Module 1", "Module 2", "Module 3", "Closing"]
    assert modules[-1][1] == {"survey-exit": "needs_assessment"}


# ------------------------------------------------------------------------------------------ turnaround

def test_tutor_turnaround_hand_worked():
    from accreditation_export.mi.turnaround import turnaround  # pylint: disable=import-outside-toplevel
    from accreditation_export.sources.base import Decision  # pylint: disable=import-outside-toplevel
    start = dt.datetime(2026, 11, 2, 9, tzinfo=dt.timezone.utc)

    def decided(name, block, days, version=1):
        return Decision(name, block, version, start, start + dt.timedelta(days=days), "pass")

    decisions = [
        # log-a: 3 people, 4 decisions: 2, 5, 20 days and a resubmission decided in 1 day.
        decided("p1", "log-a", 2), decided("p2", "log-a", 5), decided("p3", "log-a", 20), decided("p3", "log-a", 1, 2),
        # log-b: 2 people (suppressed at minimum 3): 3 and 30 days.
        decided("p1", "log-b", 3), decided("p4", "log-b", 30),
        # decided after the period: not counted
        Decision("p5", "log-a", 1, start, dt.datetime(2027, 2, 1, tzinfo=dt.timezone.utc), "refer"),
    ]
    found = turnaround(decisions, Scope(minimum=3, end=dt.date(2026, 12, 31)), {"log-a": "Induction (log-a)"})
    rows = {row[0]: row[1:] for row in found.csv[0].rows}
    # log-a: median of 1, 2, 5, 20 = 3.5; longest 20; within 14 days: 3 of 4 = 75%.
    assert rows["Induction (log-a)"] == [4, 3.5, 20.0, 3, 75.0]
    assert all(isinstance(cell, Suppressed) for cell in rows["log-b"])
    # All: 1, 2, 3, 5, 20, 30 -> median 4; within 14: 4 of 6 = 66.7%.
    assert rows["All reflective logs"] == [6, 4.0, 30.0, 4, 66.7]
