"""
Send claims to the awarding body (contract: ``accreditation_export/API.md``) with nothing lost and nothing
claimed twice.

The ledger is a SQLite file. Every claim is written there as ``pending`` before anything is sent; it becomes
``sent`` (committed) just before its request leaves, then ``accepted`` (201 created, 200 already received) or
``rejected`` (422 with the reasons), the response kept. Each claim carries an idempotency key (a hash of
centre, candidate, unit and evidence), so sending a ``sent`` claim again after a crash, a kill or a lost
response is harmless: the awarding body answers 200 for a key it has. Hence on every run:

- an ``accepted`` claim is never sent again;
- ``pending`` and ``sent`` claims are sent (again), so none is lost;
- a unit is claimed once per learner: a new claim for a unit that already has a live (not rejected) claim
  in the ledger is not added, whatever its evidence;
- a claim whose unit is no longer achieved (evidence withdrawn, say an entry reset) is *held*: kept pending,
  not sent, and listed;
- a ``rejected`` claim is not sent again as it is; fix the cause (the register, say) and the corrected claim
  has a new key.

Requests go through ``requests`` with connect and read timeouts and urllib3's ``Retry`` (exponential backoff,
Retry-After honoured, POST retried because the key makes it safe). One run holds an exclusive lock on the
ledger, so two runs cannot send the same claim at once.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .i18n import _

PENDING, SENT, ACCEPTED, REJECTED = "pending", "sent", "accepted", "rejected"
RETRY_STATUSES = (429, 500, 502, 503, 504)
USER_AGENT = "lp-accredit/0.1 (+lp-xblocks)"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS claims (
    key TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    candidate_number TEXT NOT NULL,
    uln TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'accepted', 'rejected')),
    attempts INTEGER NOT NULL DEFAULT 0,
    http_status INTEGER,
    response TEXT,
    claim_id TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS claims_learner_unit ON claims (username, unit_code);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at TEXT NOT NULL,
    state TEXT NOT NULL,
    http_status INTEGER,
    detail TEXT
);
"""


class SubmitError(RuntimeError):
    """The run cannot go on (a locked or foreign ledger, a refused token); what was pending stays pending."""


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


def canonical(body: dict) -> str:
    """The exact text sent for a claim (stored in the ledger, so a resend is byte-identical)."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Ledger:
    """The SQLite ledger of claims and their states (see the module's docstring)."""

    def __init__(self, path, endpoint: str | None = None, readonly: bool = False):
        self.path = Path(path)
        self._lock = None
        if readonly:
            if not self.path.exists():
                self.db = sqlite3.connect(":memory:")
                self.db.executescript(SCHEMA)
            else:
                self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = open(f"{self.path}.lock", "w", encoding="utf-8")  # pylint: disable=consider-using-with
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise SubmitError(_("{path}: another lp-accredit run is using this ledger").format(path=self.path)) from None
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = FULL")
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as error:
            self.close()
            raise SubmitError(_("{path}: not a ledger: {why}").format(path=self.path, why=error)) from error
        if endpoint is not None:
            found = self.db.execute("SELECT value FROM meta WHERE name = 'endpoint'").fetchone()
            if found is None:
                self.db.execute("INSERT INTO meta (name, value) VALUES ('endpoint', ?)", (endpoint,))
            elif found[0] != endpoint:
                self.close()
                raise SubmitError(_("{path}: this ledger records claims sent to {theirs}, not {ours}: use another "
                                    "ledger file for another awarding body").format(path=self.path, theirs=found[0],
                                                                                     ours=endpoint))

    def close(self):
        with contextlib.suppress(Exception):
            self.db.close()
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    @contextlib.contextmanager
    def transaction(self):
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _event(self, key, state, http_status=None, detail=None):
        self.db.execute("INSERT INTO events (key, at, state, http_status, detail) VALUES (?, ?, ?, ?, ?)",
                        (key, _now(), state, http_status, detail))

    def get(self, key):
        return self.row("SELECT * FROM claims WHERE key = ?", (key,))

    def row(self, sql, args=()):
        cursor = self.db.execute(sql, args)
        found = cursor.fetchone()
        return dict(zip([c[0] for c in cursor.description], found)) if found else None

    def rows(self, sql, args=()):
        cursor = self.db.execute(sql, args)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, found)) for found in cursor.fetchall()]

    def live_claim(self, username, unit_code):
        """The claim of this learner and unit that is not rejected, if any."""
        return self.row("SELECT * FROM claims WHERE username = ? AND unit_code = ? AND state != 'rejected' "
                        "ORDER BY created_at LIMIT 1", (username, unit_code))

    def add(self, claim):
        now = _now()
        body = claim.body
        self.db.execute(
            "INSERT INTO claims (key, username, unit_code, candidate_number, uln, payload, state, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
            (claim.key, claim.username, claim.unit_code, body["candidate"]["candidate_number"], body["candidate"]["uln"],
             canonical(body), now, now))
        self._event(claim.key, PENDING)

    def mark_sent(self, key):
        """Committed before the request leaves: a crash from here on leaves a claim to send again, not a lost one."""
        with self.transaction():
            self.db.execute("UPDATE claims SET state = 'sent', attempts = attempts + 1, updated_at = ? WHERE key = ?",
                            (_now(), key))
            self._event(key, SENT)

    def finish(self, key, state, http_status=None, response=None, claim_id=None, error=None):
        with self.transaction():
            self.db.execute(
                "UPDATE claims SET state = ?, http_status = ?, response = ?, claim_id = COALESCE(?, claim_id), "
                "last_error = ?, updated_at = ? WHERE key = ?",
                (state, http_status, response, claim_id, error, _now(), key))
            self._event(key, state, http_status, error or response)

    def counts(self) -> dict:
        found = {PENDING: 0, SENT: 0, ACCEPTED: 0, REJECTED: 0}
        for state, count in self.db.execute("SELECT state, COUNT(*) FROM claims GROUP BY state"):
            found[state] = count
        return found


@dataclass
class Settings:
    url: str                          # the awarding body's base URL, e.g. https://ab.example/api
    token: str
    centre_number: str
    timeout: tuple = (5.0, 30.0)      # connect, read (seconds)
    retries: int = 5
    backoff: float = 0.5              # urllib3 backoff factor: 0.5, 1, 2, 4 ... seconds
    backoff_max: float = 60.0
    retry_after_max: int = 300
    max_failures: int = 3             # consecutive claims left unsent before the run stops

    @property
    def endpoint(self) -> str:
        return f"{self.url.rstrip('/')}/v1/centres/{self.centre_number}/claims"


def make_session(settings: Settings) -> requests.Session:
    """A session that retries connection errors, read timeouts, 429 and 5xx with backoff, honouring Retry-After."""
    options = dict(
        total=settings.retries, connect=settings.retries, read=settings.retries, status=settings.retries,
        other=0, backoff_factor=settings.backoff, backoff_max=settings.backoff_max,
        status_forcelist=RETRY_STATUSES, allowed_methods=None, respect_retry_after_header=True,
        raise_on_status=False, raise_on_redirect=True,
    )
    try:
        retry = Retry(**options, retry_after_max=settings.retry_after_max)
    except TypeError:  # urllib3 before 2.5 has no cap on Retry-After
        retry = Retry(**options)
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update({"Authorization": f"Bearer {settings.token}", "User-Agent": USER_AGENT,
                            "Accept": "application/json"})
    return session


@dataclass
class Plan:
    """What a run will do: claims to send, and the ones it will not send, each with the reason."""
    new: list = field(default_factory=list)            # keys added as pending by this run
    send: list = field(default_factory=list)           # ledger rows to send (pending or sent)
    accepted: list = field(default_factory=list)       # rows already accepted: not sent again
    rejected: list = field(default_factory=list)       # rows rejected earlier, the same claim again
    duplicates: list = field(default_factory=list)     # (claim, live row): the unit is already claimed
    held: list = field(default_factory=list)           # pending rows whose unit is no longer achieved


def plan(ledger: Ledger, claims, dry_run: bool = False) -> Plan:
    """Record this run's claims as pending (unless ``dry_run``) and decide what to send."""
    result = Plan()
    achieved = set()
    would_add = {}
    if not dry_run:
        ledger.db.execute("BEGIN IMMEDIATE")
    try:
        for claim in claims:
            achieved.add((claim.username, claim.unit_code))
            row = ledger.get(claim.key)
            if row is not None:
                if row["state"] == ACCEPTED:
                    result.accepted.append(row)
                elif row["state"] == REJECTED:
                    result.rejected.append(row)
                continue
            live = ledger.live_claim(claim.username, claim.unit_code) or would_add.get((claim.username, claim.unit_code))
            if live is not None:
                result.duplicates.append((claim, live))
                continue
            if dry_run:
                would_add[(claim.username, claim.unit_code)] = {"key": claim.key, "state": PENDING}
                result.send.append({"key": claim.key, "username": claim.username, "unit_code": claim.unit_code,
                                    "candidate_number": claim.body["candidate"]["candidate_number"],
                                    "payload": canonical(claim.body), "state": "new", "attempts": 0})
            else:
                ledger.add(claim)
            result.new.append(claim.key)
    except BaseException:
        if not dry_run:
            ledger.db.execute("ROLLBACK")
        raise
    if not dry_run:
        ledger.db.execute("COMMIT")
    for row in ledger.rows("SELECT * FROM claims WHERE state IN ('pending', 'sent') ORDER BY rowid"):
        (result.send if (row["username"], row["unit_code"]) in achieved else result.held).append(row)
    return result


@dataclass
class Summary:
    accepted: int = 0          # 201: created by this run
    already: int = 0           # 200: the awarding body had it (a resend after a lost response)
    rejected: list = field(default_factory=list)     # (row, reasons)
    unsent: list = field(default_factory=list)       # (row, error): still pending or sent, for the next run
    stopped: str = ""          # why the run stopped early, if it did


def _reasons(response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text[:500]
    errors = data.get("errors") if isinstance(data, dict) else None
    if isinstance(errors, list):
        return "; ".join(f"{e.get('field', '')}: {e.get('message', '')}".strip(": ") for e in errors if isinstance(e, dict))
    return json.dumps(data)[:500]


def send(ledger: Ledger, rows: list, settings: Settings, session=None, progress=None) -> Summary:
    """Send ``rows`` (ledger rows in pending or sent) one by one; ``progress(row)`` is called after each."""
    session = session or make_session(settings)
    summary = Summary()
    failures = 0
    for index, row in enumerate(rows):
        key = row["key"]
        ledger.mark_sent(key)
        try:
            response = session.post(settings.endpoint, data=row["payload"].encode("utf-8"), timeout=settings.timeout,
                                    headers={"Content-Type": "application/json", "Idempotency-Key": key})
        except requests.RequestException as error:
            detail = _("no answer after {n} retries: {why}").format(n=settings.retries, why=type(error).__name__)
            ledger.finish(key, SENT, error=detail)
            summary.unsent.append((row, detail))
            failures += 1
        else:
            failures = _handle(ledger, row, response, summary, failures)
        if progress is not None:
            progress(row)
        if summary.stopped or failures >= settings.max_failures:
            summary.stopped = summary.stopped or _(
                "the awarding body failed {n} claims in a row; the rest stay pending for the next run").format(n=failures)
            summary.unsent += [(later, _("not tried: the run stopped")) for later in rows[index + 1:]]
            break
    return summary


def _handle(ledger, row, response, summary, failures):
    key, status = row["key"], response.status_code
    if status in (200, 201):
        try:
            claim_id = response.json().get("claim_id")
        except (ValueError, AttributeError):
            claim_id = None
        ledger.finish(key, ACCEPTED, status, response.text[:2000], claim_id)
        if status == 201:
            summary.accepted += 1
        else:
            summary.already += 1
        return 0
    if status in (400, 409, 422):
        reasons = _reasons(response)
        ledger.finish(key, REJECTED, status, response.text[:2000], error=reasons)
        summary.rejected.append((row, reasons))
        return 0
    if status in (401, 403):
        detail = _("the awarding body refused the token (HTTP {status})").format(status=status)
        ledger.finish(key, PENDING, status, response.text[:2000], error=detail)
        summary.unsent.append((row, detail))
        summary.stopped = detail
        return failures
    detail = _("HTTP {status} after the retries").format(status=status)
    ledger.finish(key, SENT, status, response.text[:2000], error=detail)
    summary.unsent.append((row, detail))
    return failures + 1
