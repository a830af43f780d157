"""
Checks of what the course's pages say against what the course and the catalogue do (pure: lxml and plain data).

- :func:`external_link_problem`: an address outside the course is a well-formed absolute https (or http) URL or
  a mailto: address; never javascript:, data:, file:, a protocol-relative ``//host``, credentials in the URL,
  spaces or control characters, or a host that is not a public DNS name.
- :func:`drift_problems`: text that restates the catalogue (a criterion marked ``data-criterion``, a unit named
  with its id, a qualification with its credits) says exactly what the catalogue says.
- :func:`rule_problems`: text that restates a block's or the grading policy's configuration agrees with it (the
  rows an action plan needs, the pass mark, the logs' and exercises' weights, what a log's score counts).
- :func:`turnaround_problems`: a marking turnaround a page promises (``data-turnaround-working-days``) is the
  one the management information measures tutors against.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$", re.IGNORECASE)
_MAILBOX = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@([A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63}$")
URL_IN_TEXT = re.compile(r"\b(?:https?|ftp|javascript|data|file|vbscript):[^\s<>\"']*", re.IGNORECASE)
MAX_URL = 2000


def external_link_problem(link: str) -> str | None:
    """Why ``link`` (an href or src that is not /jump_to_id/ or /static/) is not acceptable; None when it is."""
    if len(link) > MAX_URL:
        return f"is longer than {MAX_URL} characters"
    if re.search(r"[\s\x00-\x1f\x7f]", link):
        return "contains spaces or control characters: encode them (%20) or fix the address"
    if link.startswith("#"):
        return None if re.fullmatch(r"#[A-Za-z][\w:.-]*", link) else "is not a valid fragment (#id)"
    if link.startswith("//"):
        return "is protocol-relative: write https:// in full"
    scheme = link.split(":", 1)[0].lower() if ":" in link else ""
    if scheme == "mailto":
        address = link[len("mailto:"):].split("?", 1)[0]
        return None if _MAILBOX.match(address) else f"mailto: address '{address}' is not a valid e-mail address"
    if scheme not in ("http", "https"):
        if scheme:
            return f"uses '{scheme}:', which the course does not allow: use an https:// address"
        return "is not an absolute address: use https://..., /jump_to_id/<url_name> or /static/<file>"
    try:
        parts = urlsplit(link)
        port = parts.port
    except ValueError as error:
        return f"is not a well-formed URL ({error})"
    if not link.lower().startswith(f"{scheme}://"):
        return f"must start with {scheme}:// (a host is required)"
    if parts.username is not None or parts.password is not None:
        return "carries a user name or password: never put credentials in a link"
    host = (parts.hostname or "").rstrip(".")
    labels = host.split(".")
    if not host or len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        return f"host '{parts.hostname or ''}' is not a public domain name"
    if host.lower() in ("localhost",) or labels[-1].lower() in ("local", "localhost", "internal", "test", "example",
                                                                "invalid"):
        return f"host '{host}' is not reachable by participants"
    if port is not None and port not in (80, 443):
        return f"uses port {port}: participants' networks often block it"
    return None


def text_urls(text: str) -> list[str]:
    """Addresses written out in block text (narratives, feedback, bands)."""
    return [match.rstrip(".,;:)") for match in URL_IN_TEXT.findall(text or "")]


# --------------------------------------------------------------------------- catalogue drift

def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def drift_problems(fragment, catalogue: dict, known: dict) -> list[tuple[int | None, str]]:
    """``(line, message)`` for catalogue text a page restates differently."""
    problems = []
    units = {unit.get("id"): unit for unit in catalogue.get("units", []) if isinstance(unit, dict)}
    qualifications = {_fold(q.get("title", "")).lower(): q for q in catalogue.get("qualifications", [])
                      if isinstance(q, dict)}
    for node in fragment.iter():
        if not isinstance(node.tag, str):
            continue
        ident = node.get("data-criterion")
        if ident is not None:
            entry = known.get(ident)
            text = _fold(" ".join(node.itertext()))
            if entry is None:
                problems.append((node.sourceline, f"data-criterion '{ident}' is not a catalogue criterion"))
            elif text != _fold(entry["text"]):
                problems.append((node.sourceline, f"criterion {ident} must read exactly as the catalogue: "
                                                  f"\"{entry['text']}\" (it reads \"{text}\")"))
        if node.tag in ("th", "td"):  # a table cell that names a unit: "LPM2 Understanding partnership"
            text = _fold(" ".join(node.itertext()))
            named = re.fullmatch(r"(LPM\d+)\s+([^.,;:]+)", text)
            if named and named.group(1) in units:
                title = _fold(units[named.group(1)].get("title", ""))
                if named.group(2) != title:
                    problems.append((node.sourceline, f"unit {named.group(1)} is called \"{title}\" in the catalogue, "
                                                      f"not \"{named.group(2)}\""))
                row = node.getparent()
                cells = [_fold(" ".join(cell.itertext())) for cell in row if isinstance(cell.tag, str)] \
                    if row is not None and row.tag == "tr" else []
                numbers = [cell for cell in cells if re.fullmatch(r"\d+", cell)]
                credit = units[named.group(1)].get("credit")
                if len(numbers) == 1 and credit is not None and int(numbers[0]) != int(credit):
                    problems.append((node.sourceline, f"unit {named.group(1)} is worth {credit} credits in the "
                                                      f"catalogue, not {numbers[0]}"))
    text = _fold(" ".join(fragment.itertext()))
    for match in re.finditer(r"(Level \d+ (?:Award|Certificate|Diploma) in [A-Z][\w ]+?)\s*\((\d+) credits\)", text):
        entry = qualifications.get(match.group(1).lower())
        if entry is not None and int(entry.get("credits_required", -1)) != int(match.group(2)):
            problems.append((None, f"the {match.group(1)} needs {entry.get('credits_required')} credits in the "
                                   f"catalogue, not {match.group(2)}"))
    if re.search(r"same wording", text, re.IGNORECASE) and re.search(r"\blogs?\b", text) \
            and not any(isinstance(n.tag, str) and n.get("data-criterion") for n in fragment.iter()):
        problems.append((None, "says its wording is the same as the logs' but lists no criterion marked "
                               "data-criterion, so nothing keeps it so"))
    return problems


# --------------------------------------------------------------------------- rules restated in text

_COUNT_WORDS = {word: number for number, word in enumerate(
    "zero one two three four five six seven eight nine ten".split())}


def _number(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else _COUNT_WORDS.get(word)


def rule_problems(text: str, *, min_rows: list[int], pass_mark: float | None,
                  weights: dict[str, float]) -> list[str]:
    """Messages for a page's text (``min_rows``: the action-plan minimums of exercises in the same unit)."""
    problems = []
    text = _fold(text)
    for match in re.finditer(r"at least (\w+) (?:rows?|actions?) (?:of|in|to) (?:an|your|the) action plan", text,
                             re.IGNORECASE):
        stated = _number(match.group(1))
        if stated is not None and min_rows and stated not in min_rows:
            problems.append(f"says \"{match.group(0)}\" but the exercise in this unit asks for at least "
                            f"{' or '.join(str(n) for n in sorted(set(min_rows)))} (action_plan min_rows)")
    if pass_mark is not None:
        for match in re.finditer(r"(\d{1,3})% or more is a pass|pass mark (?:is|of) (\d{1,3})%", text):
            stated = int(match.group(1) or match.group(2))
            if stated != round(pass_mark * 100):
                problems.append(f"states a pass mark of {stated}%, but the grading policy's Pass cutoff is "
                                f"{round(pass_mark * 100)}%")
    for kind, pattern in (("Reflective log", r"(?:reflective )?logs \((\d{1,3})%\)"),
                          ("Facilitation exercise", r"exercises(?: in Module \d)? \((\d{1,3})%\)")):
        for match in re.finditer(pattern, text):
            if kind in weights and int(match.group(1)) != round(weights[kind] * 100):
                problems.append(f"says {kind.lower()}s weigh {match.group(1)}%, but the grading policy gives "
                                f"{round(weights[kind] * 100)}%")
    for match in re.finditer(r"at least (\w+) entr(?:y|ies) in each log", text, re.IGNORECASE):
        problems.append(f"says \"{match.group(0)}\", but a log's score is the share of its criteria met by passed "
                        "entries, not a number of entries")
    return problems


def working_days(calendar_days: int) -> int:
    """Working days in a span of calendar days (five in every seven)."""
    return calendar_days * 5 // 7


def turnaround_problems(fragment, target_calendar_days: int) -> list[tuple[int | None, str]]:
    """A promised marking turnaround must be the target the MI report uses; marking promises must be marked up."""
    want = working_days(target_calendar_days)
    problems = []
    for node in fragment.iter():
        if not isinstance(node.tag, str) or node.get("data-turnaround-working-days") is None:
            continue
        raw = node.get("data-turnaround-working-days")
        text = _fold(" ".join(node.itertext())).lower()
        if not raw.isdigit() or int(raw) != want:
            problems.append((node.sourceline, f"promises marking within {raw} working days, but tutors' turnaround is "
                                              f"measured against {want} working days ({target_calendar_days} calendar "
                                              "days, accreditation_export/mi/turnaround.py)"))
        elif not re.search(rf"\b(?:{want}|{_WORDS[want] if want < len(_WORDS) else want})\b", text):
            problems.append((node.sourceline, f"the text '{text}' does not show the {raw} working days it states"))
    for node in fragment.iter():
        if isinstance(node.tag, str) and node.tag in ("p", "li", "td"):
            own = _fold(" ".join(node.itertext()))
            inner = any(isinstance(child.tag, str) and child.get("data-turnaround-working-days") is not None
                        for child in node.iter())
            if re.search(r"\bmark\w*\b[^.]*\bworking days\b", own, re.IGNORECASE) and not inner:
                problems.append((node.sourceline, "promises a marking turnaround that nothing checks: mark the figure "
                                                  "up with data-turnaround-working-days"))
    return problems


_WORDS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split()


def parse_fragment(html: str):
    return etree.fromstring(f"<div>{html}</div>".encode("utf-8"),
                            etree.XMLParser(resolve_entities=False, no_network=True))
