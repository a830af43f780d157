"""Fixtures of the Open edX-shaped layer: a platform (see harness.py) and the three blocks imported into it."""
import pytest

from tests.platform.harness import Platform

NEEDS_ASSESSMENT = """
<lp_needs_assessment display_name="Health check" kind="partnership" allow_retake="{retake}">
  <scale><point value="1">One</point><point value="2">Two</point><point value="3">Three</point>
         <point value="4">Four</point><point value="5">Five</point></scale>
  <theme id="leadership" title="Leadership">
    <statement id="l1">Remit agreed.</statement><statement id="l2">Roles defined.</statement>
    <band upto="2.5" label="Needs attention">Agree terms of reference.</band>
    <band upto="5" label="Strong">Share practice.</band>
  </theme>
</lp_needs_assessment>
"""
ANSWERS = {"l1": 4, "l2": 3}

# opening -(2)-> round -(3)-> agreed ; opening -(0)-> split
FACILITATION = """
<lp_facilitation_exercise display_name="Chairing" start="opening" pass_ratio="0.6" weight="1.0">
  <principle id="openness">Members talk honestly</principle>
  <scene id="opening" title="The agenda item">
    <narrative>The partners disagree.</narrative>
    <choice goto="round" points="2" principles="openness"><text>Invite each partner</text><feedback>Good.</feedback></choice>
    <choice goto="split" points="0"><text>Vote now</text><feedback>A loser.</feedback></choice>
  </scene>
  <scene id="round" title="A round">
    <narrative>Each partner speaks.</narrative>
    <choice goto="agreed" points="3"><text>Agree owned actions</text><feedback>Owned.</feedback></choice>
  </scene>
  <ending id="agreed" title="Agreement">Actions have owners.</ending>
  <ending id="split" title="A split board">Nobody is happy.</ending>
  <action_plan min_rows="1"/>
</lp_facilitation_exercise>
"""

REFLECTIVE_LOG = """
<lp_reflective_log display_name="Reflective log" min_words="5" max_words="60">
  <prompt>Describe a meeting you chaired.</prompt>
  <criterion id="LPM1-2.1">Explain the purpose of protocols</criterion>
  <criterion id="LPM1-2.2">Evaluate own approach to chairing</criterion>
  <entry_type id="workplace">Workplace activity</entry_type>
</lp_reflective_log>
"""
ENTRY = {"title": "March partnership meeting", "activity_date": "2026-03-12", "entry_type": "workplace",
         "body": "We agreed the agenda, kept to time and recorded every action with an owner.",
         "criteria": ["LPM1-2.1"], "declaration": "2026-1"}


@pytest.fixture
def platform(monkeypatch):
    """A course in an Open edX-shaped platform, its modules importable for the test's duration."""
    course = Platform()
    course.signal = course.install_modules(monkeypatch)
    return course
