"""
The mentoring block's records from the workbench's SQLite database (read-only, two queries): one
:class:`~accreditation_export.mi.mentoring.MentoringRecord` per active pairing, for the MI report.
"""
from __future__ import annotations

import json

from ..mi.mentoring import MentoringRecord
from .base import parse_time

PAIRS = "lp_xblocks_mentoringpair"
SESSIONS = "lp_xblocks_mentoringsession"

PAIRS_SQL = f"""
SELECT id, mentee_username, paired_at, agreed_at, reviewed_at, review FROM {PAIRS}
WHERE active = 1 ORDER BY mentee_username, id
"""
SESSIONS_SQL = f"SELECT pair_id, logged_at, state, confirmed_at FROM {SESSIONS} ORDER BY pair_id, number"


def read(connection, tables) -> list:
    """Every active pairing with its sessions' times; [] when the database predates the mentoring tables."""
    if PAIRS not in tables or SESSIONS not in tables:
        return []
    logged, confirmed = {}, {}
    for pair_id, logged_at, state, confirmed_at in connection.execute(SESSIONS_SQL):
        logged.setdefault(pair_id, []).append(parse_time(logged_at))
        if state == "confirmed" and confirmed_at:
            confirmed.setdefault(pair_id, []).append(parse_time(confirmed_at))
    records = []
    for pair_id, mentee, paired_at, agreed_at, reviewed_at, review in connection.execute(PAIRS_SQL):
        try:
            carry_on = (json.loads(review) or {}).get("continue") if review else None
        except (ValueError, AttributeError):
            carry_on = None
        records.append(MentoringRecord(mentee, parse_time(paired_at), parse_time(agreed_at), parse_time(reviewed_at),
                                       carry_on if isinstance(carry_on, bool) else None,
                                       tuple(logged.get(pair_id, ())), tuple(confirmed.get(pair_id, ()))))
    return records
