"""
Reading a request's JSON with bounds (pure: no XBlock, no Django).

Every JSON handler's body goes through :func:`parse_body` (and a GET handler's query through
:func:`check_query`) before the handler sees it, so no handler meets input that breaks these rules:

- the body is at most :data:`MAX_BODY_BYTES` of UTF-8 holding one JSON object;
- arrays and objects nest at most :data:`MAX_DEPTH` deep (checked by a scan *before* parsing, so a body of
  100,000 brackets never reaches the recursive parser);
- numbers are finite and within :data:`MAX_NUMBER` either side of 0 (JavaScript's safe integers):
  no ``NaN``, ``Infinity``, ``1e400`` or 31-digit integers;
- text (values and keys) holds no lone surrogate (``"\\ud800"``), which no database or encoder can store.

Each refusal is a :class:`BodyError` naming the field at fault: ``field`` is the top-level key (None when
the fault is the body as a whole) and ``path`` the place inside it, as in ``rows[2].what``.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

from .errors import N_, LocalisedError

MAX_BODY_BYTES = 1024 * 1024
MAX_DEPTH = 16
MAX_NUMBER = 2 ** 53 - 1
_MAX_INT_DIGITS = 20  # longer integer literals are out of bounds whatever their value

_SURROGATE = re.compile("[\ud800-\udfff]")
# A JSON string (and whether a colon follows it, i.e. it is a key), or a bracket.
_TOKEN = re.compile(r'("[^"\\]*(?:\\.[^"\\]*)*")(\s*:)?|[\[\]{}]', re.DOTALL)


TOO_LARGE = N_("The request body is larger than {most} bytes.")
NOT_UTF8_QUERY = N_("The query string is not valid UTF-8 text.")


class BodyError(LocalisedError):
    """A request body or query that breaks a bound. ``field``: the top-level key at fault, or None."""

    def __init__(self, template: str, field: str | None = None, path: str | None = None, **params: Any):
        super().__init__(template, field=field, path=path, **params)
        self.field = field
        self.path = path


class _OutOfBounds:
    """A number literal the parser met that is out of bounds (kept as its text until it can be named)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


def _int(text: str):
    return int(text) if len(text) <= _MAX_INT_DIGITS else _OutOfBounds(text)


def _float(text: str):
    value = float(text)
    return value if math.isfinite(value) else _OutOfBounds(text)


def _printable(name: str) -> str:
    """A key as it can be shown in a message (lone surrogates replaced)."""
    return _SURROGATE.sub("\ufffd", name)


def _decode_key(token: str) -> str:
    try:
        return _printable(json.loads(token))
    except ValueError:
        return _printable(token.strip('"'))


def _check_depth(text: str) -> None:
    """Raise :class:`BodyError` when brackets nest deeper than :data:`MAX_DEPTH` (strings are skipped)."""
    depth, key = 0, None
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if match.group(1) is not None:
            if depth == 1 and match.group(2):
                key = match.group(1)
            continue
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                if key is None:
                    raise BodyError(N_("The request body nests more than {most} levels deep."), most=MAX_DEPTH)
                field = _decode_key(key)
                raise BodyError(N_("{place}: nested more than {most} levels deep"),
                                field=field, path=field, place=field, most=MAX_DEPTH)
        else:
            depth -= 1


def _where(path: list) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def check_value(data: Any, path: list | None = None) -> None:
    """
    Raise :class:`BodyError` for the first number out of bounds or text with a lone surrogate anywhere in
    ``data`` (parsed JSON), naming its place.
    """
    stack = [(data, list(path or []))]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                _refuse(N_("{place}: the text holds an invalid character (a lone UTF-16 surrogate)"), where)
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, _OutOfBounds):
            _refuse(N_("{place}: {value} is not a number this service accepts (at most {most} either side of 0)"),
                    where, value=value.text[:40])
        elif isinstance(value, (int, float)):
            if not (isinstance(value, int) or math.isfinite(value)) or abs(value) > MAX_NUMBER:
                _refuse(N_("{place}: {value} is not a number this service accepts (at most {most} either side of 0)"),
                        where, value=str(value)[:40])
        elif isinstance(value, dict):
            for key, item in value.items():
                if _SURROGATE.search(key):
                    _refuse(N_("{place}: a key holds an invalid character (a lone UTF-16 surrogate)"),
                            where + [_printable(key)])
                stack.append((item, where + [key]))
        elif isinstance(value, list):
            stack.extend((item, where + [index]) for index, item in enumerate(value))


def _refuse(template: str, where: list, **params: Any):
    field = _printable(str(where[0])) if where else None
    path = _printable(_where(where)) if where else None
    raise BodyError(template, field=field, path=path, place=path or "body", most=MAX_NUMBER, **params)


def parse_body(body: bytes) -> dict:
    """The request body as a JSON object within the bounds above; :class:`BodyError` otherwise."""
    if len(body) > MAX_BODY_BYTES:
        raise BodyError(TOO_LARGE, most=MAX_BODY_BYTES)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyError(N_("The request body is not valid JSON (it is not UTF-8 text).")) from None
    if not text.strip():
        return {}
    _check_depth(text)
    try:
        data = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_OutOfBounds)
    except (ValueError, RecursionError) as error:
        where = getattr(error, "msg", None)
        raise BodyError(N_("The request body is not valid JSON ({problem})."),
                        problem=f"{where} at character {error.pos}" if where else "malformed") from None
    if not isinstance(data, dict):
        raise BodyError(N_("The request body must be a JSON object."))
    check_value(data)
    return data


def check_query(query: dict) -> dict:
    """A GET handler's query parameters (text) with the same rule on lone surrogates; returns them."""
    check_value(query)
    return query
