"""
JSON handlers with the checks every handler owes: method, permission, well-formed body.

    @json_handler(methods=("POST",), tutors_only=True)
    def cohort_report(self, data, suffix=""):
        ...
        return {...}                      # 200 JSON
        raise HandlerError(400, _("..."), missing=[...])   # error JSON: {"error": "...", **extra}
"""
import functools
import json

from webob import Response
from xblock.core import XBlock

from . import json_input, permissions
from .i18n import gettext_for


class HandlerError(Exception):
    """An error answer: ``{"error": message, **extra}`` with the given HTTP status."""

    def __init__(self, status, message, **extra):
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


def json_response(data, status=200, **headers):
    """A JSON response (UTF-8)."""
    response = Response(
        body=json.dumps(data).encode("utf-8"), status=status,
        content_type="application/json", charset="utf-8",
    )
    response.headers.update(headers)
    return response


def html_download(html, kind, learner):
    """
    A printable HTML document as a download named ``<kind>-<learner>.html`` (the name reduced to safe
    characters) that runs nothing and loads nothing, even if opened from the site.
    """
    safe_name = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in learner)[:60] or "learner"
    response = Response(
        body=html.encode("utf-8"), content_type="text/html", charset="utf-8",
        content_disposition=f'attachment; filename="{kind}-{safe_name}.html"',
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def error_response(status, message, **extra):
    """``{"error": message, ...}`` with the status."""
    return json_response({"error": message, **extra}, status=status)


def _refusal(block, tutors_only=False, authors_only=False, signed_in=False):
    """The 403 response this caller is owed, or None when they may go on."""
    _ = gettext_for(block)
    if signed_in and permissions.is_anonymous(block):
        return error_response(403, _("Sign in to use this."))
    if tutors_only and not permissions.is_tutor(block):
        return error_response(403, _("Only tutors and course staff may do this."))
    if authors_only and not permissions.can_author(block):
        return error_response(403, _("Only course authors may edit this block."))
    return None


def request_data(request):
    """
    What a JSON handler receives: a GET's query parameters, or the body as a JSON object, both within the
    bounds of :mod:`.json_input` (size, nesting, numbers, text); raises :class:`json_input.BodyError`.
    """
    if request.method == "GET":
        try:
            query = dict(request.GET)
        except UnicodeDecodeError:
            raise json_input.BodyError(json_input.NOT_UTF8_QUERY) from None
        return json_input.check_query(query)
    length = request.content_length
    if length is not None and length > json_input.MAX_BODY_BYTES:
        raise json_input.BodyError(json_input.TOO_LARGE, most=json_input.MAX_BODY_BYTES)
    return json_input.parse_body(request.body)


def json_handler(methods=("POST",), tutors_only=False, authors_only=False, signed_in=False, writes=False):
    """
    Decorate an XBlock method ``(self, data, suffix)`` as a handler that speaks JSON.

    Refuses other methods with 405, callers without the right with 403 (``signed_in``: anyone but an
    anonymous visitor; ``writes``: the handler saves learner work, which staff viewing the course as a
    learner and a block in a content library may not, see :func:`.records.check_may_record`), a body that
    is not a JSON object or breaks a bound of :mod:`.json_input` (nesting, numbers, lone surrogates) with 400
    naming the field (``field``, ``path``), a body over the size limit with 413; a GET handler receives the
    query string as ``data``.
    """
    def decorate(func):
        @XBlock.handler
        @functools.wraps(func)
        def wrapper(self, request, suffix=""):
            _ = gettext_for(self)
            if request.method not in methods:
                response = error_response(405, _("Method {method} is not allowed here").format(method=request.method))
                response.allow = list(methods)
                return response
            refused = _refusal(self, tutors_only, authors_only, signed_in)
            if refused is not None:
                return refused
            try:
                data = request_data(request)
            except json_input.BodyError as error:
                status = 413 if error.template == json_input.TOO_LARGE else 400
                return error_response(status, error.translated(_), field=error.field, path=error.path)
            try:
                if writes:
                    # records imports this module: imported here, once a handler runs.
                    from .records import check_may_record  # pylint: disable=import-outside-toplevel
                    check_may_record(self)
                result = func(self, data, suffix)
            except HandlerError as error:
                return error_response(error.status, error.message, **error.extra)
            if isinstance(result, Response):
                return result
            return json_response(result)
        return wrapper
    return decorate


def guarded_handler(tutors_only=False, signed_in=False):
    """
    Decorate a plain ``(self, request, suffix)`` handler (a download, say) with the same 403 checks
    as :func:`json_handler`; a :class:`HandlerError` it raises becomes the JSON error answer.
    """
    def decorate(func):
        @XBlock.handler
        @functools.wraps(func)
        def wrapper(self, request, suffix=""):
            refused = _refusal(self, tutors_only=tutors_only, signed_in=signed_in)
            if refused is not None:
                return refused
            if request.method == "GET":
                try:
                    request_data(request)
                except json_input.BodyError as error:
                    return error_response(400, error.translated(gettext_for(self)), field=error.field, path=error.path)
            try:
                return func(self, request, suffix)
            except HandlerError as error:
                return error_response(error.status, error.message, **error.extra)
        return wrapper
    return decorate


def tutors_only_handler(func):
    """Decorate a plain ``(self, request, suffix)`` handler so that only tutors may call it (403 JSON)."""
    return guarded_handler(tutors_only=True)(func)


def parsed_field(data, name, parse, error_type, gettext, default):
    """
    A Studio save's text field read with ``parse`` (for example the block's XML), or ``default`` when the
    request leaves it out. Raises a 400 :class:`HandlerError` naming the field when it is not text or when
    ``parse`` raises ``error_type`` (whose translated message names the element at fault).
    """
    if name not in data:
        return default
    if not isinstance(data[name], str):
        raise HandlerError(400, gettext("{field}: must be text.").format(field=name), field=name)
    try:
        return parse(data[name])
    except error_type as error:
        raise HandlerError(400, error.translated(gettext), field=name) from error
