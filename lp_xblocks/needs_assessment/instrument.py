"""
The questionnaire engine behind the needs-assessment block (pure: no XBlock, no Django).

An *instrument* is plain, JSON-serialisable data::

    {
      "scale":  [{"value": 1, "label": "Not in place"}, ...],          # ascending integers
      "themes": [{"id": "leadership", "title": "Leadership",
                  "statements": [{"id": "lead-remit", "text": "..."}],
                  "bands": [{"upto": 2.5, "label": "Needs attention", "text": "..."}]}],
      "stages": [{"id": "co-existence", "label": "Co-existence", "text": "descriptor"}, ...],  # optional
      "activities": [{"id": "adult-learning", "label": "Adult learning plan"}, ...],            # optional
    }

Every statement may be answered :data:`DONT_KNOW` ("Don't know / not applicable"): such answers are left out
of the means and reported as a count. Stages are not derived from the scores: the participant places each
activity (or, without activities, the partnership as a whole) on the stages directly, by their descriptors
(:func:`check_placements`, :func:`placements`).

This module validates an instrument, checks a learner's answers against it, scores them, and
compares attempts. Reading and writing OLX lives in :mod:`lp_xblocks.needs_assessment.olx`.

Every error is an :class:`InstrumentError` whose message names the element at fault; the message
template is kept apart from its parameters so the block can translate it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable

from ..common.errors import N_, LocalisedError
from ..common.olx import IdRegistry
from ..common.text import is_blank

KINDS = ("partnership", "individual", "satisfaction")
# Scale values are small whole numbers (a Likert scale); the bound keeps every score a plain number.
MAX_SCALE_VALUE = 1000

#: The answer a learner gives to a statement they cannot rate ("Don't know / not applicable").
DONT_KNOW = "dont_know"

#: The placement target always offered when an instrument has stages: the partnership as a whole.
WHOLE_PARTNERSHIP = "partnership"


_TWO_PLACES = Decimal("0.01")


class InstrumentError(LocalisedError):
    """An instrument that breaks a rule. ``str(error)`` is the English message."""


# --------------------------------------------------------------------------- validation

def validate_kind(kind: str) -> None:
    """Raise unless ``kind`` is one of :data:`KINDS`."""
    if kind not in KINDS:
        raise InstrumentError(
            N_("kind '{kind}' is not one of: {allowed}"), kind=kind, allowed=", ".join(KINDS)
        )


def validate(instrument: dict) -> None:
    """Raise :class:`InstrumentError` for the first rule the instrument breaks."""
    scale = instrument.get("scale") or []
    if not scale:
        raise InstrumentError(N_("scale: at least one point is needed"))
    previous = None
    for position, point in enumerate(scale, start=1):
        value = point.get("value")
        if not isinstance(value, int) or isinstance(value, bool):
            raise InstrumentError(
                N_("scale point {position}: value '{value}' is not a whole number"),
                position=position, value=value,
            )
        if abs(value) > MAX_SCALE_VALUE:
            raise InstrumentError(
                N_("scale point {position}: value {value} is outside -{most} to {most}"),
                position=position, value=value, most=MAX_SCALE_VALUE,
            )
        if previous is not None and value <= previous:
            raise InstrumentError(
                N_("scale point {position}: values must be in ascending order ({previous} then {value})"),
                position=position, previous=previous, value=value,
            )
        if is_blank(point.get("label")):
            raise InstrumentError(N_("scale point {value}: label is empty"), value=value)
        previous = value
    maximum = scale[-1]["value"]

    themes = instrument.get("themes") or []
    if not themes:
        raise InstrumentError(N_("at least one theme is needed"))
    claim = IdRegistry(InstrumentError).claim

    for theme in themes:
        claim("theme", theme.get("id"))
        theme_id = theme["id"]
        if is_blank(theme.get("title")):
            raise InstrumentError(N_("theme '{theme}': title is empty"), theme=theme_id)
        statements = theme.get("statements") or []
        if not statements:
            raise InstrumentError(N_("theme '{theme}': at least one statement is needed"), theme=theme_id)
        for statement in statements:
            claim("statement", statement.get("id"))
            if is_blank(statement.get("text")):
                raise InstrumentError(N_("statement '{id}': text is empty"), id=statement["id"])
        bands = theme.get("bands") or []
        if not bands:
            raise InstrumentError(N_("theme '{theme}': at least one band is needed"), theme=theme_id)
        for band in bands:
            if is_blank(band.get("label")):
                raise InstrumentError(N_("theme '{theme}': a band has no label"), theme=theme_id)
        _check_thresholds(bands, maximum, "band", theme=theme_id)

    _check_stages(instrument, claim)


def _check_stages(instrument: dict, claim) -> None:
    """Stages are descriptors the participant chooses between; activities are what they place on them."""
    stages = instrument.get("stages") or []
    for stage in stages:
        if "upto" in stage:
            raise InstrumentError(
                N_("stage '{stage}': 'upto' is no longer used: participants place their partnership on the "
                   "stages themselves; remove it and describe the stage instead"),
                stage=stage.get("label") or stage.get("id") or "")
        claim("stage", stage.get("id"))
        if not stage.get("label"):
            raise InstrumentError(N_("stage '{stage}': label is empty"), stage=stage["id"])
    activities = instrument.get("activities") or []
    if activities and not stages:
        raise InstrumentError(N_("activities need stages to be placed on"))
    for activity in activities:
        claim("activity", activity.get("id"))
        if activity["id"] == WHOLE_PARTNERSHIP:
            raise InstrumentError(N_("activity id '{id}' is reserved for the partnership as a whole"),
                                  id=WHOLE_PARTNERSHIP)
        if not activity.get("label"):
            raise InstrumentError(N_("activity '{id}': label is empty"), id=activity["id"])


_THRESHOLD_MESSAGES = {
    "band": (
        N_("theme '{theme}': band upto '{upto}' is not a number"),
        N_("theme '{theme}': band upto values must increase"),
        N_("theme '{theme}': band upto of the last must equal the scale maximum ({maximum}), not {upto}"),
    ),
}


def _check_thresholds(items: list, maximum: int, what: str, **params: Any) -> None:
    """``upto`` values strictly increasing, the last equal to the scale maximum."""
    not_a_number, not_increasing, wrong_last = _THRESHOLD_MESSAGES[what]
    previous = None
    for item in items:
        upto = item.get("upto")
        if not _is_number(upto):
            raise InstrumentError(not_a_number, upto=upto, **params)
        if previous is not None and upto <= previous:
            raise InstrumentError(not_increasing, **params)
        previous = upto
    if items and previous != maximum:
        raise InstrumentError(wrong_last, maximum=maximum, upto=format_number(previous), **params)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def format_number(value: float) -> str:
    """``5.0`` -> ``"5"``, ``2.5`` -> ``"2.5"``: how thresholds are written back to OLX."""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


# --------------------------------------------------------------------------- answers

@dataclass
class AnswerProblems:
    """What is wrong with a set of answers; empty lists mean the answers can be scored."""

    missing: list = field(default_factory=list)
    unknown: list = field(default_factory=list)
    invalid: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing or self.unknown or self.invalid)


def statement_ids(instrument: dict) -> list:
    """Every statement id, in document order."""
    return [s["id"] for theme in instrument["themes"] for s in theme["statements"]]


def check_answers(instrument: dict, answers: dict) -> AnswerProblems:
    """
    Compare answers to the instrument: missing statements, unknown ids, values off the scale.

    :data:`DONT_KNOW` is a valid answer to every statement.
    """
    ids = statement_ids(instrument)
    allowed = {point["value"] for point in instrument["scale"]}
    problems = AnswerProblems()
    problems.missing = [sid for sid in ids if sid not in answers]
    known = set(ids)
    problems.unknown = sorted(str(key) for key in answers if key not in known)
    problems.invalid = [
        sid for sid in ids
        if sid in answers and answers[sid] != DONT_KNOW and not (_is_whole(answers[sid]) and answers[sid] in allowed)
    ]
    return problems


def placement_targets(instrument: dict) -> list:
    """What a participant places on the stages: the partnership as a whole, then each of its activities."""
    if not instrument.get("stages"):
        return []
    return [WHOLE_PARTNERSHIP] + [a["id"] for a in instrument.get("activities") or []]


@dataclass
class PlacementProblems:
    """Placements naming no target of the instrument, or a stage it does not have."""

    unknown: list = field(default_factory=list)
    invalid: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.unknown or self.invalid)


def check_placements(instrument: dict, chosen: dict) -> PlacementProblems:
    """
    Check ``{target id: stage id}``. Placing is optional: a target left out (or ``None``) is not placed,
    as a participant may not know where an activity stands.
    """
    targets = placement_targets(instrument)
    stage_ids = {stage["id"] for stage in instrument.get("stages") or []}
    problems = PlacementProblems()
    problems.unknown = sorted(str(key) for key in chosen if key not in targets)
    problems.invalid = [t for t in targets if chosen.get(t) is not None and chosen.get(t) not in stage_ids]
    return problems


def placements(instrument: dict, chosen: dict) -> list:
    """
    The participant's placements in the instrument's order of targets:
    ``[{"target", "target_label", "stage", "label"}]``; ``stage``/``label`` are None where not placed.
    ``target_label`` is None for the partnership as a whole (the block names it in the learner's language).
    """
    stages = {stage["id"]: stage["label"] for stage in instrument.get("stages") or []}
    labels = {a["id"]: a["label"] for a in instrument.get("activities") or []}
    result = []
    for target in placement_targets(instrument):
        stage = chosen.get(target)
        result.append({"target": target, "target_label": labels.get(target),
                       "stage": stage if stage in stages else None, "label": stages.get(stage)})
    return result


def stage_summary(placed: list) -> str:
    """One line for reports: the whole partnership's stage label, or ``activity: stage; ...``."""
    parts = []
    for item in placed:
        if item["label"] is None:
            continue
        if item["target"] == WHOLE_PARTNERSHIP:
            parts.append(item["label"])
        else:
            parts.append(f"{item['target_label']}: {item['label']}")
    return "; ".join(parts)


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --------------------------------------------------------------------------- scoring

def _round(value: Decimal) -> float:
    return float(value.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP))


def round2(value: float) -> float:
    """Round half-up to 2 decimal places (as people round, not banker's rounding)."""
    return _round(Decimal(str(value)))


def mean(values: Iterable) -> float:
    """Arithmetic mean rounded half-up to 2 decimal places."""
    values = [Decimal(str(v)) for v in values]
    return _round(sum(values) / Decimal(len(values)))


def first_reaching(items: list, score: float) -> dict | None:
    """The first band or stage whose ``upto`` is at least ``score``."""
    for item in items:
        if item["upto"] >= score:
            return item
    return None


def score(instrument: dict, answers: dict) -> dict:
    """
    Score complete, valid answers (see :func:`check_answers`).

    Returns ``{"overall", "dont_know", "themes": [{"id", "title", "score", "band", "recommendation",
    "dont_know"}], "recommendations": [theme ids, weakest first]}``; themes stay in document order.
    "Don't know" answers are left out of every mean and counted in ``dont_know``; a theme answered
    "don't know" throughout has score, band and recommendation None and is not recommended. ``overall``
    is the mean of the scored themes (None when none is scored). Stages are not scored: see :func:`placements`.
    """
    themes = []
    for theme in instrument["themes"]:
        values = [answers[s["id"]] for s in theme["statements"]]
        rated = [value for value in values if value != DONT_KNOW]
        theme_score = mean(rated) if rated else None
        band = first_reaching(theme["bands"], theme_score) if rated else None
        themes.append({
            "id": theme["id"],
            "title": theme["title"],
            "score": theme_score,
            "band": band["label"] if band else None,
            "recommendation": band.get("text", "") if band else None,
            "dont_know": len(values) - len(rated),
        })
    scored = [t for t in themes if t["score"] is not None]
    overall = mean(t["score"] for t in scored) if scored else None
    # sorted() is stable, so equal scores keep document order.
    weakest_first = [t["id"] for t in sorted(scored, key=lambda t: t["score"])]
    return {
        "overall": overall,
        "dont_know": sum(t["dont_know"] for t in themes),
        "themes": themes,
        "recommendations": weakest_first,
    }


def change_since(first: dict | None, themes: list) -> list:
    """
    Add ``change_since_first`` to each scored theme: its score minus the score it had in the first
    attempt (``first`` maps theme id to score), or ``None`` on the first attempt or for a theme the
    first attempt did not have.
    """
    result = []
    for theme in themes:
        before = None if first is None else first.get(theme["id"])
        change = None if before is None or theme["score"] is None else _round(Decimal(str(theme["score"])) - Decimal(str(before)))
        result.append({**theme, "change_since_first": change})
    return result


def band_for(instrument: dict, theme_id: str, theme_score: float) -> str | None:
    """The band label a theme score falls in, or None for a theme the instrument lacks or no score."""
    if theme_score is None:
        return None
    for theme in instrument["themes"]:
        if theme["id"] == theme_id:
            band = first_reaching(theme["bands"], theme_score)
            return band["label"] if band else None
    return None
