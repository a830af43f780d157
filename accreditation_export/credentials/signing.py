"""
VC-JWT for Open Badges 3.0 with joserfc: keys, signing and verification.

As the OB 3.0 specification's "JSON Web Token Proof Format" sets out (for the VC Data Model 2.0):

- JOSE header: ``alg`` (RS256 by default: every OB 3.0 verifier must accept it), ``kid`` (a URI that
  dereferences to the public JWK: here ``<JWKS URL>#<RFC 7638 thumbprint>``) and ``typ: "JWT"``; no other header.
- Payload: the credential itself, with the claims ``iss`` = ``issuer.id``, ``sub`` = ``credentialSubject.id``,
  ``nbf`` = ``validFrom`` (NumericDate), ``jti`` = ``id`` and, when there is a ``validUntil``, ``exp``.
- Verification: the signature with the key the ``kid`` names *in the issuer's key set*, then each claim against
  the credential, then the structure and the dates. A credential in the VC 1.1 style (inside a ``vc`` claim) is
  read too. The token never supplies its own trust: a ``jwk`` header is never used as a key (and ``jku``,
  ``x5u``, ``x5c`` are refused as parameters OB 3.0 does not allow); a ``kid`` the key set does not hold fails.

EdDSA (Ed25519 keys) is the option: ``EdDSA`` is the name OB and VC verifiers know; ``Ed25519`` is its
fully-specified name from RFC 9864. RS256 and Ed25519 signatures are deterministic, so the same credential
and key always give the same file.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import warnings
from dataclasses import dataclass, field

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OKPKey, RSAKey

from ..i18n import _
from . import openbadges

ALGORITHMS = ("RS256", "EdDSA", "Ed25519")
ALLOWED_HEADERS = {"alg", "kid", "jwk", "typ"}


class CredentialError(ValueError):
    """Keys or files that cannot be used; the message says which and why."""


def generate_key(alg: str):
    if alg == "RS256":
        return RSAKey.generate_key(3072, private=True)
    if alg in ("EdDSA", "Ed25519"):
        return OKPKey.generate_key("Ed25519", private=True)
    raise CredentialError(_("unknown algorithm {alg!r} (one of {known})").format(alg=alg, known=", ".join(ALGORITHMS)))


def load_private_key(pem: bytes):
    """An RSA or Ed25519 private key from PEM."""
    for key_type in (RSAKey, OKPKey):
        try:
            key = key_type.import_key(pem)
        except (ValueError, TypeError, JoseError):
            continue
        if not key.is_private:
            raise CredentialError(_("the key file holds a public key; sign with the private key"))
        return key
    raise CredentialError(_("the key file is not an RSA or Ed25519 private key in PEM"))


def algorithm_for(key, alg: str | None) -> str:
    if isinstance(key, RSAKey):
        if alg not in (None, "RS256"):
            raise CredentialError(_("an RSA key signs with RS256, not {alg}").format(alg=alg))
        return "RS256"
    if alg not in (None, "EdDSA", "Ed25519"):
        raise CredentialError(_("an Ed25519 key signs with EdDSA or Ed25519, not {alg}").format(alg=alg))
    return alg or "EdDSA"


def kid_for(key, jwks_url: str) -> str:
    """The key's id: the JWKS URL and the key's RFC 7638 thumbprint as the fragment."""
    return f"{jwks_url.split('#', 1)[0]}#{key.thumbprint()}"


def public_jwks(key, kid: str, alg: str) -> dict:
    """The JWKS to publish: the public key only (never ``d``), with its ``kid``, ``alg`` and ``use``."""
    public = key.as_dict(private=False)
    public.update({"kid": kid, "alg": alg, "use": "sig"})
    assert "d" not in public
    return {"keys": [public]}


def entry_for(key, jwks: dict) -> dict | None:
    """The JWKS entry holding the public part of ``key``, or None."""
    for entry in jwks.get("keys", []) if isinstance(jwks.get("keys"), list) else []:
        if not isinstance(entry, dict) or "d" in entry:
            continue
        try:
            public = KeySet.import_key_set({"keys": [entry]}).keys[0]
        except (ValueError, TypeError, JoseError):
            continue
        if public.thumbprint() == key.thumbprint():
            return entry
    return None


def secret_of(key) -> bytes:
    """A secret derived from the private key (for the earners' identity salts): stable, never published."""
    return hashlib.sha256(b"lp-accredit identity salt\0" + key.as_der(private=True)).digest()


def _numeric_date(value: str) -> int:
    moment = openbadges.parse_datetime(value)
    if moment is None:
        raise CredentialError(_("{value!r} is not a date and time with a time zone").format(value=value))
    return int(moment.timestamp())


def claims_for(credential: dict) -> dict:
    """The credential with its JWT claims (OB 3.0: iss, sub, nbf, jti and exp for validUntil)."""
    payload = dict(credential)
    payload["iss"] = credential["issuer"]["id"]
    payload["jti"] = credential["id"]
    payload["nbf"] = _numeric_date(credential["validFrom"])
    subject_id = credential["credentialSubject"].get("id")
    if subject_id:
        payload["sub"] = subject_id
    if credential.get("validUntil"):
        payload["exp"] = _numeric_date(credential["validUntil"])
    return payload


def canonical(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sign(credential: dict, key, kid: str, alg: str | None = None) -> str:
    """The compact JWS (VC-JWT) of ``credential``."""
    alg = algorithm_for(key, alg)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # joserfc flags the EdDSA name as superseded by RFC 9864
        return jws.serialize_compact({"alg": alg, "kid": kid, "typ": "JWT"}, canonical(claims_for(credential)), key,
                                     algorithms=[alg])


# ------------------------------------------------------------------------------------------------ verifying


@dataclass
class Verdict:
    """What verification found: the credential (when the payload could be read) and every problem."""
    credential: dict | None = None
    header: dict | None = None
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _segment(text: str) -> dict | None:
    try:
        value = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _import_entry(entry):
    """One public JWK of a key set as a joserfc key, or None when it is malformed, private or of another kind."""
    if not isinstance(entry, dict) or "d" in entry or entry.get("kty") not in ("RSA", "OKP"):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return KeySet.import_key_set({"keys": [entry]}).keys[0]
    except (ValueError, TypeError, KeyError, JoseError):
        return None


def key_for(header: dict, jwks: dict):
    """
    The key of the issuer's key set ``jwks`` that the header's ``kid`` names (the whole URI, its thumbprint
    fragment, or the entry's own ``kid``), or None. Only the key set is trusted: a ``jwk``, ``jku``, ``x5u`` or
    ``x5c`` in the header never supplies a key.
    """
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid or not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        return None
    fragment = kid.split("#", 1)[1] if "#" in kid else kid
    keys = [(entry, _import_entry(entry)) for entry in jwks["keys"]]
    for entry, key in keys:
        if key is not None and entry.get("kid") in (kid, fragment):
            return key
    for entry, key in keys:
        if key is not None and key.thumbprint() == fragment:
            return key
    return None


def verify(token: str, jwks: dict | None, now: dt.datetime) -> Verdict:
    """
    Check signature, claims, structure and dates of one VC-JWT against the issuer's key set ``jwks``; every
    problem found is listed. Never raises on a hostile token: each file gets its own verdict.
    """
    verdict = Verdict()
    if not isinstance(token, str):
        verdict.problems.append(_("not a compact JWS: expected three parts separated by dots"))
        return verdict
    parts = token.strip().split(".")
    if len(parts) != 3:
        verdict.problems.append(_("not a compact JWS: expected three parts separated by dots"))
        return verdict
    header, payload = _segment(parts[0]), _segment(parts[1])
    verdict.header = header
    if header is None:
        verdict.problems.append(_("the JOSE header is not base64url-encoded JSON"))
        return verdict
    extra = sorted(str(name) for name in set(header) - ALLOWED_HEADERS)
    if extra:
        verdict.problems.append(_("header: parameters not allowed by Open Badges 3.0: {names}").format(
            names=", ".join(extra)))
    if header.get("alg") not in ALGORITHMS:
        verdict.problems.append(_("header: algorithm {alg!r} is not accepted (RS256, EdDSA, Ed25519)").format(
            alg=header.get("alg")))
        return verdict
    if "typ" in header and header["typ"] != "JWT":
        verdict.problems.append(_("header: typ must be JWT, not {typ!r}").format(typ=header["typ"]))
    if "jwk" in header:
        if not isinstance(header["jwk"], dict):
            verdict.problems.append(_("header: the jwk is not a JSON Web Key"))
        elif "d" in header["jwk"]:
            verdict.problems.append(_("header: the jwk holds a private key"))
    kid = header.get("kid")
    key = None
    if not isinstance(kid, str) or not kid:
        verdict.problems.append(_("header: kid must be the key's URI (text), not {kid!r}").format(kid=kid))
    elif jwks is None:
        verdict.problems.append(_("signature: no key set of the issuer to check it with"))
    else:
        key = key_for(header, jwks)
        if key is None:
            verdict.problems.append(_("signature: no public key for kid {kid!r} in the key set").format(
                kid=kid))
    if key is not None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                jws.deserialize_compact(token.strip(), key, algorithms=[header["alg"]])
        except JoseError as error:
            verdict.problems.append(_("signature: does not match ({why}): the credential was changed after signing, "
                                      "or signed with another key").format(why=error.error))
        except (ValueError, TypeError) as error:
            verdict.problems.append(_("signature: cannot be checked: {why}").format(why=error))
    if payload is None:
        verdict.problems.append(_("the payload is not base64url-encoded JSON"))
        return verdict
    credential = payload.get("vc") if isinstance(payload.get("vc"), dict) else payload
    verdict.credential = credential
    try:
        structure = openbadges.structure_problems(credential)
        verdict.problems += [_("structure: {problem}").format(problem=p) for p in structure]
        if structure:
            return verdict
        _check_claims(payload, credential, verdict)
        _check_dates(payload, credential, now, verdict)
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError) as error:
        verdict.problems.append(_("the credential cannot be read: {why}").format(why=error))
    return verdict


def _check_claims(payload, credential, verdict):
    expected = {"iss": credential["issuer"]["id"], "jti": credential["id"],
                "sub": credential["credentialSubject"].get("id")}
    for claim, value in expected.items():
        if value is None and claim == "sub":
            continue
        if claim not in payload:
            verdict.problems.append(_("claims: {claim} is missing").format(claim=claim))
        elif payload[claim] != value:
            verdict.problems.append(_("claims: {claim} is {got!r} but the credential says {want!r}").format(
                claim=claim, got=payload[claim], want=value))
    valid_from = openbadges.parse_datetime(credential["validFrom"])
    if "nbf" not in payload:
        verdict.problems.append(_("claims: nbf is missing"))
    elif payload["nbf"] != int(valid_from.timestamp()):
        verdict.problems.append(_("claims: nbf does not equal validFrom {value}").format(value=credential["validFrom"]))
    if credential.get("validUntil") and payload.get("exp") != int(
            openbadges.parse_datetime(credential["validUntil"]).timestamp()):
        verdict.problems.append(_("claims: exp does not equal validUntil"))


def _check_dates(payload, credential, now, verdict):
    valid_from = openbadges.parse_datetime(credential["validFrom"])
    if valid_from > now:
        verdict.problems.append(_("dates: not valid before {when}").format(when=credential["validFrom"]))
    until = credential.get("validUntil")
    if until and openbadges.parse_datetime(until) <= now:
        verdict.problems.append(_("dates: expired on {when}").format(when=until))
    elif isinstance(payload.get("exp"), (int, float)) and payload["exp"] <= now.timestamp():
        verdict.problems.append(_("dates: the token expired"))
