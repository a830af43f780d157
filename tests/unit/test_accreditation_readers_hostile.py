"""
Issue 12: hostile registers and catalogues. A stray quote never swallows later candidates (each row is one
line; the broken line is rejected with its number); duplicate checks are linear with bounded messages; and
Hypothesis property tests over the register reader and the catalogue reader (1,000 generated cases each in
the default suite): never a traceback, every bad row or entry reported with its line.
"""
import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lp_programme import catalogue as cat
from accreditation_export.csvfile import BrokenRow, _one_line
from accreditation_export.register import MAX_LINES_NAMED, RegisterError, read_register

QUALS = {"600/0000/0"}
TODAY = dt.date(2026, 11, 1)
HEADER = "username,uln,given_name,family_name,date_of_birth,candidate_number,opted_in\n"
GOOD = ["ann,9276308686,Ann,Bell,1980-01-02,C001,yes", "bob,1000000000,Bob,Cole,1980-01-02,C002,yes",
        "cat,2000000001,Cat,Dunn,1980-01-02,C003,yes", "dan,3000000002,Dan,Eve,1980-01-02,C004,yes"]
FUZZ = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])


def read_text(path, text):
    path.write_bytes(text.encode("utf-8", errors="surrogatepass") if isinstance(text, str) else text)
    return read_register(path, qualifications=QUALS, default_qualification="600/0000/0", today=TODAY)


def test_a_stray_quote_is_one_rejection_and_hides_no_later_candidate(tmp_path):
    lines = [GOOD[0], 'bob,1000000000,"Bob,Cole,1980-01-02,C002,yes', GOOD[2], GOOD[3]]
    register = read_text(tmp_path / "register.csv", HEADER + "\n".join(lines) + "\n")
    assert [c.username for c in register.candidates] == ["ann", "cat", "dan"]
    assert [(r.line, r.field) for r in register.rejections] == [(3, "row")]
    assert "a quoted field is not closed on this line (a stray quote?)" in register.rejections[0].reason


def test_check_register_reports_the_line_of_the_stray_quote(tmp_path):
    from click.testing import CliRunner  # pylint: disable=import-outside-toplevel
    from accreditation_export.cli import main  # pylint: disable=import-outside-toplevel
    path = tmp_path / "register.csv"
    path.write_text(HEADER + GOOD[0] + '\nbob,"1000000000,Bob\n' + GOOD[2] + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check-register", "--register", str(path)])
    assert result.exit_code == 1, result.output
    assert "2 opted in and valid, 0 opted out, 1 rejected" in result.output
    assert "line 3: -: row: a quoted field is not closed" in result.output


@pytest.mark.parametrize("line, why", [
    ('ann,"92763"08686,Ann,Bell,1980-01-02,C001,yes', "a quoted field is not closed"),
    ("ann,9276308686,Ann\0,Bell,1980-01-02,C001,yes", "NUL character"),
    ("x" * 70000, "longer than 65536 characters"),
])
def test_other_broken_lines_are_rejected_alone(tmp_path, line, why):
    register = read_text(tmp_path / "register.csv", HEADER + GOOD[1] + "\n" + line + "\n" + GOOD[2] + "\n")
    assert [c.username for c in register.candidates] == ["bob", "cat"]
    assert [r.line for r in register.rejections] == [3] and why in register.rejections[0].reason


def test_a_line_that_is_not_utf8_is_rejected_alone(tmp_path):
    text = (HEADER + GOOD[1] + "\n").encode() + b"ann,9276308686,\xff\xfe,Bell,1980-01-02,C001,yes\n" + \
        (GOOD[2] + "\n").encode()
    register = read_text(tmp_path / "register.csv", text)
    assert [c.username for c in register.candidates] == ["bob", "cat"]
    assert [(r.line, r.reason) for r in register.rejections] == [(3, "the line is not UTF-8 text")]


def test_a_broken_header_is_an_error_naming_the_line(tmp_path):
    with pytest.raises(RegisterError, match=r"register.csv:1: the header row: a quoted field is not closed"):
        read_text(tmp_path / "register.csv", 'username,"uln\n' + GOOD[0] + "\n")


def test_8000_rows_sharing_one_uln_give_bounded_messages(tmp_path):
    """The old check was pairwise: 28 s, 450 MB and a 375 MB report; see benchmarks/register_duplicates.py."""
    rows = "".join(f"user{n},9276308686,Ann,Bell,1980-01-02,C{n},yes\n" for n in range(8000))
    register = read_text(tmp_path / "register.csv", HEADER + rows)
    assert register.candidates == [] and len(register.rejections) == 8000
    assert max(len(r.reason) for r in register.rejections) < 100
    assert register.rejections[0].reason == "the same uln is on line 3, 4, 5, 6, 7 and 7,994 other lines too"
    assert register.rejections[-1].reason.startswith("the same uln is on line 2, 3, 4, 5, 6 and 7,994")
    assert MAX_LINES_NAMED == 5


def test_a_pair_still_names_the_other_line(tmp_path):
    register = read_text(tmp_path / "register.csv", HEADER + GOOD[0] + "\n" + GOOD[0].replace("C001", "C009") + "\n")
    assert [r.reason for r in register.rejections] == ["the same username is on line 3 too",
                                                       "the same username is on line 2 too"]


# ------------------------------------------------------------------------------------ property tests

CELL_CHARS = st.characters(codec="utf-8", exclude_characters="\n")
CELL = st.one_of(st.text(CELL_CHARS, max_size=12), st.sampled_from(
    ['"', '""', '"a', 'a"b', "9276308686", "1000000000", "yes", "no", "1980-01-02", "31/02/1980", "C1", ",", "\r",
     "=cmd()", "\u202e", "\0", " "]))
LINE = st.lists(CELL, min_size=0, max_size=9).map(",".join)


@FUZZ
@given(lines=st.lists(LINE, max_size=12))
def test_the_register_reader_never_crashes_and_accounts_for_every_line(tmp_path, lines):
    register = read_text(tmp_path / "register.csv", HEADER + "".join(line + "\n" for line in lines))
    expected = []
    for number, line in enumerate(lines, start=2):
        cells = _one_line(line)
        if isinstance(cells, BrokenRow) or any(cell.strip() for cell in cells):
            expected.append(number)
    seen = [c.line for c in register.candidates] + [r.line for r in register.rejections]
    assert len(seen) + len(register.opted_out) == len(expected)         # no row hidden, none counted twice
    assert set(seen) <= set(expected) and len(set(seen)) == len(seen)
    for rejection in register.rejections:
        assert rejection.reason and rejection.field and len(rejection.reason) < 400
        if rejection.field == "row":
            assert isinstance(_one_line(lines[rejection.line - 2]), BrokenRow)


@FUZZ
@given(before=st.lists(st.sampled_from(GOOD), max_size=3, unique=True), stray=LINE.filter(lambda t: '"' in t),
       position=st.integers(0, 3))
def test_a_stray_quote_anywhere_hides_no_good_row(tmp_path, before, stray, position):
    rest = [line for line in GOOD if line not in before]
    lines = before[:position] + [stray] + before[position:] + rest
    register = read_text(tmp_path / "register.csv", HEADER + "\n".join(lines) + "\n")
    stray_line = lines.index(stray) + 2
    usernames = {c.username for c in register.candidates}
    others = {r.line for r in register.rejections} - {stray_line}
    for number, line in enumerate(lines, start=2):
        if line in GOOD:       # a good row is a candidate unless the stray line duplicates its values
            assert line.split(",")[0] in usernames or number in others


SMALL_CATALOGUE = """\
catalogue: 1
awarding_body: {name: "Sample", centre_number: "000000"}
qualifications:
  - code: "600/0000/0"
    title: "Award"
    level: "4"
    credits_required: 3
    min_credits_at_or_above_level: 3
    mandatory_units: [U1]
    optional_groups: []
units:
  - id: U1
    code: "A/000/0001"
    title: "Unit one"
    level: "4"
    credit: 3
    glh: 20
    module: induction
    requires: []
    learning_outcomes:
      - number: 1
        text: "Understand"
        criteria:
          - {number: "1.1", text: "Explain"}
"""
YAML_BITS = st.sampled_from(["", "-", ":", "{", "}", "[", "]", "'", '"', "&a", "*a", "!!python/object:os.system",
                             "~", "null", "1e999", "-5", "99999999999999999999", "yes", "\t", "#", "? x",
                             "U1", "A/000/0001", "600/0000/0", "[U1, U1]", "{number: 1.1}", "<<: *a"])
EDIT = st.tuples(st.integers(0, 24), st.sampled_from(["replace", "insert", "delete", "value"]),
                 st.one_of(st.text(st.characters(codec="utf-8", exclude_characters="\n"), max_size=20), YAML_BITS))


@FUZZ
@given(edits=st.lists(EDIT, min_size=1, max_size=3))
def test_the_catalogue_reader_never_crashes_and_names_the_line(tmp_path, edits):
    lines = SMALL_CATALOGUE.splitlines()
    for index, kind, text in edits:
        index = min(index, len(lines) - 1) if lines else 0
        if kind == "replace" and lines:
            lines[index] = text
        elif kind == "insert":
            lines.insert(index, text)
        elif kind == "delete" and lines:
            del lines[index]
        elif lines and ":" in lines[index]:
            lines[index] = lines[index].split(":", 1)[0] + ": " + text
    path = tmp_path / "catalogue.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    try:
        cat.load(path)
    except cat.CatalogueError as error:
        assert error.errors
        for message in error.errors:
            assert re.match(re.escape(str(path)) + r":\d+: ", message) or \
                message.startswith(f"{path}: is not UTF-8 text"), message


@pytest.mark.parametrize("text, message", [
    ("catalogue: 1\nunits: " + "[" * 5000 + "]" * 5000 + "\n", ":2: is nested more than 50 levels deep"),
    ("catalogue: 1\nunits:\n" + "".join("  " * i + "- \n" for i in range(3000)), ":1: is nested too deeply to read"),
    ("catalogue: 1\nunits: \x1d\n", ":2: is not valid YAML: unacceptable character"),
    ("catalogue: 1\nunits:\n  - {id: U1, \"a[b\": 1}\n", ":3: units[0]"),
])
def test_hostile_catalogues_are_one_message_with_the_line(tmp_path, text, message):
    path = tmp_path / "catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(cat.CatalogueError) as error:
        cat.load(path)
    assert message in str(error.value)
