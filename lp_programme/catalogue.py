"""
The accreditation unit catalogue (pure: PyYAML only): qualifications, units, learning outcomes and criteria.

One YAML file is the single list of criteria: the course's reflective logs claim these criterion ids and the
exporter maps marked evidence onto them. A criterion id is ``<unit id>-<criterion number>`` (``LPM1-1.1``).

- :func:`load_catalogue` and :func:`criteria` read the file as plain data and index the criteria (what the
  course's validator needs); they check only what indexing needs.
- :func:`load` validates the whole schema and returns a :class:`Catalogue`; every problem is reported at
  once as ``file:line: path: problem`` (``partnership_management.yaml:57: units[2].credit: ...``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

DEFAULT_CATALOGUE = Path(__file__).resolve().parent / "catalogues" / "partnership_management.yaml"

# Regulated levels, lowest first; a unit counts "at or above" a qualification's level by this order.
LEVELS = ("Entry 1", "Entry 2", "Entry 3", "1", "2", "3", "4", "5", "6", "7", "8")
UNIT_CODE = re.compile(r"^[A-Z]/\d{3}/\d{4}$")                  # Ofqual unit reference: A/123/4567
QUALIFICATION_CODE = re.compile(r"^\d{3}/\d{4}/[0-9X]$")         # Ofqual qualification number: 600/0000/0
UNIT_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")                 # no '-': it separates unit and criterion
CRITERION_NUMBER = re.compile(r"^(\d+)\.(\d+)$")
REQUIREMENT_KINDS = ("facilitation_exercise", "needs_assessment")
CRITERION_TYPES = ("knowledge", "performance")
GUIDANCE_KEYS = ("met", "exemplar_met", "exemplar_not_yet")
# Words that say nothing about what a criterion asks: two criteria of a unit that share most of their other
# words ask the same thing (near duplicates, e.g. two "explain the purpose of protocols" criteria).
_COMMAND_WORDS = {
    "explain", "analyse", "assess", "evaluate", "describe", "justify", "identify", "produce", "prepare", "chair",
    "agree", "record", "lead", "plan", "review", "use", "show", "present", "compare", "summarise", "own",
}
_STOP_WORDS = {
    "a", "an", "the", "of", "and", "or", "for", "to", "in", "on", "at", "by", "with", "from", "its", "it", "that",
    "this", "these", "those", "how", "what", "which", "who", "whom", "when", "where", "be", "is", "are", "as", "into",
    "between", "their", "they", "them", "so", "can", "will", "one", "partnership", "partnerships", "partner", "partners",
}
NEAR_DUPLICATE = 0.6


class CatalogueError(ValueError):
    """A catalogue that cannot be read or is invalid; ``errors`` lists every ``file:line: path: problem``."""

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.errors = list(errors) if errors else [message]


def load_catalogue(path: str | Path = DEFAULT_CATALOGUE) -> dict:
    """The catalogue as plain data; :class:`CatalogueError` when it is not a readable YAML mapping."""
    path = Path(path)
    data = _read_yaml(path)[0]
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise CatalogueError(f"{path}: expected a mapping with a 'units' list")
    return data


def criteria(catalogue: dict) -> dict[str, dict]:
    """Every criterion by id: ``{"LPM1-1.1": {"unit": "LPM1", "module": "induction", "text": "..."}}``."""
    found: dict[str, dict] = {}
    for position, unit in enumerate(catalogue["units"], start=1):
        unit_id = unit.get("id") if isinstance(unit, dict) else None
        if not unit_id:
            raise CatalogueError(f"units[{position}]: a unit has no id")
        for outcome in unit.get("learning_outcomes") or []:
            for criterion in outcome.get("criteria") or []:
                number, text = str(criterion.get("number", "")).strip(), str(criterion.get("text", "")).strip()
                if not number or not text:
                    raise CatalogueError(f"unit {unit_id}: a criterion has no number or no text")
                ident = f"{unit_id}-{number}"
                if ident in found:
                    raise CatalogueError(f"unit {unit_id}: criterion {ident} appears more than once")
                found[ident] = {"unit": unit_id, "module": unit.get("module"), "text": text,
                                "type": criterion.get("type") or "knowledge",
                                "evidence": list(criterion.get("evidence") or []),
                                "guidance": dict(criterion.get("guidance") or {})}
    return found


_guidance_cache: dict = {}


def marking_guidance(ids, path: str | Path = DEFAULT_CATALOGUE) -> dict:
    """
    What tutors and learners read beside a criterion, for the criterion ids given (unknown ids left out):
    ``{id: {"text", "type", "evidence": [...], "met", "exemplar_met", "exemplar_not_yet"}}``.
    """
    key = str(path)
    if key not in _guidance_cache:
        _guidance_cache[key] = criteria(load_catalogue(path))
    known = _guidance_cache[key]
    found = {}
    for ident in ids:
        if ident in known:
            item = known[ident]
            found[ident] = {"text": item["text"], "type": item["type"], "evidence": list(item["evidence"]),
                            **{name: item["guidance"].get(name, "") for name in GUIDANCE_KEYS}}
    return found


_declaration_cache: dict = {}


def authenticity_declaration(path: str | Path = DEFAULT_CATALOGUE) -> dict | None:
    """
    The declaration every learner makes when submitting evidence: ``{"version": str, "text": str}``, or None
    when the catalogue has none (or an incomplete one). Learners declare this text; the version is recorded.
    """
    key = str(path)
    if key not in _declaration_cache:
        found = load_catalogue(path).get("authenticity_declaration")
        declaration = None
        if isinstance(found, dict):
            version, text = str(found.get("version") or "").strip(), " ".join(str(found.get("text") or "").split())
            if version and text:
                declaration = {"version": version, "text": text}
        _declaration_cache[key] = declaration
    return dict(_declaration_cache[key]) if _declaration_cache[key] else None


def _content_words(text: str) -> set:
    words = set()
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in _STOP_WORDS or word in _COMMAND_WORDS or len(word) < 3:
            continue
        words.add(word[:-1] if word.endswith("s") and len(word) > 4 else word)
    return words


def near_duplicates(texts: dict) -> list:
    """
    Pairs of criteria (``{id: text}``) that ask nearly the same thing: once command words, stop words and
    the word partnership are set aside, most of the shorter one's words are in the other (at least two).
    """
    words = {ident: _content_words(text) for ident, text in texts.items()}
    found = []
    ids = list(texts)
    for first_index, first in enumerate(ids):
        for second in ids[first_index + 1:]:
            shared = words[first] & words[second]
            smaller = min(len(words[first]), len(words[second]))
            if len(shared) >= 2 and smaller and len(shared) / smaller >= NEAR_DUPLICATE:
                found.append((first, second))
    return found


# ------------------------------------------------------------------------------------------ typed catalogue


def level_rank(level: str) -> int:
    """Position of a level in :data:`LEVELS` (Entry 1 lowest)."""
    return LEVELS.index(level)


@dataclass(frozen=True)
class Criterion:
    id: str             # LPM1-3.2
    number: str         # 3.2
    text: str
    type: str = "knowledge"                 # knowledge or performance (something the learner does)
    evidence: tuple[str, ...] = ()          # what the learner must provide (learners see it)
    guidance: tuple[tuple[str, str], ...] = ()  # met / exemplar_met / exemplar_not_yet (tutors see it)


@dataclass(frozen=True)
class Outcome:
    number: int
    text: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Requirement:
    """Extra evidence a unit needs besides its criteria, e.g. a passed facilitation exercise."""
    kind: str
    block: str
    passed: bool
    description: str

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.block}"


@dataclass(frozen=True)
class Unit:
    id: str
    code: str
    sample: bool
    title: str
    level: str
    credit: int
    glh: int
    module: str
    requires: tuple[Requirement, ...]
    outcomes: tuple[Outcome, ...]
    aims: str = ""
    assessment_guidance: str = ""
    nos: tuple[tuple[str, str], ...] = ()   # (code, title) of the National Occupational Standards it maps to

    @cached_property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(criterion for outcome in self.outcomes for criterion in outcome.criteria)

    @cached_property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(criterion.id for criterion in self.criteria)

    @cached_property
    def rank(self) -> int:
        return level_rank(self.level)


@dataclass(frozen=True)
class Group:
    title: str
    units: tuple[str, ...]
    min_credits: int


@dataclass(frozen=True)
class Qualification:
    code: str
    title: str
    level: str
    credits_required: int
    min_credits_at_or_above_level: int
    mandatory_units: tuple[str, ...]
    optional_groups: tuple[Group, ...]

    @cached_property
    def rank(self) -> int:
        return level_rank(self.level)

    @cached_property
    def membership(self) -> dict:
        """Unit id -> (mandatory, index of its optional group or -1)."""
        found = {unit: (True, -1) for unit in self.mandatory_units}
        for index, group in enumerate(self.optional_groups):
            found.update({unit: (False, index) for unit in group.units})
        return found

    @cached_property
    def unit_ids(self) -> tuple[str, ...]:
        """The qualification's units: mandatory first, then each group's, each once."""
        seen = list(self.mandatory_units)
        for group in self.optional_groups:
            seen += [unit for unit in group.units if unit not in seen]
        return tuple(seen)


@dataclass(frozen=True)
class Catalogue:
    path: str
    awarding_body: str
    centre_number: str
    qualifications: tuple[Qualification, ...]
    units: tuple[Unit, ...]
    unit_by_id: dict = field(repr=False, compare=False, default_factory=dict)
    criterion_unit: dict = field(repr=False, compare=False, default_factory=dict)

    def qualification(self, code: str) -> Qualification | None:
        return next((q for q in self.qualifications if q.code == code), None)

    @property
    def has_samples(self) -> bool:
        return any(unit.sample for unit in self.units)


def load(path: str | Path = DEFAULT_CATALOGUE) -> Catalogue:
    """Read and validate a catalogue; :class:`CatalogueError` lists every problem found."""
    path = Path(path)
    data, lines = _read_yaml(path)
    checker = _Checker(path, lines)
    catalogue = checker.catalogue(data)
    if checker.errors:
        raise CatalogueError("\n".join(checker.errors), checker.errors)
    return catalogue


# ------------------------------------------------------------------------------------------ reading


MAX_DEPTH = 50      # a catalogue is nested about 8 deep; PyYAML's composer recurses per level


def _nesting_depth(text: str) -> int:
    """The deepest run of flow brackets (``[[[{``): PyYAML would recurse once per level."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}" and depth:
            depth -= 1
    return deepest


def depth_line(text: str) -> int:
    depth = 0
    for index, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return text.count("\n", 0, index) + 1
        elif char in "]}" and depth:
            depth -= 1
    return 1


def _read_yaml(path: Path):
    """``(data, lines)``: the parsed YAML and the line of every path in it (duplicate keys are errors)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogueError(f"{path}: cannot be read: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise CatalogueError(f"{path}: is not UTF-8 text: {error.reason}") from error
    depth = _nesting_depth(text)
    if depth > MAX_DEPTH:
        raise CatalogueError(f"{path}:{depth_line(text)}: is nested more than {MAX_DEPTH} levels deep: not a catalogue")
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise CatalogueError(f"{path}:1: is nested too deeply to read: not a catalogue") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        if mark is not None:
            where = f":{mark.line + 1}"
        elif isinstance(getattr(error, "position", None), int):      # a ReaderError: a character YAML refuses
            where = f":{text.count(chr(10), 0, error.position) + 1}"
        else:
            where = ":1"
        raise CatalogueError(f"{path}{where}: is not valid YAML: {getattr(error, 'problem', None) or error}") from error
    lines: dict[str, int] = {}
    duplicates: list[str] = []
    if node is not None:
        _index_lines(node, "", lines, duplicates)
    if duplicates:
        errors = [f"{path}:{line}: {where}: the key appears more than once" for where, line in duplicates]
        raise CatalogueError("\n".join(errors), errors)
    return data, lines


def _index_lines(node, path, lines, duplicates):
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            name = str(key.value)
            child = f"{path}.{name}" if path else name
            if name in seen:
                duplicates.append((child, key.start_mark.line + 1))
            seen.add(name)
            lines[child] = key.start_mark.line + 1
            _index_lines(value, child, lines, duplicates)
            lines[child] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, f"{path}[{index}]", lines, duplicates)


class _Checker:
    """Walks the plain data, collecting ``file:line: path: problem`` errors and building the typed catalogue."""

    def __init__(self, path, lines):
        self.path, self.lines, self.errors = path, lines, []

    def error(self, where, problem):
        """Record ``file:line: path: problem``; the line is the path's own or its nearest parent's."""
        probe, line = where, self.lines.get(where)
        while line is None and probe:
            parent = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", probe)
            if parent == probe:         # a key with odd characters (``a[b``): no parent to find; the top line
                parent = ""
            probe = parent
            line = self.lines.get(probe)
        prefix = f"{self.path}:{line}" if line else str(self.path)
        self.errors.append(f"{prefix}: {where}: {problem}" if where else f"{prefix}: {problem}")

    # -------------------------------------------------------------- primitives

    def mapping(self, value, where, required, optional=()):
        if not isinstance(value, dict):
            self.error(where, f"must be a mapping with {', '.join(required)}")
            return None
        for key in required:
            if key not in value:
                self.error(where, f"'{key}' is missing")
        for key in value:
            if key not in required and key not in optional:
                known = ", ".join(list(required) + list(optional))
                self.error(f"{where}.{key}" if where else str(key), f"unknown key (expected {known})")
        return value

    def text(self, value, where, pattern=None, explain=""):
        if value is None:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.error(where, "must be non-empty text" + (" in quotes" if isinstance(value, (int, float)) else ""))
            return ""
        value = value.strip()
        if pattern is not None and not pattern.match(value):
            self.error(where, f"{value!r} is not {explain}")
        return value

    def whole(self, value, where, minimum=0):
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(where, f"must be a whole number of at least {minimum}, not {value!r}")
            return 0
        return value

    def level(self, value, where):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value not in LEVELS:
            self.error(where, f"{value!r} is not a level (one of {', '.join(LEVELS)})")
            return None
        return value

    def items(self, value, where, what, allow_empty=False):
        if value is None and allow_empty:
            return []
        if not isinstance(value, list) or (not value and not allow_empty):
            self.error(where, f"must be a{'' if allow_empty else ' non-empty'} list of {what}")
            return []
        return value

    # -------------------------------------------------------------- the document

    def catalogue(self, data):
        top = self.mapping(data, "", ("catalogue", "awarding_body", "qualifications", "units"),
                           ("authenticity_declaration",))
        if top is None:
            return None
        if "authenticity_declaration" in top:
            declaration = self.mapping(top["authenticity_declaration"], "authenticity_declaration",
                                       ("version", "text")) or {}
            self.text(declaration.get("version"), "authenticity_declaration.version")
            self.text(declaration.get("text"), "authenticity_declaration.text")
        if top.get("catalogue") != 1:
            self.error("catalogue", f"the format version must be 1, not {top.get('catalogue')!r}")
        body = self.mapping(top.get("awarding_body"), "awarding_body", ("name", "centre_number")) or {}
        name = self.text(body.get("name"), "awarding_body.name")
        centre = self.text(body.get("centre_number"), "awarding_body.centre_number", re.compile(r"^[A-Za-z0-9]{1,20}$"),
                           "a centre number (letters and digits, in quotes)")
        units = self.units(top.get("units"))
        by_id = {unit.id: unit for unit in units}
        qualifications = []
        codes = set()
        for index, item in enumerate(self.items(top.get("qualifications"), "qualifications", "qualifications")):
            qualification = self.qualification(item, f"qualifications[{index}]", by_id)
            if qualification is None:
                continue
            if qualification.code in codes:
                self.error(f"qualifications[{index}].code", f"{qualification.code} is used by another qualification")
            codes.add(qualification.code)
            qualifications.append(qualification)
        criterion_unit = {criterion.id: unit.id for unit in units for criterion in unit.criteria}
        return Catalogue(str(self.path), name, centre, tuple(qualifications), tuple(units), by_id, criterion_unit)

    def units(self, value):
        units, ids, codes = [], set(), set()
        for index, item in enumerate(self.items(value, "units", "units")):
            where = f"units[{index}]"
            raw = self.mapping(item, where, ("id", "code", "title", "level", "credit", "glh", "module", "learning_outcomes"),
                               ("sample", "requires", "aims", "assessment_guidance", "nos"))
            if raw is None:
                continue
            unit_id = self.text(raw.get("id"), f"{where}.id", UNIT_ID, "a unit id (a letter, then letters, digits or _)")
            if unit_id in ids:
                self.error(f"{where}.id", f"{unit_id} is used by another unit")
            ids.add(unit_id)
            code = self.text(raw.get("code"), f"{where}.code", UNIT_CODE, "a unit reference of the form A/123/4567")
            if code and code in codes:
                self.error(f"{where}.code", f"{code} is used by another unit")
            codes.add(code)
            sample = raw.get("sample", False)
            if not isinstance(sample, bool):
                self.error(f"{where}.sample", f"must be true or false, not {sample!r}")
            units.append(Unit(
                id=unit_id, code=code, sample=sample is True,
                title=self.text(raw.get("title"), f"{where}.title"),
                level=self.level(raw.get("level"), f"{where}.level"),
                credit=self.whole(raw.get("credit"), f"{where}.credit", 1),
                glh=self.whole(raw.get("glh"), f"{where}.glh", 0),
                module=self.text(raw.get("module"), f"{where}.module"),
                requires=self.requirements(raw.get("requires"), f"{where}.requires"),
                outcomes=self.outcomes(raw.get("learning_outcomes"), f"{where}.learning_outcomes", unit_id),
                aims=self.text(raw.get("aims"), f"{where}.aims"),
                assessment_guidance=self.text(raw.get("assessment_guidance"), f"{where}.assessment_guidance"),
                nos=self.nos(raw.get("nos"), f"{where}.nos"),
            ))
            texts = {c.id: c.text for outcome in units[-1].outcomes for c in outcome.criteria}
            for first, second in near_duplicates(texts):
                self.error(f"{where}.learning_outcomes", f"criteria {first} and {second} ask nearly the same thing: "
                                                         "merge them or make each ask for something different")
        return units

    def nos(self, value, where):
        found = []
        for index, item in enumerate(self.items(value, where, "standards", allow_empty=True)):
            raw = self.mapping(item, f"{where}[{index}]", ("code", "title"))
            if raw is None:
                continue
            found.append((self.text(raw.get("code"), f"{where}[{index}].code"),
                          self.text(raw.get("title"), f"{where}[{index}].title")))
        return tuple(found)

    def criterion_extras(self, entry, spot):
        """A criterion's type, evidence requirements and marking guidance."""
        kind = entry.get("type", "knowledge")
        if kind not in CRITERION_TYPES:
            self.error(f"{spot}.type", f"{kind!r} is not a criterion type (one of {', '.join(CRITERION_TYPES)})")
        evidence = [self.text(item, f"{spot}.evidence[{index}]")
                    for index, item in enumerate(self.items(entry.get("evidence"), f"{spot}.evidence",
                                                            "evidence requirements", allow_empty=True))]
        if kind == "performance" and not evidence:
            self.error(f"{spot}.evidence", "a performance criterion needs its evidence requirements (what the "
                                           "learner produces or what is observed)")
        guidance = ()
        if entry.get("guidance") is not None:
            raw = self.mapping(entry.get("guidance"), f"{spot}.guidance", GUIDANCE_KEYS) or {}
            guidance = tuple((key, self.text(raw.get(key), f"{spot}.guidance.{key}")) for key in GUIDANCE_KEYS)
        return kind, tuple(evidence), guidance

    def requirements(self, value, where):
        found = []
        for index, item in enumerate(self.items(value, where, "requirements", allow_empty=True)):
            here = f"{where}[{index}]"
            raw = self.mapping(item, here, ("kind", "block", "description"), ("passed",))
            if raw is None:
                continue
            kind = raw.get("kind")
            if kind not in REQUIREMENT_KINDS:
                self.error(f"{here}.kind", f"{kind!r} is not a kind of evidence (one of {', '.join(REQUIREMENT_KINDS)})")
            passed = raw.get("passed", True)
            if passed is not True:
                self.error(f"{here}.passed", "must be true (only passed evidence counts)")
            found.append(Requirement(str(kind), self.text(raw.get("block"), f"{here}.block"), True,
                                     self.text(raw.get("description"), f"{here}.description")))
        return tuple(found)

    def outcomes(self, value, where, unit_id):
        outcomes, numbers = [], set()
        for index, item in enumerate(self.items(value, where, "learning outcomes")):
            here = f"{where}[{index}]"
            raw = self.mapping(item, here, ("number", "text", "criteria"))
            if raw is None:
                continue
            number = self.whole(raw.get("number"), f"{here}.number", 1)
            if number != index + 1:
                self.error(f"{here}.number", f"learning outcomes are numbered 1, 2, 3 ... in order: expected {index + 1}")
            criteria = []
            for position, criterion in enumerate(self.items(raw.get("criteria"), f"{here}.criteria", "criteria")):
                spot = f"{here}.criteria[{position}]"
                entry = self.mapping(criterion, spot, ("number", "text"), ("type", "evidence", "guidance"))
                if entry is None:
                    continue
                crit_number = entry.get("number")
                expected = f"{number}.{position + 1}"
                if not isinstance(crit_number, str):
                    self.error(f"{spot}.number", f"{crit_number!r} must be text in quotes, such as '{expected}' "
                                                 "(unquoted, 1.10 would read as 1.1)")
                elif not CRITERION_NUMBER.match(crit_number) or crit_number != expected:
                    self.error(f"{spot}.number", f"{crit_number!r}: criteria of outcome {number} are numbered "
                                                 f"{number}.1, {number}.2 ... in order (in quotes): expected '{expected}'")
                if crit_number in numbers:
                    self.error(f"{spot}.number", f"{crit_number} appears more than once")
                numbers.add(crit_number)
                kind, evidence, guidance = self.criterion_extras(entry, spot)
                criteria.append(Criterion(f"{unit_id}-{crit_number}", str(crit_number),
                                          self.text(entry.get("text"), f"{spot}.text"), kind, evidence, guidance))
            text = self.text(raw.get("text"), f"{here}.text")
            if text.lower().startswith("be able to") and not any(c.type == "performance" for c in criteria):
                self.error(f"{here}.criteria", f"outcome {number} \"{text}\" is a \"Be able to\" outcome: it needs at "
                                               "least one performance criterion (type: performance) with evidence")
            outcomes.append(Outcome(number, text, tuple(criteria)))
        return tuple(outcomes)

    def qualification(self, item, where, units):
        raw = self.mapping(item, where, ("code", "title", "level", "credits_required", "min_credits_at_or_above_level",
                                         "mandatory_units"), ("optional_groups",))
        if raw is None:
            return None
        level = self.level(raw.get("level"), f"{where}.level")
        required = self.whole(raw.get("credits_required"), f"{where}.credits_required", 1)
        at_level = self.whole(raw.get("min_credits_at_or_above_level"), f"{where}.min_credits_at_or_above_level", 0)
        if at_level > required:
            self.error(f"{where}.min_credits_at_or_above_level", f"{at_level} is more than credits_required ({required})")
        mandatory = self.unit_list(raw.get("mandatory_units"), f"{where}.mandatory_units", units, allow_empty=True)
        groups, grouped = [], set()
        for index, group in enumerate(self.items(raw.get("optional_groups"), f"{where}.optional_groups", "groups",
                                                 allow_empty=True)):
            here = f"{where}.optional_groups[{index}]"
            entry = self.mapping(group, here, ("title", "units", "min_credits"))
            if entry is None:
                continue
            members = self.unit_list(entry.get("units"), f"{here}.units", units)
            for unit in members:
                if unit in mandatory:
                    self.error(f"{here}.units", f"{unit} is also mandatory")
                elif unit in grouped:
                    self.error(f"{here}.units", f"{unit} is in another group too")
                grouped.add(unit)
            minimum = self.whole(entry.get("min_credits"), f"{here}.min_credits", 0)
            available = sum(units[unit].credit for unit in members if unit in units)
            if minimum > available:
                self.error(f"{here}.min_credits", f"{minimum} credits can never be reached: the group's units "
                                                  f"carry {available}")
            groups.append(Group(self.text(entry.get("title"), f"{here}.title"), tuple(members), minimum))
        qualification = Qualification(
            code=self.text(raw.get("code"), f"{where}.code", QUALIFICATION_CODE,
                           "a qualification number of the form 600/1234/5"),
            title=self.text(raw.get("title"), f"{where}.title"), level=level, credits_required=required,
            min_credits_at_or_above_level=at_level, mandatory_units=tuple(mandatory), optional_groups=tuple(groups),
        )
        members = [units[unit] for unit in qualification.unit_ids if unit in units]
        if not all(unit.credit and unit.level for unit in members):
            return qualification  # the unit's own error is reported; its sums would only echo it
        total = sum(unit.credit for unit in members)
        if total < required:
            self.error(f"{where}.credits_required", f"{required} credits can never be reached: the qualification's "
                                                     f"units carry {total}")
        if level is not None:
            high = sum(u.credit for u in members if u.level is not None and level_rank(u.level) >= level_rank(level))
            if high < at_level:
                self.error(f"{where}.min_credits_at_or_above_level", f"{at_level} credits at or above level {level} "
                                                                      f"can never be reached: its units carry {high}")
        return qualification

    def unit_list(self, value, where, units, allow_empty=False):
        found = []
        for index, unit in enumerate(self.items(value, where, "unit ids", allow_empty=allow_empty)):
            if unit not in units:
                self.error(f"{where}[{index}]", f"{unit!r} is not a unit of this catalogue")
            elif unit in found:
                self.error(f"{where}[{index}]", f"{unit} is listed twice")
            else:
                found.append(unit)
        return found
