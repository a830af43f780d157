"""An HTTP client for the workbench that behaves like the blocks' JavaScript (cookies, CSRF token)."""
import http.cookiejar
import json
import re
import urllib.error
import urllib.request


class Client:
    """A cookie-keeping HTTP client that sends Django's CSRF token like the block's JavaScript."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path, body=None, method=None, csrf=True):
        headers = {"Content-Type": "application/json"}
        token = next((c.value for c in self.jar if c.name == "csrftoken"), None)
        if csrf and token:
            headers["X-CSRFToken"] = token
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        req = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with self.opener.open(req, timeout=30) as reply:
                return reply.status, reply.headers, reply.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8")


def handler_url(page_html, handler, student, index=0):
    """The URL of a handler of the ``index``-th block on a workbench page, for ``student``."""
    usage = re.findall(r"data-usage=['\"]([^'\"]+)['\"]", page_html)[index]
    return f"/handler/{usage}/{handler}/?student={student}"


def open_scenario(base, scenario, student):
    """A new client that has opened the scenario page as ``student`` (so it holds the CSRF cookie)."""
    client = Client(base)
    status, _, html = client.request(f"/scenario/{scenario}/?student={student}")
    assert status == 200
    return client, html
