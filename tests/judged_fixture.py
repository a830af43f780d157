"""
A hand-worked cohort for the judged-progress section of the MI report (tutors' decisions and facilitation
exercises), in the style of ``tests/mi_fixture.py``. The period ends 2026-12-31; the smallest group is 3.

Register (group column ``cohort``): p1-p4 in A, p5 and p6 in B, p7 with no cohort ("Not stated").

Reflective-log entries as they stand (criteria a tutor marked met):

    p1  log-a  passed v1   met LPM1-1.1, LPM1-1.2            p1  log-b  passed v1  met LPM2-1.1, LPM2-1.2
    p2  log-a  passed v2   met LPM1-1.1, LPM1-1.2, LPM1-2.1  (referred once, passed on resubmission)
    p3  log-a  referred v1 met LPM1-1.1 (the referral marked one criterion met)
    p4  log-a  submitted v1, not yet decided
    p5  log-b  passed v1   the source cannot tell what was marked: the claimed LPM2-1.1 counts as met
    p6  log-b  passed on 2027-01-10, after the period: still only submitted at its end
    p8  log-a  a draft (version 0): not counted

Participants with an entry submitted: p1-p6 = 6. LPM1: p1 (2), p2 (3), p3 (1) = 3 people, 50.0% of 6, 6 criteria
met, mean 2.0. LPM2: p1, p5 = 2 people: suppressed. LPM3, LPM4: none (suppressed).

Decisions: p1 log-a v1 pass (Nov 10); p2 log-a v1 refer (Nov 5), v2 pass (Nov 20); p3 log-a v1 refer (Nov 12);
p5 log-b v1 pass (Nov 15); p1 log-b v1 pass (Dec 1); p6 log-b v1 pass (2027-01-10, after the period: left out).
log-a: 3 people; 3 first submissions decided, 1 passed (33.3%); 1 resubmission, 1 passed (100.0%).
log-b: 2 people: suppressed. All: 4 people; 5 first submissions, 3 passed (60.0%); 1 resubmission, passed.
From 2026-11-12 only: p3's refer, p5's and p1's passes (3 first, 2 passed: 66.7%) and p2's resubmission.

Facilitation exercises: ex-a: p1 passed (2 attempts), p2 passed (1), p3 not yet (3), p7 passed (1): 4 people,
7 attempts, 3 passed (75.0%). ex-b: p1 not yet (1); p5 passed on 2027-01-05 (after the period: left out):
1 person, suppressed. All: p1, p2, p3, p7 = 4 people, 8 attempts, 3 passed at least one (75.0%).

Groups (participants with work submitted or an exercise attempted):
A (p1-p4): 4; with a criterion met p1, p2, p3 = 3 (75.0%); first submissions 4 (p1 2, p2 1, p3 1), passed 2 (50.0%);
attempted an exercise 3, passed one 2 (66.7%). B (p5, p6) and Not stated (p7): suppressed.
All: 7; criterion met 4 (57.1%); first submissions 5, passed 3 (60.0%); attempted 4, passed 3 (75.0%).
"""
import datetime as dt

from accreditation_export.sources.base import Decision, Exercise, ReflectiveEntry

UTC = dt.timezone.utc
FORMULA = "=SUM(1+1)"
END = dt.date(2026, 12, 31)


def at(month, day, year=2026):
    return dt.datetime(year, month, day, 10, tzinfo=UTC)


REGISTER = {
    "p1": {"username": "p1", "given_name": "Pam", "family_name": "One", "cohort": "A"},
    "p2": {"username": "p2", "given_name": "Pat", "family_name": "Two", "cohort": "A"},
    "p3": {"username": "p3", "given_name": FORMULA, "family_name": "<b>Three</b>", "cohort": "A"},
    "p4": {"username": "p4", "given_name": "Pia", "family_name": "Four", "cohort": "A"},
    "p5": {"username": "p5", "given_name": "Peg", "family_name": "Five", "cohort": "B"},
    "p6": {"username": "p6", "given_name": "Pol", "family_name": "Six", "cohort": "B"},
    "p7": {"username": "p7", "given_name": "Pru", "family_name": "Seven", "cohort": ""},
}


def _entry(name, block, status, version, criteria, met, decided=None, referrals=0):
    return ReflectiveEntry(name, f"{name}-{block}", block, block, status, version, criteria, met, decided, referrals)


def records() -> list:
    found = [
        _entry("p1", "log-a", "passed", 1, ("LPM1-1.1", "LPM1-1.2"), ("LPM1-1.1", "LPM1-1.2"), at(11, 10)),
        _entry("p1", "log-b", "passed", 1, ("LPM2-1.1", "LPM2-1.2"), ("LPM2-1.1", "LPM2-1.2"), at(12, 1)),
        _entry("p2", "log-a", "passed", 2, ("LPM1-1.1", "LPM1-1.2", "LPM1-2.1"), ("LPM1-1.1", "LPM1-1.2", "LPM1-2.1"),
               at(11, 20), 1),
        _entry("p3", "log-a", "referred", 1, ("LPM1-1.1", "LPM1-1.2"), ("LPM1-1.1",), at(11, 12), 1),
        _entry("p4", "log-a", "submitted", 1, ("LPM1-1.1",), None),
        _entry("p5", "log-b", "passed", 1, ("LPM2-1.1",), None, at(11, 15)),
        _entry("p6", "log-b", "passed", 1, ("LPM2-1.1",), ("LPM2-1.1",), at(1, 10, 2027)),
        _entry("p8", "log-a", "draft", 0, ("LPM1-1.1",), None),
        Exercise("p1", "facilitation_exercise", "ex-a", True, at(11, 3), 2),
        Exercise("p1", "facilitation_exercise", "ex-b", False, at(11, 7), 1),
        Exercise("p2", "facilitation_exercise", "ex-a", True, at(11, 4), 1),
        Exercise("p3", "facilitation_exercise", "ex-a", False, at(11, 5), 3),
        Exercise("p5", "facilitation_exercise", "ex-b", True, at(1, 5, 2027), 1),
        Exercise("p7", "facilitation_exercise", "ex-a", True, at(11, 6), 1),
        Exercise("p7", "needs_assessment", "learning-needs-analysis", True, at(11, 6), 1),
    ]
    return sorted(found, key=lambda record: record.username)


def decisions() -> list:
    return [
        Decision("p1", "log-a", 1, at(11, 1), at(11, 10), "pass"),
        Decision("p1", "log-b", 1, at(11, 20), at(12, 1), "pass"),
        Decision("p2", "log-a", 1, at(11, 1), at(11, 5), "refer"),
        Decision("p2", "log-a", 2, at(11, 8), at(11, 20), "pass"),
        Decision("p3", "log-a", 1, at(11, 1), at(11, 12), "refer"),
        Decision("p5", "log-b", 1, at(11, 1), at(11, 15), "pass"),
        Decision("p6", "log-b", 1, at(12, 20), at(1, 10, 2027), "pass"),
    ]
