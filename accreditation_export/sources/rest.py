"""
Open edX's REST APIs, over ``requests``, with OAuth2 client credentials (an API client an LMS administrator
creates in Django admin, Applications, with client type *confidential* and grant *client credentials*, for a
user with course staff or instructor access).

1. ``POST {lms}/oauth2/access_token`` (form: ``grant_type=client_credentials``, ``client_id``, ``client_secret``,
   ``token_type=jwt``) gives ``{"access_token", "token_type", "expires_in"}``; requests then carry
   ``Authorization: <token_type> <access_token>``. A 401 later fetches a new token once.
2. ``GET {lms}/api/enrollment/v1/enrollments/?course_id=...`` (paged: follow ``next``) lists who is in the
   course: ``{"next", "previous", "results": [{"user", "is_active", "course_id", ...}]}``.
3. ``POST {lms}/api/instructor/v1/reports/{course_id}/generate/problem_responses`` with
   ``{"problem_locations": [the course's root usage key], "problem_types_filter": [the blocks' types]}``
   starts the problem responses report (the rows the blocks' ``generate_report_data`` give):
   ``{"status", "task_id"}``.
4. ``GET {lms}/api/instructor/v1/tasks/{course_id}`` lists running tasks (``{"tasks": [{"task_id",
   "task_state"}]}``); the report is ready when the task is no longer running (a ``FAILURE`` state fails).
5. ``GET {lms}/api/instructor/v1/reports/{course_id}`` lists ``{"downloads": [{"url", "name", "link"}]}``; the
   newest ``..._student_state_from_...csv`` is downloaded (with the token only when it is on the LMS itself,
   not a storage URL) and read as :mod:`.reports` reads a downloaded file.

Every request has connect and read timeouts and retries 429 and 5xx with backoff (urllib3 ``Retry``).
"""
from __future__ import annotations

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
_REPORT_TIME = re.compile(r"_(\d{4}-\d{2}-\d{2}-\d{4})\.csv$")


def course_root(course_id: str) -> str:
    """The usage key of a course's root block: course-v1:A+B+C -> block-v1:A+B+C+type@course+block@course."""
    match = _COURSE_KEY.match(course_id)
    if not match:
        raise SourceError(_("{course!r} is not a course key of the form course-v1:ORG+COURSE+RUN").format(course=course_id))
    return f"block-v1:{match['org']}+{match['course']}+{match['run']}+type@course+block@course"


class RestSource:
    """Records from a running Open edX LMS (see the module's docstring for the calls made)."""

    def __init__(self, lms_url, course_id, client_id, client_secret, *, timeout=(5.0, 60.0), retries=3, backoff=0.5,
                 poll_interval=2.0, poll_timeout=900.0, session=None):
        self.lms = lms_url.rstrip("/")
        self.course_id = course_id
        self.root = course_root(course_id)
        self.client_id, self.client_secret = client_id, client_secret
        self.timeout, self.poll_interval, self.poll_timeout = timeout, poll_interval, poll_timeout
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
        if not data.get("access_token"):
            raise SourceError(_("{url}: the LMS gave no access token").format(url=self.lms))
        self._authorization = f"{data.get('token_type') or 'JWT'} {data['access_token']}"

    def _call(self, method, url, *, auth=True, **kwargs):
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
        found = []
        while url:
            data = self._json(self._call("GET", url, params=params), "enrollments")
            found += [Learner(item["user"], bool(item.get("is_active"))) for item in data.get("results", [])
                      if item.get("user")]
            url, params = data.get("next"), None  # ``next`` carries the query
        return found

    def report(self, folder: Path) -> Path:
        """Generate the problem responses report, wait for it, download it into ``folder``."""
        course = quote(self.course_id, safe=":+")
        started = self._json(self._call(
            "POST", f"{self.lms}/api/instructor/v1/reports/{course}/generate/problem_responses",
            json={"problem_locations": [self.root], "problem_types_filter": list(BLOCK_TYPES)}), "generate report")
        task_id = started.get("task_id")
        deadline = time.monotonic() + self.poll_timeout
        while True:
            tasks = self._json(self._call("GET", f"{self.lms}/api/instructor/v1/tasks/{course}"), "tasks").get("tasks", [])
            mine = [task for task in tasks if task.get("task_id") == task_id]
            if mine and mine[0].get("task_state") == "FAILURE":
                raise SourceError(_("the LMS failed to build the problem responses report: {message}").format(
                    message=mine[0].get("task_message", "")))
            if not mine or mine[0].get("task_state") == "SUCCESS":
                break
            if time.monotonic() > deadline:
                raise SourceError(_("the problem responses report was not ready after {n} seconds").format(
                    n=int(self.poll_timeout)))
            time.sleep(self.poll_interval)
        downloads = self._json(self._call("GET", f"{self.lms}/api/instructor/v1/reports/{course}"),
                               "reports").get("downloads", [])
        reports = [item for item in downloads if "student_state_from" in item.get("name", "")]
        if not reports:
            raise SourceError(_("the LMS lists no problem responses report for {course}").format(course=self.course_id))
        newest = max(reports, key=lambda item: (_REPORT_TIME.search(item["name"]) or re.match("", "")).group(0))
        same_site = urlparse(newest["url"]).netloc in ("", urlparse(self.lms).netloc)
        url = newest["url"] if urlparse(newest["url"]).netloc else f"{self.lms}{newest['url']}"
        reply = self._call("GET", url, auth=same_site, stream=True)
        path = folder / "problem_responses.csv"
        with path.open("wb") as handle:
            for block in reply.iter_content(1 << 16):
                handle.write(block)
        return path

    def records(self):
        with tempfile.TemporaryDirectory(prefix="lp-accredit-") as folder:
            records = self.learners() + read_problem_responses(self.report(Path(folder)))
        records.sort(key=lambda record: record.username)
        return iter(records)
