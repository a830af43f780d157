"""Helpers shared by the browser tests (axe-core checks are in ``axe_check``, keyboard driving in ``keyboard``)."""


def wait_for_block(page, init_name):
    """Wait until the workbench has run the block's initialiser (``data-init``) on the page."""
    page.wait_for_function(
        "(name) => window.jQuery && Array.from(document.querySelectorAll(`.xblock-v1[data-init=${name}]`))"
        ".every(node => jQuery(node).prop('xblock_children') !== undefined)",
        arg=init_name,
    )
