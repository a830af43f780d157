"""
Issue 15 in the runtime: "don't know", stage placement, satisfaction surveys (thanks, comments, aggregate-only
reports), the running summary table (equal to a recomputation, under retakes and concurrent submits) and
multi-rater partnerships (create, join by code, join twice, another partnership, suppression).
"""
import csv
import datetime as dt
import io
import threading

import pytest
from django.db import connection

from lp_xblocks.data import api
from lp_xblocks.data.models import NeedsAssessmentAttempt, NeedsAssessmentSummary, PartnershipRater
from lp_xblocks.needs_assessment.instrument import DONT_KNOW
from tests.conftest import call_handler

HEALTH = """
<lp_needs_assessment display_name="Health check" kind="partnership" allow_retake="true" minimum_group="{minimum}">
  <scale><point value="1">Strongly disagree</point><point value="2">Disagree</point><point value="3">Neither</point>
         <point value="4">Agree</point><point value="5">Strongly agree</point></scale>
  <theme id="leadership" title="Leadership">
    <statement id="l1">Remit agreed.</statement><statement id="l2">Roles defined.</statement>
    <band upto="2.5" label="Needs attention">Agree terms of reference.</band>
    <band upto="5" label="Strong">Share practice.</band>
  </theme>
  <theme id="trust" title="Trust">
    <statement id="t1">Partners talk honestly.</statement>
    <band upto="2.5" label="Needs attention">Agree protocols.</band>
    <band upto="5" label="Strong">Keep it up.</band>
  </theme>
  <stage id="co-operation" label="Co-operation">Partners share information.</stage>
  <stage id="collaboration" label="=Collaboration">Partners pool resources.</stage>
  <activity id="outreach">Adult outreach</activity>
</lp_needs_assessment>
"""

SURVEY = """
<lp_needs_assessment display_name="Survey" kind="satisfaction" allow_retake="false" minimum_group="3">
  <scale><point value="1">Strongly disagree</point><point value="2">Disagree</point><point value="3">Neither</point>
         <point value="4">Agree</point><point value="5">Strongly agree</point></scale>
  <theme id="online" title="Online study">
    <statement id="o1">Relevant.</statement><statement id="o2">Easy to use.</statement>
    <band upto="2" label="Below expectations">Review.</band><band upto="5" label="Meets expectations">Keep.</band>
  </theme>
  <theme id="workshops" title="Workshops">
    <statement id="w1">Useful.</statement>
    <band upto="2" label="Below expectations">Review.</band><band upto="5" label="Meets expectations">Keep.</band>
  </theme>
</lp_needs_assessment>
"""

INDIVIDUAL = HEALTH.replace('kind="partnership"', 'kind="individual"')


@pytest.fixture
def health(workbench_block):
    return workbench_block(HEALTH.format(minimum=2))


@pytest.fixture
def survey(workbench_block):
    return workbench_block(SURVEY)


def submit(block, student, answers, **extra):
    return call_handler(block(student), "submit", {"answers": answers, **extra})


# ------------------------------------------------------------------------------ don't know and stages


def test_dont_know_is_excluded_from_means_and_counted_everywhere(health):
    status, body, _ = submit(health, "ann", {"l1": 4, "l2": DONT_KNOW, "t1": DONT_KNOW})
    assert status == 200, body
    assert body["dont_know"] == 2 and body["overall"] == 4.0
    leadership, trust = body["themes"]
    assert (leadership["score"], leadership["dont_know"]) == (4.0, 1)
    assert (trust["score"], trust["band"], trust["recommendation"], trust["dont_know"]) == (None, None, None, 1)
    assert body["recommendations"] == ["leadership"]
    row = NeedsAssessmentAttempt.objects.get(student_id="ann")
    assert row.dont_know == 2 and row.scores == {"leadership": 4.0}
    status, cohort, _ = call_handler(health("tutor"), "cohort_report", {})
    by_id = {theme["id"]: theme for theme in cohort["themes"]}
    assert (by_id["leadership"]["respondents"], by_id["leadership"]["mean"], by_id["leadership"]["dont_know"]) == (1, 4.0, 1)
    assert (by_id["trust"]["respondents"], by_id["trust"]["mean"], by_id["trust"]["dont_know"]) == (0, None, 1)


def test_placement_is_the_participants_choice_whatever_the_scores(health):
    low = {"l1": 1, "l2": 1, "t1": 1}
    status, body, _ = submit(health, "bea", low, placements={"partnership": "collaboration", "outreach": "co-operation"})
    assert status == 200
    assert body["overall"] == 1.0
    assert body["stage"] == "=Collaboration; Adult outreach: Co-operation"
    assert [(p["target"], p["target_label"], p["label"]) for p in body["placements"]] == [
        ("partnership", "The partnership as a whole", "=Collaboration"), ("outreach", "Adult outreach", "Co-operation")]
    assert health("bea").placements == {"partnership": "collaboration", "outreach": "co-operation"}
    # Unplaced is allowed.
    status, body, _ = submit(health, "cy", low)
    assert status == 200 and body["stage"] is None


@pytest.mark.parametrize("placements, unknown, invalid", [
    ({"partnership": "top-of-the-ladder"}, [], ["partnership"]),
    ({"budget": "co-operation"}, ["budget"], []),
])
def test_bad_placements_are_400_naming_them_and_store_nothing(health, placements, unknown, invalid):
    status, body, _ = submit(health, "dee", {"l1": 3, "l2": 3, "t1": 3}, placements=placements)
    assert status == 400
    assert (body["unknown"], body["invalid"], body["field"]) == (unknown, invalid, "placements")
    assert not NeedsAssessmentAttempt.objects.exists()
    assert call_handler(health("dee"), "submit", {"answers": {"l1": 3, "l2": 3, "t1": 3}, "placements": [1]})[0] == 400
    status, body, _ = call_handler(health("dee"), "submit", {"answers": {"l1": 3, "l2": 3, "t1": 3},
                                                             "comments": {"leadership": "kept?"}})
    assert status == 400 and body["field"] == "comments"
    assert not NeedsAssessmentAttempt.objects.exists()


def test_report_data_stage_is_formula_safe_and_labels_are_translated_once(health):
    submit(health, "eve", {"l1": 3, "l2": 3, "t1": 3}, placements={"partnership": "collaboration"})
    block = health("tutor")
    calls = []
    real = type(block)._.fget(block)

    def counting(text):
        calls.append(text)
        return real(text)

    history = health("eve").attempt_history  # the learner's saved state, as the LMS passes it
    states = [type("State", (), {"username": f"u{n}", "state": {"attempt_history": history, "attempts": 1}})()
              for n in range(50)]
    type(block)._ = property(lambda self: counting)
    try:
        rows = list(block.generate_report_data(iter(states)))
    finally:
        del type(block)._
    assert len(rows) == 50
    assert rows[0][1]["Latest stage"] == "'=Collaboration"
    assert len(calls) == 8        # 4 fixed columns + 2 per theme, once per report, not per learner


# ------------------------------------------------------------------------------ satisfaction


def test_satisfaction_ends_with_thanks_and_own_ratings_never_a_score(survey):
    status, body, _ = submit(survey, "fay", {"o1": 5, "o2": DONT_KNOW, "w1": 1},
                             comments={"online": "  Great <b>units</b>  ", "workshops": ""})
    assert status == 200, body
    assert body["kind"] == "satisfaction"
    for forbidden in ("overall", "themes", "recommendations", "stage"):
        assert forbidden not in body
    assert "overall" not in body["history"][0]
    assert body["ratings"][0] == {"title": "Online study", "statements": [
        {"text": "Relevant.", "rating": "5 (Strongly agree)"},
        {"text": "Easy to use.", "rating": "Don't know / not applicable"}]}
    assert NeedsAssessmentAttempt.objects.get(student_id="fay").comments == {"online": "Great <b>units</b>"}
    assert "Review." not in str(call_handler(survey("fay"), "results", {})[1])


@pytest.mark.parametrize("comments, field", [
    ({"nowhere": "x"}, "unknown"), ({"online": "x" * 2001}, "too_long"),
])
def test_bad_comments_are_400(survey, comments, field):
    status, body, _ = submit(survey, "gus", {"o1": 5, "o2": 5, "w1": 5}, comments=comments)
    assert status == 400 and body[field]
    assert not NeedsAssessmentAttempt.objects.exists()


def test_satisfaction_reports_are_aggregate_only_and_suppressed_below_the_minimum(survey):
    for name in ("=cmd|evil", "hal"):
        assert submit(survey, name, {"o1": 4, "o2": 4, "w1": 2})[0] == 200
    status, cohort, _ = call_handler(survey("tutor"), "cohort_report", {})
    assert cohort["minimum"] == 3
    assert all(theme["suppressed"] and theme["mean"] is None for theme in cohort["themes"])
    status, text, _ = call_handler(survey("tutor"), "cohort_report_csv", method="GET")
    assert "hal" not in text and "cmd" not in text
    assert "withheld (fewer than 3)" in text
    submit(survey, "ida", {"o1": 2, "o2": 2, "w1": DONT_KNOW})
    status, text, _ = call_handler(survey("tutor"), "cohort_report_csv", method="GET")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Delivery element", "Respondents", "Mean", "Don't know answers"]
    assert rows[1][:4] == ["Online study", "3", "3.33", "0"]
    # Workshops: two scored it, the third answered "don't know": fewer than 3 respondents, so withheld.
    assert rows[2][:4] == ["Workshops"] + ["withheld (fewer than 3)"] * 3
    assert "hal" not in text and "ida" not in text
    states = [type("State", (), {"username": "hal", "state": {"attempts": survey("hal").attempts}})()]
    assert list(survey("tutor").generate_report_data(iter(states))) == []


# ------------------------------------------------------------------------------ summary table


def summary(block):
    return api.needs_assessment_cohort(str(block.usage_id))


def recomputed(block):
    return api.recompute_needs_assessment_cohort(str(block.usage_id))


def test_summary_equals_recomputation_through_retakes_and_dont_know(health):
    answers = [
        ("a", {"l1": 1, "l2": 2, "t1": 5}), ("b", {"l1": 4, "l2": 5, "t1": DONT_KNOW}),
        ("a", {"l1": 5, "l2": 5, "t1": 5}), ("c", {"l1": DONT_KNOW, "l2": DONT_KNOW, "t1": 1}),
        ("b", {"l1": 2, "l2": 3, "t1": 3}), ("a", {"l1": 3, "l2": 4, "t1": DONT_KNOW}),
    ]
    for student, given in answers:
        assert submit(health, student, given)[0] == 200
        assert summary(health) == recomputed(health)
    final = summary(health)
    assert final["learners"] == 3
    leadership = final["themes"]["leadership"]
    # latest: a 3.5 (Strong), b 2.5 (Needs attention), c unscored
    assert (leadership["respondents"], leadership["total"], leadership["bands"], leadership["unscored"]) == (
        2, 6.0, {"Strong": 1, "Needs attention": 1}, 1)
    assert final["dont_know"] == 3
    assert api.rebuild_needs_assessment_summary(str(health.usage_id)) == final


def test_withdrawing_a_learners_latest_attempt_keeps_the_summary_exact(health):
    submit(health, "w1", {"l1": 1, "l2": 2, "t1": 5})
    submit(health, "w2", {"l1": 4, "l2": DONT_KNOW, "t1": 3})
    key = str(health.usage_id)
    assert api.withdraw_needs_assessment_latest(key, "w2") is True
    assert api.withdraw_needs_assessment_latest(key, "w2") is False
    assert summary(health) == recomputed(health)
    assert summary(health)["learners"] == 1 and summary(health)["dont_know"] == 0


def test_latest_attempt_update_is_served_by_the_unique_index(health):
    submit(health, "ix", {"l1": 1, "l2": 2, "t1": 5})
    query = NeedsAssessmentAttempt.objects.filter(block_key="b", student_id="s", attempt__lt=3, is_latest=True)
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "attempt<?" in plan.replace(" ", "") and "sqlite_autoindex" in plan
        else:   # MySQL/MariaDB: EXPLAIN names the index it uses in the "key" column
            cursor.execute("EXPLAIN " + sql, params)
            columns = [column[0] for column in cursor.description]
            plan = dict(zip(columns, cursor.fetchone()))
            # (MariaDB compares is_latest = 1 and may pick either index: both locate the learner's rows.)
            assert plan["key"] in ("lp_na_attempt_unique", "lp_na_latest_idx") and plan["type"] in ("ref", "range"), plan


@pytest.mark.django_db(transaction=True)
def test_summary_stays_equal_to_recomputation_under_concurrent_submits_and_retakes():
    block_key = "concurrent-block"
    themes_for = [
        [{"id": "leadership", "score": 1.5, "band": "Needs attention", "dont_know": 0},
         {"id": "trust", "score": None, "band": None, "dont_know": 1}],
        [{"id": "leadership", "score": 4.25, "band": "Strong", "dont_know": 1},
         {"id": "trust", "score": 3.0, "band": "Strong", "dont_know": 0}],
        [{"id": "leadership", "score": 2.5, "band": "Needs attention", "dont_know": 0},
         {"id": "trust", "score": 1.0, "band": "Needs attention", "dont_know": 0}],
    ]
    errors = []
    start = threading.Barrier(6)

    def learner(number):
        try:
            start.wait(timeout=30)
            for attempt in range(1, 4):
                themes = themes_for[(number + attempt) % 3]
                api.record_needs_assessment_attempt(
                    block_key=block_key, course_key="", student_id=f"s{number}", username=f"s{number}",
                    submitted_at=dt.datetime.now(dt.timezone.utc), overall=None, stage="",
                    answers={}, themes=themes, first_scores={}, dont_know=sum(t["dont_know"] for t in themes))
        except Exception as error:  # pylint: disable=broad-except  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=learner, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert NeedsAssessmentAttempt.objects.filter(block_key=block_key).count() == 18
    result = api.needs_assessment_cohort(block_key)
    assert result == api.recompute_needs_assessment_cohort(block_key)
    assert result["learners"] == 6
    # Each learner's latest is themes_for[(n + 3) % 3] = themes_for[n % 3]: two learners on each.
    assert result["themes"]["leadership"]["total"] == 2 * (1.5 + 4.25 + 2.5)
    assert NeedsAssessmentSummary.objects.filter(block_key=block_key, learners__lt=0).count() == 0


# ------------------------------------------------------------------------------ partnerships


def test_partnership_created_joined_by_code_and_combined_for_the_manager(health, workbench_block):
    status, made, _ = call_handler(health("mgr"), "create_partnership", {"name": "Tendring LSP"})
    assert status == 200 and made["role"] == "manager" and len(made["code"]) == 8
    assert call_handler(health("mgr"), "create_partnership", {"name": "Again"})[1]["code"] == made["code"]
    for partner in ("p1", "p2"):
        status, joined, _ = call_handler(health(partner), "join_partnership", {"code": made["code"].lower()})
        assert status == 200 and joined["role"] == "partner" and joined["name"] == "Tendring LSP"
    # Joining twice changes nothing; the rater is counted once.
    assert call_handler(health("p1"), "join_partnership", {"code": made["code"]})[0] == 200
    assert PartnershipRater.objects.filter(student_id="p1").count() == 1

    submit(health, "mgr", {"l1": 5, "l2": 5, "t1": 5}, placements={"partnership": "collaboration"})
    submit(health, "p1", {"l1": 1, "l2": 3, "t1": 4}, placements={"partnership": "co-operation"})
    status, report, _ = call_handler(health("mgr"), "partnership_report", {})
    assert status == 200 and report["suppressed"] is True and report["raters"] == 2  # 1 partner < minimum 2
    assert report["themes"][0]["manager"] == 5.0 and report["themes"][0]["partners"] is None
    assert report["differ_most"] == []

    submit(health, "p2", {"l1": 3, "l2": 3, "t1": DONT_KNOW}, placements={"partnership": "co-operation"})
    submit(health, "p1", {"l1": 2, "l2": 3, "t1": 4})    # a retake: only the latest counts
    status, report, _ = call_handler(health("mgr"), "partnership_report", {})
    assert (report["raters"], report["partners"], report["suppressed"]) == (3, 2, False)
    leadership, trust = report["themes"]
    assert leadership["manager"] == 5.0
    assert leadership["partners"] == {"n": 2, "mean": 2.75, "lowest": 2.5, "highest": 3.0, "range": 0.5, "spread": 0.25}
    assert leadership["all"]["mean"] == 3.5 and leadership["all"]["range"] == 2.5
    assert trust["partners"]["n"] == 1 and trust["all"]["n"] == 2
    assert [item["id"] for item in report["differ_most"]] == ["l1", "l2", "t1"]
    assert report["placements"][0]["manager"] == "collaboration"
    assert report["placements"][0]["partners"] == {"co-operation": 1, "collaboration": 0}  # p1's retake left it unplaced

    # Partners see no combined view; a learner of another partnership is refused.
    assert call_handler(health("p1"), "partnership_report", {})[0] == 403
    call_handler(health("other-mgr"), "create_partnership", {"name": "Other LSP"})
    status, body, _ = call_handler(health("other-mgr"), "join_partnership", {"code": made["code"]})
    assert status == 409
    status, body, _ = call_handler(health("p1"), "create_partnership", {"name": "Mine"})
    assert status == 409
    submit(health, "other-mgr", {"l1": 1, "l2": 1, "t1": 1})
    assert call_handler(health("mgr"), "partnership_report", {})[1]["raters"] == 3


def test_partners_take_only_the_health_check(health, workbench_block):
    made = call_handler(health("mgr2"), "create_partnership", {"name": "LSP"})[1]
    call_handler(health("pp"), "join_partnership", {"code": made["code"]})
    individual = workbench_block(INDIVIDUAL.format(minimum=3))
    status, body, _ = submit(individual, "pp", {"l1": 3, "l2": 3, "t1": 3})
    assert status == 403 and "health check" in body["error"]
    assert submit(individual, "mgr2", {"l1": 3, "l2": 3, "t1": 3})[0] == 200
    assert call_handler(individual("mgr2"), "create_partnership", {"name": "x"})[0] == 404


@pytest.mark.parametrize("handler, body, status", [
    ("join_partnership", {"code": "NOPE2345"}, 404),
    ("join_partnership", {"code": ""}, 400),
    ("join_partnership", {"code": ["x"]}, 400),
    ("create_partnership", {"name": " "}, 400),
    ("create_partnership", {"name": "x" * 201}, 400),
    ("partnership_report", {}, 403),
])
def test_partnership_handlers_refuse_bad_input(health, handler, body, status):
    code, reply, _ = call_handler(health("zed"), handler, body)
    assert code == status and reply["error"]


def test_my_partnership(health):
    assert call_handler(health("solo"), "my_partnership", {})[1] == {"partnership": None}
    made = call_handler(health("solo"), "create_partnership", {"name": "Solo LSP"})[1]
    assert call_handler(health("solo"), "my_partnership", {})[1]["partnership"]["code"] == made["code"]


@pytest.mark.django_db(transaction=True)
def test_migration_backfills_the_summary_from_attempts_stored_before_it():
    from django.db.migrations.executor import MigrationExecutor  # pylint: disable=import-outside-toplevel
    executor = MigrationExecutor(connection)
    ours = next(name for app, name in executor.loader.graph.leaf_nodes() if app == "lp_xblocks")
    diagnostics = next(name for app, name in executor.loader.disk_migrations
                       if app == "lp_xblocks" and name.endswith("diagnostics_summary_partnerships"))
    before = [parent.key for parent in executor.loader.graph.node_map[("lp_xblocks", diagnostics)].parents
              if parent.key[0] == "lp_xblocks"]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    attempt_model = old.get_model("lp_xblocks", "NeedsAssessmentAttempt")
    theme_model = old.get_model("lp_xblocks", "NeedsAssessmentThemeScore")
    now = dt.datetime.now(dt.timezone.utc)
    for student, attempt, latest, scores in (("a", 1, False, (1.0, 2.0)), ("a", 2, True, (3.33, 4.0)),
                                             ("b", 1, True, (2.67, 5.0))):
        row = attempt_model.objects.create(block_key="old-block", student_id=student, attempt=attempt,
                                           is_latest=latest, submitted_at=now, overall=1.0)
        for theme_id, score in zip(("leadership", "trust"), scores):
            theme_model.objects.create(attempt=row, theme_id=theme_id, score=score,
                                       band="Strong" if score > 2.5 else "Needs attention")
    executor = MigrationExecutor(connection)
    executor.migrate([("lp_xblocks", ours)])
    result = api.needs_assessment_cohort("old-block")
    assert result == api.recompute_needs_assessment_cohort("old-block")
    assert result["learners"] == 2 and result["themes"]["leadership"]["total"] == 6.0


# ------------------------------------------------------------------------------ settings


@pytest.mark.parametrize("given, status", [("5", 200), (7, 200), ("0", 400), ("abc", 400), (101, 400), (True, 400)])
def test_minimum_group_is_edited_in_studio_and_checked(survey, given, status):
    code, body, _ = call_handler(survey("tutor"), "studio_submit", {"minimum_group": given})
    assert code == status, body
    if status == 200:
        assert survey("x").minimum_group == int(given)
    else:
        assert body["field"] == "minimum_group" and survey("x").minimum_group == 3


def test_minimum_group_round_trips_through_olx(survey):
    from lxml import etree  # pylint: disable=import-outside-toplevel
    node = etree.Element("root")
    survey("tutor").add_xml_to_node(node)
    assert node.get("minimum_group") == "3" and node.get("kind") == "satisfaction"


def test_minimum_group_out_of_range_in_olx_is_refused(workbench_block):
    with pytest.raises(ValueError, match="minimum_group '0'"):
        workbench_block(SURVEY.replace('minimum_group="3"', 'minimum_group="0"'))
