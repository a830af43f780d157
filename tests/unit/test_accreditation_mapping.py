"""Evidence -> criteria -> units -> qualification, and the reasons given; pure, on the shipped catalogue."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import yaml

from lp_programme import catalogue as cat
from accreditation_export.explain import explain
from accreditation_export.mapping import combine, idempotency_key, map_learner
from accreditation_export.sources.base import Exercise, Learner, ReflectiveEntry

CATALOGUE = cat.load()
AWARD, CERTIFICATE = CATALOGUE.qualification("600/0000/0"), CATALOGUE.qualification("600/0000/1")
LONDON = ZoneInfo("Europe/London")
UTC = dt.timezone.utc


def at(day, hour=10):
    return dt.datetime(2026, 10, day, hour, tzinfo=UTC)


def criteria_of(unit_id):
    return tuple(c.id for c in CATALOGUE.unit_by_id[unit_id].criteria)


def entry(criteria, status="passed", day=1, entry_id="e1", version=1, met=None, title="Entry", username="ann"):
    return ReflectiveEntry(username, entry_id, "log", title, status, version, tuple(criteria),
                           None if met is None else tuple(met), at(day) if status in ("passed", "referred") else None)


def passed_exercise(block, day=2, username="ann"):
    return Exercise(username, "facilitation_exercise", block, True, at(day))


def full_unit(unit_id, day=1, entry_id=None):
    return entry(criteria_of(unit_id), day=day, entry_id=entry_id or f"{unit_id}-entry")


def lpm3_exercises(day=2):
    return [passed_exercise("exercise-reluctant-partner", day), passed_exercise("exercise-one-voice", day)]


def test_a_criterion_is_met_by_the_earliest_passed_entry_that_claims_it():
    records = [entry(["LPM1-1.1", "LPM1-1.2"], day=5, entry_id="late"), entry(["LPM1-1.1"], day=3, entry_id="early")]
    result = map_learner(CATALOGUE, "ann", records, LONDON)
    first = result.units["LPM1"].criteria[0]
    assert first.met and first.evidence.entry_id == "early" and first.at == at(3)
    assert result.units["LPM1"].criteria[1].evidence.entry_id == "late"


def test_a_unit_is_achieved_when_every_criterion_is_met_dated_by_the_latest():
    records = [entry(criteria_of("LPM2")[:3], day=4, entry_id="a"), entry(criteria_of("LPM2")[3:], day=9, entry_id="b")]
    unit = map_learner(CATALOGUE, "ann", records, LONDON).units["LPM2"]
    assert unit.achieved and unit.date == dt.date(2026, 10, 9)
    assert unit.evidence_refs == ("reflective_entry:a:v1", "reflective_entry:b:v1")


def test_a_participant_one_criterion_short_does_not_achieve_the_unit():
    records = [entry(criteria_of("LPM1")[:-1])]
    result = map_learner(CATALOGUE, "ann", records, LONDON)
    unit = result.units["LPM1"]
    assert not unit.achieved and unit.date is None and unit.missing == 1
    assert [c.id for c in unit.criteria if not c.met] == ["LPM1-4.2"]
    text = "\n".join(explain(result, CATALOGUE, LONDON))
    assert "Unit LPM1 A/000/0001 Tools of the trade for learning partnership managers (level 4, 3 credits): " \
           "NOT ACHIEVED: 1 item missing" in text
    assert "4.2 MISSING: Review progress on own development plan with a buddy or mentor\n      no passed entry claims it" in text


def test_referred_then_passed_counts_from_the_pass_and_referred_alone_does_not():
    referred = entry(criteria_of("LPM2"), status="referred", day=3, met=criteria_of("LPM2")[:2], title="Barriers")
    result = map_learner(CATALOGUE, "ann", [referred], LONDON)
    assert not result.units["LPM2"].achieved
    text = "\n".join(explain(result, CATALOGUE, LONDON))
    assert "entry \u201cBarriers\u201d version 1, referred 2026-10-03: met there, but the entry as a whole was referred" in text
    assert "entry \u201cBarriers\u201d version 1, referred 2026-10-03: not yet met: revise and resubmit" in text

    resubmitted = entry(criteria_of("LPM2"), status="passed", day=8, version=2, title="Barriers")
    unit = map_learner(CATALOGUE, "ann", [resubmitted], LONDON).units["LPM2"]
    assert unit.achieved and unit.date == dt.date(2026, 10, 8)
    assert unit.evidence_refs == ("reflective_entry:e1:v2",)


def test_drafts_and_submitted_entries_are_explained_not_counted():
    records = [entry(["LPM4-1.1"], status="draft", title="Draft"), entry(["LPM4-1.2"], status="submitted", title="Waiting")]
    result = map_learner(CATALOGUE, "ann", records, LONDON)
    assert not any(c.met for c in result.units["LPM4"].criteria)
    text = "\n".join(explain(result, CATALOGUE, LONDON))
    assert "entry \u201cDraft\u201d, a draft not yet submitted" in text
    assert "entry \u201cWaiting\u201d version 1, submitted and waiting for a tutor" in text


def test_a_criterion_the_tutor_did_not_mark_met_does_not_count():
    record = entry(["LPM4-1.1", "LPM4-1.2"], met=["LPM4-1.1"])
    units = map_learner(CATALOGUE, "ann", [record], LONDON).units
    assert [c.met for c in units["LPM4"].criteria[:2]] == [True, False]


def test_extra_requirements_must_hold_too():
    records = [full_unit("LPM3"), passed_exercise("exercise-reluctant-partner", day=6),
               Exercise("ann", "facilitation_exercise", "exercise-one-voice", False, at(7), attempts=2)]
    result = map_learner(CATALOGUE, "ann", records, LONDON)
    unit = result.units["LPM3"]
    assert not unit.achieved and [r.met for r in unit.requirements] == [True, False]
    text = "\n".join(explain(result, CATALOGUE, LONDON))
    assert "requirement met: Pass the facilitation exercise 'Bringing a reluctant partner into collaboration' (2026-10-06)" in text
    assert "requirement MISSING: Pass the facilitation exercise 'Speaking with one voice when a partner breaks " \
           "confidentiality': 2 attempts, none passed" in text

    records[-1] = passed_exercise("exercise-one-voice", day=12)
    unit = map_learner(CATALOGUE, "ann", records, LONDON).units["LPM3"]
    assert unit.achieved and unit.date == dt.date(2026, 10, 12)  # the later exercise dates the unit
    assert "facilitation_exercise:exercise-one-voice" in unit.evidence_refs


def test_dates_are_the_centres_local_dates():
    late_evening = ReflectiveEntry("ann", "e", "log", "t", "passed", 1, criteria_of("LPM2"), None,
                                   dt.datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    assert map_learner(CATALOGUE, "ann", [late_evening], LONDON).units["LPM2"].date == dt.date(2026, 7, 1)
    assert map_learner(CATALOGUE, "ann", [late_evening], UTC).units["LPM2"].date == dt.date(2026, 6, 30)


def test_award_rules_of_combination():
    records = [full_unit("LPM1", day=1), full_unit("LPM3", day=3), *lpm3_exercises(day=3), full_unit("LPM2", day=20)]
    result = map_learner(CATALOGUE, "ann", records, LONDON)
    award = combine(AWARD, result.units)
    assert award.achieved and award.credits == 10 and award.credits_at_level == 10
    assert award.date == dt.date(2026, 10, 20)  # the day the optional group was completed
    certificate = combine(CERTIFICATE, result.units)
    assert not certificate.achieved
    assert [(c.rule, c.subject, c.ok) for c in certificate.checks if not c.ok] == [
        ("mandatory", "LPM4", False), ("credits", "", False), ("level", "4", False)]


def test_missing_a_mandatory_unit_fails_whatever_the_credits():
    records = [full_unit("LPM1"), full_unit("LPM2"), full_unit("LPM4")]
    award = combine(AWARD, map_learner(CATALOGUE, "ann", records, LONDON).units)
    assert not award.achieved and award.credits == 10
    assert [(c.rule, c.subject) for c in award.checks if not c.ok] == [("mandatory", "LPM3")]


def test_a_qualification_missed_on_credits_at_level(tmp_path):
    # The same award, but LPM2 is a level 3 unit: 10 credits in all, only 7 of them at level 4 or above.
    data = cat.load_catalogue()
    data["units"][1]["level"] = "3"
    data["qualifications"][0]["min_credits_at_or_above_level"] = 8
    data["qualifications"][1].update(credits_required=11, min_credits_at_or_above_level=11)
    path = tmp_path / "lower.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    lower = cat.load(path)
    records = [full_unit("LPM1"), full_unit("LPM3"), *lpm3_exercises(), full_unit("LPM2")]
    result = map_learner(lower, "ann", records, LONDON)
    award = combine(lower.qualification("600/0000/0"), result.units)
    assert award.credits == 10 and award.credits_at_level == 7 and not award.achieved
    assert [(c.rule, c.needed, c.have) for c in award.checks if not c.ok] == [("level", 8, 7)]
    text = "\n".join(explain(result, lower, LONDON, qualification_codes={"600/0000/0"}))
    assert "[SHORT] credits at or above level 4: 7 of 8 required" in text
    assert "[ok] total credits: 10 of 10 required" in text


def test_an_optional_group_short_of_its_minimum():
    records = [full_unit("LPM1"), full_unit("LPM3"), *lpm3_exercises()]
    award = combine(AWARD, map_learner(CATALOGUE, "ann", records, LONDON).units)
    assert [(c.rule, c.needed, c.have) for c in award.checks if not c.ok] == [("group", 3, 0), ("credits", 10, 7), ("level", 10, 7)]


def test_criteria_unknown_to_the_catalogue_are_reported_not_counted():
    result = map_learner(CATALOGUE, "ann", [entry(["OLD-9.9", "LPM1-1.1"])], LONDON)
    assert result.unknown_criteria == ("OLD-9.9",)
    assert "not in the catalogue (ignored): OLD-9.9" in "\n".join(explain(result, CATALOGUE, LONDON))


def test_a_learner_with_only_an_enrolment_is_known_and_has_nothing():
    result = map_learner(CATALOGUE, "ann", [Learner("ann", True)], LONDON)
    assert result.known and not any(unit.achieved for unit in result.units.values())
    assert not map_learner(CATALOGUE, "ann", [], LONDON).known


def test_idempotency_key_is_stable_and_changes_with_candidate_unit_or_evidence():
    base = idempotency_key("000000", "9276308686", "C001", "A/000/0001", ["b", "a"])
    assert base == idempotency_key("000000", "9276308686", "C001", "A/000/0001", ["a", "b"])
    assert len(base) == 40
    others = {idempotency_key("000000", "1000000000", "C001", "A/000/0001", ["a", "b"]),
              idempotency_key("000000", "9276308686", "C001", "F/000/0002", ["a", "b"]),
              idempotency_key("000000", "9276308686", "C001", "A/000/0001", ["a", "c"])}
    assert base not in others and len(others) == 3


@pytest.mark.parametrize("bad", [object()])
def test_an_unknown_record_kind_is_a_programming_error(bad):
    with pytest.raises(TypeError):
        map_learner(CATALOGUE, "ann", [bad], LONDON)


def test_an_opted_out_participant_is_never_mapped_or_claimed():
    from accreditation_export.outputs import claims_of  # pylint: disable=import-outside-toplevel
    from accreditation_export.pipeline import evaluate  # pylint: disable=import-outside-toplevel
    from accreditation_export.register import check_rows  # pylint: disable=import-outside-toplevel

    columns = ("username", "uln", "given_name", "family_name", "date_of_birth", "candidate_number", "opted_in")
    rows = [(2, ["ann", "9276308686", "Ann", "Bell", "1980-01-02", "C001", "yes"]),
            (3, ["bob", "1000000000", "Bob", "Cole", "1980-01-02", "C002", "no"])]
    register = check_rows(rows, {name: i for i, name in enumerate(columns)}, {"600/0000/0"}, "600/0000/0",
                          dt.date(2026, 11, 25))
    assert register.opted_out == ["bob"] and [c.username for c in register.candidates] == ["ann"]
    records = [full_unit("LPM1")._replace(username=name) for name in ("ann", "bob")]
    rejections = []
    outcomes = list(evaluate(CATALOGUE, register.candidates, records, LONDON, rejections))
    assert [o.candidate.username for o in outcomes] == ["ann"] and rejections == []
    assert [c.username for o in outcomes for c in claims_of(o, "000000")] == ["ann"]
