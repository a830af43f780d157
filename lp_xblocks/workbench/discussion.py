"""
A labelled placeholder for the platform's inline discussion (``<discussion>``) in the SDK workbench.

In Open edX the course's ``<discussion>`` components are the platform's own inline discussion XBlock, backed by
the forum service and divided by cohort (the learning sets). The SDK workbench has no forum: here, and only
here, :func:`register` maps the ``discussion`` tag to :class:`DiscussionPlaceholderBlock`, which says what the
component is and where it would appear, instead of the workbench failing on an unknown tag. Nothing registers
it in the package's entry points, so it can never shadow the platform's block inside Open edX.
"""
from importlib.metadata import EntryPoint, entry_points

from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.fields import Scope, String
from xblock.plugin import PLUGIN_CACHE
from xblock.utils.resources import ResourceLoader

from ..common.fragments import dom_id
from ..common.i18n import i18n_service

TAG = "discussion"
loader = ResourceLoader(__name__)


@XBlock.needs("i18n")
class DiscussionPlaceholderBlock(XBlock):
    """Stands in for the platform's inline discussion in the workbench: shows its name, category and target."""

    display_name = String(display_name="Display name", help="The discussion's name.", default="Discussion",
                          scope=Scope.settings)
    discussion_id = String(display_name="Discussion id", help="The forum's id of the inline discussion.",
                           default="", scope=Scope.settings)
    discussion_category = String(display_name="Category", help="The forum category (the module).", default="",
                                 scope=Scope.settings)
    discussion_target = String(display_name="Subcategory", help="What the learning set discusses.", default="",
                               scope=Scope.settings)

    def student_view(self, context=None):  # pylint: disable=unused-argument
        """A clearly labelled note, not a forum."""
        html = loader.render_django_template("templates/lp_workbench/discussion_placeholder.html", {
            "prefix": dom_id(self, "lpdisc"), "block": self}, i18n_service=i18n_service(self))
        fragment = Fragment(html)
        fragment.add_css(".lp-disc{border:2px dashed #595959;border-radius:4px;padding:.5rem 1rem;margin:1rem 0;"
                         "background:#f7f7f7;color:#1f1f1f;max-width:60rem;overflow-wrap:anywhere}"
                         ".lp-disc__label{font-weight:700;text-transform:uppercase;font-size:.85rem;color:#3d3d3d;"
                         "margin:0}.lp-disc h2{font-size:1.2rem;margin:.25rem 0}")
        return fragment


def register():
    """
    Map ``discussion`` to the placeholder in this (workbench) process, unless a real inline discussion block
    is installed. Returns the class ``discussion`` now loads.
    """
    installed = entry_points(group="xblock.v1", name=TAG)
    if not installed and not any(name == TAG for name, _entry in XBlock.extra_entry_points):
        XBlock.extra_entry_points.append((TAG, EntryPoint(
            name=TAG, value=f"{__name__}:DiscussionPlaceholderBlock", group="xblock.v1")))
        PLUGIN_CACHE.pop(("xblock.v1", TAG), None)  # a "not installed" answer cached earlier
    return XBlock.load_class(TAG)
