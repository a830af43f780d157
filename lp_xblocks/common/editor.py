"""
The Studio form editors' model (pure: no XBlock, no Django).

Each block describes its definition (an instrument, a log's set-up, a scenario: plain JSON data) with a
*schema*: the fields and lists the form shows. The browser edits a JSON *draft* of the definition and sends it
to the block's ``validate_draft`` handler, which:

1. :func:`coerce` turns the draft into the definition's types (numbers from text, booleans), keeping keys the
   schema does not know untouched (fields other features add survive the form), and lists every field-level
   problem at once (empty required text, not a number, out of range, too few items, an id used twice);
2. runs the block's own validator (the one the OLX path uses) on the result; :func:`locate` places its
   message at the field it names, from the error's parameters (``theme='trust'``, ``scene='opening'``,
   ``choice=2``, ``part='title'``) and the words of its message.

A problem is ``(path, template, params)``: ``path`` is the field's dotted address in the draft
(``"themes.0.bands.1.upto"``, ``""`` for the whole definition), ``template`` an ``N_``-marked message the
block translates. Schema field types: ``text``, ``textarea``, ``number``, ``integer``, ``checkbox``,
``select`` (``options``), ``ref`` (one id of the items of ``ref``'s lists), ``refs`` (several), ``list``
(``item``: the item's fields; ``min``; ``match``: which error parameter names an item, see :func:`locate`).
"""
from __future__ import annotations

import math
import re
from typing import Any, Callable

from .errors import N_

Problem = tuple  # (path, template, params)

MAX_ITEMS = 500  # no list in a definition may be longer; bounds what a draft can make the server do
MAX_TEXT = 20000


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _label(field: dict, where: str) -> str:
    return f"{where} > {field['label']}" if where else field["label"]


def _number(raw: Any, whole: bool):
    """(value, ok): text or a number as an int/float; booleans, blanks and non-finite values are not numbers."""
    if isinstance(raw, bool) or raw is None:
        return raw, False
    if isinstance(raw, (int, float)):
        value = raw
    else:
        text = str(raw).strip()
        if not text:
            return raw, False
        try:
            value = int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)
        except ValueError:
            return raw, False
    if isinstance(value, float):
        if not math.isfinite(value):
            return raw, False
        if value.is_integer() and whole:
            value = int(value)
    if whole and not isinstance(value, int):
        return raw, False
    return value, True


def _coerce_field(field: dict, raw: Any, path: str, where: str, problems: list) -> Any:
    kind = field["type"]
    label = _label(field, where)
    if kind in ("text", "textarea", "select", "ref"):
        value = "" if raw is None else raw
        if not isinstance(value, str):
            problems.append((path, N_("{field}: must be text"), {"field": label}))
            return raw
        if len(value) > MAX_TEXT:
            problems.append((path, N_("{field}: at most {limit} characters"), {"field": label, "limit": MAX_TEXT}))
        if field.get("required") and not value.strip():
            problems.append((path, N_("{field}: this is required"), {"field": label}))
        elif kind == "select" and value not in [option[0] for option in field.get("options", [])]:
            problems.append((path, N_("{field}: '{value}' is not one of the choices"), {"field": label, "value": value}))
        return value
    if kind in ("number", "integer"):
        if (raw is None or (isinstance(raw, str) and not raw.strip())) and not field.get("required"):
            return None
        value, ok = _number(raw, kind == "integer")
        if not ok:
            template = N_("{field}: '{value}' is not a whole number") if kind == "integer" else \
                N_("{field}: '{value}' is not a number")
            problems.append((path, template, {"field": label, "value": "" if raw is None else raw}))
            return raw
        low, high = field.get("min"), field.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            problems.append((path, N_("{field}: must be from {min} to {max}"),
                             {"field": label, "min": low if low is not None else "-", "max": high if high is not None else "-"}))
        return value
    if kind == "checkbox":
        if not isinstance(raw, bool):
            problems.append((path, N_("{field}: must be true or false"), {"field": label}))
        return bool(raw)
    if kind == "refs":
        value = raw if raw is not None else []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            problems.append((path, N_("{field}: must be a list of ids"), {"field": label}))
            return []
        return list(dict.fromkeys(value))
    if kind == "list":
        return _coerce_list(field, raw, path, where, problems)
    raise ValueError(f"unknown field type {kind!r}")


def _coerce_list(field: dict, raw: Any, path: str, where: str, problems: list) -> list:
    label = _label(field, where)
    items = raw if raw is not None else []
    if not isinstance(items, list):
        problems.append((path, N_("{field}: must be a list"), {"field": label}))
        return []
    if len(items) > MAX_ITEMS:
        problems.append((path, N_("{field}: at most {limit} items"), {"field": label, "limit": MAX_ITEMS}))
        items = items[:MAX_ITEMS]
    if len(items) < field.get("min", 0):
        problems.append((path, N_("{field}: at least {count} needed"), {"field": label, "count": field["min"]}))
    result, seen = [], {}
    for index, item in enumerate(items):
        item_where = _label({"label": f"{field['item_label']} {index + 1}"}, where)
        if not isinstance(item, dict):
            problems.append((_join(path, index), N_("{field}: must be an object"), {"field": item_where}))
            continue
        result.append(coerce_fields(field["item"], item, _join(path, index), item_where, problems))
        ident = item.get("id")
        if "id" in [sub["key"] for sub in field["item"]] and isinstance(ident, str) and ident.strip():
            if ident in seen:
                problems.append((_join(_join(path, index), "id"), N_("{field}: id '{id}' is already used by {other}"),
                                 {"field": _label({"label": "id"}, item_where), "id": ident, "other": seen[ident]}))
            else:
                seen[ident] = item_where
    return result


def coerce_fields(fields: list, draft: dict, path: str = "", where: str = "", problems: list | None = None) -> dict:
    """The draft with each schema field in its type; unknown keys are kept as they are."""
    problems = [] if problems is None else problems
    value = dict(draft)
    for field in fields:
        value[field["key"]] = _coerce_field(field, draft.get(field["key"]), _join(path, field["key"]), where, problems)
    return value


def coerce(schema: list, draft: Any) -> tuple[dict, list]:
    """(definition, problems) from a draft; see the module's docstring."""
    if not isinstance(draft, dict):
        return {}, [("", N_("the draft must be an object"), {})]
    problems: list = []
    return coerce_fields(schema, draft, "", "", problems), problems


# --------------------------------------------------------------------------- placing a validator's error


def _mentions(field: dict) -> list:
    return field.get("mentions") or [field["key"]]


def _mentioned(words: list, template: str) -> bool:
    template = re.sub(r"\{\w+\}", "", template)  # a placeholder's name is not a word of the message
    return any(re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", template) for word in words)


def _item_matches(field: dict, item: dict, index: int, params: dict, parent_matched: bool) -> bool:
    for param, expected in (field.get("when") or {}).items():
        if param in params and params[param] != expected:
            return False
    # The first of the list's ``match`` parameters the error carries decides (a position beats a value).
    for param, key in (field.get("match") or {}).items():
        if param not in params:
            continue
        if key == "#":
            # A position (1-based) names an item only inside an item the error already named.
            return bool(parent_matched or field.get("top")) and params[param] == index + 1
        return item.get(key) is not None and item.get(key) == params[param]
    return False


def locate(schema: list, definition: dict, template: str, params: dict) -> str:
    """
    The path of the field a validator's error is about: the deepest item its parameters name (a list's
    ``match`` maps an error parameter to the item key that holds it, or to ``"#"`` for a 1-based position),
    then the field its ``part`` parameter or its message names; ``""`` when it names nothing.
    """
    best = ("", -1, -1)

    def field_in(fields: list, path: str) -> str:
        part = params.get("part")
        for field in fields:
            if part is not None and field["key"] == part:
                return _join(path, field["key"])
        for field in fields:
            if field["type"] != "list" and _mentioned(_mentions(field), template):
                return _join(path, field["key"])
        for field in fields:
            if field["type"] == "list" and _mentioned(_mentions(field), template):
                return _join(path, field["key"])
        return path

    def walk(fields: list, value: dict, path: str, matched: int, depth: int, parent_matched: bool):
        nonlocal best
        for field in fields:
            if field["type"] != "list":
                continue
            items = value.get(field["key"]) if isinstance(value, dict) else None
            if not isinstance(items, list):
                continue
            for index, item in enumerate(items):
                if not isinstance(item, dict):
                    continue
                item_path = _join(_join(path, field["key"]), index)
                hit = _item_matches(field, item, index, params, parent_matched)
                score = matched + (1 if hit else 0)
                if hit and (score, depth + 1) > best[1:]:
                    best = (field_in(field["item"], item_path), score, depth + 1)
                walk(field["item"], item, item_path, score, depth + 1, hit)

    walk(schema, definition, "", 0, 0, False)
    if best[1] > 0:
        return best[0]
    return field_in(schema, "")


def problems_with(schema: list, draft: Any, validate: Callable[[dict], None], error_type: type) -> tuple[dict, list]:
    """
    (definition, problems): the field-level problems, then the validator's verdict placed at its field (unless a
    field-level problem is already shown there: the first thing to fix is the one the form can point at).
    """
    definition, problems = coerce(schema, draft)
    try:
        validate(definition)
    except error_type as error:
        path = locate(schema, definition, error.template, error.params)
        if path not in {problem[0] for problem in problems}:
            problems.append((path, error.template, error.params))
    except (TypeError, KeyError, AttributeError):
        if not problems:  # a draft the field checks passed must not break the validator
            raise
    return definition, problems


def translated(problems: list, gettext: Callable[[str], str]) -> list:
    """Problems as the browser shows them: ``[{"path", "message"}]`` in the user's language."""
    return [{"path": path, "message": gettext(template).format(**params)} for path, template, params in problems]
