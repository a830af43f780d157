"""Static assets every block's fragment carries: the shared JavaScript helpers (``LpCommon``)."""
from xblock.utils.resources import ResourceLoader

_loader = ResourceLoader(__name__)


def add_common_javascript(fragment):
    """Add ``static/lp_common.js`` to a fragment, before the block's own script."""
    fragment.add_javascript(_loader.load_unicode("static/lp_common.js"))
    return fragment
