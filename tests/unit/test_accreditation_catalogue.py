"""The unit catalogue: the shipped file is valid and matches the course's criteria; every schema error names file, line, path."""
import copy
import importlib.resources

import pytest
import yaml
from lxml import etree

from lp_programme import catalogue as cat

SHIPPED = yaml.safe_load(cat.DEFAULT_CATALOGUE.read_text(encoding="utf-8"))


def write(tmp_path, data, name="cat.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def errors_of(tmp_path, change):
    data = copy.deepcopy(SHIPPED)
    change(data)
    with pytest.raises(cat.CatalogueError) as caught:
        cat.load(write(tmp_path, data))
    return caught.value.errors


def test_the_shipped_catalogue_is_valid():
    catalogue = cat.load()
    assert catalogue.centre_number == "000000"
    assert [q.code for q in catalogue.qualifications] == ["600/0000/0", "600/0000/1"]
    award = catalogue.qualification("600/0000/0")
    assert award.level == "4" and award.credits_required == 10 and award.unit_ids == ("LPM1", "LPM3", "LPM2", "LPM4")
    assert all(unit.sample for unit in catalogue.units) and catalogue.has_samples
    assert [c.id for c in catalogue.unit_by_id["LPM1"].criteria][:3] == ["LPM1-1.1", "LPM1-1.2", "LPM1-2.1"]
    assert catalogue.unit_by_id["LPM3"].requires[0].ref == "facilitation_exercise:exercise-reluctant-partner"
    # The plain reader (what the course's validator uses) agrees with the typed one.
    assert set(cat.criteria(cat.load_catalogue())) == set(catalogue.criterion_unit)


@pytest.mark.parametrize("scenario", ["chairing_meetings.xml", "partnership_budget.xml"])
def test_workbench_reflective_logs_claim_catalogue_criteria_with_its_wording(scenario):
    text = importlib.resources.files("lp_xblocks.reflective_log").joinpath("scenarios", scenario).read_text("utf-8")
    found = {node.get("id"): node.text.strip() for node in etree.fromstring(text.encode()).iter("criterion")}
    known = cat.criteria(cat.load_catalogue())
    assert found and {ident: known[ident]["text"] for ident in found} == found


@pytest.mark.parametrize("change, expected", [
    (lambda d: d.update(catalogue=2), "catalogue: the format version must be 1, not 2"),
    (lambda d: d["units"][1].update(code="F/00/0002"), "units[1].code: 'F/00/0002' is not a unit reference of the form A/123/4567"),
    (lambda d: d["units"][1].update(code="A/000/0001"), "units[1].code: A/000/0001 is used by another unit"),
    (lambda d: d["units"][0].update(level="9"), "units[0].level: '9' is not a level"),
    (lambda d: d["units"][0].update(level="Entry 4"), "units[0].level: 'Entry 4' is not a level"),
    (lambda d: d["units"][0].update(credit=0), "units[0].credit: must be a whole number of at least 1, not 0"),
    (lambda d: d["units"][0].update(glh="twenty"), "units[0].glh: must be a whole number of at least 0, not 'twenty'"),
    (lambda d: d["units"][0].update(id="LPM-1"), "units[0].id: 'LPM-1' is not a unit id"),
    (lambda d: d["units"][0].update(credits=3), "units[0].credits: unknown key"),
    (lambda d: d["units"][0].pop("title"), "units[0]: 'title' is missing"),
    (lambda d: d["units"][0]["learning_outcomes"][1]["criteria"][0].update(number="2.2"),
     "units[0].learning_outcomes[1].criteria[0].number: '2.2': criteria of outcome 2 are numbered 2.1, 2.2 ... in order"),
    (lambda d: d["units"][0]["learning_outcomes"][1]["criteria"][0].update(number=2.1),
     "units[0].learning_outcomes[1].criteria[0].number: 2.1 must be text in quotes, such as '2.1'"),
    (lambda d: d["units"][0]["learning_outcomes"][0].update(criteria=[]),
     "units[0].learning_outcomes[0].criteria: must be a non-empty list of criteria"),
    (lambda d: d["units"][2]["requires"][0].update(kind="quiz"), "units[2].requires[0].kind: 'quiz' is not a kind of evidence"),
    (lambda d: d["qualifications"][0].update(mandatory_units=["LPM1", "LPM9"]),
     "qualifications[0].mandatory_units[1]: 'LPM9' is not a unit of this catalogue"),
    (lambda d: d["qualifications"][0]["optional_groups"][0].update(units=["LPM1", "LPM2"]),
     "qualifications[0].optional_groups[0].units: LPM1 is also mandatory"),
    (lambda d: d["qualifications"][0]["optional_groups"][0].update(min_credits=8),
     "qualifications[0].optional_groups[0].min_credits: 8 credits can never be reached: the group's units carry 7"),
    (lambda d: d["qualifications"][0].update(credits_required=20),
     "qualifications[0].credits_required: 20 credits can never be reached: the qualification's units carry 14"),
    (lambda d: d["qualifications"][0].update(min_credits_at_or_above_level=12),
     "qualifications[0].min_credits_at_or_above_level: 12 is more than credits_required (10)"),
    (lambda d: d["qualifications"][1].update(level="5"),
     "qualifications[1].min_credits_at_or_above_level: 14 credits at or above level 5 can never be reached: its units carry 0"),
    (lambda d: d["qualifications"][0].update(code="ABC"), "qualifications[0].code: 'ABC' is not a qualification number"),
    (lambda d: d["awarding_body"].update(centre_number=123), "awarding_body.centre_number: must be non-empty text in quotes"),
])
def test_schema_errors_name_file_line_path_and_problem(tmp_path, change, expected):
    errors = errors_of(tmp_path, change)
    assert any(expected in error for error in errors), errors
    assert all(error.startswith(str(tmp_path / "cat.yaml") + ":") for error in errors)
    assert all(error.split(":")[1].isdigit() for error in errors), errors  # a line number


def test_every_problem_is_reported_at_once_with_its_line(tmp_path):
    text = cat.DEFAULT_CATALOGUE.read_text(encoding="utf-8")
    text = text.replace('code: "F/000/0002"', 'code: "F0002"').replace("credit: 4", "credit: four", 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(cat.CatalogueError) as caught:
        cat.load(path)
    lines = text.splitlines()
    by_path = {error.split(": ")[1]: int(error.split(":")[1]) for error in caught.value.errors}
    assert set(by_path) == {"units[1].code", "units[2].credit"}
    assert '"F0002"' in lines[by_path["units[1].code"] - 1]
    assert "four" in lines[by_path["units[2].credit"] - 1]


@pytest.mark.parametrize("text, expected", [
    ("catalogue: 1\nunits: [\n", "is not valid YAML"),
    ("catalogue: 1\ncatalogue: 1\n", "catalogue: the key appears more than once"),
    ("- a\n- b\n", "must be a mapping"),
])
def test_unreadable_files(tmp_path, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(cat.CatalogueError) as caught:
        cat.load(path)
    assert expected in str(caught.value) and str(path) in str(caught.value)


def test_missing_file(tmp_path):
    with pytest.raises(cat.CatalogueError, match="cannot be read"):
        cat.load(tmp_path / "nope.yaml")


# ------------------------------------------------------------------------------------ performance criteria and guidance


def test_every_be_able_to_outcome_has_a_performance_criterion_with_evidence_and_guidance():
    catalogue = cat.load()
    for unit in catalogue.units:
        assert unit.aims and unit.assessment_guidance and unit.nos
        for outcome in unit.outcomes:
            if outcome.text.startswith("Be able to"):
                assert any(c.type == "performance" and c.evidence for c in outcome.criteria), outcome.text
            for criterion in outcome.criteria:
                assert criterion.evidence and dict(criterion.guidance).keys() == set(cat.GUIDANCE_KEYS), criterion.id


def test_a_be_able_to_outcome_without_a_performance_criterion_is_rejected(tmp_path):
    def knowledge_only(data):
        for criterion in data["units"][0]["learning_outcomes"][1]["criteria"]:
            criterion.pop("type", None)
    errors = errors_of(tmp_path, knowledge_only)
    assert any('units[0].learning_outcomes[1].criteria: outcome 2 "Be able to manage a partnership budget" is a '
               '"Be able to" outcome: it needs at least one performance criterion' in error for error in errors), errors


def test_a_performance_criterion_needs_evidence_requirements(tmp_path):
    errors = errors_of(tmp_path, lambda d: d["units"][0]["learning_outcomes"][1]["criteria"][3].pop("evidence"))
    assert any("units[0].learning_outcomes[1].criteria[3].evidence: a performance criterion needs its evidence "
               "requirements" in error for error in errors), errors


def test_near_duplicate_criteria_within_a_unit_are_rejected(tmp_path):
    def old_wording(data):  # the fault the issue found: 1.2 and 3.1 both ask for the purpose of protocols
        data["units"][0]["learning_outcomes"][2]["criteria"][0]["text"] = \
            "Explain the purpose of protocols for partnership meetings"
    errors = errors_of(tmp_path, old_wording)
    assert any("units[0].learning_outcomes: criteria LPM1-1.2 and LPM1-3.1 ask nearly the same thing" in error
               for error in errors), errors


def test_the_same_words_in_different_units_are_not_duplicates():
    assert cat.near_duplicates({"A-1.1": "Explain the purpose of protocols for partnership meetings",
                                "A-1.2": "Evaluate own approach to chairing a partnership meeting"}) == []
    assert cat.near_duplicates({"A-1.1": "Explain the purpose of an agreed remit and protocols for partnership working",
                                "A-3.1": "Explain the purpose of protocols for partnership meetings"}) == [("A-1.1", "A-3.1")]


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["units"][0]["learning_outcomes"][0]["criteria"][0].update(type="skill"),
     "criteria[0].type: 'skill' is not a criterion type (one of knowledge, performance)"),
    (lambda d: d["units"][0]["learning_outcomes"][0]["criteria"][0]["guidance"].pop("met"),
     "criteria[0].guidance: 'met' is missing"),
    (lambda d: d["units"][0].update(nos=[{"code": "X"}]), "units[0].nos[0]: 'title' is missing"),
])
def test_new_fields_are_checked(tmp_path, change, expected):
    errors = errors_of(tmp_path, change)
    assert any(expected in error for error in errors), errors


def test_marking_guidance_for_the_criteria_asked():
    guidance = cat.marking_guidance(["LPM1-3.4", "LPM9-9.9"])
    assert list(guidance) == ["LPM1-3.4"]
    item = guidance["LPM1-3.4"]
    assert item["type"] == "performance" and "witness statement" in " ".join(item["evidence"])
    assert item["met"] and item["exemplar_met"] and item["exemplar_not_yet"]
