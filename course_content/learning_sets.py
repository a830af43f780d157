"""
Learning sets: the course's Open edX discussions and cohorts, and its inline discussion components.

Participants work in learning sets of 6 to 8 (NCSL-style action learning): the course policy turns on cohorts with
one automatic cohort per learning set, and inline discussions are divided by cohort, so a learning set compares
practice among itself. The policy also gives the course-wide discussion one topic per module (chapter) plus the
workshops and the mentoring scheme. :func:`check_learning_sets` is the validator's ``learning-sets`` check.

The inline discussion component (``<discussion>``) is the platform's own block (xblock-discussion in the LMS); the
SDK workbench, which has no forum, shows a labelled placeholder in its place (lp_xblocks/workbench/discussion.py).
"""
from __future__ import annotations

import re

DISCUSSION_TAG = "discussion"
# Blocks the course uses that are the platform's own, not this package's (not in advanced_modules).
PLATFORM_TAGS = (DISCUSSION_TAG,)

LEARNING_SET_SIZE = (6, 8)
# The tender's initial cohort: the 101 Learning Partnership Managers (seed 000, section 1.1). Key partner staff
# join the same sets; staff rebalance sets from the instructor dashboard's Cohorts tab as people enrol.
PLANNED_PARTICIPANTS = 101
# Course-wide topics besides one per module (chapter).
EXTRA_TOPICS = ("Workshops", "Mentoring")

READABLE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _problem(report, file, message, element=None):
    report.add("learning-sets", file, message, element)


def check_policy(course, report) -> None:
    """Discussion topics per module plus workshops and mentoring; cohorts as learning sets; the Discussion tab."""
    file = f"policies/{course.run}/policy.json"
    settings = course.policy.get(f"course/{course.run}", {})
    topics = settings.get("discussion_topics")
    if not isinstance(topics, dict) or not topics:
        _problem(report, file, "discussion_topics: give the course-wide discussion a topic per module, plus "
                               + " and ".join(EXTRA_TOPICS))
        topics = {}
    wanted = [chapter.display_name for chapter in course.chapters] + list(EXTRA_TOPICS)
    missing = [name for name in wanted if name not in topics]
    if missing:
        _problem(report, file, "discussion_topics: no topic for " + "; ".join(missing))
    ids = [value.get("id") if isinstance(value, dict) else None for value in topics.values()]
    for name, ident in zip(topics, ids):
        if not isinstance(ident, str) or not READABLE_ID.match(ident):
            _problem(report, file, f"discussion_topics: topic '{name}' needs a readable id (lower-case words and hyphens)")
    if len(set(ids)) != len(ids):
        _problem(report, file, "discussion_topics: two topics share an id")

    cohorts = settings.get("cohort_config")
    if not isinstance(cohorts, dict):
        _problem(report, file, "cohort_config: turn on cohorts for learning sets (cohorted, auto_cohort, "
                               "auto_cohort_groups)")
        cohorts = {}
    for key in ("cohorted", "auto_cohort", "always_cohort_inline_discussions"):
        if cohorts.get(key) is not True:
            _problem(report, file, f"cohort_config: {key} must be true (learning sets discuss among themselves)")
    groups = cohorts.get("auto_cohort_groups")
    if not isinstance(groups, list) or not groups or not all(isinstance(name, str) and name.strip() for name in groups):
        _problem(report, file, "cohort_config: auto_cohort_groups must list the learning sets by name")
    else:
        if len(set(groups)) != len(groups):
            _problem(report, file, "cohort_config: two learning sets share a name")
        low, high = LEARNING_SET_SIZE
        if not low * len(groups) <= PLANNED_PARTICIPANTS <= high * len(groups):
            _problem(report, file, f"cohort_config: {len(groups)} learning sets for {PLANNED_PARTICIPANTS} participants "
                                   f"do not give sets of {low} to {high}")
    if settings.get("allow_anonymous") is not False or settings.get("allow_anonymous_to_peers") is not False:
        _problem(report, file, "allow_anonymous and allow_anonymous_to_peers must be false: a learning set "
                               "knows who is speaking")
    tabs = settings.get("tabs") or []
    if not any(isinstance(tab, dict) and tab.get("type") == "discussion" for tab in tabs):
        _problem(report, file, "tabs: add the Discussion tab")


def check_components(course, report) -> int:
    """Every inline discussion: a unique readable id, its module as category, a target, a name; returns how many."""
    seen = {}
    found = 0
    for chapter, _sequential, unit in course.units():
        for component in unit.components:
            if component.tag != DISCUSSION_TAG:
                continue
            found += 1
            element = component.element
            ident = element.get("discussion_id")
            if not ident or not READABLE_ID.match(ident):
                _problem(report, component.file, "discussion_id must be a readable id (lower-case words and hyphens)",
                         element)
            elif ident in seen:
                _problem(report, component.file, f"discussion_id '{ident}' is already used in unit '{seen[ident]}'",
                         element)
            else:
                seen[ident] = unit.url_name
            if element.get("discussion_category") != chapter.display_name:
                _problem(report, component.file, f"discussion_category must be its module's name, "
                                                 f"'{chapter.display_name}'", element)
            if not (element.get("discussion_target") or "").strip():
                _problem(report, component.file, "discussion_target: say what the learning set discusses", element)
            if not (element.get("display_name") or "").strip():
                _problem(report, component.file, "display_name: name the discussion", element)
            if len(element):
                _problem(report, component.file, "an inline discussion has no child elements", element)
    if found == 0:
        _problem(report, course.file, "no inline discussion: learning sets need places to compare practice")
    return found


def check_learning_sets(course, report) -> None:
    """The validator's ``learning-sets`` check: the policy and every inline discussion component."""
    check_policy(course, report)
    report.counts["discussions"] = check_components(course, report)
