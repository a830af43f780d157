"""
A stand-in for the Open edX LMS endpoints the REST source calls (we cannot run an LMS here), implementing
their documented shapes on 127.0.0.1, as edx-platform's own code has them:

- OAuth2 client credentials (JWT tokens that expire);
- the enrolment list (``CourseEnrollmentsApiListView``: global staff only, ``IsAdminUser``; paged by ``next``);
- the instructor v1 report API: generate (``{"status", "task_id"}``), the course's task list (``tasks/{course}``:
  running tasks only, so a failed or finished task is never listed), the downloads list (``report_name`` filter);
- ``instructor_task_status/?task_id=`` (``{"task_id", "task_state", "in_progress", "message", "task_progress"}``;
  ``{}`` for an unknown id), with the report's name and row count in ``task_progress`` on success;
- the report files: the one the task wrote, cut at ``max_rows`` data rows as ``MAX_PROBLEM_RESPONSES_COUNT``
  cuts it, beside an older report and a newer one another user generated.
"""
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

COURSE = "course-v1:LP+PM101+2026"
_PREFIX = "LP_PM101_2026_student_state_from_block-v1_LP+PM101+2026+type@course+block@course"
REPORT_NAME = f"{_PREFIX}_for_lp_reflective_log,lp_facilitation_exercise,lp_needs_assessment_2026-11-25-1200.csv"
OLD_REPORT = f"{_PREFIX}_2026-01-02-0900.csv"
OTHER_REPORT = f"{_PREFIX}_for_lp_reflective_log_2026-11-25-1300.csv"   # newer, someone else's, one block type only
TASK_ID = "4e49522f-31d9-431a-9cff-dd2a2bf4c85a"


class FakeLms:
    def __init__(self, report: Path, enrolments, client=("client", "secret"), page_size=2, max_rows=5000):
        self.report, self.enrolments, self.client, self.page_size = report, list(enrolments), client, page_size
        self.max_rows = max_rows    # the LMS's FEATURES["MAX_PROBLEM_RESPONSES_COUNT"]
        self.tokens = {}            # token -> requests left before it expires
        self.token_uses = 3
        self.polls_running = 2      # the task shows as running for this many status polls
        self.fail_task = False      # the task ends in FAILURE (and leaves the course's running-task list)
        self.staff = True           # the service user is global staff (the enrolment list needs it)
        self.list_task_report = True  # the downloads list includes the report the task wrote
        self.fail_once = {"enrollments"}
        self.enrolment_answer = None  # when set, the enrolment list answers this instead
        self.status_polls = []      # task ids asked about on instructor_task_status
        self.downloaded = []        # report files served
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

    def written_report(self) -> bytes:
        """The report file the task writes: the fixture's rows cut at ``max_rows`` data rows, as the LMS cuts it."""
        lines = self.report.read_bytes().splitlines(keepends=True)
        return b"".join(lines[:1 + self.max_rows])

    def written_rows(self) -> int:
        return len(self.written_report().splitlines()) - 1

    def task_status(self, task_id):
        """What instructor_task_status answers for ``task_id`` at this poll."""
        if task_id != TASK_ID or not self.generated:
            return {}
        status = {"task_id": TASK_ID, "task_type": "problem_responses_csv"}
        if self.polls_running > 0:
            self.polls_running -= 1
            return {**status, "task_state": "PROGRESS", "in_progress": True, "succeeded": False,
                    "message": "Progress: generated 0 of 0 so far",
                    "task_progress": {"action_name": "generated", "attempted": 0, "succeeded": 0, "skipped": 0,
                                      "failed": 0, "total": 1, "duration_ms": 120,
                                      "step": "Calculating students answers to problem"}}
        if self.fail_task:
            return {**status, "task_state": "FAILURE", "in_progress": False, "succeeded": False, "message": "boom",
                    "task_progress": {"exception": "KeyError", "message": "boom", "traceback": "Traceback ..."}}
        rows = self.written_rows()
        return {**status, "task_state": "SUCCESS", "in_progress": False, "succeeded": False,
                "message": f"Status: generated {rows} of {rows}",
                "task_progress": {"action_name": "generated", "attempted": rows, "succeeded": rows, "skipped": 0,
                                  "failed": 0, "total": 1, "duration_ms": 2400, "step": "CSV uploaded",
                                  "report_name": REPORT_NAME}}

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
                    self._send(200, {"status": "The problem responses report is being created.", "task_id": TASK_ID})
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
                    if not lms.staff:
                        self._send(403, {"detail": "You do not have permission to perform this action."})
                        return
                    if lms.enrolment_answer is not None:
                        self._send(200, lms.enrolment_answer)
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
                    running = lms.generated and lms.polls_running > 0
                    self._send(200, {"tasks": [{"task_id": TASK_ID, "task_type": "problem_responses_csv",
                                                "task_state": "PROGRESS", "requester": "staff"}] if running else []})
                elif path == "/instructor_task_status/":
                    lms.status_polls.append(query.get("task_id", [""])[0])
                    self._send(200, lms.task_status(query.get("task_id", [""])[0]))
                elif path == f"/api/instructor/v1/reports/{COURSE}":
                    if not self._authorised():
                        return
                    names = [OLD_REPORT, OTHER_REPORT] + ([REPORT_NAME] if lms.generated and lms.list_task_report else [])
                    wanted = query.get("report_name", [None])[0]
                    downloads = [{"name": name, "url": f"{lms.url}/media/reports/{name}",
                                  "link": f'<a href="{lms.url}/media/reports/{name}">{name}</a>'}
                                 for name in names if wanted in (None, name)]
                    self._send(200, {"downloads": downloads})
                elif path.startswith("/media/reports/") and path[len("/media/reports/"):] in (REPORT_NAME, OLD_REPORT, OTHER_REPORT):
                    name = path[len("/media/reports/"):]
                    lms.downloaded.append(name)
                    body = lms.written_report() if name == REPORT_NAME else b"username,title,location,block_key,state\n"
                    self._send(200, raw=body, content_type="text/csv")
                else:
                    self._send(404, {"detail": "Not found."})

        return Handler
