"""axe-core through axe-playwright-python, scoped to one block: the serious and critical violations."""


def serious_violations(page, selector):
    """Violations of impact serious or critical inside ``selector``, one line each (empty when none)."""
    from axe_playwright_python.sync_playwright import Axe  # pylint: disable=import-outside-toplevel

    response = Axe().run(page, context=selector).response
    found = []
    for violation in response["violations"]:
        if violation.get("impact") not in ("serious", "critical"):
            continue
        # The run is scoped to the block; keep the node check in case axe reports page-level nodes.
        nodes = [
            node for node in violation["nodes"]
            if page.evaluate(
                "([target, selector]) => { try { const n = document.querySelector(target);"
                " return !!(n && n.closest(selector)); } catch (e) { return true; } }",
                [node["target"][-1] if isinstance(node["target"][-1], str) else str(node["target"][-1]), selector],
            )
        ]
        if nodes:
            found.append(f"{violation['id']} ({violation['impact']}): " + "; ".join(str(n["target"]) for n in nodes))
    return found
