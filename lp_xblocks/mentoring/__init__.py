"""The mentoring-scheme XBlock (lp_mentoring): pairing, agreement, session log, briefing, closing review."""
