"""Field types the platform's own tools write into (no Django; XBlock field API only)."""
from xblock.fields import Integer


class AttemptCount(Integer):
    """
    A learner's attempt counter in ``user_state`` named ``attempts``: the instructor dashboard's "reset
    learner attempts" writes ``attempts = 0`` into every block's saved state, whatever the block keeps
    there. Whatever the saved state holds (a number as text, an old list, garbage) reads as a whole
    number from 0, never an error.
    """

    def from_json(self, value):
        if isinstance(value, bool) or value is None:
            return 0
        try:
            return max(0, int(value))
        except (TypeError, ValueError, OverflowError):
            return 0
