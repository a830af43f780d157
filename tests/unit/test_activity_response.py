"""The saved learning activity's pure rules: responses, word limits, author settings, what the learner may see."""
import pytest

from lp_xblocks.activity import response as core

GOOD = {"display_name": "Remit", "prompt": "Find your remit.", "suggested_minutes": 20, "commentary": "C",
        "word_limit": 300}


def test_words_are_counted_as_people_count_them():
    assert core.count_words("Partners' co-ownership isn't  easy \u2014 2026.") == 5
    assert core.count_words("") == 0
    assert core.count_words("Partenariat d\u2019\u00e9ducation: \u5408\u4f5c") == 3


def test_a_response_is_trimmed_and_normalised():
    assert core.clean_response("  one\r\ntwo\rthree  ", 10) == {"text": "one\ntwo\nthree", "words": 3}


@pytest.mark.parametrize("text, message", [
    (None, "must be text"), (["a"], "must be text"), ("", "Write a response"), ("\u200b \u2060\n", "Write a response"),
    ("a b c d", "has 4 words; the limit is 3"), ("y" * 2000, "limit is 3"),
])
def test_bad_responses_are_refused_naming_the_response(text, message):
    with pytest.raises(core.ActivityError, match=message) as caught:
        core.clean_response(text, 3)
    assert caught.value.field == "response"


def test_exactly_the_word_limit_is_allowed():
    assert core.clean_response("a b c", 3)["words"] == 3


def test_sound_settings_have_no_problems():
    assert core.check_settings(**GOOD) == []


def test_every_settings_problem_is_listed_at_once():
    problems = core.check_settings(display_name="", prompt=" ", suggested_minutes=0, commentary="x" * 20001,
                                   word_limit=True)
    assert [problem.field for problem in problems] == [
        "display_name", "prompt", "commentary", "suggested_minutes", "word_limit"]
    assert "1 to 600" in str(problems[3]) and "10 to 5000" in str(problems[4])
    assert problems[3].translated(lambda text: "\u00bb" + text).startswith("\u00bbSuggested time")


@pytest.mark.parametrize("raw, expected", [
    (5, 5), (5.0, 5), (" 25 ", 25), ("2.5", None), ("-3", None), (True, None), (None, None), ("1e3", None),
    ("9999999", None), (2.5, None),
])
def test_whole_numbers_from_a_form_or_json(raw, expected):
    assert core.whole_number(raw) == expected


def test_the_commentary_is_withheld_until_a_response_is_saved():
    view = dict(prompt="P1\n\nP2", suggested_minutes=20, word_limit=300, commentary="C1\n\n\nC2",
                response="draft", words=1)
    before = core.learner_view(saved_at="", **view)
    assert before["commentary"] is None and before["saved"] is False and before["prompt"] == ["P1", "P2"]
    after = core.learner_view(saved_at="2026-11-26T10:00:00+00:00", **view)
    assert after["commentary"] == ["C1", "C2"] and after["saved"] is True


def test_the_pure_module_imports_neither_xblock_nor_django():
    import ast  # pylint: disable=import-outside-toplevel
    import inspect  # pylint: disable=import-outside-toplevel
    tree = ast.parse(inspect.getsource(core))
    names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    names += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in names if name.split(".")[0] in ("xblock", "django")]
