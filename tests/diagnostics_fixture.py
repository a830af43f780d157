"""
A hand-worked cohort for issue 15's management information (multi-rater partnerships, "don't know",
satisfaction comments), in the style of ``tests/mi_fixture.py``: the figures are worked out here in words.

Partnership health check (``partnership-health-check``), latest attempts:

    learner  partnership  placed the partnership as a whole   don't know
    ann      TEND2345     Co-ordination (manager)             2
    bob      TEND2345     Co-operation                        0
    cat      TEND2345     Co-ordination                       1
    dan      HARW6789     Collaboration (manager)             0
    eve      (none)       Co-existence                        0
    fay      (none)       (not placed)                        5

    ann's first attempt (placed Co-existence) is superseded by her latest.

So: 6 respondents; partnerships counted once = TEND2345, HARW6789, eve, fay = 4 groups; 3 placed (fay did not):
TEND2345 at Co-ordination (2 of 3 raters), HARW6789 at Collaboration, eve at Co-existence. One partnership is
rated by two or more people (TEND2345: 3 raters); two respondents rate alone. Counting respondents instead
would have put 2 at Co-ordination and 1 at Co-operation.

"Don't know" on the health check: respondents with any = ann, cat, fay = 3 of 6 = 50.0%; answers 2 + 1 + 5 = 8.

Induction survey (``survey-induction``), by ann, bob, cat, dan, eve: ``online-induction`` comments from ann
("More case studies") and cat ("=cmd|' /C calc'!A0" - a formula) ; ``induction-workshop`` from bob
("<b>Great</b> venue"). 5 respondents: counts 2, 1, 0, 0, 0.
"""
import datetime as dt

from accreditation_export.sources.base import Assessment

UTC = dt.timezone.utc
HEALTH, SURVEY = "partnership-health-check", "survey-induction"
FORMULA = "=cmd|' /C calc'!A0"


def _at(day):
    return dt.datetime(2026, 10, day, 10, tzinfo=UTC)


def assessments() -> list:
    health = [
        ("ann", 1, "TEND2345", "Co-existence", 0),
        ("ann", 2, "TEND2345", "Co-ordination; Adult outreach and widening participation: Collaboration", 2),
        ("bob", 1, "TEND2345", "Co-operation", 0),
        ("cat", 1, "TEND2345", "Co-ordination", 1),
        ("dan", 1, "HARW6789", "Collaboration", 0),
        ("eve", 1, "", "Co-existence", 0),
        ("fay", 1, "", "", 5),
    ]
    found = [Assessment(name, HEALTH, attempt, _at(attempt), 3.0, stage, {"leadership": 3.0}, {"leadership": 3.0},
                        code, dont_know, {})
             for name, attempt, code, stage, dont_know in health]
    comments = {"ann": {"online-induction": "More case studies"}, "bob": {"induction-workshop": "<b>Great</b> venue"},
                "cat": {"online-induction": FORMULA}}
    for name in ("ann", "bob", "cat", "dan", "eve"):
        found.append(Assessment(name, SURVEY, 1, _at(3), 4.0, "", {"online-induction": 4.0}, {}, "", 0,
                                comments.get(name, {})))
    found.sort(key=lambda record: (record.username, record.block, record.attempt))
    return found
