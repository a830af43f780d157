"""App config, usable as an Open edX plugin app (``lms.djangoapp`` / ``cms.djangoapp`` entry points)."""
from django.apps import AppConfig


class LpXBlocksDataConfig(AppConfig):
    """Cross-learner data for the lp-xblocks blocks."""

    name = "lp_xblocks.data"
    label = "lp_xblocks"
    verbose_name = "Learning partnership XBlocks"
    default_auto_field = "django.db.models.BigAutoField"

    # Read by edx-django-utils' plugin framework in the LMS and Studio. The app has no URLs,
    # settings or signals of its own yet: being installed (models + migrations) is all it needs.
    plugin_app = {}
