"""
Open Badges 3.0 ``OpenBadgeCredential`` documents for achieved units and qualifications (pure: no I/O, no keys).

Follows 1EdTech's Open Badges Specification v3.0 (Final, on the W3C Verifiable Credentials Data Model v2.0):

- ``@context``: the VC 2.0 context first, then the OB 3.0 context (:data:`CONTEXT`);
  ``type``: ``["VerifiableCredential", "OpenBadgeCredential"]``; ``validFrom`` (no ``issuanceDate`` in VC 2.0);
  ``credentialSchema``: the OB 3.0 JSON schema with ``1EdTechJsonSchemaValidator2019``.
- ``issuer``: a ``Profile`` (the centre, naming its awarding body).
- ``credentialSubject``: an ``AchievementSubject`` whose ``identifier`` is an ``IdentityObject`` with
  ``hashed: true``, ``identityHash`` = ``"sha256$" + hex(SHA-256(ULN + salt))`` and its ``salt``: the ULN is
  never in clear. ``id`` is a ``urn:uuid`` derived from centre and candidate number (the JWT's ``sub``);
  ``creditsEarned`` and a ``Result`` (status ``Completed``) say what was earned.
- ``achievement``: an ``Achievement`` with the title as ``name``, ``humanCode`` (the unit or qualification
  reference), ``creditsAvailable``, ``criteria.narrative`` (the learning outcomes and assessment criteria, or
  the rules of combination) and ``alignment``: OB 3.0 has no level property, so the level is an ``Alignment``
  to the Regulated Qualifications Framework, and each assessment criterion (each unit, for a qualification)
  is another. ``targetType`` values outside the specification's list use its ``ext:`` prefix.

Everything is derived from its inputs (ids are UUID5, dates are the achievement date), so the same inputs
give the same document; only a signature could differ (RS256 and Ed25519 are deterministic too).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import uuid

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXT = [VC_CONTEXT, OB_CONTEXT]
OB_CONTEXT_PATTERN = re.compile(r"^https://purl\.imsglobal\.org/spec/ob/v3p0/context-3\.0\.\d+\.json$")
SCHEMA = {"id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
          "type": "1EdTechJsonSchemaValidator2019"}
TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
LEVEL_FRAMEWORK = "Regulated Qualifications Framework (RQF)"
LEVEL_FRAMEWORK_URL = "https://www.gov.uk/what-different-qualification-levels-mean/list-of-qualification-levels"
# Stable namespace for this package's UUID5 ids (a UUID5 of its own name in the URL namespace).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://pypi.org/project/lp-xblocks/#open-badges")


def credential_id(centre: str, candidate_number: str, code: str) -> str:
    """The credential's id: a UUID5 of centre, candidate and unit (or qualification) code."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'credential|{centre}|{candidate_number}|{code}')}"


def subject_id(centre: str, candidate_number: str) -> str:
    """The earner's id (the JWT ``sub``): a UUID5 of centre and candidate number; no ULN, no name."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'subject|{centre}|{candidate_number}')}"


def identity_salt(secret: bytes, centre: str, candidate_number: str) -> str:
    """A salt per earner, stable for the issuer's secret (an HMAC), unguessable without it."""
    return hmac.new(secret, f"identity-salt|{centre}|{candidate_number}".encode(), hashlib.sha256).hexdigest()[:32]


def identity_hash(identity: str, salt: str) -> str:
    """OB 3.0 ``IdentityHash``: ``sha256$`` and the hex SHA-256 of the identity with the salt appended."""
    return "sha256$" + hashlib.sha256((identity + salt).encode("utf-8")).hexdigest()


def valid_from(day: dt.date, tz: dt.tzinfo) -> str:
    """Midnight at the start of the achievement date in the centre's time zone, with its offset."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz).isoformat()


def issuer_profile(issuer_id: str, name: str, catalogue) -> dict:
    return {"id": issuer_id, "type": ["Profile"], "name": name,
            "description": f"Centre {catalogue.centre_number} of {catalogue.awarding_body}"}


def _level(level: str) -> dict:
    return {"type": ["Alignment"], "targetName": f"RQF level {level}", "targetCode": level,
            "targetFramework": LEVEL_FRAMEWORK, "targetType": "ext:QualificationLevel", "targetUrl": LEVEL_FRAMEWORK_URL}


def unit_achievement(unit, issuer_id: str, catalogue) -> dict:
    achievement_id = f"{issuer_id.rstrip('/')}/achievements/units/{unit.id}"
    narrative = [f"Achieved by meeting every assessment criterion of unit {unit.code}, assessed by the centre's "
                 f"tutors on the learner's portfolio:"]
    for outcome in unit.outcomes:
        narrative.append(f"\n{outcome.number}. {outcome.text}")
        narrative += [f"    - {criterion.number} {criterion.text}" for criterion in outcome.criteria]
    for requirement in unit.requires:
        narrative.append(f"\nAlso: {requirement.description}.")
    alignment = [_level(unit.level)] + [
        {"type": ["Alignment"], "targetName": criterion.text, "targetCode": criterion.id,
         "targetFramework": f"{unit.code} {unit.title}", "targetType": "ext:AssessmentCriterion",
         "targetUrl": f"{achievement_id}#{criterion.id}"}
        for criterion in unit.criteria]
    return {
        "id": achievement_id, "type": ["Achievement"], "achievementType": "Competency",
        "name": unit.title, "humanCode": unit.code, "creditsAvailable": float(unit.credit),
        "description": (f"Level {unit.level} unit of {unit.credit} credits ({unit.glh} guided learning hours) "
                        f"awarded through {catalogue.awarding_body}."),
        "criteria": {"narrative": "\n".join(narrative)},
        "alignment": alignment,
        "resultDescription": [{"id": f"{achievement_id}#result", "type": ["ResultDescription"], "name": "Unit result",
                               "resultType": "Status"}],
    }


def qualification_achievement(qualification, issuer_id: str, catalogue) -> dict:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", qualification.code).strip("-")
    achievement_id = f"{issuer_id.rstrip('/')}/achievements/qualifications/{slug}"
    rules = [f"Achieved under the rules of combination of {qualification.code}: at least "
             f"{qualification.credits_required} credits, {qualification.min_credits_at_or_above_level} of them at "
             f"level {qualification.level} or above."]
    if qualification.mandatory_units:
        rules.append("Mandatory units: " + ", ".join(
            f"{catalogue.unit_by_id[unit_id].code} {catalogue.unit_by_id[unit_id].title}"
            for unit_id in qualification.mandatory_units) + ".")
    for group in qualification.optional_groups:
        rules.append(f"At least {group.min_credits} credits from {group.title}: " + ", ".join(
            f"{catalogue.unit_by_id[unit_id].code} {catalogue.unit_by_id[unit_id].title}" for unit_id in group.units)
            + ".")
    alignment = [_level(qualification.level)] + [
        {"type": ["Alignment"], "targetName": catalogue.unit_by_id[unit_id].title,
         "targetCode": catalogue.unit_by_id[unit_id].code, "targetFramework": f"{qualification.code} {qualification.title}",
         "targetType": "ext:QualificationUnit",
         "targetUrl": f"{issuer_id.rstrip('/')}/achievements/units/{unit_id}"}
        for unit_id in qualification.unit_ids]
    kind = next((word for word in ("Diploma", "Certificate", "Award") if word in qualification.title), "Certificate")
    return {
        "id": achievement_id, "type": ["Achievement"], "achievementType": kind,
        "name": qualification.title, "humanCode": qualification.code,
        "creditsAvailable": float(qualification.credits_required),
        "description": f"Level {qualification.level} qualification awarded through {catalogue.awarding_body}.",
        "criteria": {"narrative": "\n\n".join(rules)},
        "alignment": alignment,
        "resultDescription": [{"id": f"{achievement_id}#result", "type": ["ResultDescription"],
                               "name": "Qualification result", "resultType": "Status"}],
    }


def credential(*, achievement: dict, credits: int, day: dt.date, candidate, catalogue, issuer: dict, salt: str,
               tz: dt.tzinfo) -> dict:
    """One ``OpenBadgeCredential`` (unsigned) for ``candidate``'s achievement on ``day``."""
    return {
        "@context": list(CONTEXT),
        "id": credential_id(catalogue.centre_number, candidate.candidate_number, achievement["humanCode"]),
        "type": list(TYPES),
        "name": achievement["name"],
        "issuer": issuer,
        "validFrom": valid_from(day, tz),
        "credentialSubject": {
            "id": subject_id(catalogue.centre_number, candidate.candidate_number),
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityHash": identity_hash(candidate.uln, salt),
                            "identityType": "identifier", "hashed": True, "salt": salt}],
            "achievement": achievement,
            "creditsEarned": float(credits),
            "result": [{"type": ["Result"], "resultDescription": achievement["resultDescription"][0]["id"],
                        "status": "Completed", "value": "achieved"}],
        },
        "credentialSchema": [dict(SCHEMA)],
    }


# ------------------------------------------------------------------------------------------------ checking


def _types(value) -> list:
    return value if isinstance(value, list) else [value] if isinstance(value, str) else []


def _uri(value) -> bool:
    return isinstance(value, str) and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", value) is not None


def parse_datetime(value) -> dt.datetime | None:
    """An XML Schema dateTimeStamp (with its offset), or None."""
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", value):
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def structure_problems(doc) -> list[str]:
    """What makes ``doc`` not an OB 3.0 OpenBadgeCredential, one line each (empty when it is one)."""
    if not isinstance(doc, dict):
        return ["the credential is not a JSON object"]
    problems = []
    context = doc.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_CONTEXT:
        problems.append(f"@context: must be a list starting with {VC_CONTEXT}")
    elif not any(isinstance(item, str) and OB_CONTEXT_PATTERN.match(item) for item in context[1:]):
        problems.append("@context: the Open Badges 3.0 context is missing")
    if not {"VerifiableCredential"} <= set(_types(doc.get("type"))) or not (
            {"OpenBadgeCredential", "AchievementCredential"} & set(_types(doc.get("type")))):
        problems.append("type: must include VerifiableCredential and OpenBadgeCredential")
    if not _uri(doc.get("id")):
        problems.append("id: missing or not a URI")
    issuer = doc.get("issuer")
    if not isinstance(issuer, dict) or not _uri(issuer.get("id")) or "Profile" not in _types(issuer.get("type")):
        problems.append("issuer: must be a Profile with a URI id")
    if parse_datetime(doc.get("validFrom")) is None:
        problems.append("validFrom: missing or not a date and time with a time zone")
    if "validUntil" in doc and parse_datetime(doc.get("validUntil")) is None:
        problems.append("validUntil: not a date and time with a time zone")
    subject = doc.get("credentialSubject")
    if not isinstance(subject, dict):
        return problems + ["credentialSubject: missing"]
    if "AchievementSubject" not in _types(subject.get("type")):
        problems.append("credentialSubject.type: must include AchievementSubject")
    identifiers = subject.get("identifier") or []
    if not subject.get("id") and not identifiers:
        problems.append("credentialSubject: needs an id or an identifier")
    for position, item in enumerate(identifiers if isinstance(identifiers, list) else [identifiers]):
        where = f"credentialSubject.identifier[{position}]"
        if not isinstance(item, dict) or item.get("type") != "IdentityObject":
            problems.append(f"{where}: must be an IdentityObject")
            continue
        if not isinstance(item.get("hashed"), bool) or not isinstance(item.get("identityHash"), str) \
                or not isinstance(item.get("identityType"), str):
            problems.append(f"{where}: needs hashed, identityHash and identityType")
        elif item["hashed"] and not re.match(r"^(sha256\$[0-9a-fA-F]{64}|md5\$[0-9a-fA-F]{32})$", item["identityHash"]):
            problems.append(f"{where}.identityHash: not a sha256$ or md5$ hash")
    achievement = subject.get("achievement")
    if not isinstance(achievement, dict):
        return problems + ["credentialSubject.achievement: missing"]
    if not _uri(achievement.get("id")) or "Achievement" not in _types(achievement.get("type")):
        problems.append("achievement: must be an Achievement with a URI id")
    for name in ("name", "description"):
        if not isinstance(achievement.get(name), str) or not achievement[name].strip():
            problems.append(f"achievement.{name}: missing")
    criteria = achievement.get("criteria")
    if not isinstance(criteria, dict) or not (criteria.get("narrative") or criteria.get("id")):
        problems.append("achievement.criteria: needs a narrative or an id")
    for position, item in enumerate(achievement.get("alignment") or []):
        if not isinstance(item, dict) or "Alignment" not in _types(item.get("type")) \
                or not item.get("targetName") or not _uri(item.get("targetUrl")):
            problems.append(f"achievement.alignment[{position}]: needs type Alignment, targetName and a targetUrl")
    for name in ("creditsAvailable",):
        if name in achievement and not isinstance(achievement[name], (int, float)):
            problems.append(f"achievement.{name}: not a number")
    if "creditsEarned" in subject and not isinstance(subject["creditsEarned"], (int, float)):
        problems.append("credentialSubject.creditsEarned: not a number")
    return problems
