"""
A stand-in for the Open edX LMS endpoints the REST source calls (we cannot run an LMS here), implementing
their documented shapes on 127.0.0.1: OAuth2 client credentials (JWT tokens that expire), the enrolment API
(paged by ``next``), the instructor v1 report API (generate, running tasks, downloads) and the report file.
"""
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

COURSE = "course-v1:LP+PM101+2026"
REPORT_NAME = "LP_PM101_2026_student_state_from_block-v1_LP+PM101+2026+type@course+block@course_2026-11-25-1200.csv"
OLD_REPORT = "LP_PM101_2026_student_state_from_block-v1_LP+PM101+2026+type@course+block@course_2026-01-02-0900.csv"


class FakeLms:
    def __init__(self, report: Path, enrolments, client=("client", "secret"), page_size=2):
        self.report, self.enrolments, self.client, self.page_size = report, list(enrolments), client, page_size
        self.tokens = {}            # token -> requests left before it expires
        self.token_uses = 3
        self.polls_running = 2      # the task shows as running for this many polls
        self.fail_task = False
        self.fail_once = {"enrollments"}
        self.calls = []
        self.generated = []
        handler = self._handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self):
        lms = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, data=None, raw=None, content_type="application/json"):
                body = raw if raw is not None else json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _authorised(self):
                header = self.headers.get("Authorization", "")
                token = header[4:] if header.startswith("JWT ") else None
                left = lms.tokens.get(token, 0)
                if left <= 0:
                    self._send(401, {"detail": "expired or missing token"})
                    return False
                lms.tokens[token] = left - 1
                return True

            def do_POST(self):  # pylint: disable=invalid-name
                path = urlparse(self.path).path
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                lms.calls.append(("POST", path))
                if path == "/oauth2/access_token":
                    form = {k: v[0] for k, v in parse_qs(raw).items()}
                    if (form.get("grant_type"), form.get("client_id"), form.get("client_secret")) != (
                            "client_credentials", *lms.client) or form.get("token_type") != "jwt":
                        self._send(401, {"error": "invalid_client"})
                        return
                    token = uuid.uuid4().hex
                    lms.tokens[token] = lms.token_uses
                    self._send(200, {"access_token": token, "token_type": "JWT", "expires_in": 3600, "scope": "read"})
                elif path == f"/api/instructor/v1/reports/{COURSE}/generate/problem_responses":
                    if not self._authorised():
                        return
                    lms.generated.append(json.loads(raw))
                    self._send(200, {"status": "The problem responses report is being created.",
                                     "task_id": "4e49522f-31d9-431a-9cff-dd2a2bf4c85a"})
                else:
                    self._send(404, {"detail": "Not found."})

            def do_GET(self):  # pylint: disable=invalid-name
                parsed = urlparse(self.path)
                path, query = parsed.path, parse_qs(parsed.query)
                lms.calls.append(("GET", path))
                if path == "/api/enrollment/v1/enrollments/":
                    if "enrollments" in lms.fail_once:
                        lms.fail_once.discard("enrollments")
                        self._send(503, {"detail": "try later"})
                        return
                    if not self._authorised():
                        return
                    if query.get("course_id") != [COURSE]:
                        self._send(400, {"detail": "course_id is required"})
                        return
                    start = int(query.get("start", ["0"])[0])
                    page = lms.enrolments[start:start + lms.page_size]
                    following = start + lms.page_size
                    nxt = f"{lms.url}{path}?{urlencode({'course_id': COURSE, 'start': following})}" if following < len(lms.enrolments) else None
                    self._send(200, {"next": nxt, "previous": None, "results": [
                        {"created": "2026-09-01T10:00:00Z", "mode": "audit", "is_active": active, "user": user,
                         "course_id": COURSE} for user, active in page]})
                elif path == f"/api/instructor/v1/tasks/{COURSE}":
                    if not self._authorised():
                        return
                    tasks = []
                    if lms.polls_running > 0 or lms.fail_task:
                        lms.polls_running -= 1
                        tasks = [{"task_id": "4e49522f-31d9-431a-9cff-dd2a2bf4c85a", "task_type": "problem_responses_csv",
                                  "task_state": "FAILURE" if lms.fail_task else "PROGRESS",
                                  "task_message": "boom" if lms.fail_task else "", "requester": "staff"}]
                    self._send(200, {"tasks": tasks})
                elif path == f"/api/instructor/v1/reports/{COURSE}":
                    if not self._authorised():
                        return
                    downloads = [{"name": name, "url": f"{lms.url}/media/reports/{name}",
                                  "link": f'<a href="{lms.url}/media/reports/{name}">{name}</a>'}
                                 for name in (OLD_REPORT, REPORT_NAME)]
                    self._send(200, {"downloads": downloads})
                elif path == f"/media/reports/{REPORT_NAME}":
                    self._send(200, raw=lms.report.read_bytes(), content_type="text/csv")
                elif path == f"/media/reports/{OLD_REPORT}":
                    self._send(200, raw=b"username,block_key\n", content_type="text/csv")
                else:
                    self._send(404, {"detail": "Not found."})

        return Handler
