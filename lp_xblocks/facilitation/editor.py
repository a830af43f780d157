"""
The facilitation exercise's Studio form: the scenario's schema and the graph the editor draws (pure; see
:mod:`lp_xblocks.common.editor`).
"""
from collections import deque


def schema(_):
    """The scenario's fields, labelled in the author's language (``_``: the block's gettext)."""
    return [
        {"key": "start", "type": "ref", "ref": ["scenes"], "label": _("First scene"), "required": True,
         "mentions": ["start"]},
        {"key": "pass_ratio", "type": "number", "label": _("Pass mark (share of the best path's points, 0 to 1)"),
         "required": True, "min": 0, "max": 1, "mentions": ["pass_ratio"]},
        {"key": "graded_attempt", "type": "select", "label": _("Attempt that counts"), "required": True,
         "options": [["first", _("The first (later plays are practice)")], ["best", _("The best")],
                     ["last", _("The last")]],
         "mentions": ["graded_attempt"]},
        {"key": "min_rows", "type": "integer", "label": _("Action plan: fewest rows"), "required": True, "min": 0,
         "mentions": ["min_rows"]},
        {"key": "principles", "type": "list", "label": _("Principles"), "item_label": _("Principle"), "min": 0,
         "match": {"id": "id"}, "title_key": "text", "new_item": {"id": "", "text": ""},
         "item": [
             {"key": "id", "type": "text", "label": _("Id"), "required": True},
             {"key": "text", "type": "text", "label": _("Text"), "required": True},
         ]},
        {"key": "scenes", "type": "list", "label": _("Scenes"), "item_label": _("Scene"), "min": 1,
         "match": {"scene": "id"}, "mentions": ["scene"], "title_key": "title", "play": True,
         "new_item": {"id": "", "title": "", "narrative": "",
                      "choices": [{"text": "", "feedback": "", "goto": "", "points": 0, "principles": []}]},
         "item": [
             {"key": "id", "type": "text", "label": _("Id"), "required": True},
             {"key": "title", "type": "text", "label": _("Title"), "required": True},
             {"key": "narrative", "type": "textarea", "label": _("What happens"), "required": True, "rows": 3},
             {"key": "choices", "type": "list", "label": _("Choices"), "item_label": _("Choice"), "min": 1,
              "match": {"choice": "#"}, "mentions": ["choice", "choices"], "title_key": "text",
              "new_item": {"text": "", "feedback": "", "goto": "", "points": 0, "principles": []},
              "item": [
                  {"key": "text", "type": "textarea", "label": _("Move"), "required": True, "rows": 2},
                  {"key": "points", "type": "integer", "label": _("Points"), "required": True, "min": 0},
                  {"key": "feedback", "type": "textarea", "label": _("Feedback"), "required": True, "rows": 2},
                  {"key": "goto", "type": "ref", "ref": ["scenes", "endings"], "label": _("Leads to"),
                   "required": True},
                  {"key": "principles", "type": "refs", "ref": ["principles"], "label": _("Principles shown"),
                   "mentions": ["principle"]},
              ]},
         ]},
        {"key": "endings", "type": "list", "label": _("Endings"), "item_label": _("Ending"), "min": 1,
         "match": {"ending": "id"}, "mentions": ["ending"], "title_key": "title",
         "new_item": {"id": "", "title": "", "text": "", "pass": True},
         "item": [
             {"key": "id", "type": "text", "label": _("Id"), "required": True},
             {"key": "title", "type": "text", "label": _("Title"), "required": True},
             {"key": "text", "type": "textarea", "label": _("Text"), "required": True, "rows": 3},
             {"key": "pass", "type": "checkbox",
              "label": _("A passing ending (a pass also needs the pass mark)")},
         ]},
    ]


def _ids(items):
    return [item.get("id") for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]


def graph(draft: dict) -> dict:
    """
    The scenario as a graph, for any draft however broken: ``nodes`` (scenes then endings, with
    ``unreachable`` and, for scenes, ``dead_end``: no choice leads anywhere that exists), ``edges``
    (scene -> target, with the choice's position and points; ``missing`` when the target does not exist).
    """
    scenes = [scene for scene in (draft.get("scenes") or []) if isinstance(scene, dict)]
    endings = [ending for ending in (draft.get("endings") or []) if isinstance(ending, dict)]
    scene_ids, ending_ids = _ids(scenes), _ids(endings)
    known = set(scene_ids) | set(ending_ids)
    edges, following = [], {}
    for scene in scenes:
        for position, choice in enumerate(scene.get("choices") or [], start=1):
            if not isinstance(choice, dict):
                continue
            target = choice.get("goto") if isinstance(choice.get("goto"), str) else ""
            edges.append({"from": scene.get("id"), "to": target, "choice": position, "points": choice.get("points"),
                          "missing": target not in known})
            if target in known:
                following.setdefault(scene.get("id"), []).append(target)
    seen = set()
    start = draft.get("start")
    queue = deque([start] if start in known else [])
    while queue:
        node = queue.popleft()
        if node in seen:
            continue
        seen.add(node)
        queue.extend(following.get(node, []))
    nodes = [{"id": ident, "kind": "scene", "title": scene.get("title") or "", "unreachable": ident not in seen,
              "dead_end": not following.get(ident), "start": ident == start}
             for scene, ident in ((scene, scene.get("id")) for scene in scenes)]
    nodes += [{"id": ending.get("id"), "kind": "ending", "title": ending.get("title") or "",
               "unreachable": ending.get("id") not in seen, "dead_end": False, "start": False}
              for ending in endings]
    return {"nodes": nodes, "edges": edges}
