"""
Several people rating one partnership (pure: no XBlock, no Django).

A partnership's manager and the partners who joined it each answer the health check; :func:`combine` puts
their latest answers side by side: per theme the manager's own score beside the partners', and over all
raters the mean, range (lowest to highest theme score) and spread (population standard deviation); the
statements where views differ most; and where each rater placed the partnership on the stages.

Small groups: when fewer partners than ``minimum`` have answered, every figure that combines partners is
withheld (``suppressed``): with the manager's own view beside it, a combined figure over one or two partners
would show what each of them answered.
"""
from __future__ import annotations

from decimal import Decimal
from math import sqrt

from .instrument import DONT_KNOW, mean, placement_targets, round2, score

MANAGER, PARTNER = "manager", "partner"
DIFFER_MOST = 5


def spread(values: list) -> float:
    """Population standard deviation, rounded half-up to two places (0 for a single value)."""
    exact = [Decimal(str(v)) for v in values]
    centre = sum(exact) / len(exact)
    return round2(sqrt(float(sum((v - centre) ** 2 for v in exact) / len(exact))))


def _figures(values: list) -> dict | None:
    if not values:
        return None
    return {"n": len(values), "mean": mean(values), "lowest": min(values), "highest": max(values),
            "range": round2(max(values) - min(values)), "spread": spread(values)}


def combine(instrument: dict, ratings: list, minimum: int) -> dict:
    """
    ``ratings`` holds one ``{"role", "answers", "placements"}`` per rater (their latest attempt). Answers
    that no longer fit the instrument (edited since) are skipped statement by statement.

    Returns ``{"raters", "partners", "minimum", "suppressed", "themes": [{"id", "title", "manager",
    "partners", "all"}], "differ_most": [{"id", "text", "theme", "n", "range", "spread"}],
    "placements": [{"target", "manager", "partners": {stage id: count}}]}``; ``partners``/``all`` figures are
    ``{"n", "mean", "lowest", "highest", "range", "spread"}`` or None (nobody scored the theme). When
    ``suppressed``, ``partners``, ``all``, ``differ_most`` and partners' placements are empty or None.
    """
    statements = {s["id"]: (s, theme) for theme in instrument["themes"] for s in theme["statements"]}
    allowed = {point["value"] for point in instrument["scale"]}
    cleaned = []
    for rating in ratings:
        answers = {sid: value for sid, value in (rating.get("answers") or {}).items()
                   if sid in statements and (value in allowed or value == DONT_KNOW)}
        complete = {sid: answers.get(sid, DONT_KNOW) for sid in statements}
        cleaned.append((rating.get("role"), score(instrument, complete), answers, rating.get("placements") or {}))
    partners = [c for c in cleaned if c[0] == PARTNER]
    manager = next((c for c in cleaned if c[0] == MANAGER), None)
    suppressed = len(partners) < minimum
    themes = []
    for position, theme in enumerate(instrument["themes"]):
        def scores_of(group, position=position):
            return [c[1]["themes"][position]["score"] for c in group if c[1]["themes"][position]["score"] is not None]
        themes.append({
            "id": theme["id"], "title": theme["title"],
            "manager": manager[1]["themes"][position]["score"] if manager else None,
            "partners": None if suppressed else _figures(scores_of(partners)),
            "all": None if suppressed else _figures(scores_of(cleaned)),
        })
    differ = []
    if not suppressed:
        for order, (sid, (statement, theme)) in enumerate(statements.items()):
            values = [c[2][sid] for c in cleaned if isinstance(c[2].get(sid), int)]
            if len(values) >= 2 and max(values) > min(values):
                differ.append((-spread(values), order, {
                    "id": sid, "text": statement["text"], "theme": theme["title"], "n": len(values),
                    "range": max(values) - min(values), "spread": spread(values)}))
    differ.sort(key=lambda item: item[:2])
    stage_ids = [stage["id"] for stage in instrument.get("stages") or []]
    placed = []
    for target in placement_targets(instrument):
        counts = {stage: 0 for stage in stage_ids}
        for role, _, _, chosen in partners:
            if chosen.get(target) in counts:
                counts[chosen[target]] += 1
        own = manager[3].get(target) if manager else None
        placed.append({"target": target, "manager": own if own in stage_ids else None,
                       "partners": None if suppressed else counts})
    return {
        "raters": len(cleaned), "partners": len(partners), "minimum": minimum, "suppressed": suppressed,
        "themes": themes, "differ_most": [item[2] for item in differ[:DIFFER_MOST]], "placements": placed,
    }
