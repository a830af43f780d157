"""What every block's fragment needs: ids unique per block instance and the shared JavaScript helpers."""
import hashlib

from web_fragments.fragment import Fragment
from xblock.utils.resources import ResourceLoader

_loader = ResourceLoader(__name__)


def dom_id(block, prefix):
    """A prefix for element ids, unique per block instance on a page (derived from the usage id)."""
    digest = hashlib.sha1(str(block.scope_ids.usage_id).encode("utf-8")).hexdigest()[:10]
    return f"{prefix}-{digest}"


def add_common_javascript(fragment):
    """Add ``static/lp_common.js`` (``LpCommon``) to a fragment, before the block's own script."""
    fragment.add_javascript(_loader.load_unicode("static/lp_common.js"))
    return fragment


def block_fragment(html, css, javascript, init_name, init_args):
    """
    A block view's fragment: its HTML, the shared CSS (``static/lp_common.css``) and its own, the shared script,
    its own script and its initialiser.
    """
    fragment = Fragment(html)
    fragment.add_css(_loader.load_unicode("static/lp_common.css"))
    fragment.add_css(css)
    add_common_javascript(fragment)
    fragment.add_javascript(javascript)
    fragment.initialize_js(init_name, init_args)
    return fragment


def studio_fragment(html, css, prefix, saved_message):
    """
    A Studio editor's fragment: the editor's HTML (``common.studio.render_editor``), the block's CSS with the
    editor's (``static/lp_editor.css``) and the shared editor script (``LpStudioEditor``, ``static/lp_studio.js``).
    """
    css = css + "\n" + _loader.load_unicode("static/lp_editor.css")
    return block_fragment(html, css, _loader.load_unicode("static/lp_studio.js"), "LpStudioEditor",
                          {"prefix": prefix, "saved": saved_message})

