"""
Account retirement: the platform sends USER_RETIRE_LMS_MISC; the plugin app's signals_config connects our
receiver (through edx-django-utils' plugin framework, reading the installed lms.djangoapp entry point), which
erases usernames and learners' free text from the plugin tables and keeps, under a pseudonym, what
accreditation audit needs.
"""
import pytest
from edx_django_utils.plugins import connect_plugin_receivers, plugin_signals
from submissions.models import Submission

from lp_xblocks.data.models import (
    FacilitationActionPlan, FacilitationAttempt, FacilitationChoice, NeedsAssessmentAttempt, Partnership,
    PartnershipRater, ReflectiveAuditEvent, ReflectiveEntry, ReflectiveEntryVersion, ReflectiveFeedback,
)
from tests.platform.conftest import ANSWERS, ENTRY, FACILITATION, NEEDS_ASSESSMENT, REFLECTIVE_LOG
from tests.platform.harness import call

pytestmark = pytest.mark.django_db

FEEDBACK = "Ann's account of the March meeting shows clear protocols."


@pytest.fixture
def course(platform, monkeypatch):
    ann, bob, tess = platform.user("ann"), platform.user("bob"), platform.user("tess", staff=True)
    platform.people = ann, bob, tess
    needs, exercise, log = (platform.import_olx(NEEDS_ASSESSMENT.format(retake="true")),
                            platform.import_olx(FACILITATION), platform.import_olx(REFLECTIVE_LOG))
    for learner in (ann, bob):
        assert call(platform.lms_block(needs, learner), "submit", {"answers": ANSWERS})[0] == 200
        assert call(platform.lms_block(exercise, learner), "choose", {"scene": "opening", "choice": 1})[0] == 200
        status, body = call(platform.lms_block(log, learner), "submit_entry", ENTRY)
        assert status == 200, body
        status, marked = call(platform.lms_block(log, tess), "mark_entry", {
            "entry_id": body["entry"]["entry_id"], "version": 1, "decision": "pass", "feedback": FEEDBACK,
            "criteria": {"LPM1-2.1": {"decision": "met", "comment": "Ann names every protocol."}}})
        assert status == 200, marked
    draft = dict(ENTRY, title="Unsent thoughts about Ann's partners")
    assert call(platform.lms_block(log, ann), "save_draft", draft)[0] == 200
    # Only our plugin's receivers: where edx-completion is installed too (the platform-versions run), its
    # receivers name LMS modules that exist only inside edx-platform.
    found = plugin_signals.registry.get_plugin_app_configs
    monkeypatch.setattr(plugin_signals.registry, "get_plugin_app_configs",
                        lambda project_type: [app for app in found(project_type) if app.name == "lp_xblocks.data"])
    connect_plugin_receivers("lms.djangoapp")
    return platform


def rows(model, **lookup):
    return list(model.objects.filter(**lookup).values())


def test_retiring_a_learner_erases_names_and_free_text_and_keeps_the_audit_record(course):
    ann, bob, _tess = course.people
    anon, bob_anon = course.anonymous_id(ann), course.anonymous_id(bob)
    bob_before = [rows(model, student_id=bob_anon) for model in (NeedsAssessmentAttempt, FacilitationAttempt,
                                                                 ReflectiveEntry)]

    course.signal.send(sender=None, user=ann)

    everything = [rows(model) for model in (
        NeedsAssessmentAttempt, FacilitationAttempt, FacilitationChoice, ReflectiveEntry, ReflectiveEntryVersion,
        ReflectiveFeedback, ReflectiveAuditEvent)]
    assert anon not in str(everything) and "'ann'" not in str(everything)
    assert "Unsent thoughts" not in str(everything)

    na = NeedsAssessmentAttempt.objects.exclude(student_id=bob_anon).get()
    assert na.student_id.startswith("retired-") and na.username == "" and na.overall == 3.5
    fx = FacilitationAttempt.objects.exclude(student_id=bob_anon).get()
    assert fx.student_id == na.student_id and fx.ending_id == "split"
    assert FacilitationChoice.objects.filter(student_id=na.student_id).count() == 1

    entries = ReflectiveEntry.objects.exclude(student_id=bob_anon).order_by("id")
    assert [(e.student_id, e.username, e.title, e.draft) for e in entries] == [(na.student_id, "", "", None)] * 2
    passed = entries[0]
    assert (passed.status, passed.version, passed.marker) == ("passed", 1, "tess")
    version = passed.versions.get()
    assert (version.title, version.body, version.criteria, version.word_count) == ("", "", ["LPM1-2.1"], 14)
    feedback = passed.feedback.get()
    assert feedback.feedback == "" and feedback.criteria == {"LPM1-2.1": {"decision": "met", "comment": ""}}
    from lp_xblocks.data.api.retirement import pseudonym  # pylint: disable=import-outside-toplevel
    assert {event.actor for event in passed.audit.all()} == {pseudonym("ann"), "tess"}
    answer = Submission._objects.get(uuid=version.submission_uuid).answer  # pylint: disable=protected-access
    assert (answer["title"], answer["body"], answer["criteria"], answer["retired"]) == ("", "", ["LPM1-2.1"], True)

    assert [rows(model, student_id=bob_anon) for model in (NeedsAssessmentAttempt, FacilitationAttempt,
                                                           ReflectiveEntry)] == bob_before
    assert ReflectiveEntryVersion.objects.filter(entry__student_id=bob_anon, body=ENTRY["body"]).count() == 1


def test_retiring_a_tutor_replaces_their_name_as_marker_and_in_the_audit_trail(course):
    _ann, _bob, tess = course.people
    course.signal.send(sender=None, user=tess)
    names = {"tess"} & (set(ReflectiveEntry.objects.values_list("marker", flat=True))
                        | set(ReflectiveFeedback.objects.values_list("marker", flat=True))
                        | set(ReflectiveAuditEvent.objects.values_list("actor", flat=True)))
    assert names == set()
    markers = set(ReflectiveFeedback.objects.values_list("marker", flat=True))
    assert len(markers) == 1 and markers.pop().startswith("retired-")
    assert ReflectiveEntry.objects.filter(status="passed").count() == 2
    assert ReflectiveEntryVersion.objects.filter(body=ENTRY["body"]).count() == 2  # learners' work untouched


def test_retiring_erases_action_plans_satisfaction_comments_and_partnership_names(course):
    """The tables added after retirement was first built (action plans, comments, partnerships) are covered."""
    ann, bob, _tess = course.people
    exercise = course.import_olx(FACILITATION)
    plan = {"rows": [{"what": "Ring Northgate college", "where": "Phone", "whom": "Ann", "when": "ongoing"}],
            "reflection": "Ann's private thoughts on the chair."}
    assert call(course.lms_block(exercise, ann), "save_action_plan", plan)[0] == 200
    survey = course.import_olx(NEEDS_ASSESSMENT.format(retake="true").replace('kind="partnership"', 'kind="satisfaction"'))
    themes = course.lms_block(survey, ann).instrument["themes"]
    status, body = call(course.lms_block(survey, ann), "submit",
                        {"answers": ANSWERS, "comments": {themes[0]["id"]: "Ann found the tutor rude."}})
    assert status == 200, body
    health = course.import_olx(NEEDS_ASSESSMENT.format(retake="true"))
    assert call(course.lms_block(health, ann), "create_partnership", {"name": "Northgate"})[0] == 200
    anon = course.anonymous_id(ann)

    course.signal.send(sender=None, user=ann)

    everything = str([rows(model) for model in (FacilitationActionPlan, NeedsAssessmentAttempt, Partnership,
                                                PartnershipRater)])
    assert anon not in everything and "'ann'" not in everything
    assert "Ann's private thoughts" not in everything and "Ring Northgate" not in everything
    assert "tutor rude" not in everything
    saved = FacilitationActionPlan.objects.get(block_key=str(exercise))
    assert saved.student_id.startswith("retired-") and (saved.rows, saved.reflection) == ([], "")
