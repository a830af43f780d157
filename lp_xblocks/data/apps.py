"""App config, usable as an Open edX plugin app (``lms.djangoapp`` / ``cms.djangoapp`` entry points)."""
from django.apps import AppConfig


class LpXBlocksDataConfig(AppConfig):
    """Cross-learner data for the lp-xblocks blocks."""

    name = "lp_xblocks.data"
    label = "lp_xblocks"
    verbose_name = "Learning partnership XBlocks"
    default_auto_field = "django.db.models.BigAutoField"

    # Read by edx-django-utils' plugin framework in the LMS and Studio: being installed gives the models
    # and migrations; the LMS connects the receiver of the platform's account-retirement signal.
    plugin_app = {
        "signals_config": {
            "lms.djangoapp": {
                "relative_path": "signals",
                "receivers": [{
                    "receiver_func_name": "retire_user",
                    "signal_path": "openedx.core.djangoapps.user_api.accounts.signals.USER_RETIRE_LMS_MISC",
                    "dispatch_uid": "lp_xblocks.data.signals.retire_user",
                }],
            },
        },
    }
