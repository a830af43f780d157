"""Open Badges 3.0 credentials: structure, VC-JWT signing and verification, tamper detection, determinism."""
import base64
import datetime as dt
import hashlib
import json
from zoneinfo import ZoneInfo

import pytest
from joserfc import jws
from joserfc.jwk import OKPKey, RSAKey

from accreditation_export.credentials import openbadges, signing
from accreditation_export.register import Candidate
from tests import mi_fixture as fx

LONDON = ZoneInfo("Europe/London")
ISSUER = "https://centre.example.org"
JWKS_URL = "https://centre.example.org/.well-known/jwks.json"
NOW = dt.datetime(2027, 1, 5, tzinfo=dt.timezone.utc)
ANN = Candidate(2, "ann", fx.PEOPLE[0][4], "Ann", "Bell", "1980-01-02", "C001", "600/0000/0")
LPM1 = fx.CATALOGUE.unit_by_id["LPM1"]


@pytest.fixture(scope="module")
def rsa():
    return RSAKey.generate_key(2048, private=True)


@pytest.fixture(scope="module")
def ed25519():
    return OKPKey.generate_key("Ed25519", private=True)


def unit_credential(key, day=dt.date(2026, 11, 20)):
    salt = openbadges.identity_salt(signing.secret_of(key), "000000", ANN.candidate_number)
    issuer = openbadges.issuer_profile(ISSUER, "Example Centre", fx.CATALOGUE)
    return openbadges.credential(achievement=openbadges.unit_achievement(LPM1, ISSUER, fx.CATALOGUE), credits=3,
                                 day=day, candidate=ANN, catalogue=fx.CATALOGUE, issuer=issuer, salt=salt, tz=LONDON)


def decode(segment):
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def encode(value):
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def test_a_unit_credential_has_the_open_badges_3_shape(rsa):
    doc = unit_credential(rsa)
    assert doc["@context"] == ["https://www.w3.org/ns/credentials/v2",
                               "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["issuer"] == {"id": ISSUER, "type": ["Profile"], "name": "Example Centre",
                             "description": "Centre 000000 of Sample Awarding Organisation"}
    assert doc["validFrom"] == "2026-11-20T00:00:00+00:00"          # the achievement date, not the clock
    assert doc["id"].startswith("urn:uuid:") and doc["id"] == openbadges.credential_id("000000", "C001", "A/000/0001")
    achievement = doc["credentialSubject"]["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["name"] == LPM1.title
    assert achievement["humanCode"] == "A/000/0001" and achievement["creditsAvailable"] == 3.0
    assert "1. Understand the remit and protocols of a learning partnership" in achievement["criteria"]["narrative"]
    assert "    - 3.2 Evaluate own approach to chairing a partnership meeting" in achievement["criteria"]["narrative"]
    level, *criteria = achievement["alignment"]
    assert level == {"type": ["Alignment"], "targetName": "RQF level 4", "targetCode": "4",
                     "targetFramework": "Regulated Qualifications Framework (RQF)", "targetType": "ext:QualificationLevel",
                     "targetUrl": openbadges.LEVEL_FRAMEWORK_URL}
    assert [c["targetCode"] for c in criteria] == [c.id for c in LPM1.criteria]
    assert criteria[0]["targetName"] == LPM1.criteria[0].text and criteria[0]["type"] == ["Alignment"]
    assert criteria[0]["targetFramework"] == "A/000/0001 " + LPM1.title
    subject = doc["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"] and subject["creditsEarned"] == 3.0
    assert subject["result"] == [{"type": ["Result"], "resultDescription": achievement["resultDescription"][0]["id"],
                                  "status": "Completed", "value": "achieved"}]
    [identity] = subject["identifier"]
    assert identity["type"] == "IdentityObject" and identity["hashed"] is True and len(identity["salt"]) == 32
    assert identity["identityHash"] == "sha256$" + hashlib.sha256((ANN.uln + identity["salt"]).encode()).hexdigest()
    text = json.dumps(doc)
    assert ANN.uln not in text and "Bell" not in text and "ann" not in text.split('"')   # no ULN or name in clear
    assert openbadges.structure_problems(doc) == []


def test_a_qualification_credential_aligns_its_level_and_units():
    qualification = fx.CATALOGUE.qualification("600/0000/0")
    achievement = openbadges.qualification_achievement(qualification, ISSUER, fx.CATALOGUE)
    assert achievement["humanCode"] == "600/0000/0" and achievement["achievementType"] == "Award"
    assert achievement["creditsAvailable"] == 10.0
    assert [a["targetCode"] for a in achievement["alignment"]] == ["4", "A/000/0001", "J/000/0003", "F/000/0002",
                                                                 "L/000/0004"]
    assert "Mandatory units: A/000/0001" in achievement["criteria"]["narrative"]


def test_structure_problems_are_named():
    doc = unit_credential(RSAKey.generate_key(2048, private=True))
    doc["@context"] = list(reversed(doc["@context"]))
    doc["credentialSubject"]["achievement"]["alignment"][1].pop("targetUrl")
    doc["validFrom"] = "2026-11-20"
    problems = openbadges.structure_problems(doc)
    assert any(p.startswith("@context") for p in problems)
    assert "achievement.alignment[1]: needs type Alignment, targetName and a targetUrl" in problems
    assert "validFrom: missing or not a date and time with a time zone" in problems


@pytest.mark.parametrize("alg", ["RS256", "EdDSA"])
def test_signed_as_a_vc_jwt_and_verified(alg, rsa, ed25519):
    key = rsa if alg == "RS256" else ed25519
    kid = signing.kid_for(key, JWKS_URL)
    doc = unit_credential(key)
    token = signing.sign(doc, key, kid)
    header_text, payload_text, _signature = token.split(".")
    assert decode(header_text) == {"alg": alg, "kid": kid, "typ": "JWT"}
    payload = decode(payload_text)
    assert payload["iss"] == ISSUER and payload["jti"] == doc["id"] and payload["sub"] == doc["credentialSubject"]["id"]
    assert payload["nbf"] == int(dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc).timestamp())
    assert {k: v for k, v in payload.items() if k not in ("iss", "jti", "sub", "nbf")} == doc   # the credential itself
    jwks = signing.public_jwks(key, kid, alg)
    assert all("d" not in entry for entry in jwks["keys"]) and jwks["keys"][0]["kid"] == kid
    verdict = signing.verify(token, jwks, NOW)
    assert verdict.ok, verdict.problems
    assert signing.sign(doc, key, kid) == token            # deterministic: same credential, same key, same bytes


def test_a_tampered_credential_fails(rsa):
    kid = signing.kid_for(rsa, JWKS_URL)
    token = signing.sign(unit_credential(rsa), rsa, kid)
    header, payload, signature = token.split(".")
    changed = decode(payload)
    changed["credentialSubject"]["creditsEarned"] = 30.0
    verdict = signing.verify(".".join([header, encode(changed), signature]), signing.public_jwks(rsa, kid, "RS256"), NOW)
    assert not verdict.ok
    assert any(p.startswith("signature: does not match") and "changed after signing" in p for p in verdict.problems)


def test_another_key_a_missing_key_and_bad_claims_fail(rsa):
    kid = signing.kid_for(rsa, JWKS_URL)
    token = signing.sign(unit_credential(rsa), rsa, kid)
    other = RSAKey.generate_key(2048, private=True)
    impostor = signing.sign(unit_credential(rsa), other, kid)        # claims the centre's kid
    verdict = signing.verify(impostor, signing.public_jwks(rsa, kid, "RS256"), NOW)
    assert any(p.startswith("signature: does not match") for p in verdict.problems)
    verdict = signing.verify(token, signing.public_jwks(other, signing.kid_for(other, JWKS_URL), "RS256"), NOW)
    assert verdict.problems == [f"signature: no public key for kid {kid!r} in the key set"]
    # Correctly signed, but the claims disagree with the credential and an extra header is present.
    payload = signing.claims_for(unit_credential(rsa))
    payload["iss"], payload["nbf"] = "https://elsewhere.example", payload["nbf"] + 3600
    forged = jws.serialize_compact({"alg": "RS256", "kid": kid, "x5u": "https://x.example"},
                                   signing.canonical(payload), rsa)
    problems = signing.verify(forged, signing.public_jwks(rsa, kid, "RS256"), NOW).problems
    assert "header: parameters not allowed by Open Badges 3.0: x5u" in problems
    assert f"claims: iss is 'https://elsewhere.example' but the credential says {ISSUER!r}" in problems
    assert "claims: nbf does not equal validFrom 2026-11-20T00:00:00+00:00" in problems


def test_dates_are_checked(rsa):
    kid = signing.kid_for(rsa, JWKS_URL)
    token = signing.sign(unit_credential(rsa, day=dt.date(2027, 3, 1)), rsa, kid)
    problems = signing.verify(token, signing.public_jwks(rsa, kid, "RS256"), NOW).problems
    assert problems == ["dates: not valid before 2027-03-01T00:00:00+00:00"]
    assert signing.verify("not.a.token", None, NOW).problems == ["the JOSE header is not base64url-encoded JSON"]
    assert signing.verify("abc", None, NOW).problems == ["not a compact JWS: expected three parts separated by dots"]


def test_salts_are_per_earner_and_stable(rsa):
    secret = signing.secret_of(rsa)
    assert openbadges.identity_salt(secret, "000000", "C001") == openbadges.identity_salt(secret, "000000", "C001")
    assert openbadges.identity_salt(secret, "000000", "C001") != openbadges.identity_salt(secret, "000000", "C002")
    assert openbadges.subject_id("000000", "C001") != openbadges.subject_id("000000", "C002")
