"""The registry of citable records (lp_xblocks/data/api/citations.py): scoping and resolution."""
import pytest

from lp_xblocks.data.api import citations


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(citations, "_SOURCES", {})
    items = {("c1", "ann"): [{"id": "1", "title": "Workshop 1", "date": "2026-01-05", "summary": "", "witness": False}]}

    def list_items(course_key, student_id):
        return items.get((course_key, student_id), [])

    def get_item(course_key, student_id, item_id):
        return next((i for i in list_items(course_key, student_id) if i["id"] == item_id), None)

    citations.register("workshop", "workshop", list_items, get_item)
    return citations


def test_a_learner_sees_only_their_own_items(registry):
    assert registry.citable("c1", "ann")["workshop"][0]["title"] == "Workshop 1"
    assert registry.citable("c1", "bob") == {"workshop": []}
    assert registry.citable("c2", "ann") == {"workshop": []}


def test_describe_resolves_only_the_owners_item(registry):
    assert registry.describe("c1", "ann", {"kind": "workshop", "id": "1"})["label"] == "workshop"
    assert registry.describe("c1", "bob", {"kind": "workshop", "id": "1"}) is None
    assert registry.describe("c1", "ann", {"kind": "unknown", "id": "1"}) is None
    assert registry.describe("c1", "ann", None) is None
