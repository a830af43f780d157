"""The candidate register: ULN check digits, dates, missing fields, duplicates, opt-outs; nothing dropped silently."""
import datetime as dt

import pytest

from accreditation_export.register import RegisterError, is_valid_uln, parse_date_of_birth, read_register, uln_problem

TODAY = dt.date(2026, 11, 25)
QUALS = {"600/0000/0", "600/0000/1"}
HEADER = "username,uln,given_name,family_name,date_of_birth,candidate_number,opted_in\n"


@pytest.mark.parametrize("uln", ["9276308686", "1000000000", "2000000001"])
def test_valid_ulns(uln):
    assert is_valid_uln(uln) and uln_problem(uln) is None


@pytest.mark.parametrize("uln, problem", [
    ("9999999999", "check digit"),        # the LRS placeholder for 'not known'
    ("9276308687", "check digit"),        # last digit changed
    ("9276308668", "check digit"),        # two digits swapped
    ("0276308686", "must not start with 0"),
    ("927630868", "10 digits"),
    ("92763086860", "10 digits"),
    ("92763O8686", "10 digits"),
    ("", "10 digits"),
])
def test_invalid_ulns(uln, problem):
    assert not is_valid_uln(uln) and problem in uln_problem(uln)


@pytest.mark.parametrize("text, iso", [("1980-02-29", "1980-02-29"), ("29/02/1980", "1980-02-29"), ("1/3/1975", "1975-03-01")])
def test_dates_of_birth(text, iso):
    assert parse_date_of_birth(text, TODAY) == (iso, None)


@pytest.mark.parametrize("text, problem", [
    ("1981-02-29", "not a real date"), ("31/04/1980", "not a real date"), ("2027-01-01", "in the future"),
    ("1899-12-31", "before 1900"), ("12 March 1980", "not a date"), ("1980-13-01", "not a real date"),
])
def test_impossible_dates_of_birth(text, problem):
    iso, why = parse_date_of_birth(text, TODAY)
    assert iso is None and problem in why


def read(tmp_path, body, header=HEADER, default="600/0000/0"):
    path = tmp_path / "register.csv"
    path.write_text(header + body, encoding="utf-8")
    return read_register(path, qualifications=QUALS, default_qualification=default, today=TODAY)


def test_good_rows_are_candidates_sorted_by_username_and_opt_outs_are_counted(tmp_path):
    register = read(tmp_path, "zoe,9276308686,Zoe,Adams,1980-01-02,C002,yes\n"
                              "ann,1000000000,Ann,Bell,02/03/1979,C001,Yes\n"
                              "bob,,Bob,Cole,,,no\n")
    assert [c.username for c in register.candidates] == ["ann", "zoe"]
    ann = register.candidates[0]
    assert (ann.line, ann.uln, ann.date_of_birth, ann.qualification) == (3, "1000000000", "1979-03-02", "600/0000/0")
    assert register.opted_out == ["bob"] and register.rejections == []


def test_every_bad_row_is_rejected_with_its_line_field_and_reason(tmp_path):
    register = read(tmp_path, (
        "ann,9999999999,Ann,Bell,1980-01-02,C001,yes\n"     # placeholder ULN
        "bob,9276308686,Bob,,1980-01-02,C002,yes\n"          # family name missing
        "cat,1000000000,Cat,Dunn,1981-02-29,C003,yes\n"      # impossible date
        "dan,2000000001,Dan,Eve,1980-01-02,C004,maybe\n"     # opted in neither yes nor no
        ",2000000001,Eve,Fox,1980-01-02,C005,yes\n"          # no username
        "fay,2000000001,Fay,Gee,1980-01-02,C 6,yes\n"        # bad candidate number
    ))
    assert register.candidates == []
    found = [(r.line, r.username, r.field) for r in register.rejections]
    assert found == [(2, "ann", "uln"), (3, "bob", "family_name"), (4, "cat", "date_of_birth"),
                     (5, "dan", "opted_in"), (6, "", "username"), (7, "fay", "candidate_number")]
    assert "check digit" in register.rejections[0].reason and "'9999999999'" in register.rejections[0].reason
    assert "not a real date" in register.rejections[2].reason


def test_duplicates_reject_every_row_involved(tmp_path):
    register = read(tmp_path, (
        "ann,9276308686,Ann,Bell,1980-01-02,C001,yes\n"
        "Ann,1000000000,Ann,Bell,1980-01-02,C002,yes\n"       # the same username, another case
        "bob,2000000001,Bob,Cole,1980-01-02,C003,yes\n"
        "cat,2000000001,Cat,Dunn,1980-01-02,C004,yes\n"       # bob's ULN
        "dan,3000000002,Dan,Eve,1980-01-02,C005,yes\n"
    ))
    assert [c.username for c in register.candidates] == ["dan"]
    assert [(r.line, r.field) for r in register.rejections] == [(2, "username"), (3, "username"), (4, "uln"), (5, "uln")]
    assert "line 3" in register.rejections[0].reason and "line 4" in register.rejections[3].reason


def test_optional_qualification_column_and_headers_in_any_case(tmp_path):
    header = "Username,ULN,Given name,Family name,Date of birth,Candidate number,Opted in,Qualification\n"
    register = read(tmp_path, "ann,9276308686,Ann,Bell,1980-01-02,C001,yes,600/0000/1\n"
                              "bob,1000000000,Bob,Cole,1980-01-02,C002,yes,\n"
                              "cat,2000000001,Cat,Dunn,1980-01-02,C003,yes,999/9999/9\n", header=header)
    assert [(c.username, c.qualification) for c in register.candidates] == [("ann", "600/0000/1"), ("bob", "600/0000/0")]
    assert [(r.username, r.field) for r in register.rejections] == [("cat", "qualification")]


def test_a_register_without_the_columns_is_an_error_naming_them(tmp_path):
    with pytest.raises(RegisterError, match=r"register.csv:1: missing columns: uln, date_of_birth"):
        read(tmp_path, "ann,Ann,Bell,C001,yes\n", header="username,given_name,family_name,candidate_number,opted_in\n")
    with pytest.raises(RegisterError, match="cannot be read"):
        read_register(tmp_path / "none.csv", qualifications=QUALS, default_qualification="600/0000/0")
