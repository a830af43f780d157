"""``lp-accredit keys generate``, ``lp-accredit credentials`` and ``lp-accredit verify``."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import click
import requests

from ..files import OutputError, check_target, ensure_folder, loose_permissions, write_private, write_text
from ..i18n import _, ngettext
from ..options import common_options, register_for, register_options
from ..pipeline import evaluate
from ..submit import Deadline, DeadlineAdapter
from ..workdir import in_workdir, shown
from . import openbadges, signing

MAX_JWKS_BYTES = 256 * 1024          # a key set is a few kB; a bigger answer is not one
MAX_TOKEN_BYTES = 1024 * 1024        # one credential file
FETCH_TIMEOUT = (5.0, 15.0)          # connect, read; their sum is the whole-request deadline of a key-set fetch


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


def fetch_jwks(url: str, timeout=None) -> dict:
    """
    The key set at ``url`` over HTTP(S): a JWKS, or one JWK made into a set. No redirect is followed (the key
    set is where it is published), the answer is at most :data:`MAX_JWKS_BYTES` and must be JSON.
    """
    if not re.match(r"^https?://", url or ""):
        raise signing.CredentialError(_("{url!r} is not an http(s) URL of a key set").format(url=url))
    timeout = timeout or FETCH_TIMEOUT
    session = requests.Session()
    session.mount("http://", DeadlineAdapter(max_retries=0))
    session.mount("https://", DeadlineAdapter(max_retries=0))
    try:
        with Deadline(sum(timeout)), session.get(url.split("#", 1)[0], timeout=timeout, allow_redirects=False,
                                                 headers={"Accept": "application/json"}, stream=True) as reply:
            if reply.status_code != 200:
                raise signing.CredentialError(_("{url}: the key set cannot be fetched: HTTP {status}").format(
                    url=url, status=reply.status_code))
            body = b""
            for chunk in reply.iter_content(16 * 1024):
                body += chunk
                if len(body) > MAX_JWKS_BYTES:
                    raise signing.CredentialError(_("{url}: the answer is larger than a key set").format(url=url))
        value = json.loads(body)
    except signing.CredentialError:
        raise
    except (requests.RequestException, ValueError, RecursionError) as error:
        raise signing.CredentialError(_("{url}: the key set cannot be fetched: {why}").format(
            url=url, why=type(error).__name__)) from None
    finally:
        session.close()
    if isinstance(value, dict) and "keys" not in value and "kty" in value:
        value = {"keys": [value]}
    if not isinstance(value, dict) or not isinstance(value.get("keys"), list):
        raise signing.CredentialError(_("{url}: not a JWKS").format(url=url))
    return value


def _origin(url: str) -> tuple | None:
    match = re.match(r"^(https?)://([^/?#]+)", url or "", re.IGNORECASE)
    return (match.group(1).lower(), match.group(2).lower()) if match else None


def issuer_key_set_url(token: str) -> str:
    """
    Where the issuer of ``token`` publishes its key set, resolved from the issuer profile: the ``kid``'s URL,
    accepted only on the issuer's own origin (scheme, host and port of ``issuer.id``). The token's ``jwk``,
    ``jku`` or ``x5u`` are never used.
    """
    parts = token.strip().split(".")
    header = signing._segment(parts[0]) if parts else None  # pylint: disable=protected-access
    payload = signing._segment(parts[1]) if len(parts) > 1 else None  # pylint: disable=protected-access
    if header is None or payload is None:
        raise signing.CredentialError(_("not a compact JWS with a JSON header and payload"))
    credential = payload.get("vc") if isinstance(payload.get("vc"), dict) else payload
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    kid = header.get("kid")
    if not isinstance(issuer_id, str) or _origin(issuer_id) is None:
        raise signing.CredentialError(_("the credential names no http(s) issuer whose key set could be fetched"))
    if not isinstance(kid, str) or _origin(kid) != _origin(issuer_id):
        raise signing.CredentialError(_("the kid {kid!r} is not on the issuer's site {issuer}: only keys the issuer "
                                        "publishes are trusted").format(kid=kid, issuer=issuer_id))
    return kid.split("#", 1)[0]


@click.group("keys")
def keys():
    """The signing key for Open Badges credentials."""


@keys.command("generate")
@click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path), default=in_workdir("keys"),
              show_default=shown("keys"), help="Where to write signing-key.pem (private) and jwks.json (to publish).")
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
    try:
        created = not folder.exists()
        ensure_folder(folder)
        if created:
            os.chmod(folder, 0o700)          # a new key folder is private too
        check_target(private)
        check_target(public)
    except OutputError as error:
        raise click.ClickException(str(error)) from None
    if private.exists() and not force:
        raise click.ClickException(_("{path} exists: keep it, or pass --force to replace it").format(path=private))
    key = signing.generate_key(alg)
    kid = signing.kid_for(key, jwks_url)
    try:
        write_private(private, key.as_pem(private=True))       # 0600 from creation, never through a link
        write_text(public, json.dumps(signing.public_jwks(key, kid, alg), indent=2, sort_keys=True) + "\n")
    except OutputError as error:
        raise click.ClickException(str(error)) from None
    click.echo(_("Private key: {private} (keep it secret). Publish {public} at {url}. Key id: {kid}").format(
        private=private, public=public, url=jwks_url, kid=kid))


def _warn_if_readable(path: Path):
    if loose_permissions(path):
        click.echo(_("Warning: {path} can be read by other users; make it private with: chmod 600 {path}").format(
            path=path), err=True)


def commands():
    """The three commands, made with the exporter's shared options (``options``, imported by ``cli`` too)."""

    @click.command("credentials")
    @register_options
    @click.option("--key", "key_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
                  default=in_workdir("keys", "signing-key.pem"), show_default=shown("keys", "signing-key.pem"),
                  help="The private signing key (PEM).")
    @click.option("--jwks", "jwks_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
                  default=in_workdir("keys", "jwks.json"), show_default=shown("keys", "jwks.json"),
                  help="The published key set (gives the kid).")
    @click.option("--issuer-id", required=True, help="The centre's issuer URL (https://...): the issuer Profile's id.")
    @click.option("--issuer-name", help="The centre's name [default: Centre <number>].")
    @click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path), default=in_workdir("credentials"),
                  show_default=shown("credentials"), help="The folder for the credentials, one .jwt file each.")
    @common_options
    def credentials(register_path, qualification, key_path, jwks_path, issuer_id, issuer_name, folder, catalogue,
                    timezone, source):
        """Sign an Open Badges 3.0 credential for each achieved unit and qualification of each candidate."""
        if not re.match(r"^https?://\S+$", issuer_id):
            raise click.BadParameter(_("must be an http(s) URL"), param_hint="--issuer-id")
        _warn_if_readable(key_path)
        try:
            key = signing.load_private_key(key_path.read_bytes())
        except signing.CredentialError as error:
            raise click.ClickException(f"{key_path}: {error}") from None
        entry = signing.entry_for(key, _read_json(jwks_path, "JWKS"))
        if entry is None or not entry.get("kid"):
            raise click.ClickException(_("{jwks}: has no public key (with a kid) for the private key {key}").format(
                jwks=jwks_path, key=key_path))
        register = register_for(register_path, catalogue, qualification)
        issuer = openbadges.issuer_profile(issuer_id, issuer_name or f"Centre {catalogue.centre_number}", catalogue)
        secret = signing.secret_of(key)
        ensure_folder(folder)
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
                write_text(folder / f"{candidate.candidate_number}-{name}.jwt", token + "\n")
                written += 1
            people += bool(issued)
        click.echo(_("{credentials} for {candidates} in {folder}, signed with {kid}").format(
            credentials=ngettext("{n} credential", "{n} credentials", written).format(n=written),
            candidates=ngettext("{n} candidate", "{n} candidates", people).format(n=people),
            folder=folder, kid=entry["kid"]))

    @click.command("verify")
    @click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
    @click.option("--jwks", "jwks_source", help="The issuer's published key set, a file or an http(s) URL: every "
                                               "credential must be signed with a key of this set.")
    @click.option("--fetch", is_flag=True, help="Without --jwks: fetch each issuer's key set from its own site "
                                               "(the kid's URL, accepted only on the issuer profile's origin).")
    @click.option("--at", "at", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
                  help="Check the dates at this time (UTC) [default: now].")
    def verify(files, jwks_source, fetch, at):
        """
        Check each credential's signature (against the issuer's published keys only), claims, structure and
        dates; say what fails. Exit 1 if any fails.
        """
        now = (at.replace(tzinfo=dt.timezone.utc) if at else dt.datetime.now(dt.timezone.utc))
        if not jwks_source and not fetch:
            raise click.UsageError(_("no key set to verify with: give the issuer's published key set with --jwks FILE "
                                     "or --jwks URL (or --fetch to fetch it from each issuer's own site)"))
        pinned = None
        if jwks_source:
            try:
                pinned = fetch_jwks(jwks_source) if re.match(r"^https?://", jwks_source) else \
                    _read_json(Path(jwks_source), "JWKS")
            except signing.CredentialError as error:
                raise click.ClickException(str(error)) from None
            if not isinstance(pinned.get("keys"), list):
                raise click.ClickException(_("{source}: not a JWKS (no \"keys\" list)").format(source=jwks_source))
        fetched = {}
        failed = 0
        for path in files:
            try:
                with path.open("rb") as handle:
                    raw = handle.read(MAX_TOKEN_BYTES + 1)
                if len(raw) > MAX_TOKEN_BYTES:
                    raise signing.CredentialError(_("the file is larger than a credential"))
                token = raw.decode("utf-8", errors="replace")
                jwks = pinned
                if jwks is None:
                    url = issuer_key_set_url(token)
                    if url not in fetched:
                        try:
                            fetched[url] = fetch_jwks(url)
                        except signing.CredentialError as error:
                            fetched[url] = error
                    if isinstance(fetched[url], Exception):
                        raise fetched[url]
                    jwks = fetched[url]
                verdict = signing.verify(token, jwks, now)
            except OSError as error:
                verdict = signing.Verdict(problems=[_("cannot be read: {why}").format(why=error.strerror)])
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
            click.echo(ngettext("{n} of {total} credential failed", "{n} of {total} credentials failed",
                                len(files)).format(n=failed, total=len(files)))
            raise SystemExit(1)

    return [credentials, verify, keys]
