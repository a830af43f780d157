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

Nothing from the network is trusted beyond the contract (issue 12):

- a claim is ``accepted`` only on a contract-valid answer (:func:`contract_problem`): 201 or 200, a JSON
  content type, a JSON object echoing the claim's idempotency key, a non-empty awarding-body ``claim_id`` and the
  documented ``status``; anything else (an HTML maintenance page, ``{"status": "ok"}``, a redirect to a login
  page) is a failure: the claim stays ``pending`` with the answer recorded in the ledger;
- redirects are never followed on a POST; a rejection counts only with the documented ``{"errors": [...]}``;
- at most :data:`MAX_ANSWER` bytes of an answer are read, and each request has a whole-request deadline
  (the connect timeout plus ``--timeout``), enforced by a watchdog that closes the socket: a server dripping
  its answer a byte at a time cannot hold a run; an answer cut at the deadline is not retried.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import re
import socket
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from .i18n import _, ngettext

PENDING, SENT, ACCEPTED, REJECTED = "pending", "sent", "accepted", "rejected"
RETRY_STATUSES = (429, 500, 502, 503, 504)
USER_AGENT = "lp-accredit/0.1 (+lp-xblocks)"
MAX_ANSWER = 64 * 1024          # the contract's answers are a few hundred bytes
MAX_CLAIM_ID = 200
CLAIM_ID = re.compile(r"^[\x21-\x7e]{1,%d}$" % MAX_CLAIM_ID)   # printable ASCII, no spaces
ANSWER_STATUS = {201: "received", 200: "already_received"}

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
            if self.path.is_dir():
                raise SubmitError(_("{path}: is a directory, not a ledger file").format(path=self.path))
            if not self.path.exists():
                self.db = sqlite3.connect(":memory:")
                self.db.executescript(SCHEMA)
            else:
                self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            return
        if self.path.is_symlink() or self.path.is_dir():
            raise SubmitError(_("{path}: is a {what}, not a ledger file: give a file name (links are not followed)")
                              .format(path=self.path, what=_("directory") if not self.path.is_symlink()
                                      else _("symbolic link")))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise SubmitError(_("{path}: the folder cannot be created: {why}").format(
                path=self.path.parent, why=error.strerror or error)) from None
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
    max_answer: int = MAX_ANSWER      # bytes of an answer read at most

    @property
    def deadline(self) -> float:
        """The whole-request deadline of one attempt: the connect timeout plus the read timeout."""
        connect, read = self.timeout if isinstance(self.timeout, tuple) else (self.timeout, self.timeout)
        return float(connect) + float(read)

    @property
    def endpoint(self) -> str:
        return f"{self.url.rstrip('/')}/v1/centres/{self.centre_number}/claims"


class Deadline:
    """
    The whole-request deadline of the requests made in one thread: each attempt (urllib3 retries included) may
    take ``seconds`` from the moment it starts; then a watchdog shuts the socket down, so a server dripping its
    answer cannot hold the run however often it sends a byte. ``expired`` says a cut happened.
    """

    local = threading.local()

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self.sock = None            # the socket of the attempt (a response that closes takes it from the connection)
        self._timer = None

    def arm(self, connection):
        self.cancel()
        self.sock = getattr(connection, "sock", None)
        self._timer = threading.Timer(self.seconds, self._cut, (connection,))
        self._timer.daemon = True
        self._timer.start()

    def _cut(self, connection):
        self.expired = True
        sock = getattr(connection, "sock", None) or self.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self):
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def __enter__(self):
        Deadline.local.current = self
        return self

    def __exit__(self, *exc):
        self.cancel()
        Deadline.local.current = None

    @classmethod
    def current(cls):
        return getattr(cls.local, "current", None)


class _DeadlineMixin:
    def _make_request(self, conn, *args, **kwargs):  # pylint: disable=arguments-differ
        deadline = Deadline.current()
        if deadline is not None:
            deadline.arm(conn)
        return super()._make_request(conn, *args, **kwargs)


class _RememberSocket:
    def connect(self):
        super().connect()
        deadline = Deadline.current()
        if deadline is not None:
            deadline.sock = self.sock


class _DeadlineHTTPConnection(_RememberSocket, HTTPConnection):
    pass


class _DeadlineHTTPSConnection(_RememberSocket, HTTPSConnection):
    pass


class _DeadlineHTTPPool(_DeadlineMixin, HTTPConnectionPool):
    ConnectionCls = _DeadlineHTTPConnection


class _DeadlineHTTPSPool(_DeadlineMixin, HTTPSConnectionPool):
    ConnectionCls = _DeadlineHTTPSConnection


class _DeadlineRetry(Retry):
    """urllib3's Retry, except that an attempt cut at its deadline is not retried (a drip is not a blip)."""

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        deadline = Deadline.current()
        if deadline is not None and deadline.expired:
            raise MaxRetryError(_pool, url, error or Exception("the whole-request deadline passed"))
        return super().increment(method, url, response, error, _pool, _stacktrace)


class DeadlineAdapter(HTTPAdapter):
    POOLS = {"http": _DeadlineHTTPPool, "https": _DeadlineHTTPSPool}

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(self.POOLS)

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):     # an HTTP(S) proxy: the same watchdog on its connections
            manager.pool_classes_by_scheme = dict(self.POOLS)
        return manager


def make_session(settings: Settings) -> requests.Session:
    """A session that retries connection errors, read timeouts, 429 and 5xx with backoff, honouring Retry-After."""
    options = dict(
        total=settings.retries, connect=settings.retries, read=settings.retries, status=settings.retries,
        other=0, backoff_factor=settings.backoff, backoff_max=settings.backoff_max,
        status_forcelist=RETRY_STATUSES, allowed_methods=None, respect_retry_after_header=True,
        raise_on_status=False, raise_on_redirect=False, redirect=False,
    )
    try:
        retry = _DeadlineRetry(**options, retry_after_max=settings.retry_after_max)
    except TypeError:  # urllib3 before 2.5 has no cap on Retry-After
        retry = _DeadlineRetry(**options)
    session = requests.Session()
    adapter = DeadlineAdapter(max_retries=retry)
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


@dataclass
class Answer:
    """What came back for one claim: status, content type and at most ``max_answer`` bytes of the body."""
    status: int
    content_type: str
    body: bytes
    too_large: bool = False
    location: str = ""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        if self.too_large or not _is_json(self.content_type):
            return None
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None

    def record(self) -> str:
        """The answer as the ledger keeps it (bounded)."""
        head = f"HTTP {self.status} {self.content_type or '(no content type)'}"
        suffix = " [cut: larger than the limit]" if self.too_large else ""
        return f"{head}: {self.text[:2000]}{suffix}"


def _is_json(content_type: str) -> bool:
    return (content_type or "").split(";", 1)[0].strip().lower() == "application/json"


def _read_answer(response, limit: int) -> Answer:
    body, too_large = b"", False
    try:
        for chunk in response.iter_content(8192):
            body += chunk
            if len(body) > limit:
                body, too_large = body[:limit], True
                break
    finally:
        response.close()
    return Answer(response.status_code, response.headers.get("Content-Type", ""), body, too_large,
                  response.headers.get("Location", "")[:500])


def contract_problem(answer: Answer, key: str) -> str | None:
    """Why ``answer`` is not the contract's 201/200 for the claim ``key`` (API.md), or None when it is."""
    expected = ANSWER_STATUS.get(answer.status)
    if expected is None:
        return _("HTTP {status} is not an answer of the contract").format(status=answer.status)
    if answer.too_large:
        return _("the answer is larger than {n} bytes").format(n=len(answer.body))
    if not _is_json(answer.content_type):
        return _("the answer is not JSON (Content-Type {type!r})").format(type=answer.content_type)
    data = answer.json()
    if not isinstance(data, dict):
        return _("the answer is not a JSON object")
    if data.get("idempotency_key") != key:
        return _("the answer does not echo the claim's idempotency key")
    claim_id = data.get("claim_id")
    if not isinstance(claim_id, str) or not CLAIM_ID.match(claim_id):
        return _("the answer has no awarding-body claim id")
    if data.get("status") != expected:
        return _("the answer's status is {got!r}, not {want!r}").format(got=data.get("status"), want=expected)
    return None


def _reasons(answer: Answer) -> str | None:
    """The reasons of a contract rejection (``{"errors": [{"field", "message"}]}``), or None if it is not one."""
    data = answer.json()
    errors = data.get("errors") if isinstance(data, dict) else None
    if not isinstance(errors, list) or not errors:
        return None
    return "; ".join(f"{e.get('field', '')}: {e.get('message', '')}".strip(": ")
                     for e in errors[:20] if isinstance(e, dict))[:2000] or None


def send(ledger: Ledger, rows: list, settings: Settings, session=None, progress=None) -> Summary:
    """Send ``rows`` (ledger rows in pending or sent) one by one; ``progress(row)`` is called after each."""
    session = session or make_session(settings)
    summary = Summary()
    failures = 0
    for index, row in enumerate(rows):
        key = row["key"]
        ledger.mark_sent(key)
        with Deadline(settings.deadline) as deadline:
            try:
                response = session.post(settings.endpoint, data=row["payload"].encode("utf-8"),
                                        timeout=settings.timeout, allow_redirects=False, stream=True,
                                        headers={"Content-Type": "application/json", "Idempotency-Key": key})
                answer = _read_answer(response, settings.max_answer)
                if deadline.expired:
                    raise requests.Timeout("cut at the whole-request deadline")
            except requests.RequestException as error:
                if deadline.expired:
                    detail = _("no whole answer within {s:g} s (the whole-request deadline)").format(
                        s=settings.deadline)
                else:
                    detail = ngettext("no answer after {n} retry: {why}", "no answer after {n} retries: {why}",
                                      settings.retries).format(n=settings.retries, why=type(error).__name__)
                ledger.finish(key, SENT, error=detail)
                summary.unsent.append((row, detail))
                failures += 1
            else:
                failures = _handle(ledger, row, answer, summary, failures)
        if progress is not None:
            progress(row)
        if summary.stopped or failures >= settings.max_failures:
            summary.stopped = summary.stopped or ngettext(
                "the awarding body failed {n} claim in a row; the rest stay pending for the next run",
                "the awarding body failed {n} claims in a row; the rest stay pending for the next run",
                failures).format(n=failures)
            summary.unsent += [(later, _("not tried: the run stopped")) for later in rows[index + 1:]]
            break
    return summary


def _handle(ledger, row, answer: Answer, summary, failures):
    key, status = row["key"], answer.status
    if status in (200, 201):
        problem = contract_problem(answer, key)
        if problem is None:
            ledger.finish(key, ACCEPTED, status, answer.record(), answer.json()["claim_id"])
            if status == 201:
                summary.accepted += 1
            else:
                summary.already += 1
            return 0
        detail = _("not accepted: {why}").format(why=problem)
        ledger.finish(key, PENDING, status, answer.record(), error=detail)
        summary.unsent.append((row, detail))
        return failures + 1
    if status in (400, 409, 422):
        reasons = _reasons(answer)
        if reasons is not None:
            ledger.finish(key, REJECTED, status, answer.record(), error=reasons)
            summary.rejected.append((row, reasons))
            return 0
        detail = _("HTTP {status} without the contract's reasons: not taken as a rejection").format(status=status)
        ledger.finish(key, PENDING, status, answer.record(), error=detail)
        summary.unsent.append((row, detail))
        return failures + 1
    if status in (401, 403):
        detail = _("the awarding body refused the token (HTTP {status})").format(status=status)
        ledger.finish(key, PENDING, status, answer.record(), error=detail)
        summary.unsent.append((row, detail))
        summary.stopped = detail
        return failures
    if 300 <= status < 400:
        detail = _("HTTP {status}: a redirect (to {where}) is not followed for a claim").format(
            status=status, where=answer.location or "?")
        ledger.finish(key, PENDING, status, answer.record(), error=detail)
        summary.unsent.append((row, detail))
        return failures + 1
    if status in RETRY_STATUSES:
        detail = _("HTTP {status} after the retries").format(status=status)
        ledger.finish(key, SENT, status, answer.record(), error=detail)
    else:
        detail = _("HTTP {status} is not an answer of the contract").format(status=status)
        ledger.finish(key, PENDING, status, answer.record(), error=detail)
    summary.unsent.append((row, detail))
    return failures + 1
