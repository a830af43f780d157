"""
A small cohort for the management-information report and the credentials, with figures worked out by hand
(the tests repeat the arithmetic in comments so a reader can check it).

Cohort A: ann, bob, cat, dan, eve, fay. Cohort B: gus, hal (a ULN that fails the check: rejected), ivy (opted
out), jon (opted in, no activity at all: rejected). Everyone is registered for the Award (600/0000/0).

Learning-needs analysis (the course's ``learning-needs-analysis``), theme ``managing-for-performance``:

    learner  first (Oct)  latest (Dec)   change
    ann      2.0          4.0            +2.0
    bob      2.4          3.0            +0.6
    cat      3.0          2.8            -0.2
    dan      1.8          3.6            +1.8
    eve      3.8          4.2            +0.4
    fay      2.6          (not retaken)
    gus      4.0          4.0             0.0
    hal      2.2          (not retaken)

``leadership`` is 3.0 first and 3.2 latest for everyone who retook (3.0 for fay and hal); the other
two themes are 3.0 throughout.

Partnership health check (``partnership-health-check``): every theme scores the same per learner: ann 2.0,
bob 3.0, cat 3.0, dan 4.5 (four respondents: suppressed at the default minimum of 5).

Induction survey (``survey-induction``), by ann..fay: ``online-induction`` 5.0, 4.0, 4.33, 3.67, 2.0, 4.5; every
other element 4.0. Module 1 survey (``survey-understanding``) by ann and bob only: 4.0 and 5.0.

Evidence for the units: ann passes every LPM1 criterion on 2026-11-20 and every LPM2 criterion on 2026-12-05;
bob every LPM1 criterion on 2026-11-25; cat has one entry submitted, not yet marked.
"""
import datetime as dt

from lp_programme import catalogue as cat
from accreditation_export.register import uln_problem
from accreditation_export.sources.base import Assessment, Exercise, Learner, ReflectiveEntry

UTC = dt.timezone.utc
CATALOGUE = cat.load()
LNA, HEALTH, SURVEY, SURVEY_M1 = "learning-needs-analysis", "partnership-health-check", "survey-induction", "survey-understanding"
LNA_THEMES = ("managing-for-performance", "leadership", "learning", "trust")   # the toolkit's four themes
HEALTH_THEMES = ("leadership", "trust", "learning", "managing-for-performance", "clarity-of-objectives", "representation",
                 "openness", "stakeholder-support", "cohesion", "running-meetings", "actions")
SURVEY_THEMES = ("online-induction", "induction-workshop", "chairing-practice", "buddy-introduction", "induction-diagnostics")
SURVEY_M1_THEMES = ("m1-online-study", "m1-workshop", "m1-reflective-log")
EVIL_GIVEN = "=HYPERLINK(\"http://x.example\",\"Fay\")"
EVIL_FAMILY = "<b>Fay</b> & <script>alert(1)</script>"


def valid_uln(prefix: str) -> str:
    """The ULN with these nine digits whose check digit passes (the LRS rule)."""
    for digit in "0123456789":
        if uln_problem(prefix + digit) is None:
            return prefix + digit
    raise ValueError(prefix)


PEOPLE = [  # username, given, family, candidate number, ULN, opted in, cohort
    ("ann", "Ann", "Bell", "C001", valid_uln("100000000"), "yes", "A"),
    ("bob", "Bob", "Cole", "C002", valid_uln("200000000"), "yes", "A"),
    ("cat", "Cat", "Dunn", "C003", valid_uln("300000000"), "yes", "A"),
    ("dan", "Dan", "Eyre", "C004", valid_uln("400000000"), "yes", "A"),
    ("eve", "Eve", "Ford", "C005", valid_uln("500000000"), "yes", "A"),
    ("fay", EVIL_GIVEN, EVIL_FAMILY, "C006", valid_uln("600000000"), "yes", "A"),
    ("gus", "Gus", "Hart", "C007", valid_uln("700000000"), "yes", "B"),
    ("hal", "Hal", "Iles", "C008", "9999999999", "yes", "B"),
    ("ivy", "Ivy", "Jones", "C009", valid_uln("800000000"), "no", "B"),
    ("jon", "Jon", "King", "C010", valid_uln("920000000"), "yes", "B"),
]
REGISTER_HEADER = "username,uln,given_name,family_name,date_of_birth,candidate_number,opted_in,cohort\n"


def _csv_cell(text):
    return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in ',"\n') else text


def register_csv() -> str:
    return REGISTER_HEADER + "".join(
        ",".join(_csv_cell(value) for value in (name, uln, given, family, "1980-01-02", number, opted, cohort)) + "\n"
        for name, given, family, number, uln, opted, cohort in PEOPLE)


def at(month, day, hour=10):
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


def _attempt(username, block, attempt, when, scores, first, stage=""):
    overall = round(sum(scores.values()) / len(scores), 2)
    return Assessment(username, block, attempt, when, overall, stage, dict(scores), dict(first))


BUDGET = {"ann": (2.0, 4.0), "bob": (2.4, 3.0), "cat": (3.0, 2.8), "dan": (1.8, 3.6), "eve": (3.8, 4.2),
          "fay": (2.6, None), "gus": (4.0, 4.0), "hal": (2.2, None)}
HEALTH_SCORES = {"ann": 2.0, "bob": 3.0, "cat": 3.0, "dan": 4.5}
# Where each placed the partnership as a whole (participants choose the stage; it is not cut from the score).
HEALTH_STAGES = {"ann": "Co-operation", "bob": "Co-ordination; Adult outreach and widening participation: Collaboration",
                 "cat": "Co-ordination", "dan": "Co-ownership"}
ONLINE = {"ann": 5.0, "bob": 4.0, "cat": 4.33, "dan": 3.67, "eve": 2.0, "fay": 4.5}


def assessments() -> list:
    found = []
    for day, (username, (first_budget, latest_budget)) in enumerate(BUDGET.items(), start=1):
        first = {"managing-for-performance": first_budget, "leadership": 3.0, "learning": 3.0, "trust": 3.0}
        found.append(_attempt(username, LNA, 1, at(10, day), first, first))
        if latest_budget is not None:
            latest = dict(first, **{"managing-for-performance": latest_budget, "leadership": 3.2})
            found.append(_attempt(username, LNA, 2, at(12, 10 + day), latest, first))
    for username, score in HEALTH_SCORES.items():
        scores = {theme: score for theme in HEALTH_THEMES}
        found.append(_attempt(username, HEALTH, 1, at(10, 9), scores, scores, HEALTH_STAGES[username]))
    for username, online in ONLINE.items():
        scores = {theme: 4.0 for theme in SURVEY_THEMES}
        scores["online-induction"] = online
        found.append(_attempt(username, SURVEY, 1, at(11, 2), scores, scores))
    for username, score in (("ann", 4.0), ("bob", 5.0)):
        scores = {theme: score for theme in SURVEY_M1_THEMES}
        found.append(_attempt(username, SURVEY_M1, 1, at(11, 30), scores, scores))
    found.sort(key=lambda record: (record.username, record.block, record.attempt))
    return found


def _criteria(unit_id):
    return tuple(criterion.id for criterion in CATALOGUE.unit_by_id[unit_id].criteria)


def records() -> list:
    """The evidence stream (sorted by username) the mapping reads."""
    found = [
        ReflectiveEntry("ann", "00000000-0000-4000-8000-000000000001", "log-induction", "Chairing and budget", "passed",
                        1, _criteria("LPM1"), None, at(11, 20)),
        ReflectiveEntry("ann", "00000000-0000-4000-8000-000000000002", "log-understanding", "Partnership", "passed", 2,
                        _criteria("LPM2"), None, at(12, 5), 1),
        ReflectiveEntry("bob", "00000000-0000-4000-8000-000000000003", "log-induction", "Tools", "passed", 1,
                        _criteria("LPM1"), None, at(11, 25)),
        ReflectiveEntry("cat", "00000000-0000-4000-8000-000000000004", "log-induction", "Draft", "submitted", 1,
                        _criteria("LPM1")[:2], None, None),
        Exercise("dan", "facilitation_exercise", "exercise-one-voice", False, at(11, 3), 2),
        Learner("eve"), Learner("fay"), Learner("gus"), Learner("hal"), Learner("ivy"),
    ]
    found.sort(key=lambda record: record.username)
    return found


# Ledger rows: ann's LPM1 claim accepted, her LPM2 claim pending; bob's LPM1 claim rejected once and sent again.
CLAIMS = [
    {"username": "ann", "unit_code": "A/000/0001", "state": "accepted"},
    {"username": "ann", "unit_code": "F/000/0002", "state": "pending"},
    {"username": "bob", "unit_code": "A/000/0001", "state": "rejected"},
    {"username": "bob", "unit_code": "A/000/0001", "state": "sent"},
]
