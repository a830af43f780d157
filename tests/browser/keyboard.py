"""Driving a page by keyboard alone."""


def tab_until(page, predicate, describe, limit=60, key="Tab"):
    """
    Press ``key`` until ``predicate(describe(page))`` holds for the focused element; returns that
    description. ``describe`` tells what has focus (each test file knows what it needs to see).
    """
    for _ in range(limit):
        page.keyboard.press(key)
        focused = describe(page)
        if predicate(focused):
            return focused
    raise AssertionError(f"{key} never reached the expected element; focus ended on {describe(page)}")
