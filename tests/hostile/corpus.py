"""
The hostile-input corpus: Hypothesis strategies for what an attacker (or a broken client) sends to a block's
handlers, and the invariants every answer must keep.

A *case* is ``(role, method, payload)``: who calls (anonymous visitor, the learner who owns the seeded work,
another learner, a tutor), with which HTTP method, and what they send - a JSON object built from the
handler's own fields with hostile values (wrong types, lone surrogates, zero-width and bidi characters,
formula triggers, huge and non-finite numbers, deep nesting, missing and extra fields), or raw bytes
(malformed JSON, invalid UTF-8, a million brackets, a body over the size limit), or a query string.

Invariants (:func:`check`): never an exception or a 5xx; every 4xx is JSON with an ``error`` message; every
400, 404 and 413 names the field (a ``field`` or ``fields`` key); a refused request writes nothing to the
database (plugin tables, edx-submissions and the workbench's user state all live there: SQLite's count of
rows changed on the connection must not move); an anonymous visitor's request writes nothing at all, whatever
its answer; another learner's request never changes the seeded learner's stored work or state.

Settings: :data:`HOSTILE` (``LP_HOSTILE_EXAMPLES`` cases per JSON handler, default 1000, and 30 % of that for
each download; deterministic: ``derandomize=True``, no example database, no deadline).
"""
import json
import os
from urllib.parse import quote

from django.db import connection
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from xblock.fields import Scope

from tests.conftest import call_handler

EXAMPLES = int(os.environ.get("LP_HOSTILE_EXAMPLES", "1000"))
# The downloads (CSV, HTML) are not JSON handlers; a smaller share of the budget checks them.
DOWNLOAD_EXAMPLES = max(1, EXAMPLES * 3 // 10)

settings.register_profile(
    "lp-hostile",
    max_examples=EXAMPLES,
    deadline=None,  # a case's time depends on the machine's load, not on the input
    derandomize=True,  # the same cases on every run and every machine
    database=None,  # nothing written under .hypothesis/
    print_blob=False,
    # One block per role is reused across cases on purpose (function-scoped fixtures), and some raw bodies are large.
    suppress_health_check=list(HealthCheck),
)
HOSTILE = settings.get_profile("lp-hostile")

ANONYMOUS, LEARNER, OTHER, TUTOR = "none", "ann", "bob", "tutor"
ROLES = (ANONYMOUS, LEARNER, OTHER, TUTOR)
# The internal verifier (LP_WORKBENCH_VERIFIERS) calls the quality-assurance handlers besides the four roles.
VERIFIER = "verifier"

# ------------------------------------------------------------------------------------------ values

SPECIAL_TEXTS = [
    "", " ", "\t\n", "x" * 5000, "\u200b", "\u200b\u200c\u200d\ufeff", "\u202e\u2066evil\u2069", "\u3164",
    "\u00b2", "\u0661", "\uff11", "1e400", "NaN", "-1", "0", "null", "true", "[]", "{}",
    "=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)", "-2+3", "<script>alert(1)</script>", "\"><img src=x>",
    "\x00", "\ud800", "\udfff", "\U0001f600", "e\u0301", "../../etc/passwd", "%s%n", "{0}{name}",
    "2026-02-30", "31/12/2026", "9999-12-31", "0001-01-01", "ongoing", "ONGOING",
]
HUGE_NUMBERS = [10 ** 30, -(10 ** 30), 2 ** 53, 2 ** 53 - 1, 2 ** 63, 2 ** 64, 2 ** 31, -1, 0, 1, 10 ** 4000]

texts = st.one_of(
    st.sampled_from(SPECIAL_TEXTS),
    st.text(max_size=12),
    st.text(st.characters(categories=["Cs", "Cf", "Zs", "Mn", "Co", "Cc"]), max_size=6),
)
numbers = st.one_of(
    st.sampled_from(HUGE_NUMBERS),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=6,
)


def hostile(*valid):
    """A field's values: its valid ones (often), or anything else."""
    if not valid:
        return json_values
    return st.one_of(st.sampled_from(valid), json_values)


# ------------------------------------------------------------------------------------------ payloads

class Raw(bytes):
    """A body sent as these exact bytes."""

    def __repr__(self):
        text = bytes(self)
        return f"Raw({text[:80]!r}{'...' if len(text) > 80 else ''}, {len(text)} bytes)"


class Query(str):
    """A GET request's query string."""


def encoded(data, ascii_only, sort):
    """JSON text of ``data`` as a client could send it (lone surrogates pass through as invalid UTF-8)."""
    text = json.dumps(data, ensure_ascii=ascii_only, sort_keys=sort, allow_nan=True)
    return Raw(text.encode("utf-8", "surrogatepass"))


def _nested(field, depth, opener):
    closer = {"[": "]", "{": "}"}[opener]
    inner = '{"k": ' if opener == "{" else "["
    return Raw(('{"%s": ' % field + inner * depth + "1" + closer * depth + "}").encode())


BIG_BODY = Raw(b'{"body": "' + b"A" * (1024 * 1024 + 16) + b'"}')


def raw_bodies(fields):
    """Bodies that are not a well-formed JSON object within bounds."""
    names = st.sampled_from(list(fields) or ["x"])
    literal = st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-1e999", str(10 ** 30), "1" * 5000,
                               '"\\ud800"', '"\\udfff\\ud800"', '"\\u0000"', "[" * 20 + "]" * 20])
    return st.one_of(
        st.sampled_from([Raw(b""), Raw(b"null"), Raw(b"[]"), Raw(b"\xff\xfe"), Raw(b"{"), Raw(b'{"a":}'),
                         Raw(b"{}{}"), Raw(b"[" * 100_000), Raw(b'"text"'), Raw(b"123"), BIG_BODY,
                         Raw('{"\ud800": 1}'.encode("utf-8", "surrogatepass"))]),
        st.builds(_nested, names, st.sampled_from([16, 17, 50, 1000, 100_000]), st.sampled_from(["[", "{"])),
        st.builds(lambda name, value: Raw(('{"%s": %s}' % (name, value)).encode()), names, literal),
        st.binary(max_size=40).map(Raw),
    )


def queries(fields):
    """Query strings: the handler's fields with hostile text, percent-encoded (or not valid UTF-8)."""
    names = st.sampled_from(list(fields) + ["x"])
    pair = st.builds(lambda k, v: f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'))}", names, texts)
    return st.one_of(
        st.lists(pair, max_size=4).map(lambda pairs: Query("&".join(pairs))),
        st.sampled_from([Query("page=%ff%fe"), Query("learner=%ed%a0%80"), Query("page=%C2%B2"),
                         Query("page=1000000000000000000000000000000"), Query("status=passed&status=%00")]),
    )


def objects(fields):
    """JSON objects from the handler's fields (any subset, hostile values) plus unknown extra keys."""
    return st.builds(
        lambda known, extra, drop_extra, ascii_only, sort: encoded(
            {**({} if drop_extra else extra), **known}, ascii_only, sort),
        st.fixed_dictionaries({}, optional=fields),
        st.dictionaries(texts, scalars, max_size=2),
        st.booleans(), st.booleans(), st.booleans(),
    )


def near(valid, fields):
    """A valid body with at most one field given a hostile value and at most one left out: the deeper paths."""
    if not valid:
        return objects(fields)
    override = st.one_of(st.just({}), *[st.fixed_dictionaries({name: value}) for name, value in fields.items()])
    dropped = st.one_of(st.just(None), st.sampled_from(sorted(valid)))
    return st.builds(
        lambda over, drop, ascii_only: encoded({**{k: v for k, v in valid.items() if k != drop}, **over}, ascii_only, False),
        override, dropped, st.booleans(),
    )


LEARNER_ROLES = (LEARNER, LEARNER, LEARNER, OTHER, OTHER, ANONYMOUS, TUTOR)
TUTOR_ROLES = (TUTOR, TUTOR, TUTOR, TUTOR, LEARNER, OTHER, ANONYMOUS)
QA_ROLES = (VERIFIER, VERIFIER, VERIFIER, TUTOR, TUTOR, LEARNER, LEARNER, OTHER, ANONYMOUS)


def cases(fields, methods=("POST",), valid=None, roles=ROLES):
    """
    ``(role, method, payload)`` for a handler taking ``fields`` (name -> strategy) by ``methods``: ``valid`` is a
    correct body (near-valid variants reach the handler's deeper paths), ``roles`` the callers with repeats
    as weights (every role appears).
    """
    post = st.one_of(objects(fields), objects(fields), near(valid, fields), near(valid, fields), raw_bodies(fields))
    requests = [st.tuples(st.just("POST"), post)]
    if "GET" in methods:
        requests.append(st.tuples(st.just("GET"), queries(fields)))
    requests.append(st.tuples(st.sampled_from(["PUT", "DELETE", "PATCH"] + (["GET"] if "GET" not in methods else [])),
                              st.just(Raw(b"{}"))))
    weights = st.one_of(*requests[:-1]) if len(requests) > 1 else requests[0]
    request = st.one_of(weights, weights, weights, weights, requests[-1])
    assert set(ROLES) <= set(roles) <= set(ROLES) | {VERIFIER}, roles
    return st.tuples(st.sampled_from(roles), request).map(lambda pair: (pair[0], *pair[1]))


# ------------------------------------------------------------------------------------------ invariants

def writes():
    """Rows inserted, updated or deleted through the test database connection so far (SQLite's own counter)."""
    connection.ensure_connection()
    return connection.connection.total_changes


class Caller:
    """Blocks of one scenario, one per role, reused across examples; counts the statuses seen."""

    def __init__(self, get):
        self.get = get
        self.blocks = {}
        self.statuses = {}
        self.known_work = None  # the seeded learner's stored work, as last read (None: read it again)
        for role in ROLES:
            self.block(role)

    def block(self, role):
        if role not in self.blocks:
            block = self.get(role)
            # The SDK workbench creates a user's (empty) state row on the first read of their state, even in a
            # request that changes nothing: read it once now so that every later write is a real one.
            for name, field in block.fields.items():
                if field.scope == Scope.user_state:
                    getattr(block, name)
                    break
            self.blocks[role] = block
        return self.blocks[role]

    def owners_work(self):
        """Everything stored for the seeded learner (``ann``): their rows in every plugin table and their state."""
        from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel
        from lp_xblocks.data import models  # pylint: disable=import-outside-toplevel
        tables = [models.ReflectiveEntry, models.NeedsAssessmentAttempt, models.FacilitationAttempt,
                  models.FacilitationChoice, models.ActivityResponse,
                  models.WorkshopBooking]
        rows = [list(table.objects.filter(student_id=LEARNER).order_by("pk").values()) for table in tables]
        rows.append(list(XBlockState.objects.filter(user_id=LEARNER).order_by("pk").values("scope_id", "state")))
        return rows

    def __call__(self, handler, role, method, payload):
        block = self.block(role)
        if role == OTHER and self.known_work is None:
            self.known_work = self.owners_work()
        before = writes()
        if isinstance(payload, Query):
            status, reply, response = call_handler(block, handler, method=method, query=str(payload))
        else:
            status, reply, response = call_handler(block, handler, bytes(payload) if method != "GET" else None,
                                                   method=method)
        self.statuses[status] = self.statuses.get(status, 0) + 1
        written = writes() - before
        check(status, reply, response, written)
        if role == ANONYMOUS:
            assert written == 0, f"an anonymous visitor's request ({status}) wrote {written} rows"
        if written:  # nothing written, nothing changed: the seeded learner's work is read again only after a write
            if role == OTHER:
                assert self.owners_work() == self.known_work, \
                    f"another learner's request ({status}) changed {LEARNER}'s work"
            self.known_work = None
        return status, reply


def check(status, reply, response, written):
    """The invariants every answer to a hostile request keeps."""
    assert status < 500, f"{status}: {reply!r:.300}"
    if status >= 400:
        assert response.content_type == "application/json", f"{status} answered as {response.content_type}"
        assert isinstance(reply, dict) and isinstance(reply.get("error"), str) and reply["error"].strip(), reply
        if status in (400, 404, 413):
            assert "field" in reply or "fields" in reply, f"{status} names no field: {reply!r:.300}"
        assert written == 0, f"a refused request ({status}: {reply['error']!r:.200}) wrote {written} rows"
