"""What the reflective log's block modules share: event names, the date bound and the records API."""
from datetime import timedelta

EVENT_SUBMITTED = "lp.reflective_log.submitted"
EVENT_MARKED = "lp.reflective_log.marked"

# A date is in the future only when it is later than today everywhere on Earth (UTC+14), so a
# learner is never refused the date of their own today.
LATEST_OFFSET = timedelta(hours=14)


def api():
    """The reflective log's data API (``lp_xblocks.data.api.reflective_log``)."""
    from ..data.api import reflective_log  # pylint: disable=import-outside-toplevel  # needs Django's app registry
    return reflective_log
