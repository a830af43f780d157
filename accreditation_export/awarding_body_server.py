"""
A reference awarding-body server implementing the claims contract of ``accreditation_export/API.md`` (stdlib
``http.server``), with switchable faults so the client's handling of each can be tested on 127.0.0.1:

- ``fail_next(n, status=500)``: the next n claim requests get that 5xx;
- ``throttle_next(n, retry_after=1)``: the next n get 429 with ``Retry-After``;
- ``delay_next(n, seconds)``: the next n are processed (the claim is stored) and answered only after a delay,
  past the client's read timeout: the client never sees the answer to a claim the server has;
- ``close_next(n)``: the next n connections are closed without an answer, before processing;
- ``reject_uln(uln)``: claims for that ULN get 422 ("not known to the Learner Records Service");
- ``slow(seconds)``: every answer waits that long (to kill a client mid-run);

and hostile answers, the next n claim requests answered outside the contract (:data:`HOSTILE_MODES`):

- ``hostile_next(n, "html")``: 200 with an HTML maintenance page (nothing stored);
- ``hostile_next(n, "redirect")``: 302 to a login page (nothing stored);
- ``hostile_next(n, "status_ok")``: 200 ``{"status": "ok"}`` (nothing stored);
- ``hostile_next(n, "other_key")``, ``"no_claim_id"``, ``"text_json"``: the claim is stored, but the answer echoes
  another key, has no claim id, or is the right JSON labelled ``text/html``;
- ``hostile_next(n, "huge", size=...)``: the claim is stored and the answer is ``size`` bytes of JSON;
- ``hostile_next(n, "drip", interval=...)``: the claim is stored and the right answer sent one byte every
  ``interval`` seconds (a client must cut it at its deadline, not wait).

Run it by hand with ``lp-accredit reference-server --port 8765 --token secret`` (or
``python -m accreditation_export.awarding_body_server``). With ``control=True`` the faults can also be set over
HTTP: ``POST /_control/faults`` with ``{"fail_next": 2, "status": 503}`` and the like, ``GET /_control/state``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

from .register import uln_problem

CLAIMS_PATH = re.compile(r"^/v1/centres/(?P<centre>[A-Za-z0-9]{1,20})/claims/?$")
UNIT_CODE = re.compile(r"^[A-Z]/\d{3}/\d{4}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_BODY = 64 * 1024
HOSTILE_MODES = ("html", "redirect", "status_ok", "other_key", "no_claim_id", "text_json", "huge", "drip")
STORING_MODES = ("other_key", "no_claim_id", "text_json", "huge", "drip")


class Faults:
    """The switchable faults; each ``*_next`` counts down as requests use it."""

    def __init__(self):
        self.fail = 0
        self.fail_status = 500
        self.throttle = 0
        self.retry_after = 1
        self.delay = 0
        self.delay_seconds = 0.0
        self.close = 0
        self.rejected_ulns: set[str] = set()
        self.slow = 0.0
        self.hostile = 0
        self.hostile_mode = "html"
        self.hostile_size = 50 * 1024 * 1024
        self.hostile_interval = 0.5


class State:
    """Claims received (by idempotency key) and every request seen, behind one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.claims: dict[str, dict] = {}
        self.posts: dict[str, int] = {}
        self.requests = 0
        self.faults = Faults()

    def take(self, name) -> bool:
        """Use one of a countdown fault, if any is left."""
        with self.lock:
            left = getattr(self.faults, name)
            if left > 0:
                setattr(self.faults, name, left - 1)
                return True
            return False


def _validate(centre: str, key: str, body) -> list:
    """The reasons a claim is invalid (the contract's 422), or []."""
    errors = []

    def need(value, field, pattern=None, what="text"):
        if not isinstance(value, str) or not value.strip():
            errors.append({"field": field, "message": f"{what} is required"})
            return False
        if pattern is not None and not pattern.match(value):
            errors.append({"field": field, "message": f"{value!r} is not {what}"})
            return False
        return True

    if not isinstance(body, dict):
        return [{"field": "", "message": "the body must be a JSON object"}]
    if body.get("centre_number") != centre:
        errors.append({"field": "centre_number", "message": f"must be {centre}, the centre in the URL"})
    if body.get("idempotency_key") != key:
        errors.append({"field": "idempotency_key", "message": "must equal the Idempotency-Key header"})
    candidate = body.get("candidate") if isinstance(body.get("candidate"), dict) else {}
    for name in ("candidate_number", "family_name", "given_name"):
        need(candidate.get(name), f"candidate.{name}")
    if need(candidate.get("uln"), "candidate.uln"):
        problem = uln_problem(candidate["uln"])
        if problem:
            errors.append({"field": "candidate.uln", "message": problem})
    need(candidate.get("date_of_birth"), "candidate.date_of_birth", DATE, "a date (YYYY-MM-DD)")
    need(body.get("qualification_code"), "qualification_code")
    unit = body.get("unit") if isinstance(body.get("unit"), dict) else {}
    need(unit.get("code"), "unit.code", UNIT_CODE, "a unit reference (A/123/4567)")
    if not isinstance(unit.get("credit"), int) or unit.get("credit") < 1:
        errors.append({"field": "unit.credit", "message": "a whole number of credits is required"})
    if body.get("result") != "achieved":
        errors.append({"field": "result", "message": "only 'achieved' can be claimed"})
    need(body.get("achievement_date"), "achievement_date", DATE, "a date (YYYY-MM-DD)")
    if not isinstance(body.get("evidence"), list) or not body.get("evidence"):
        errors.append({"field": "evidence", "message": "at least one evidence reference is required"})
    return errors


def make_handler(state: State, token: str, control: bool):
    class Handler(BaseHTTPRequestHandler):
        server_version = "ReferenceAwardingBody/1"
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # pylint: disable=redefined-builtin
            pass  # quiet: tests read the state instead

        def _send(self, status, data, headers=()):
            payload = json.dumps(data, sort_keys=True).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def _raw(self):
            """Read the whole body first, whatever the answer: a body left unread would corrupt the next request."""
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if length < 0 or length > MAX_BODY:
                self.close_connection = True
                return None
            return self.rfile.read(length) if length else b""

        def _body(self, raw=None):
            raw = self._raw() if raw is None else raw
            if raw is None:
                return None, "the body is too large or its length is unknown"
            try:
                return json.loads(raw.decode("utf-8")), None
            except (UnicodeDecodeError, ValueError):
                return None, "the body is not JSON"

        def _authorised(self):
            if self.headers.get("Authorization") != f"Bearer {token}":
                self._send(401, {"error": "a valid bearer token is required"}, [("WWW-Authenticate", "Bearer")])
                return False
            return True

        def do_GET(self):  # pylint: disable=invalid-name
            path = urlparse(self.path).path
            if control and path == "/_control/state":
                with state.lock:
                    self._send(200, {"claims": state.claims, "posts": state.posts, "requests": state.requests})
                return
            match = CLAIMS_PATH.match(path)
            if not match:
                self._send(404, {"error": "not found"})
                return
            if self._authorised():
                with state.lock:
                    claims = [dict(claim, idempotency_key=key) for key, claim in sorted(state.claims.items())
                              if claim["body"].get("centre_number") == match["centre"]]
                self._send(200, {"claims": claims})

        def do_POST(self):  # pylint: disable=invalid-name
            path = urlparse(self.path).path
            if control and path == "/_control/faults":
                data, error = self._body()
                if error or not isinstance(data, dict):
                    self._send(400, {"error": error or "a JSON object is required"})
                    return
                try:
                    configure(state, **data)
                except (TypeError, ValueError) as problem:
                    self._send(400, {"error": str(problem)})
                    return
                self._send(200, {"ok": True})
                return
            match = CLAIMS_PATH.match(path)
            if not match:
                self._send(404, {"error": "not found"})
                return
            raw = self._raw()
            with state.lock:
                state.requests += 1
            if state.take("close"):
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if not self._authorised():
                return
            if state.faults.slow:
                time.sleep(state.faults.slow)
            if state.take("fail"):
                self._send(state.faults.fail_status, {"error": "internal error (injected)"})
                return
            if state.take("throttle"):
                self._send(429, {"error": "too many requests"}, [("Retry-After", str(state.faults.retry_after))])
                return
            if state.take("hostile"):
                self._hostile(match["centre"], raw, state.faults.hostile_mode)
                return
            self._claim(match["centre"], raw)

        def _bytes(self, status, content_type, payload: bytes, headers=()):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def _hostile(self, centre, raw, mode):
            """Answer outside the contract; the storing modes record the claim first, as a real server might."""
            if mode == "html":
                self._bytes(200, "text/html; charset=utf-8", b"<!doctype html><title>Down for maintenance</title>"
                            b"<h1>We'll be back soon</h1>")
                return
            if mode == "redirect":
                self._bytes(302, "text/html", b"<a href='/login'>Sign in</a>", [("Location", "/login?next=/v1")])
                return
            if mode == "status_ok":
                self._send(200, {"status": "ok"})
                return
            status, data = self._process(centre, raw)
            if status not in (200, 201):
                self._send(status, data)
                return
            if mode == "other_key":
                self._send(status, dict(data, idempotency_key="0" * 40))
            elif mode == "no_claim_id":
                self._send(status, {k: v for k, v in data.items() if k != "claim_id"})
            elif mode == "text_json":
                self._bytes(status, "text/html", json.dumps(data).encode("utf-8"))
            elif mode == "huge":
                self._huge(status, data, state.faults.hostile_size)
            elif mode == "drip":
                self._drip(status, json.dumps(data, sort_keys=True).encode("utf-8"), state.faults.hostile_interval)

        def _huge(self, status, data, size):
            head = json.dumps(data)[:-1].encode("utf-8") + b', "padding": "'
            tail = b'"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            left = max(0, size - len(head) - len(tail))
            try:
                self.wfile.write(head)
                block = b"x" * 65536
                while left > 0:
                    self.wfile.write(block[:left])
                    left -= min(left, len(block))
                self.wfile.write(tail)
            except OSError:
                self.close_connection = True      # the client stopped reading: as it should

        def _drip(self, status, payload, interval):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            try:
                self.wfile.flush()
                for index in range(len(payload)):
                    self.wfile.write(payload[index:index + 1])
                    self.wfile.flush()
                    time.sleep(interval)
            except OSError:
                self.close_connection = True

        def _process(self, centre, raw):
            """``(status, answer)`` of the contract for one claim request (the claim stored when valid)."""
            key = (self.headers.get("Idempotency-Key") or "").strip()
            body, error = self._body(raw) if raw is not None else (None, "the body is too large or its length is unknown")
            if error:
                return 400, {"errors": [{"field": "", "message": error}]}
            if not key:
                return 422, {"errors": [{"field": "Idempotency-Key", "message": "the header is required"}]}
            digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()
            with state.lock:
                state.posts[key] = state.posts.get(key, 0) + 1
                known = state.claims.get(key)
                status = 200
                if known is None:
                    errors = _validate(centre, key, body)
                    uln = (body.get("candidate") or {}).get("uln") if isinstance(body, dict) else None
                    if not errors and uln in state.faults.rejected_ulns:
                        errors = [{"field": "candidate.uln", "message": "not known to the Learner Records Service"}]
                    if not errors:
                        known = {"claim_id": f"CLM-{len(state.claims) + 1:06d}", "digest": digest, "body": body,
                                 "received_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
                        state.claims[key] = known
                        status = 201
                else:
                    errors = [] if known["digest"] == digest else [
                        {"field": "Idempotency-Key", "message": "the key was used for a different claim"}]
            if errors:
                return 422, {"errors": errors}
            return status, {"claim_id": known["claim_id"], "idempotency_key": key,
                            "status": "received" if status == 201 else "already_received"}

        def _claim(self, centre, raw):
            status, data = self._process(centre, raw)
            if status == 201 and state.take("delay"):
                time.sleep(state.faults.delay_seconds)
            self._send(status, data)

    return Handler


def configure(state: State, fail_next=None, status=None, throttle_next=None, retry_after=None, delay_next=None,
              seconds=None, close_next=None, reject_uln=None, slow=None, hostile_next=None, mode=None, size=None,
              interval=None):
    """Set faults (what ``POST /_control/faults`` takes)."""
    if mode is not None and mode not in HOSTILE_MODES:
        raise ValueError(f"unknown hostile mode {mode!r} (one of {', '.join(HOSTILE_MODES)})")
    with state.lock:
        faults = state.faults
        if hostile_next is not None:
            faults.hostile, faults.hostile_mode = int(hostile_next), mode or faults.hostile_mode
            faults.hostile_size = int(size if size is not None else faults.hostile_size)
            faults.hostile_interval = float(interval if interval is not None else faults.hostile_interval)
        if fail_next is not None:
            faults.fail, faults.fail_status = int(fail_next), int(status or 500)
        if throttle_next is not None:
            faults.throttle, faults.retry_after = int(throttle_next), int(retry_after if retry_after is not None else 1)
        if delay_next is not None:
            faults.delay, faults.delay_seconds = int(delay_next), float(seconds or 0)
        if close_next is not None:
            faults.close = int(close_next)
        if reject_uln is not None:
            faults.rejected_ulns.add(str(reject_uln))
        if slow is not None:
            faults.slow = float(slow)


class AwardingBodyServer:
    """The reference server in a background thread: ``with AwardingBodyServer(token=...) as server: server.url``."""

    def __init__(self, host="127.0.0.1", port=0, token="reference-token", control=False):
        self.state = State()
        self.httpd = ThreadingHTTPServer((host, port), make_handler(self.state, token, control))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="awarding-body", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # faults, for tests in the same process
    def fail_next(self, n, status=500):
        configure(self.state, fail_next=n, status=status)

    def throttle_next(self, n, retry_after=1):
        configure(self.state, throttle_next=n, retry_after=retry_after)

    def delay_next(self, n, seconds):
        configure(self.state, delay_next=n, seconds=seconds)

    def close_next(self, n):
        configure(self.state, close_next=n)

    def reject_uln(self, uln):
        configure(self.state, reject_uln=uln)

    def slow(self, seconds):
        configure(self.state, slow=seconds)

    def hostile_next(self, n, mode, size=None, interval=None):
        configure(self.state, hostile_next=n, mode=mode, size=size, interval=interval)


def serve(host, port, token, control, ready=None):
    server = AwardingBodyServer(host, port, token, control)
    if ready:
        ready(server.url)
    try:
        server.httpd.serve_forever()
    finally:
        server.httpd.server_close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--token", default="reference-token")
    parser.add_argument("--control", action="store_true", help="enable /_control/faults and /_control/state")
    args = parser.parse_args(argv)
    serve(args.host, args.port, args.token, args.control,
          ready=lambda url: print(f"Reference awarding body on {url} (token {args.token!r})", flush=True))


if __name__ == "__main__":
    main()
