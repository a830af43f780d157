"""
Study time: what each unit of the course asks of a participant, and every place the course states a total.

The rule (docs/course-second-edition.md):

- Every unit (vertical) states its own estimate as ``study_minutes="N"`` on its ``<vertical>`` element: the
  minutes a typical participant spends on everything the unit asks, on screen and off it (reading, the
  activity in their own partnership, a workshop it introduces, log entries). Studio keeps unknown attributes
  of a vertical through import and export, so the figure round-trips with the course.
- A part's (chapter's) study time is the sum of its units' minutes, in whole hours (rounded half up); the
  course's is the sum of every unit's minutes.
- A page states a study time only inside an element that says what it states:
  ``<span data-study-part="CHAPTER url_name | UNIT url_name | course" data-study-hours="30">about thirty
  hours</span>``; the figure must be that part's rounded hours and the element's text must show it
  (digits or words). A unit's own statement ("Allow about forty-five minutes for this unit") names the unit and
  gives its minutes, ``<span data-study-part="UNIT url_name" data-study-minutes="45">``, or its hours where they
  are whole (``data-study-hours="1"`` for 60 minutes): either must equal the unit's study_minutes exactly, and the
  text must show the same time ("about one hour and a quarter" for 75). A figure in hours that is not a study
  time (a partner's staff time, say) is marked ``data-study-time="other"`` so that it is not taken for one.
- ``<span data-study-weeks="48">`` states the weeks the total is spread over; ``about/effort.html`` is Open edX's
  "hours of effort per week" (``H:MM``) and must be the total divided by those weeks, rounded to whole hours.
- Each module's hours should be its accreditation unit's credit value times ten (Ofqual's total qualification
  time: ten hours of study for each credit); a difference is a warning, not an error.

Pure: takes the loaded :class:`~lp_programme.course_tree.Course` and plain data; no XBlock or Django imports.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_UNIT_MINUTES = 24 * 60  # one unit that asks for more than a day's work should be split
HOURS_PER_CREDIT = 10

_SMALL = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORD = (r"(?:\d+|(?:one hundred(?: and)? )?(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(_SMALL[1:10])
               + r"))?|" + "|".join(reversed(_SMALL)) + r"))")
# A sentence that states how long studying takes, in hours: flagged unless it is marked up (see the rule above).
STUDY_HOURS = re.compile(r"\b" + NUMBER_WORD + r"(?:\s+(?:to|and)\s+" + NUMBER_WORD + r")?\s+hours?\b", re.IGNORECASE)
STUDY_WORDS = re.compile(r"\b(?:allow|takes?|taking|spend|study|studying|complete|work through)\b",
                         re.IGNORECASE)


def words_for(number: int) -> set[str]:
    """The ways a page may write ``number`` (0-199): digits and English words."""
    forms = {str(number)}
    hundreds, rest = divmod(number, 100)
    if rest < 20:
        word = _SMALL[rest]
    else:
        tens, units = divmod(rest, 10)
        word = _TENS[tens - 2] + (f"-{_SMALL[units]}" if units else "")
    if hundreds == 1:
        forms |= {f"one hundred and {word}", f"one hundred {word}"} if rest else {"one hundred", "a hundred"}
    elif hundreds == 0:
        forms |= {word, word.replace("-", " ")}
    return forms


_TENS_BEFORE = "".join(rf"(?<!{tens} )" for tens in _TENS) + r"(?<!hundred )(?<!and )"
_FRACTIONS = {15: "and a quarter", 30: "and a half", 45: "and three quarters"}
_PART_OF_HOUR = {15: ("a quarter of an hour", "quarter of an hour"), 30: ("half an hour", "half hour"),
                 45: ("three quarters of an hour",)}


def minute_forms(minutes: int) -> set[str]:
    """
    The ways a page may write a duration of ``minutes`` (1-1440): "45 minutes", "forty-five minutes",
    "half an hour", "one hour", "an hour and a quarter", "one hour and a quarter", "1 hour 15 minutes".
    """
    forms = set()
    if minutes < 200:
        forms |= {f"{word} minute" + ("" if minutes == 1 else "s") for word in words_for(minutes)}
    forms |= set(_PART_OF_HOUR.get(minutes, ()))
    hours, rest = divmod(minutes, 60)
    if 0 < hours < 200:
        unit = "hour" if hours == 1 else "hours"
        spoken = words_for(hours) | ({"an", "a"} if hours == 1 else set())
        for word in spoken:
            if not rest:
                forms.add(f"{word} {unit}")
                continue
            if rest in _FRACTIONS:
                forms |= {f"{word} {unit} {_FRACTIONS[rest]}", f"{word} {_FRACTIONS[rest]} hours"}
            forms |= {f"{word} {unit} {join}{rest_word} minutes" for rest_word in words_for(rest)
                      for join in ("", "and ")}
    return forms


def shows_minutes(text: str, minutes: int) -> bool:
    """Whether ``text`` states a duration of exactly ``minutes`` (not "one hour" inside "one hour and a quarter")."""
    folded = " ".join(text.lower().replace("-", " ").split())
    after = r"(?![\w])(?!\s+and\s+(?:a|three|\w+\s+minutes?)\b)(?!\s+\w+\s+minutes?\b)"
    return any(re.search(rf"(?<![\w]){_TENS_BEFORE}{re.escape(form.replace('-', ' '))}{after}", folded)
               for form in minute_forms(minutes))


def round_hours(minutes: int) -> int:
    """Whole hours, half up (90 minutes is 2 hours)."""
    return (minutes + 30) // 60


@dataclass
class Totals:
    """Minutes per unit, per part (chapter) and for the course, with the units that state no valid estimate."""

    units: dict[str, int] = field(default_factory=dict)            # unit url_name -> minutes
    parts: dict[str, int] = field(default_factory=dict)            # chapter url_name -> minutes
    part_names: dict[str, str] = field(default_factory=dict)       # chapter url_name -> display name
    part_units: dict[str, list] = field(default_factory=dict)      # chapter url_name -> [(unit, minutes or None)]
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, message)

    @property
    def course(self) -> int:
        return sum(self.parts.values())


def totals(course) -> Totals:
    found = Totals()
    for chapter in course.chapters:
        found.parts.setdefault(chapter.url_name, 0)
        found.part_names[chapter.url_name] = chapter.display_name
        found.part_units[chapter.url_name] = []
        for sequential in chapter.sequentials:
            for unit in sequential.units:
                raw = unit.attributes.get("study_minutes")
                minutes = None
                if raw is None:
                    found.problems.append((unit.file, f"unit '{unit.url_name}' states no study time: add "
                                                      "study_minutes=\"N\" (whole minutes) to its <vertical>"))
                elif not re.fullmatch(r"\d{1,5}", raw.strip()) or not 0 < int(raw) <= MAX_UNIT_MINUTES:
                    found.problems.append((unit.file, f"unit '{unit.url_name}': study_minutes '{raw}' must be a whole "
                                                      f"number of minutes from 1 to {MAX_UNIT_MINUTES}"))
                else:
                    minutes = int(raw)
                    found.units[unit.url_name] = minutes
                    found.parts[chapter.url_name] += minutes
                found.part_units[chapter.url_name].append((unit, minutes))
    return found


@dataclass
class Statement:
    """One marked-up study-time statement on a page."""

    file: str
    line: int | None
    part: str | None
    hours: str | None
    weeks: str | None
    text: str
    minutes: str | None = None


def statements(fragment, file: str) -> list[Statement]:
    """Every element of an html fragment carrying data-study-hours, data-study-minutes or data-study-weeks."""
    found = []
    for node in fragment.iter():
        if isinstance(node.tag, str) and any(node.get(f"data-study-{kind}") is not None
                                             for kind in ("hours", "minutes", "weeks")):
            found.append(Statement(file, node.sourceline, node.get("data-study-part"), node.get("data-study-hours"),
                                   node.get("data-study-weeks"), " ".join(node.itertext()),
                                   node.get("data-study-minutes")))
    return found


def unmarked(fragment) -> list[str]:
    """Sentences stating a study time in hours outside any marked-up element."""
    found = []

    def walk(node, marked):
        marked = (marked or node.get("data-study-hours") is not None or node.get("data-study-minutes") is not None
                  or node.get("data-study-time") == "other")
        for text in (node.text,):
            if text and not marked:
                found.extend(_flag(text))
        for child in node:
            if isinstance(child.tag, str):
                walk(child, marked)
            if child.tail and not marked:
                found.extend(_flag(child.tail))

    walk(fragment, False)
    return found


def _flag(text: str) -> list[str]:
    flagged = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if STUDY_HOURS.search(sentence) and STUDY_WORDS.search(sentence):
            flagged.append(" ".join(sentence.split()))
    return flagged


def shows(text: str, number: int) -> bool:
    folded = " ".join(text.lower().replace("-", " ").split())
    return any(re.search(rf"(?<![\w]){re.escape(form.replace('-', ' '))}(?![\w])", folded)
               for form in words_for(number))


def parse_effort(text: str) -> int | None:
    """Open edX's effort ``H:MM`` (hours of effort per week) in minutes; None when it is not in that form."""
    match = re.fullmatch(r"\s*(\d{1,3}):([0-5]\d)\s*", text or "")
    return int(match.group(1)) * 60 + int(match.group(2)) if match else None


def check(found: Totals, marked: list[Statement], effort: str | None, credits: dict[str, int]) -> list[tuple]:
    """
    Compare every statement with the units' sums; returns ``(level, file, line, message)`` tuples
    (level "ERROR" or "WARNING").
    """
    problems = [("ERROR", file, None, message) for file, message in found.problems]
    expected = {unit: round_hours(minutes) for unit, minutes in found.units.items()}
    expected |= {part: round_hours(minutes) for part, minutes in found.parts.items()}
    expected["course"] = round_hours(found.course)
    names = dict(found.part_names)
    names |= {unit.url_name: unit.display_name for units in found.part_units.values() for unit, _m in units}
    unit_files = {unit.url_name: unit.file for units in found.part_units.values() for unit, _m in units}
    stated_parts: dict[str, int] = {}
    weeks = []
    for statement in marked:
        if statement.weeks is not None:
            if not re.fullmatch(r"\d{1,3}", statement.weeks) or not 0 < int(statement.weeks) <= 260:
                problems.append(("ERROR", statement.file, statement.line,
                                 f"data-study-weeks '{statement.weeks}' must be a whole number of weeks from 1 to 260"))
            else:
                weeks.append(statement)
                if not shows(statement.text, int(statement.weeks)):
                    problems.append(("ERROR", statement.file, statement.line,
                                     f"the text '{statement.text.strip()}' does not show the {statement.weeks} weeks "
                                     "its data-study-weeks states"))
        if statement.minutes is not None:
            problems += _check_unit_minutes(statement, found, names, unit_files)
            continue
        if statement.hours is None:
            continue
        if statement.part in unit_files and statement.part not in found.parts:
            if statement.part in found.units and re.fullmatch(r"\d{1,4}", statement.hours):
                problems += _check_unit_time(statement, int(statement.hours) * 60, "hours", found, names, unit_files)
            elif statement.part in found.units:
                problems.append(("ERROR", statement.file, statement.line,
                                 f"data-study-hours '{statement.hours}' must be a whole number of hours"))
            continue
        if statement.part not in expected:
            problems.append(("ERROR", statement.file, statement.line,
                             f"data-study-part '{statement.part}' names no part of the course: use a chapter's "
                             "url_name (" + ", ".join(found.parts) + "), a unit's url_name or 'course'"))
            continue
        if not re.fullmatch(r"\d{1,4}", statement.hours):
            problems.append(("ERROR", statement.file, statement.line,
                             f"data-study-hours '{statement.hours}' must be a whole number of hours"))
            continue
        hours, want = int(statement.hours), expected[statement.part]
        stated_parts[statement.part] = hours
        label = "the course" if statement.part == "course" else f"'{names[statement.part]}'"
        if hours != want:
            minutes = (found.course if statement.part == "course" else
                       found.parts.get(statement.part, found.units.get(statement.part)))
            problems.append(("ERROR", statement.file, statement.line,
                             f"states {hours} hours for {label}, but its units add up to {minutes} minutes, "
                             f"which is {want} hours (see python -m course_content hours)"))
        if not shows(statement.text, hours):
            problems.append(("ERROR", statement.file, statement.line,
                             f"the text '{statement.text.strip()}' does not show the {hours} hours its "
                             "data-study-hours states"))
    if "course" not in stated_parts:
        problems.append(("ERROR", "html", None, "no page states the course's total study time "
                                                "(data-study-part=\"course\" data-study-hours=\"N\")"))
    if not weeks:
        problems.append(("ERROR", "html", None, "no page states over how many weeks the total is spread "
                                                "(data-study-weeks=\"N\"), so about/effort cannot be checked"))
    per_week = parse_effort(effort) if effort is not None else None
    if effort is None:
        problems.append(("ERROR", "about/effort.html", None, "is missing: Open edX shows it as hours of effort "
                                                             "per week (H:MM)"))
    elif per_week is None:
        problems.append(("ERROR", "about/effort.html", None, f"'{effort.strip()}' must be hours of effort per week "
                                                             "as H:MM, e.g. 3:00"))
    elif weeks:
        want_week = round_hours(round(found.course / int(weeks[0].weeks)))
        if round_hours(per_week) != want_week or per_week % 60:
            problems.append(("ERROR", "about/effort.html", None,
                             f"says {effort.strip()} hours a week, but {expected['course']} hours over "
                             f"{weeks[0].weeks} weeks is {want_week}:00 a week (Open edX's effort is hours per week, "
                             "in whole hours)"))
    for part, credit in sorted(credits.items()):
        if part in expected and expected[part] != credit * HOURS_PER_CREDIT:
            problems.append(("WARNING", "course", None,
                             f"'{found.part_names[part]}' asks for {expected[part]} hours, but its accreditation unit "
                             f"is worth {credit} credits, which is {credit * HOURS_PER_CREDIT} hours of total "
                             "qualification time: change the units' estimates or the unit's credit value"))
    return problems


def _check_unit_minutes(statement: Statement, found: Totals, names: dict, unit_files: dict) -> list[tuple]:
    """A unit's own statement in minutes: names a unit, and equals its study_minutes exactly."""
    if statement.hours is not None:
        return [("ERROR", statement.file, statement.line, "give data-study-minutes or data-study-hours, not both")]
    if statement.part not in unit_files:
        return [("ERROR", statement.file, statement.line,
                 f"data-study-part '{statement.part}' names no unit of the course: data-study-minutes states one "
                 "unit's own time (use data-study-hours for a part or the course)")]
    if not re.fullmatch(r"\d{1,4}", statement.minutes) or not 0 < int(statement.minutes) <= MAX_UNIT_MINUTES:
        return [("ERROR", statement.file, statement.line,
                 f"data-study-minutes '{statement.minutes}' must be a whole number of minutes from 1 to "
                 f"{MAX_UNIT_MINUTES}")]
    if statement.part not in found.units:
        return []  # the unit states no valid study_minutes: reported once, on the unit
    return _check_unit_time(statement, int(statement.minutes), "minutes", found, names, unit_files)


def _check_unit_time(statement: Statement, minutes: int, kind: str, found: Totals, names: dict,
                     unit_files: dict) -> list[tuple]:
    problems = []
    want = found.units[statement.part]
    stated = (f"{statement.hours} hour" + ("" if minutes == 60 else "s")) if kind == "hours" else f"{minutes} minutes"
    if minutes != want:
        hint = (f", which is {want // 60} hours" if want % 60 == 0 else
                f": state data-study-minutes=\"{want}\"" if kind == "hours" else "")
        problems.append(("ERROR", statement.file, statement.line,
                         f"states {stated} for '{names[statement.part]}', but the unit's study_minutes "
                         f"({unit_files[statement.part]}) is {want} minutes{hint}"))
    if not shows_minutes(statement.text, minutes):
        problems.append(("ERROR", statement.file, statement.line,
                         f"the text '{statement.text.strip()}' does not show the {stated} its "
                         f"data-study-{kind} states"))
    return problems


def report_lines(found: Totals, marked: list[Statement], effort: str | None) -> list[str]:
    """What ``python -m course_content hours`` prints: every part with its units, the totals, the statements."""
    lines = []
    for part, units in found.part_units.items():
        lines.append(f"{found.part_names[part]} ({part}): {found.parts[part]} minutes = "
                     f"{round_hours(found.parts[part])} hours")
        for unit, minutes in units:
            lines.append(f"  {unit.url_name}: " + (f"{minutes} min" if minutes is not None else "NO ESTIMATE"))
    lines.append(f"course: {found.course} minutes = {round_hours(found.course)} hours")
    weeks = [s for s in marked if s.weeks is not None and s.weeks.isdigit() and int(s.weeks) > 0]
    if weeks:
        per_week = round_hours(round(found.course / int(weeks[0].weeks)))
        lines.append(f"over {weeks[0].weeks} weeks: about/effort should be {per_week}:00 (it is "
                     f"{(effort or 'missing').strip()})")
    for statement in marked:
        if statement.hours is not None:
            lines.append(f"{statement.file}:{statement.line}: {statement.part} stated as {statement.hours} "
                         + ("hour" if statement.hours == "1" else "hours"))
        elif statement.minutes is not None:
            lines.append(f"{statement.file}:{statement.line}: {statement.part} stated as {statement.minutes} minutes")
    return lines
