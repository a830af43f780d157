"""
An iCalendar (RFC 5545) entry for one workshop session (pure: no XBlock, no Django).

Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character; TEXT values escape
backslash, semicolon, comma and newlines; times are written in UTC (``...Z``), so no VTIMEZONE is needed,
and the description repeats the local time with its zone for people who read it.
"""
import hashlib

from . import sessions as core

PRODID = "-//lp-xblocks//Workshop//EN"
MAX_OCTETS = 75


def escape_text(value):
    """An RFC 5545 TEXT value: ``\\`` ``;`` ``,`` escaped, every line break as ``\\n``, control characters dropped."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return "".join(ch for ch in text if ch == "\t" or ord(ch) >= 32 and ch != "\x7f")


def fold(line):
    """One content line folded at 75 octets (continuations start with a space), CRLF-terminated."""
    out, current, size = [], [], 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        limit = MAX_OCTETS if not out else MAX_OCTETS - 1  # a continuation's leading space counts
        if size + width > limit:
            out.append("".join(current))
            current, size = [], 0
        current.append(ch)
        size += width
    out.append("".join(current))
    return "\r\n ".join(out) + "\r\n"


def _stamp(moment):
    return moment.strftime("%Y%m%dT%H%M%SZ")


def uid(block_key, session_id):
    """A stable UID for one session of one block: the same event when downloaded again (updates replace it)."""
    digest = hashlib.sha256(f"{block_key}\n{session_id}".encode("utf-8")).hexdigest()[:32]
    return f"{digest}@lp-xblocks"


def calendar(session, block_key, now, description_lines=(), sequence=0):
    """
    The ``.ics`` document (text) for ``session`` (as cleaned by :func:`sessions.clean_session`).
    ``description_lines`` (plain text, escaped here) go into DESCRIPTION; ``now`` is DTSTAMP (aware UTC).
    """
    location = ", ".join(part for part in (session["place"], session["online"]) if part)
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid(block_key, session['id'])}",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(core.start_utc(session))}",
        f"DTEND:{_stamp(core.end_utc(session))}",
        f"SEQUENCE:{int(sequence)}",
        f"SUMMARY:{escape_text(session['title'])}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if session["online"]:
        lines.append(f"URL:{session['online']}")  # a URI value: checked http(s), no spaces or controls
    if description_lines:
        lines.append(f"DESCRIPTION:{escape_text(chr(10).join(description_lines))}")
    lines += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) for line in lines)
