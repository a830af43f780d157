"""``lp-accredit keys generate``, ``lp-accredit credentials`` and ``lp-accredit verify``."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import click
import requests

from ..i18n import _
from ..pipeline import evaluate
from . import openbadges, signing


def _read_json(path: Path, what: str) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise click.ClickException(_("{path}: cannot be read: {why}").format(path=path, why=error.strerror)) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise click.ClickException(_("{path}: not a {what} (JSON): {why}").format(path=path, what=what, why=error)) from None
    if not isinstance(value, dict):
        raise click.ClickException(_("{path}: not a {what}").format(path=path, what=what))
    return value


def fetch_jwks(url: str) -> dict:
    """Dereference a ``kid`` (or JWKS) URL over HTTP(S): a JWKS, or one JWK made into a set."""
    if not re.match(r"^https?://", url or ""):
        raise signing.CredentialError(_("the kid {kid!r} is not an http(s) URL: give the key set with --jwks").format(
            kid=url))
    try:
        reply = requests.get(url.split("#", 1)[0], timeout=(5, 15), headers={"Accept": "application/json"})
        reply.raise_for_status()
        value = reply.json()
    except (requests.RequestException, ValueError) as error:
        raise signing.CredentialError(_("{url}: the key set cannot be fetched: {why}").format(url=url, why=error)) from None
    if isinstance(value, dict) and "keys" not in value and "kty" in value:
        value = {"keys": [value]}
    if not isinstance(value, dict) or not isinstance(value.get("keys"), list):
        raise signing.CredentialError(_("{url}: not a JWKS").format(url=url))
    return value


@click.group("keys")
def keys():
    """The signing key for Open Badges credentials."""


@keys.command("generate")
@click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("keys"),
              show_default=True, help="Where to write signing-key.pem (private) and jwks.json (to publish).")
@click.option("--jwks-url", required=True,
              help="Where jwks.json will be published (https://...): each credential's kid points there.")
@click.option("--alg", type=click.Choice(signing.ALGORITHMS), default="RS256", show_default=True,
              help="RS256 (every Open Badges 3.0 verifier accepts it) or EdDSA / Ed25519.")
@click.option("--force", is_flag=True, help="Replace an existing key (credentials signed with it stop verifying).")
def generate(folder, jwks_url, alg, force):
    """Write a new key pair: the private key (PEM, readable by you only) and the public JWKS."""
    if not re.match(r"^https?://\S+$", jwks_url):
        raise click.BadParameter(_("must be an http(s) URL"), param_hint="--jwks-url")
    private, public = folder / "signing-key.pem", folder / "jwks.json"
    if private.exists() and not force:
        raise click.ClickException(_("{path} exists: keep it, or pass --force to replace it").format(path=private))
    key = signing.generate_key(alg)
    kid = signing.kid_for(key, jwks_url)
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key.as_pem(private=True))
    os.chmod(private, 0o600)
    public.write_text(json.dumps(signing.public_jwks(key, kid, alg), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    click.echo(_("Private key: {private} (keep it secret). Publish {public} at {url}. Key id: {kid}").format(
        private=private, public=public, url=jwks_url, kid=kid))


def commands(common_options, register_options):
    """The three commands, made with the exporter's shared options (``cli`` passes them: no import cycle)."""

    @click.command("credentials")
    @register_options
    @click.option("--key", "key_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
                  default=Path("keys/signing-key.pem"), show_default=True, help="The private signing key (PEM).")
    @click.option("--jwks", "jwks_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
                  default=Path("keys/jwks.json"), show_default=True, help="The published key set (gives the kid).")
    @click.option("--issuer-id", required=True, help="The centre's issuer URL (https://...): the issuer Profile's id.")
    @click.option("--issuer-name", help="The centre's name [default: Centre <number>].")
    @click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("credentials"),
                  show_default=True, help="The folder for the credentials, one .jwt file each.")
    @common_options
    def credentials(register_path, qualification, key_path, jwks_path, issuer_id, issuer_name, folder, catalogue,
                    timezone, source):
        """Sign an Open Badges 3.0 credential for each achieved unit and qualification of each candidate."""
        from ..cli import _register  # pylint: disable=import-outside-toplevel

        if not re.match(r"^https?://\S+$", issuer_id):
            raise click.BadParameter(_("must be an http(s) URL"), param_hint="--issuer-id")
        try:
            key = signing.load_private_key(key_path.read_bytes())
        except signing.CredentialError as error:
            raise click.ClickException(f"{key_path}: {error}") from None
        entry = signing.entry_for(key, _read_json(jwks_path, "JWKS"))
        if entry is None or not entry.get("kid"):
            raise click.ClickException(_("{jwks}: has no public key (with a kid) for the private key {key}").format(
                jwks=jwks_path, key=key_path))
        register = _register(register_path, catalogue, qualification)
        issuer = openbadges.issuer_profile(issuer_id, issuer_name or f"Centre {catalogue.centre_number}", catalogue)
        secret = signing.secret_of(key)
        folder.mkdir(parents=True, exist_ok=True)
        written, people = 0, 0
        for outcome in evaluate(catalogue, register.candidates, source.records(), timezone, [], source.description):
            candidate = outcome.candidate
            salt = openbadges.identity_salt(secret, catalogue.centre_number, candidate.candidate_number)
            issued = []
            for unit_result in outcome.achieved_units():
                issued.append((unit_result.unit.id, openbadges.unit_achievement(unit_result.unit, issuer_id, catalogue),
                               unit_result.unit.credit, unit_result.date))
            if outcome.qualification.achieved:
                q = outcome.qualification.qualification
                issued.append((re.sub(r"[^A-Za-z0-9]+", "-", q.code), openbadges.qualification_achievement(
                    q, issuer_id, catalogue), outcome.qualification.credits, outcome.qualification.date))
            for name, achievement, credits, day in issued:
                document = openbadges.credential(achievement=achievement, credits=credits, day=day, candidate=candidate,
                                                 catalogue=catalogue, issuer=issuer, salt=salt, tz=timezone)
                token = signing.sign(document, key, entry["kid"], entry.get("alg"))
                (folder / f"{candidate.candidate_number}-{name}.jwt").write_text(token + "\n", encoding="utf-8")
                written += 1
            people += bool(issued)
        click.echo(_("{n} credentials for {people} candidates in {folder}, signed with {kid}").format(
            n=written, people=people, folder=folder, kid=entry["kid"]))

    @click.command("verify")
    @click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
    @click.option("--jwks", "jwks_source", help="The issuer's key set: a file or an http(s) URL "
                                               "[default: fetch the key each credential's kid points to].")
    @click.option("--at", "at", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
                  help="Check the dates at this time (UTC) [default: now].")
    def verify(files, jwks_source, at):
        """Check each credential's signature, claims, structure and dates; say what fails. Exit 1 if any fails."""
        now = (at.replace(tzinfo=dt.timezone.utc) if at else dt.datetime.now(dt.timezone.utc))
        given = None
        if jwks_source:
            given = fetch_jwks(jwks_source) if re.match(r"^https?://", jwks_source) else \
                _read_json(Path(jwks_source), "JWKS")
        failed = 0
        for path in files:
            token = path.read_text(encoding="utf-8", errors="replace")
            try:
                jwks = given
                if jwks is None:
                    header = signing._segment(token.strip().split(".")[0]) or {}  # pylint: disable=protected-access
                    jwks = fetch_jwks(header.get("kid", "")) if "jwk" not in header else None
                verdict = signing.verify(token, jwks, now)
            except signing.CredentialError as error:
                verdict = signing.Verdict(problems=[str(error)])
            if verdict.ok:
                doc = verdict.credential
                click.echo(_("ok {path}: {name} ({code}) for {subject}, valid from {start}").format(
                    path=path, name=doc["credentialSubject"]["achievement"]["name"],
                    code=doc["credentialSubject"]["achievement"].get("humanCode", ""),
                    subject=doc["credentialSubject"].get("id", ""), start=doc["validFrom"]))
            else:
                failed += 1
                click.echo(_("FAILED {path}:").format(path=path))
                for problem in verdict.problems:
                    click.echo(f"  - {problem}")
        if failed:
            raise SystemExit(1)

    return [credentials, verify, keys]
