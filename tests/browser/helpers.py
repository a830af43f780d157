"""Helpers shared by the browser tests: waiting for a block's JavaScript, and axe-core checks."""


def wait_for_block(page, init_name):
    """Wait until the workbench has run the block's initialiser (``data-init``) on the page."""
    page.wait_for_function(
        "(name) => window.jQuery && Array.from(document.querySelectorAll(`.xblock-v1[data-init=${name}]`))"
        ".every(node => jQuery(node).prop('xblock_children') !== undefined)",
        arg=init_name,
    )


def serious_violations(page, root):
    """
    axe-core's serious and critical violations inside the elements matching ``root`` (the block):
    the workbench page around the block is the SDK's, not ours.
    """
    from axe_playwright_python.sync_playwright import Axe  # pylint: disable=import-outside-toplevel

    response = Axe().run(page, context=root).response
    found = []
    for violation in response["violations"]:
        if violation.get("impact") not in ("serious", "critical"):
            continue
        # The run is scoped to the block; keep the node check in case axe reports page-level nodes.
        nodes = [
            node for node in violation["nodes"]
            if page.evaluate(
                "([target, root]) => { try { const n = document.querySelector(target);"
                " return !!(n && n.closest(root)); } catch (e) { return true; } }",
                [node["target"][-1] if isinstance(node["target"][-1], str) else str(node["target"][-1]), root],
            )
        ]
        if nodes:
            found.append(f"{violation['id']} ({violation['impact']}): " + "; ".join(str(n["target"]) for n in nodes))
    return found
