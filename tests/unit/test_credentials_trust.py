"""
Issue 12 (critical): a credential verifies only against the issuer's published keys. A ``jwk``, ``jku`` or
``x5u`` in the token's header never supplies trust, an unknown ``kid`` fails, and a hostile header (a numeric
``kid``, a malformed ``jwk``) gives that file its own failure while the rest of the batch is still verified.
The signed payload is checked against the published OB 3.0 JSON schema (from ../shared/standards).
"""
import http.server
import json
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from joserfc import jws
from joserfc.jwk import OKPKey, RSAKey

from accreditation_export.cli import main
from accreditation_export.credentials import signing
from tests.unit.test_credentials import ISSUER, JWKS_URL, NOW, decode, encode, unit_credential

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "standards" / "openbadges-3.0" / \
    "achievementcredential.schema.json"


@pytest.fixture(scope="module")
def centre():
    return RSAKey.generate_key(2048, private=True)


@pytest.fixture(scope="module")
def attacker():
    return OKPKey.generate_key("Ed25519", private=True)


def forged_with_header_key(centre, attacker, kid=None, **header):
    """The forgery of the issue: a richer credential signed with the attacker's key, placed in the header."""
    doc = unit_credential(centre)
    doc["credentialSubject"]["achievement"]["name"] = "Level 7 Diploma"
    doc["credentialSubject"]["creditsEarned"] = 999.0
    fields = {"alg": "EdDSA", "kid": kid or signing.kid_for(centre, JWKS_URL), "typ": "JWT",
              "jwk": attacker.as_dict(private=False)}
    fields.update(header)
    return jws.serialize_compact(fields, signing.canonical(signing.claims_for(doc)), attacker, algorithms=["EdDSA"])


def test_a_key_in_the_header_never_verifies_a_credential(centre, attacker):
    published = signing.public_jwks(centre, signing.kid_for(centre, JWKS_URL), "RS256")
    verdict = signing.verify(forged_with_header_key(centre, attacker), published, NOW)
    assert not verdict.ok and any(p.startswith("signature: does not match") for p in verdict.problems)
    # The attacker's own kid: not in the issuer's key set, so no key at all (the header's jwk is not one).
    verdict = signing.verify(forged_with_header_key(centre, attacker, kid=JWKS_URL + "#attacker"), published, NOW)
    assert "signature: no public key for kid 'https://centre.example.org/.well-known/jwks.json#attacker' in the " \
           "key set" in verdict.problems
    # Without a key set nothing verifies, whatever the header holds.
    assert not signing.verify(forged_with_header_key(centre, attacker), None, NOW).ok


def test_jku_and_x5u_are_refused_and_never_fetched(centre, attacker):
    published = signing.public_jwks(centre, signing.kid_for(centre, JWKS_URL), "RS256")
    token = forged_with_header_key(centre, attacker, jku="http://127.0.0.1:9/jwks.json", x5u="http://127.0.0.1:9/x")
    problems = signing.verify(token, published, NOW).problems
    assert "header: parameters not allowed by Open Badges 3.0: jku, x5u" in problems
    assert any(p.startswith("signature: does not match") for p in problems)


def _token(header, payload=None):
    return ".".join([encode(header), encode(payload or {"iss": ISSUER}), "c2ln"])


@pytest.mark.parametrize("header, problem", [
    ({"alg": "RS256", "kid": 7, "typ": "JWT"}, "header: kid must be the key's URI (text), not 7"),
    ({"alg": "RS256", "kid": ["a"], "typ": "JWT"}, "header: kid must be the key's URI (text), not ['a']"),
    ({"alg": "RS256", "typ": "JWT"}, "header: kid must be the key's URI (text), not None"),
    ({"alg": "EdDSA", "kid": "k", "jwk": "not a key"}, "header: the jwk is not a JSON Web Key"),
    ({"alg": "EdDSA", "kid": "k", "jwk": {"kty": "OKP", "crv": "Ed25519", "x": 5}},
     "signature: no public key for kid 'k' in the key set"),
    ({"alg": "EdDSA", "kid": {"nested": 1}}, "header: kid must be the key's URI (text), not {'nested': 1}"),
])
def test_hostile_headers_are_verdicts_not_crashes(centre, header, problem):
    published = signing.public_jwks(centre, signing.kid_for(centre, JWKS_URL), "RS256")
    verdict = signing.verify(_token(header), published, NOW)
    assert problem in verdict.problems and not verdict.ok


def test_a_malformed_key_set_entry_is_skipped_not_a_crash(centre):
    kid = signing.kid_for(centre, JWKS_URL)
    token = signing.sign(unit_credential(centre), centre, kid)
    published = signing.public_jwks(centre, kid, "RS256")
    junk = {"keys": [{"kty": "RSA", "n": 3, "kid": kid}, "text", {"kty": "oct", "k": "c2VjcmV0", "kid": kid}]
            + published["keys"]}
    assert signing.verify(token, junk, NOW).ok
    assert not signing.verify(token, {"keys": "nope"}, NOW).ok


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def cli(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def test_verify_a_batch_with_hostile_files_gives_each_its_own_verdict(tmp_path, centre, attacker):
    kid = signing.kid_for(centre, JWKS_URL)
    jwks = write(tmp_path / "jwks.json", json.dumps(signing.public_jwks(centre, kid, "RS256")))
    good = write(tmp_path / "good.jwt", signing.sign(unit_credential(centre), centre, kid))
    numeric = write(tmp_path / "numeric.jwt", _token({"alg": "RS256", "kid": 12345, "typ": "JWT"}))
    malformed = write(tmp_path / "malformed.jwt", _token({"alg": "EdDSA", "kid": kid, "jwk": {"kty": "OKP", "x": []}}))
    forged = write(tmp_path / "forged.jwt", forged_with_header_key(centre, attacker))
    junk = write(tmp_path / "junk.jwt", "\x00\xff" * 10)
    result = cli("verify", "--jwks", jwks, numeric, malformed, forged, good, junk)
    assert result.exit_code == 1, result.output
    assert f"ok {good}:" in result.output and result.output.count("ok ") == 1
    for path in (numeric, malformed, forged, junk):
        assert f"FAILED {path}:" in result.output
    assert "4 of 5 credentials failed" in result.output
    assert "Level 7 Diploma" not in result.output


def test_verify_without_a_key_set_is_one_message_and_no_request(tmp_path, centre):
    kid = signing.kid_for(centre, JWKS_URL)
    files = [write(tmp_path / f"{n}.jwt", signing.sign(unit_credential(centre), centre, kid)) for n in range(3)]
    result = cli("verify", *files)
    assert result.exit_code == 2
    assert result.output.count("no key set to verify with") == 1 and "FAILED" not in result.output


@pytest.fixture
def key_server(tmp_path):
    """A loopback server publishing ``tmp_path/site/jwks.json`` and counting requests."""
    site = tmp_path / "site"
    site.mkdir()
    hits = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def log_message(self, *args):
            hits.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_fetch_resolves_the_key_set_from_the_issuer_profile_only(tmp_path, centre, attacker, key_server):
    site, origin, hits = key_server
    kid = signing.kid_for(centre, origin + "/jwks.json")
    write(site / "jwks.json", json.dumps(signing.public_jwks(centre, kid, "RS256")))
    doc = unit_credential(centre)
    doc["issuer"]["id"] = origin
    good = write(tmp_path / "good.jwt", signing.sign(doc, centre, kid))
    result = cli("verify", "--fetch", good, good)
    assert result.exit_code == 0, result.output
    assert result.output.count("ok ") == 2 and len(hits) == 1          # one key set, fetched once
    # The unit credential names https://centre.example.org: a kid on 127.0.0.1 is not the issuer's key set.
    elsewhere = write(tmp_path / "elsewhere.jwt", signing.sign(unit_credential(centre), centre, kid))
    result = cli("verify", "--fetch", elsewhere)
    assert result.exit_code == 1 and "is not on the issuer's site https://centre.example.org" in result.output
    assert len(hits) == 1


def test_the_signed_payload_matches_the_published_open_badges_schema(centre):
    if not SCHEMA.exists():
        pytest.skip(f"the OB 3.0 schema is not beside the checkout ({SCHEMA})")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft201909Validator(schema, format_checker=jsonschema.FormatChecker())
    token = signing.sign(unit_credential(centre), centre, signing.kid_for(centre, JWKS_URL))
    payload = decode(token.split(".")[1])
    errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    forged = dict(payload, credentialSubject="nope")
    assert list(validator.iter_errors(forged))          # the validator does catch a broken credential


def test_verify_reads_no_more_than_a_credential(tmp_path, centre):
    kid = signing.kid_for(centre, JWKS_URL)
    jwks = write(tmp_path / "jwks.json", json.dumps(signing.public_jwks(centre, kid, "RS256")))
    huge = tmp_path / "huge.jwt"
    huge.write_bytes(b"a" * (2 * 1024 * 1024))
    result = cli("verify", "--jwks", jwks, huge)
    assert result.exit_code == 1 and "larger than a credential" in result.output


@pytest.fixture
def hostile_key_server():
    """A loopback server whose /drip answers a byte every 0.2 s, /redirect sends elsewhere, /huge is 1 MB."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # pylint: disable=invalid-name
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = b'{"keys": []}' if self.path == "/drip" else b'{"keys": [' + b" " * (1024 * 1024) + b"]}"
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                if self.path == "/drip":
                    for index in range(len(body)):
                        self.wfile.write(body[index:index + 1])
                        self.wfile.flush()
                        time.sleep(0.2)
                else:
                    self.wfile.write(body)
            except OSError:
                pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_key_set_is_fetched_with_bounds(tmp_path, centre, hostile_key_server, monkeypatch):
    from accreditation_export.credentials import command  # pylint: disable=import-outside-toplevel
    monkeypatch.setattr(command, "FETCH_TIMEOUT", (0.5, 1.0))
    token = write(tmp_path / "c.jwt", signing.sign(unit_credential(centre), centre, signing.kid_for(centre, JWKS_URL)))
    started = time.monotonic()
    result = cli("verify", "--jwks", hostile_key_server + "/drip", token)
    assert result.exit_code == 1 and "the key set cannot be fetched" in result.output
    assert time.monotonic() - started < 4                  # cut at 1.5 s, not the 2.4 s the drip would take
    result = cli("verify", "--jwks", hostile_key_server + "/redirect", token)
    assert result.exit_code == 1 and "cannot be fetched: HTTP 302" in result.output
    result = cli("verify", "--jwks", hostile_key_server + "/huge", token)
    assert result.exit_code == 1 and "the answer is larger than a key set" in result.output
