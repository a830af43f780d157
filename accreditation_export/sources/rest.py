"""
Open edX's REST APIs, over ``requests``, with OAuth2 client credentials: an API client an LMS administrator
creates in Django admin (Applications: client type *confidential*, grant *client credentials*) for a **service
user with global staff status** (``is_staff``, "Staff status" in Django admin). The enrolment list requires it
(``IsAdminUser``): course staff or instructor access is not enough and gets HTTP 403.

1. ``POST {lms}/oauth2/access_token`` (form: ``grant_type=client_credentials``, ``client_id``, ``client_secret``,
   ``token_type=jwt``) gives ``{"access_token", "token_type", "expires_in"}``; requests then carry
   ``Authorization: <token_type> <access_token>``. A 401 later fetches a new token once.
2. ``GET {lms}/api/enrollment/v1/enrollments/?course_id=...`` (paged: follow ``next``) lists who is in the
   course: ``{"next", "previous", "results": [{"user", "is_active", "course_id", ...}]}``.
3. ``POST {lms}/api/instructor/v1/reports/{course_id}/generate/problem_responses`` with
   ``{"problem_locations": [the course's root usage key], "problem_types_filter": [the blocks' types]}``
   starts the problem responses report (the rows the blocks' ``generate_report_data`` give):
   ``{"status", "task_id"}``.
4. ``GET {lms}/instructor_task_status/?task_id=...`` is polled for *that* task (the course's task list,
   ``/api/instructor/v1/tasks/{course_id}``, shows running tasks only, so a failed task would simply vanish
   from it): ``{"task_id", "task_state", "in_progress", "message", "task_progress": {"attempted", "total",
   "report_name", ...}}``. ``FAILURE`` or ``REVOKED`` fails with the LMS's message; ``SUCCESS`` names the file
   the task wrote (``task_progress.report_name``) and how many rows it holds (``attempted``).
5. The report stops at the LMS's ``FEATURES["MAX_PROBLEM_RESPONSES_COUNT"]`` rows (5,000 by default, about 380
   learners of this course) without saying so: a report of that many rows (by the task's count or the file's)
   is refused as cut short rather than exported with learners missing. Where the LMS raised the limit, set
   ``LP_ACCREDIT_MAX_PROBLEM_RESPONSES`` to the same number.
6. ``GET {lms}/api/instructor/v1/reports/{course_id}?report_name=...`` lists ``{"downloads": [{"url", "name",
   "link"}]}``; the entry named exactly as the task's report is downloaded (with the token only when it is on
   the LMS itself, not a storage URL) and read as :mod:`.reports` reads a downloaded file -- never an older
   report that happens to be listed.

Every request has connect and read timeouts and retries 429 and 5xx with backoff (urllib3 ``Retry``).
"""
from __future__ import annotations

import csv
import os
import re
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlparse

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ..i18n import _
from .base import Learner, SourceError
from .reports import FACILITATION, NEEDS_ASSESSMENT, REFLECTIVE_LOG, read_problem_responses

BLOCK_TYPES = (REFLECTIVE_LOG, FACILITATION, NEEDS_ASSESSMENT)
_COURSE_KEY = re.compile(r"^course-v1:(?P<org>[^+]+)\+(?P<course>[^+]+)\+(?P<run>[^+]+)$")
# The LMS's default FEATURES["MAX_PROBLEM_RESPONSES_COUNT"]: the problem responses report stops there, silently.
MAX_PROBLEM_RESPONSES_COUNT = 5000
FAILED_STATES = ("FAILURE", "REVOKED")
ROW_LIMIT_VARIABLE = "LP_ACCREDIT_MAX_PROBLEM_RESPONSES"
MAX_ENROLMENT_PAGES = 10_000  # 100 a page: a million enrolments


def _row_limit_from_environment():
    """The LMS's report limit: ``LP_ACCREDIT_MAX_PROBLEM_RESPONSES`` where the LMS raised it, else its default."""
    raw = os.environ.get(ROW_LIMIT_VARIABLE, "").strip()
    if not raw:
        return MAX_PROBLEM_RESPONSES_COUNT
    if not raw.isdigit() or not 1 <= int(raw) <= 10_000_000:
        raise SourceError(_("{name} must be a whole number of rows from 1 to 10,000,000 (the LMS's "
                            "MAX_PROBLEM_RESPONSES_COUNT), not {value!r}").format(name=ROW_LIMIT_VARIABLE, value=raw[:40]))
    return int(raw)


def _task_message(status):
    progress = status.get("task_progress") if isinstance(status.get("task_progress"), dict) else {}
    message = status.get("message") or progress.get("message") or progress.get("exception") or ""
    return str(message)[:300] or _("no message")


def _data_rows(path: Path) -> int:
    """Rows of a downloaded CSV report, not counting its header."""
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        return max(sum(1 for _row in csv.reader(handle)) - 1, 0)


def course_root(course_id: str) -> str:
    """The usage key of a course's root block: course-v1:A+B+C -> block-v1:A+B+C+type@course+block@course."""
    match = _COURSE_KEY.match(course_id)
    if not match:
        raise SourceError(_("{course!r} is not a course key of the form course-v1:ORG+COURSE+RUN").format(course=course_id))
    return f"block-v1:{match['org']}+{match['course']}+{match['run']}+type@course+block@course"


class RestSource:
    """Records from a running Open edX LMS (see the module's docstring for the calls made)."""

    def __init__(self, lms_url, course_id, client_id, client_secret, *, timeout=(5.0, 60.0), retries=3, backoff=0.5,
                 poll_interval=2.0, poll_timeout=900.0, row_limit=None, session=None):
        self.lms = lms_url.rstrip("/")
        self.course_id = course_id
        self.root = course_root(course_id)
        self.client_id, self.client_secret = client_id, client_secret
        self.timeout, self.poll_interval, self.poll_timeout = timeout, poll_interval, poll_timeout
        self.row_limit = row_limit if row_limit is not None else _row_limit_from_environment()
        self.description = _("the LMS {url}, course {course}").format(url=self.lms, course=course_id)
        self.session = session or requests.Session()
        adapter = HTTPAdapter(max_retries=Retry(
            total=retries, backoff_factor=backoff, status_forcelist=(429, 500, 502, 503, 504), allowed_methods=None,
            respect_retry_after_header=True, raise_on_status=False))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._authorization = None

    # ------------------------------------------------------------------ HTTP

    def _token(self):
        try:
            reply = self.session.post(f"{self.lms}/oauth2/access_token", timeout=self.timeout, data={
                "grant_type": "client_credentials", "client_id": self.client_id,
                "client_secret": self.client_secret, "token_type": "jwt"})
        except requests.RequestException as error:
            raise SourceError(_("{url}: cannot reach the LMS: {why}").format(url=self.lms, why=error)) from error
        if reply.status_code in (400, 401, 403):
            raise SourceError(_("{url}: the LMS refused the OAuth2 client credentials (HTTP {status})").format(
                url=self.lms, status=reply.status_code))
        data = self._json(reply, "oauth2/access_token")
        if not isinstance(data, dict) or not isinstance(data.get("access_token"), str) or not data["access_token"]:
            raise SourceError(_("{url}: the LMS gave no access token").format(url=self.lms))
        self._authorization = f"{data.get('token_type') or 'JWT'} {data['access_token']}"

    def _call(self, method, url, *, auth=True, forbidden=None, **kwargs):
        for attempt in (1, 2):
            headers = kwargs.pop("headers", {})
            if auth:
                if self._authorization is None:
                    self._token()
                headers["Authorization"] = self._authorization
            try:
                reply = self.session.request(method, url, headers=headers, timeout=self.timeout, **kwargs)
            except requests.RequestException as error:
                raise SourceError(_("{url}: no answer from the LMS: {why}").format(url=url, why=error)) from error
            if reply.status_code == 401 and auth and attempt == 1:
                self._authorization = None  # the token expired: fetch another, once
                kwargs["headers"] = headers
                continue
            if reply.status_code == 403 and forbidden:
                raise SourceError(forbidden)
            if reply.status_code >= 400:
                raise SourceError(_("{url}: the LMS answered HTTP {status}: {body}").format(
                    url=url, status=reply.status_code, body=reply.text[:300]))
            return reply
        raise AssertionError("unreachable")

    @staticmethod
    def _json(reply, what):
        try:
            return reply.json()
        except ValueError:
            raise SourceError(_("{what}: the LMS did not answer JSON").format(what=what)) from None

    # ------------------------------------------------------------------ the calls

    def learners(self):
        """Who is in the course (every enrolment, active or not)."""
        url = f"{self.lms}/api/enrollment/v1/enrollments/"
        params = {"course_id": self.course_id, "page_size": 100}
        found, pages = [], 0
        while url:
            data = self._json(self._call("GET", url, params=params, forbidden=_(
                "{url}: the LMS refused the enrolment list (HTTP 403): the OAuth2 client's service user must have "
                "global staff status (is_staff, \"Staff status\" in Django admin); course staff is not enough").format(
                    url=url)), "enrollments")
            results = data.get("results") if isinstance(data, dict) else None
            if not isinstance(results, list) or not all(isinstance(item, dict) for item in results):
                raise SourceError(_("{url}: the LMS's enrolment list is not the documented shape "
                                    "({{\"results\": [...], \"next\"}})").format(url=url))
            found += [Learner(item["user"], bool(item.get("is_active"))) for item in results
                      if isinstance(item.get("user"), str) and item["user"]]
            following = data.get("next")
            if following is not None and not (isinstance(following, str) and urlparse(following).netloc in (
                    "", urlparse(self.lms).netloc)):
                raise SourceError(_("{url}: the LMS's enrolment list points its next page elsewhere: {next!r}").format(
                    url=url, next=str(following)[:200]))
            pages += 1
            if pages > MAX_ENROLMENT_PAGES:
                raise SourceError(_("{url}: the enrolment list runs past {n} pages").format(url=url, n=MAX_ENROLMENT_PAGES))
            url, params = following, None  # ``next`` carries the query
        return found

    def report(self, folder: Path) -> Path:
        """Generate the problem responses report, wait for its task, download the file that task wrote."""
        course = quote(self.course_id, safe=":+")
        started = self._json(self._call(
            "POST", f"{self.lms}/api/instructor/v1/reports/{course}/generate/problem_responses",
            json={"problem_locations": [self.root], "problem_types_filter": list(BLOCK_TYPES)}), "generate report")
        task_id = started.get("task_id") if isinstance(started, dict) else None
        if not isinstance(task_id, str) or not task_id:
            raise SourceError(_("{url}: the LMS started no problem responses report task (no task_id in its answer)").format(
                url=self.lms))
        progress = self._finished_task(task_id).get("task_progress")
        name = progress.get("report_name") if isinstance(progress, dict) else None
        if not isinstance(name, str) or not name:
            raise SourceError(_("the LMS's report task {task} finished without naming the report it wrote").format(
                task=task_id))
        rows = progress.get("attempted")
        if isinstance(rows, int) and not isinstance(rows, bool):
            self._refuse_truncated(rows)
        downloads = self._json(self._call("GET", f"{self.lms}/api/instructor/v1/reports/{course}",
                                          params={"report_name": name}), "reports")
        downloads = downloads.get("downloads") if isinstance(downloads, dict) else None
        mine = [item for item in downloads or () if isinstance(item, dict) and item.get("name") == name
                and isinstance(item.get("url"), str) and item["url"]]
        if not mine:
            raise SourceError(_("the LMS does not list the report {name} that its task {task} wrote").format(
                name=name, task=task_id))
        link = mine[0]["url"]
        same_site = urlparse(link).netloc in ("", urlparse(self.lms).netloc)
        url = link if urlparse(link).netloc else f"{self.lms}{link}"
        reply = self._call("GET", url, auth=same_site, stream=True)
        path = folder / "problem_responses.csv"
        with path.open("wb") as handle:
            for block in reply.iter_content(1 << 16):
                handle.write(block)
        self._refuse_truncated(_data_rows(path))
        return path

    def _finished_task(self, task_id):
        """Poll the task's own status until it is no longer in progress; its status if it succeeded."""
        deadline = time.monotonic() + self.poll_timeout
        while True:
            status = self._json(self._call("GET", f"{self.lms}/instructor_task_status/", params={"task_id": task_id}),
                                "instructor_task_status")
            if not isinstance(status, dict) or not status:
                raise SourceError(_("the LMS does not know the report task {task} it started").format(task=task_id))
            if status.get("task_id") not in (None, task_id):
                raise SourceError(_("the LMS answered about task {other} when asked about task {task}").format(
                    other=status.get("task_id"), task=task_id))
            state = status.get("task_state")
            if state in FAILED_STATES:
                raise SourceError(_("the LMS failed to build the problem responses report: {message} (task {task}, "
                                    "{state})").format(task=task_id, state=state, message=_task_message(status)))
            if state == "SUCCESS" and not status.get("in_progress"):
                return status
            if time.monotonic() > deadline:
                raise SourceError(_("the problem responses report was not ready after {n} seconds (task {task}, {state})")
                                  .format(n=int(self.poll_timeout), task=task_id, state=state))
            time.sleep(self.poll_interval)

    def _refuse_truncated(self, rows):
        if rows >= self.row_limit:
            raise SourceError(_(
                "the problem responses report holds {rows} rows, the LMS's limit (FEATURES[\"MAX_PROBLEM_RESPONSES_COUNT\"], "
                "here {limit}): it was cut short and later learners are missing. Raise the limit in the LMS's settings and "
                "set {name} to the same number, or export from report files (--source reports)"
            ).format(rows=rows, limit=self.row_limit, name=ROW_LIMIT_VARIABLE))

    def records(self):
        with tempfile.TemporaryDirectory(prefix="lp-accredit-") as folder:
            records = self.learners() + read_problem_responses(self.report(Path(folder)))
        records.sort(key=lambda record: record.username)
        return iter(records)
