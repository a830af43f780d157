"""
The branching-scenario engine behind the facilitation-exercise block (pure: no XBlock, no Django).

A *scenario* is plain, JSON-serialisable data::

    {
      "start": "opening",                      # the first scene
      "pass_ratio": 0.6,                       # points / maximum needed to pass
      "graded_attempt": "first",               # which finished attempt counts: first, best or last
      "min_rows": 1,                           # rows the learner's action plan needs at least
      "principles": [{"id": "openness", "text": "Members feel able to talk honestly and freely"}],
      "scenes": [{"id": "opening", "title": "...", "narrative": "...",
                  "justify": ["LPM3-2.1"],             # a key decision: the learner justifies it in writing
                  "choices": [{"id": "round", "text": "...", "feedback": "...", "goto": "round", "points": 2,
                               "principles": ["openness"]}]}],
      "endings": [{"id": "agreed", "title": "...", "text": "...", "pass": True}],
    }

A path passes only when its points reach ``pass_ratio`` of the best path's *and* its ending is one the
author marks as passing (:func:`passed`). Learners see each scene's choices in an order shuffled per
learner and attempt (:func:`display_order`); the scenario keeps the author's order, and choices are named
by their ``id`` in reports. :func:`warnings` lists what makes a scenario weak as an assessment.

The scenes and endings form a directed acyclic graph: every choice leads to another scene or to an
ending. This module validates that graph, computes the highest score a path can reach, moves a learner's
*play* (where they are and the choices they made) one choice at a time, and describes the outcome of a
finished path. Reading and writing OLX lives in :mod:`lp_xblocks.facilitation.olx`.

Every error is a :class:`ScenarioError` whose message names the scene, choice or ending at fault.
"""
from __future__ import annotations

import hashlib
import random
from fractions import Fraction
from typing import Any

from ..common.errors import N_, LocalisedError
from ..common.olx import IdRegistry
from ..common.text import is_blank
from .action_plan import MAX_ROWS

# A choice is worth a few points; the bounds keep every total a small whole number any database stores.
MAX_CHOICE_POINTS = 1000
MAX_TOTAL_POINTS = 100_000


class ScenarioError(LocalisedError):
    """A scenario that breaks a rule. ``str(error)`` is the English message."""


class NotCurrent(LocalisedError):
    """A choice was made for a scene the learner is not at (a stale page or a forged request)."""


class NoSuchChoice(LocalisedError):
    """The scene is current but has no choice with that index."""


# --------------------------------------------------------------------------- lookups


def scenes_by_id(scenario: dict) -> dict:
    return {scene["id"]: scene for scene in scenario["scenes"]}


def endings_by_id(scenario: dict) -> dict:
    return {ending["id"]: ending for ending in scenario["endings"]}


def choice_id(choice: dict, index: int) -> str:
    """A choice's id: the author's, else its 1-based position (scenarios stored before choices had ids)."""
    return choice.get("id") or str(index + 1)


def ending_passes(ending: dict) -> bool:
    """Whether the author marks the ending as one a passing path may reach (``pass``, true when unset)."""
    return ending.get("pass", True) is not False


GRADED_ATTEMPTS = ("first", "best", "last")
DEFAULT_GRADED_ATTEMPT = "best"


def graded_policy(scenario: dict) -> str:
    return scenario.get("graded_attempt") or DEFAULT_GRADED_ATTEMPT


def _where(scene_id: str, position: int) -> dict:
    """Parameters naming a choice in messages: scene id and the choice's 1-based position."""
    return {"scene": scene_id, "choice": position}


# --------------------------------------------------------------------------- validation


def validate(scenario: dict) -> None:
    """
    Raise :class:`ScenarioError` for the first rule the scenario breaks.

    Rules: ids well formed and unique across principles, scenes and endings; titles and texts present
    (visible: not only whitespace, zero-width or bidi control characters); ``pass_ratio`` between 0 and 1
    and ``min_rows`` a whole number from 0 to the plan's :data:`~.action_plan.MAX_ROWS`; every scene has at
    least one choice; points are whole numbers from 0 to :data:`MAX_CHOICE_POINTS`; every principle a choice
    names exists; ``start`` and every ``goto`` name a scene or ending; the graph has no cycle; every scene
    and ending is reachable from ``start``; the best path is worth 1 to :data:`MAX_TOTAL_POINTS` points.
    """
    _check_settings(scenario)
    principles = _check_ids_and_texts(scenario)
    scenes, endings = scenes_by_id(scenario), endings_by_id(scenario)
    start = scenario.get("start")
    if not start:
        raise ScenarioError(N_("start: the first scene is not named"))
    if start not in scenes and start not in endings:
        raise ScenarioError(N_("start '{start}' is not a scene or an ending"), start=start)
    for scene in scenario["scenes"]:
        for position, choice in enumerate(scene["choices"], start=1):
            _check_choice(choice, principles, scenes, endings, **_where(scene["id"], position))
    post_order(scenario)
    reached = reachable(scenario)
    for scene in scenario["scenes"]:
        if scene["id"] not in reached:
            raise ScenarioError(
                N_("scene '{scene}' is not reachable from start '{start}'"), scene=scene["id"], start=start
            )
    for ending in scenario["endings"]:
        if ending["id"] not in reached:
            raise ScenarioError(
                N_("ending '{ending}' is not reachable from start '{start}'"), ending=ending["id"], start=start
            )
    best = max_points(scenario)
    if best < 1:
        raise ScenarioError(N_("the best path is worth no points: give the better choices points"))
    if not any(ending_passes(ending) for ending in scenario["endings"]):
        raise ScenarioError(N_("no ending is marked pass=\"true\": nobody could pass"))
    for scene in scenario["scenes"]:
        justify = scene.get("justify") or []
        if not isinstance(justify, list) or not all(isinstance(c, str) and c for c in justify):
            raise ScenarioError(N_("scene '{scene}': justify must list criterion ids"), scene=scene["id"])
    if best > MAX_TOTAL_POINTS:
        raise ScenarioError(
            N_("the best path is worth {points} points; a scenario may be worth at most {most}"),
            points=best, most=MAX_TOTAL_POINTS,
        )


def _check_settings(scenario: dict) -> None:
    ratio = scenario.get("pass_ratio")
    if not _is_number(ratio) or not 0 <= ratio <= 1:
        raise ScenarioError(N_("pass_ratio '{ratio}' must be a number from 0 to 1"), ratio=ratio)
    policy = scenario.get("graded_attempt", DEFAULT_GRADED_ATTEMPT)
    if policy not in GRADED_ATTEMPTS:
        raise ScenarioError(N_("graded_attempt '{policy}' must be first, best or last"), policy=policy)
    rows = scenario.get("min_rows")
    if not _is_whole(rows) or not 0 <= rows <= MAX_ROWS:
        raise ScenarioError(
            N_("action_plan min_rows '{rows}' must be a whole number from 0 to {most} (the most rows a plan can hold)"),
            rows=rows, most=MAX_ROWS,
        )


def _check_ids_and_texts(scenario: dict) -> set:
    """Ids well formed and unique; required texts present. Returns the principle ids."""
    claim = IdRegistry(ScenarioError).claim

    principles = set()
    for principle in scenario.get("principles") or []:
        claim("principle", principle.get("id"))
        if is_blank(principle.get("text")):
            raise ScenarioError(N_("principle '{id}': text is empty"), id=principle["id"])
        principles.add(principle["id"])
    if not scenario.get("scenes"):
        raise ScenarioError(N_("at least one scene is needed"))
    for scene in scenario["scenes"]:
        claim("scene", scene.get("id"))
        for key in ("title", "narrative"):
            if is_blank(scene.get(key)):
                raise ScenarioError(N_("scene '{scene}': {part} is empty"), scene=scene["id"], part=key)
        if not scene.get("choices"):
            raise ScenarioError(
                N_("scene '{scene}' has no choices: every path must end in an ending"), scene=scene["id"]
            )
        choice_ids = IdRegistry(ScenarioError)
        for position, choice in enumerate(scene["choices"], start=1):
            if "id" in choice:
                try:
                    choice_ids.claim("choice", choice["id"])
                except ScenarioError as error:
                    raise ScenarioError(N_("scene '{scene}', choice {choice}: {problem}"), problem=str(error),
                                        **_where(scene["id"], position)) from error
            for key in ("text", "feedback"):
                if is_blank(choice.get(key)):
                    raise ScenarioError(
                        N_("scene '{scene}', choice {choice}: {part} is empty"),
                        part=key, **_where(scene["id"], position),
                    )
    if not scenario.get("endings"):
        raise ScenarioError(N_("at least one ending is needed"))
    for ending in scenario["endings"]:
        claim("ending", ending.get("id"))
        if not isinstance(ending.get("pass", True), bool):
            raise ScenarioError(N_("ending '{ending}': pass must be true or false"), ending=ending["id"])
        for key in ("title", "text"):
            if is_blank(ending.get(key)):
                raise ScenarioError(N_("ending '{ending}': {part} is empty"), ending=ending["id"], part=key)
    return principles


def _check_choice(item: dict, principles: set, scenes: dict, endings: dict, **where: Any) -> None:
    points = item.get("points")
    if not _is_whole(points) or not 0 <= points <= MAX_CHOICE_POINTS:
        raise ScenarioError(
            N_("scene '{scene}', choice {choice}: points '{points}' must be a whole number from 0 to {most}"),
            points=str(points)[:40], most=MAX_CHOICE_POINTS, **where,
        )
    for principle in item.get("principles") or []:
        if principle not in principles:
            raise ScenarioError(
                N_("scene '{scene}', choice {choice}: principle '{principle}' is not defined"),
                principle=principle, **where,
            )
    goto = item.get("goto")
    if not goto:
        raise ScenarioError(N_("scene '{scene}', choice {choice}: goto is missing"), **where)
    if goto not in scenes and goto not in endings:
        raise ScenarioError(
            N_("scene '{scene}', choice {choice}: goto '{goto}' is not a scene or an ending"), goto=goto, **where
        )


def post_order(scenario: dict) -> list:
    """
    Every scene id, each after all the scenes its choices lead to (iterative depth-first search, so a long
    scenario cannot exhaust the stack). A choice leading back onto the search's trail is a cycle: raises
    :class:`ScenarioError` naming the scene, the choice and the loop.
    """
    scenes = scenes_by_id(scenario)
    on_trail, done, order = set(), set(), []
    for root in scenes:
        if root in done:
            continue
        trail, next_choice = [root], [0]
        on_trail.add(root)
        while trail:
            node, position = trail[-1], next_choice[-1]
            choices = scenes[node]["choices"]
            if position == len(choices):
                trail.pop()
                next_choice.pop()
                on_trail.discard(node)
                done.add(node)
                order.append(node)
                continue
            next_choice[-1] += 1
            goto = choices[position]["goto"]
            if goto in on_trail:
                loop = " -> ".join(trail[trail.index(goto):] + [goto])
                raise ScenarioError(
                    N_("scene '{scene}', choice {choice}: goto '{goto}' makes a cycle ({loop})"),
                    goto=goto, loop=loop, **_where(node, position + 1),
                )
            if goto in scenes and goto not in done:
                trail.append(goto)
                next_choice.append(0)
                on_trail.add(goto)
    return order


def reachable(scenario: dict) -> set:
    """Ids of every scene and ending a path from ``start`` can reach (``start`` included)."""
    scenes = scenes_by_id(scenario)
    seen = {scenario["start"]}
    stack = [scenario["start"]]
    while stack:
        node = stack.pop()
        for choice in scenes.get(node, {}).get("choices", []):
            if choice["goto"] not in seen:
                seen.add(choice["goto"])
                stack.append(choice["goto"])
    return seen


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


# --------------------------------------------------------------------------- scoring


def best_paths(scenario: dict) -> dict:
    """For every scene and ending, the most points a path from it to an ending can collect."""
    scenes = scenes_by_id(scenario)
    best: dict[str, int] = {ending["id"]: 0 for ending in scenario["endings"]}
    for scene_id in post_order(scenario):  # every destination is valued before the scenes leading to it
        best[scene_id] = max(choice["points"] + best[choice["goto"]] for choice in scenes[scene_id]["choices"])
    return best


def max_points(scenario: dict) -> int:
    """The maximum score: the points of the highest-scoring path from ``start`` (computed, never authored)."""
    return best_paths(scenario)[scenario["start"]]


def ratio_met(points: int, maximum: int, pass_ratio: float) -> bool:
    """Whether ``points`` out of ``maximum`` reaches the pass ratio (exact arithmetic: 3/5 passes 0.6)."""
    if maximum <= 0:
        return False
    return Fraction(points, maximum) >= Fraction(str(pass_ratio))


def passed(points: int, maximum: int, pass_ratio: float, ending_pass: bool = True) -> bool:
    """
    The pass rule: the points reach the pass ratio *and* the path ended in an ending the author marks as
    passing. A high score that ends in a failure ending fails; the best ending reached with too few points
    fails too.
    """
    return bool(ending_pass) and ratio_met(points, maximum, pass_ratio)


def path_points(scenario: dict, path: list) -> int:
    """The points of the choices along ``path`` (``[{"scene", "choice"}]``)."""
    scenes = scenes_by_id(scenario)
    return sum(scenes[step["scene"]]["choices"][step["choice"]]["points"] for step in path)


def outcome(scenario: dict, path: list) -> dict:
    """
    What a finished path earned: ``{"points", "max", "passed", "demonstrated", "missed"}``.

    ``demonstrated`` lists the principles (``{"id", "text"}``, document order) that a choice on the path
    named; ``missed`` the scenario's other principles.
    """
    scenes = scenes_by_id(scenario)
    shown = {
        principle
        for step in path
        for principle in scenes[step["scene"]]["choices"][step["choice"]].get("principles") or []
    }
    points, maximum = path_points(scenario, path), max_points(scenario)
    principles = scenario.get("principles") or []
    end = path_end(scenario, path)
    ending_pass = end in endings_by_id(scenario) and ending_passes(endings_by_id(scenario)[end])
    return {
        "points": points,
        "max": maximum,
        "ratio_met": ratio_met(points, maximum, scenario["pass_ratio"]),
        "ending_passes": ending_pass,
        "passed": passed(points, maximum, scenario["pass_ratio"], ending_pass),
        "demonstrated": [dict(p) for p in principles if p["id"] in shown],
        "missed": [dict(p) for p in principles if p["id"] not in shown],
    }


def path_end(scenario: dict, path: list) -> str | None:
    """Where ``path`` leads (the last choice's destination), or ``start`` for an empty path."""
    if not path:
        return scenario["start"]
    last = path[-1]
    return scenes_by_id(scenario)[last["scene"]]["choices"][last["choice"]]["goto"]


def best_of(points: list) -> int | None:
    """The best of some attempts' points, or None before any attempt was finished."""
    return max(points) if points else None


# --------------------------------------------------------------------------- graded attempts


def graded_attempt(history: list, policy: str) -> dict | None:
    """
    The finished attempt that counts under ``policy`` (``history`` items carry ``attempt``, ``points``
    and ``passed``), or None before any attempt finished.

    - ``first``: the learner's assessed attempt, and only if it finished; later attempts are practice
      (items carry ``practice``; older items without it count only as attempt number 1). After an
      instructor's reset the learner's next attempt is assessed again, and the latest assessed one counts.
    - ``best``: a passed attempt before a failed one, then the most points, then the earliest.
    - ``last``: the most recently finished attempt.
    """
    if not history:
        return None
    if policy == "first":
        assessed = [item for item in history if not item.get("practice", item["attempt"] != 1)]
        return max(assessed, key=lambda item: item["attempt"]) if assessed else None
    if policy == "last":
        return max(history, key=lambda item: item["attempt"])
    return max(history, key=lambda item: (bool(item["passed"]), item["points"], -item["attempt"]))


def is_practice(policy: str, attempt: int) -> bool:
    """Whether attempt number ``attempt`` is practice (it can never count): every attempt after the first under ``first``."""
    return policy == "first" and attempt > 1


# --------------------------------------------------------------------------- shuffling


def shuffle_seed(block_key: str, student_id: str, attempt: int) -> str:
    """The seed of one learner's attempt at one block: the same on every reload, different per attempt."""
    return "\x1f".join((str(block_key), str(student_id), str(attempt)))


def display_order(seed: str, scene_id: str, count: int) -> list:
    """
    The order in which a scene's ``count`` choices are shown: a permutation of their 0-based indexes,
    determined by ``seed`` (see :func:`shuffle_seed`) and the scene id, so reloading shows the same order
    and the learner's next attempt a different one.
    """
    digest = hashlib.sha256(f"{seed}\x1f{scene_id}".encode("utf-8")).digest()
    order = list(range(count))
    random.Random(int.from_bytes(digest[:16], "big")).shuffle(order)
    return order


# --------------------------------------------------------------------------- assessment warnings


def _best_index(scenario: dict, scene: dict, best: dict) -> int:
    values = [choice["points"] + best[choice["goto"]] for choice in scene["choices"]]
    return values.index(max(values))


def score_ranges(scenario: dict) -> dict:
    """
    For every ending, the fewest and most points a path from ``start`` can reach it with:
    ``{ending id: (min, max)}`` (endings no path reaches are left out).
    """
    scenes = scenes_by_id(scenario)
    into = {scenario["start"]: (0, 0)}
    for scene_id in reversed(post_order(scenario)):  # a scene before every scene it leads to
        if scene_id not in into:
            continue
        low, high = into[scene_id]
        for choice in scenes[scene_id]["choices"]:
            here = (low + choice["points"], high + choice["points"])
            seen = into.get(choice["goto"])
            into[choice["goto"]] = here if seen is None else (min(seen[0], here[0]), max(seen[1], here[1]))
    return {ending["id"]: into[ending["id"]] for ending in scenario["endings"] if ending["id"] in into}


def warnings(scenario: dict) -> list:
    """
    What makes a valid scenario weak as an assessment, as :class:`ScenarioError` objects (not raised):

    - the best choice sits at the same position in most scenes (a learner could learn the position);
    - the best choice is the longest text in most scenes (a learner could pick the longest);
    - a failing ending can be reached with a score that reaches the pass ratio (the score alone would pass);
    - a passing ending can be reached with a score below the pass ratio (the best ending, yet a fail).
    """
    found = []
    best = best_paths(scenario)
    scored = [scene for scene in scenario["scenes"] if len(scene["choices"]) > 1]
    if len(scored) >= 2:
        positions, longest = {}, 0
        for scene in scored:
            index = _best_index(scenario, scene, best)
            positions[index] = positions.get(index, 0) + 1
            lengths = [len(choice["text"]) for choice in scene["choices"]]
            if lengths[index] == max(lengths):
                longest += 1
        position, count = max(positions.items(), key=lambda item: (item[1], -item[0]))
        if count * 2 > len(scored):
            found.append(ScenarioError(
                N_("the best choice is choice {position} in {count} of {scenes} scenes: spread the best choices "
                   "across positions"), position=position + 1, count=count, scenes=len(scored)))
        if longest * 2 > len(scored):
            found.append(ScenarioError(
                N_("the best choice is the longest in {count} of {scenes} scenes: vary the lengths so that "
                   "length does not give the answer away"), count=longest, scenes=len(scored)))
    maximum, ratio = max_points(scenario), scenario["pass_ratio"]
    ranges = score_ranges(scenario)
    for ending in scenario["endings"]:
        if ending["id"] not in ranges:
            continue
        low, high = ranges[ending["id"]]
        if not ending_passes(ending) and ratio_met(high, maximum, ratio):
            found.append(ScenarioError(
                N_("failing ending '{ending}' can be reached with {points} of {max} points, which meets the "
                   "pass ratio: lower the points on the paths to it or raise pass_ratio"),
                ending=ending["id"], points=high, max=maximum))
        if ending_passes(ending) and not ratio_met(low, maximum, ratio):
            found.append(ScenarioError(
                N_("passing ending '{ending}' can be reached with only {points} of {max} points, below the pass "
                   "ratio: a learner could reach it and still fail"),
                ending=ending["id"], points=low, max=maximum))
    return found


# --------------------------------------------------------------------------- playing


def new_play(scenario: dict) -> dict:
    """A play at the start: ``{"at": node id, "path": [], "attempt": None}`` (numbered on its first choice)."""
    return {"at": scenario["start"], "path": [], "attempt": None}


def is_consistent(scenario: dict, play: dict) -> bool:
    """
    Whether a stored play still fits the scenario (it may have been edited since): replaying its path from
    ``start`` must take existing choices of the scenes it names and arrive where the play is.
    """
    if not isinstance(play, dict) or not isinstance(play.get("path"), list):
        return False
    scenes, endings = scenes_by_id(scenario), endings_by_id(scenario)
    node = scenario["start"]
    for step in play["path"]:
        scene = scenes.get(step.get("scene")) if isinstance(step, dict) else None
        if scene is None or step["scene"] != node:
            return False
        index = step.get("choice")
        if not _is_whole(index) or not 0 <= index < len(scene["choices"]):
            return False
        node = scene["choices"][index]["goto"]
    return node == play.get("at") and (node in scenes or node in endings)


def at_ending(scenario: dict, play: dict) -> bool:
    return play["at"] in endings_by_id(scenario)


def choose(scenario: dict, play: dict, scene_id: Any, index: Any) -> tuple[dict, dict]:
    """
    Take choice ``index`` (0-based) of scene ``scene_id``; returns ``(new play, the choice)``.

    Raises :class:`NotCurrent` unless ``scene_id`` is the scene the play is at, and :class:`NoSuchChoice`
    when the scene has no such choice. The play passed in is never changed.
    """
    scenes = scenes_by_id(scenario)
    if scene_id != play["at"] or scene_id not in scenes:
        raise NotCurrent(
            N_("'{scene}' is not your current scene; reload the page to continue from where you are"),
            scene=scene_id,
        )
    choices = scenes[scene_id]["choices"]
    if not _is_whole(index) or not 0 <= index < len(choices):
        raise NoSuchChoice(
            N_("scene '{scene}' has no choice {index}: choices are numbered 0 to {last}"),
            scene=scene_id, index=index, last=len(choices) - 1,
        )
    choice = choices[index]
    new = {
        "at": choice["goto"],
        "path": play["path"] + [{"scene": scene_id, "choice": index}],
        "attempt": play.get("attempt"),
    }
    return new, choice


# --------------------------------------------------------------------------- what learners see


def scene_view(scene: dict, order: list | None = None, criteria: dict | None = None) -> dict:
    """
    A scene as the learner sees it: no points, feedback, principles or destinations. ``order`` (from
    :func:`display_order`) lists the choices' indexes in the order shown; ``index`` stays the author's,
    which is what the learner sends back. A key decision carries the criteria its justification is marked
    against (``criteria`` maps an id to its text).
    """
    order = list(range(len(scene["choices"]))) if order is None else order
    view = {
        "id": scene["id"],
        "title": scene["title"],
        "narrative": scene["narrative"],
        "choices": [{"index": index, "id": choice_id(scene["choices"][index], index),
                     "text": scene["choices"][index]["text"]} for index in order],
    }
    if scene.get("justify"):
        view["justify"] = [{"id": ident, "text": (criteria or {}).get(ident, "")} for ident in scene["justify"]]
    return view


def path_view(scenario: dict, path: list) -> list:
    """The path taken: ``[{"scene", "title", "choice", "text"}]``."""
    scenes = scenes_by_id(scenario)
    return [
        {
            "scene": step["scene"],
            "title": scenes[step["scene"]]["title"],
            "choice": step["choice"],
            "choice_id": choice_id(scenes[step["scene"]]["choices"][step["choice"]], step["choice"]),
            "text": scenes[step["scene"]]["choices"][step["choice"]]["text"],
        }
        for step in path
    ]


def ending_view(scenario: dict, ending_id: str, path: list) -> dict:
    """An ending reached by ``path``: its text and the outcome of the path."""
    ending = endings_by_id(scenario)[ending_id]
    return {"id": ending["id"], "title": ending["title"], "text": ending["text"], **outcome(scenario, path)}


def structure(scenario: dict) -> dict:
    """The scenario for other clients (mobile apps): the graph and its texts, no points or feedback."""
    return {
        "start": scenario["start"],
        "pass_ratio": scenario["pass_ratio"],
        "graded_attempt": graded_policy(scenario),
        "min_rows": scenario["min_rows"],
        "max_points": max_points(scenario),
        "principles": [dict(p) for p in scenario.get("principles") or []],
        "scenes": [
            {
                "id": scene["id"], "title": scene["title"], "narrative": scene["narrative"],
                "choices": [{"index": i, "id": choice_id(c, i), "text": c["text"], "goto": c["goto"]}
                            for i, c in enumerate(scene["choices"])],
                "justify": list(scene.get("justify") or []),
            }
            for scene in scenario["scenes"]
        ],
        "endings": [{**ending, "pass": ending_passes(ending)} for ending in scenario["endings"]],
    }


# --------------------------------------------------------------------------- tutors


def choice_report(scenario: dict, choices: dict, endings: dict, learners: dict) -> dict:
    """
    Lay aggregated counts over the scenario, in document order, with zeros where nobody went.

    ``choices`` maps ``(scene id, choice index)`` to ``{"learners", "times"}``; ``endings`` maps an ending
    id to ``{"learners", "attempts"}``; ``learners`` is ``{"started", "finished", "passed"}``. Counts for
    scenes, choices or endings no longer in the scenario are left out.
    """
    zero_choice, zero_ending = {"learners": 0, "times": 0}, {"learners": 0, "attempts": 0}
    return {
        "learners": dict(learners),
        "max_points": max_points(scenario),
        "scenes": [
            {
                "id": scene["id"],
                "title": scene["title"],
                "choices": [
                    {"index": index, "id": choice_id(choice, index), "text": choice["text"], "points": choice["points"],
                     **choices.get((scene["id"], index), zero_choice)}
                    for index, choice in enumerate(scene["choices"])
                ],
            }
            for scene in scenario["scenes"]
        ],
        "endings": [
            {"id": ending["id"], "title": ending["title"], "pass": ending_passes(ending),
             **endings.get(ending["id"], zero_ending)}
            for ending in scenario["endings"]
        ],
    }
