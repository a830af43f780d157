"""``lp-accredit``: check the catalogue and register, explain a learner, export claims, submit them."""
from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from lp_programme import catalogue as catalogue_module
from lp_programme.catalogue import CatalogueError

from .credentials import command as _badges
from .explain import explain as explain_lines
from .i18n import _, ngettext
from .mapping import map_learner
from .mi import command as _mi
from .options import common_options, fail as _fail, register_for as _register, register_options
from .options import warn_samples as _warn_samples
from .outputs import Writer, claims_of
from .pipeline import evaluate
from .sources.base import by_learner
from .submit import Ledger, Settings, plan, send
from .workdir import in_workdir, shown


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), envvar="LP_ACCREDIT_WORKDIR",
              help="Where lp-accredit keeps its files (keys, ledger, exports, reports, credentials) unless an option "
                   "names another place [env LP_ACCREDIT_WORKDIR; default $XDG_DATA_HOME/lp-accredit, else "
                   "~/.local/share/lp-accredit].")
def main(workdir):  # pylint: disable=unused-argument
    """Map tutors' decisions onto an awarding body's units, write credit claims and submit them."""


@main.command("check-catalogue")
@click.option("--catalogue", "path", type=click.Path(dir_okay=False, path_type=Path),
              default=catalogue_module.DEFAULT_CATALOGUE, show_default="the programme's catalogue")
def check_catalogue(path):
    """Validate a unit catalogue and summarise it; every problem is shown as file:line: path: problem."""
    try:
        catalogue = catalogue_module.load(path)
    except CatalogueError as error:
        raise _fail(error) from None
    click.echo(_("{path}: valid. {body}, centre {centre}").format(path=path, body=catalogue.awarding_body,
                                                                  centre=catalogue.centre_number))
    for qualification in catalogue.qualifications:
        click.echo(_("  {code} {title}: level {level}, {credits} ({at} at or above level {level}); "
                     "mandatory {mandatory}").format(
            code=qualification.code, title=qualification.title, level=qualification.level,
            credits=ngettext("{n} credit", "{n} credits", qualification.credits_required).format(
                n=qualification.credits_required), at=qualification.min_credits_at_or_above_level,
            mandatory=", ".join(qualification.mandatory_units) or "-"))
    for unit in catalogue.units:
        click.echo(_("  unit {id} {code}{sample}: {title} (level {level}, {credit}, {glh} GLH, "
                     "{criteria})").format(id=unit.id, code=unit.code, sample=_(" (sample)") if unit.sample else "",
                                           title=unit.title, level=unit.level, glh=unit.glh,
                                           credit=ngettext("{n} credit", "{n} credits", unit.credit).format(n=unit.credit),
                                           criteria=ngettext("{n} criterion", "{n} criteria", len(unit.criteria)).format(
                                               n=len(unit.criteria))))


@main.command("check-register")
@register_options
@click.option("--catalogue", "catalogue_path", type=click.Path(dir_okay=False, path_type=Path),
              default=catalogue_module.DEFAULT_CATALOGUE, show_default="the programme's catalogue")
def check_register(register_path, qualification, catalogue_path):
    """Check the candidate register: ULNs, dates, missing fields, duplicates; list every rejection."""
    try:
        catalogue = catalogue_module.load(catalogue_path)
    except CatalogueError as error:
        raise _fail(error) from None
    register = _register(register_path, catalogue, qualification)
    click.echo(_("{n} opted in and valid, {out} opted out, {bad} rejected").format(
        n=len(register.candidates), out=len(register.opted_out), bad=len(register.rejections)))
    for item in register.rejections:
        click.echo(_("  line {line}: {username}: {field}: {reason}").format(
            line=item.line, username=item.username or "-", field=item.field, reason=item.reason))
    if register.rejections:
        sys.exit(1)


@main.command()
@click.argument("username")
@click.option("--register", "register_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The candidate register: shows the candidate and their registered qualification only.")
@click.option("--qualification", help="Explain this qualification only.")
@common_options
def explain(username, register_path, qualification, catalogue, timezone, source):
    """Per unit and criterion, the evidence USERNAME has or what is missing; then the rules of combination."""
    candidate = None
    codes = {qualification} if qualification else None
    if register_path is not None:
        register = _register(register_path, catalogue, qualification)
        candidate = next((c for c in register.candidates if c.username == username), None)
        if candidate is None:
            why = next((r.reason for r in register.rejections if r.username == username), None)
            if username in register.opted_out:
                why = _("the candidate has not opted in to accreditation")
            click.echo(_("{username} will not be claimed: {why}").format(
                username=username, why=why or _("not in the register")))
        else:
            codes = {candidate.qualification}
    records = []
    for name, group in by_learner(source.records()):
        if name == username:
            records = group
            break
    result = map_learner(catalogue, username, records, timezone)
    for line in explain_lines(result, catalogue, timezone, codes, candidate):
        click.echo(line)


@main.command()
@register_options
@click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path), default=in_workdir("accreditation"),
              show_default=shown("accreditation"), help="The folder for claims.csv, claims.json, results.csv and rejections.csv.")
@common_options
def export(register_path, qualification, folder, catalogue, timezone, source):
    """Write the claims (CSV and JSON), the results sheet and the rejections for every opted-in candidate."""
    _warn_samples(catalogue)
    register = _register(register_path, catalogue, qualification)
    rejections = list(register.rejections)
    writer = Writer(folder, catalogue)
    try:
        for outcome in evaluate(catalogue, register.candidates, source.records(), timezone, rejections,
                                source.description):
            writer.write(outcome)
    except BaseException:
        writer.abort()          # no half-written export replaces the last whole one
        raise
    writer.close(rejections)
    counts = writer.counts
    click.echo(_("{candidates}: {claims}, {qualifications}; {rejections} rejected, {out} opted out. "
                 "Files in {folder}").format(
        candidates=ngettext("{n} candidate", "{n} candidates", counts["candidates"]).format(n=counts["candidates"]),
        claims=ngettext("{n} unit claim", "{n} unit claims", counts["claims"]).format(n=counts["claims"]),
        qualifications=ngettext("{n} qualification achieved", "{n} qualifications achieved",
                                counts["qualifications"]).format(n=counts["qualifications"]),
        rejections=counts["rejections"], out=len(register.opted_out), folder=folder))


@main.command()
@register_options
@click.option("--ledger", "ledger_path", type=click.Path(dir_okay=False, path_type=Path),
              default=in_workdir("accreditation", "ledger.sqlite3"), show_default=shown("accreditation", "ledger.sqlite3"),
              help="The SQLite ledger of claims and their states (kept between runs).")
@click.option("--url", envvar="LP_ACCREDIT_URL", required=True, help="The awarding body's API base URL [env LP_ACCREDIT_URL].")
@click.option("--token", envvar="LP_ACCREDIT_TOKEN", help="The bearer token [env LP_ACCREDIT_TOKEN].")
@click.option("--dry-run", is_flag=True, help="Show what would be sent; change nothing, send nothing.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Read timeout per request (seconds).")
@click.option("--connect-timeout", type=float, default=5.0, show_default=True, help="Connect timeout (seconds).")
@click.option("--retries", type=click.IntRange(0, 20), default=5, show_default=True,
              help="Retries per claim (connection errors, timeouts, 429, 5xx).")
@click.option("--backoff", type=click.FloatRange(0, 60), default=0.5, show_default=True,
              help="Backoff factor: waits of backoff x 1, 2, 4 ... seconds between retries.")
@click.option("--progress/--no-progress", default=None, help="A progress bar [default: when on a terminal].")
@common_options
def submit(register_path, qualification, ledger_path, url, token, dry_run, timeout, connect_timeout, retries, backoff,
           progress, catalogue, timezone, source):
    """Send each claim to the awarding body; resume safely after a crash, a kill or a network failure."""
    if not dry_run and not token:
        raise click.UsageError(_("--token (or LP_ACCREDIT_TOKEN) is required to send claims"))
    _warn_samples(catalogue)
    register = _register(register_path, catalogue, qualification)
    rejections = list(register.rejections)
    settings = Settings(url=url, token=token or "", centre_number=catalogue.centre_number,
                        timeout=(connect_timeout, timeout), retries=retries, backoff=backoff)
    claims = (claim for outcome in evaluate(catalogue, register.candidates, source.records(), timezone, rejections,
                                            source.description)
              for claim in claims_of(outcome, catalogue.centre_number))
    ledger = Ledger(ledger_path, settings.endpoint, readonly=dry_run)
    try:
        the_plan = plan(ledger, claims, dry_run=dry_run)
        _report_plan(the_plan, rejections, dry_run)
        if dry_run or not the_plan.send:
            return
        summary = _send_with_progress(ledger, the_plan.send, settings, progress)
        _report_summary(summary, ledger.counts())
        if summary.stopped or summary.unsent:
            sys.exit(2)
    finally:
        ledger.close()


def _report_plan(the_plan, rejections, dry_run):
    echo = functools.partial(click.echo, err=not dry_run)
    if dry_run:
        echo(_("Dry run: nothing is recorded or sent."))
    echo(_("To send: {n} ({new} new). Already accepted: {ok}. Rejected before: {rejected}. "
           "Not claimed twice: {dup}. Held: {held}. Register and source rejections: {bad}.").format(
        n=len(the_plan.send), new=len(the_plan.new), ok=len(the_plan.accepted), rejected=len(the_plan.rejected),
        dup=len(the_plan.duplicates), held=len(the_plan.held), bad=len(rejections)))
    if dry_run:
        for row in the_plan.send:
            echo(_("  would send {key} candidate {number} unit {unit} ({state})").format(
                key=row["key"][:12], number=row["candidate_number"], unit=row["unit_code"], state=row["state"]))
    for claim, live in the_plan.duplicates:
        echo(_("  not sent: {username} unit {unit} is already claimed as {key} ({state}); the evidence changed since")
             .format(username=claim.username, unit=claim.unit_code, key=live["key"][:12], state=live["state"]))
    for row in the_plan.held:
        echo(_("  held: {username} unit {unit} ({key}) is no longer achieved by the evidence; not sent").format(
            username=row["username"], unit=row["unit_code"], key=row["key"][:12]))
    for row in the_plan.rejected:
        echo(_("  rejected before, not sent again: {username} unit {unit}: {why}").format(
            username=row["username"], unit=row["unit_code"], why=row["last_error"]))


def _send_with_progress(ledger, rows, settings, progress):
    show = sys.stderr.isatty() if progress is None else progress
    if not show:
        return send(ledger, rows, settings)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn  # pylint: disable=import-outside-toplevel
    from rich.console import Console  # pylint: disable=import-outside-toplevel
    with Progress(TextColumn(_("Sending claims")), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True)) as bar:
        task = bar.add_task("send", total=len(rows))
        return send(ledger, rows, settings, progress=lambda _row: bar.advance(task))


def _report_summary(summary, counts):
    click.echo(_("Accepted now: {new} new, {already} already received by the awarding body. Rejected: {rejected}. "
                 "Left to send: {unsent}.").format(new=summary.accepted, already=summary.already,
                                                   rejected=len(summary.rejected), unsent=len(summary.unsent)))
    for row, reasons in summary.rejected:
        click.echo(_("  rejected: {username} unit {unit}: {why}").format(username=row["username"], unit=row["unit_code"],
                                                                         why=reasons))
    for row, why in summary.unsent[:20]:
        click.echo(_("  not yet accepted: {username} unit {unit}: {why}").format(
            username=row["username"], unit=row["unit_code"], why=why))
    if summary.stopped:
        click.echo(_("Stopped: {why}. Run the same command again to resume.").format(why=summary.stopped))
    click.echo(_("Ledger: {accepted} accepted, {rejected} rejected, {pending} pending, {sent} sent without an "
                 "answer yet.").format(**counts))


@main.command("ledger")
@click.option("--ledger", "ledger_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=in_workdir("accreditation", "ledger.sqlite3"), show_default=shown("accreditation", "ledger.sqlite3"))
def show_ledger(ledger_path):
    """Show the ledger: counts per state and every claim not accepted."""
    ledger = Ledger(ledger_path, readonly=True)
    try:
        counts = ledger.counts()
        click.echo(_("{accepted} accepted, {rejected} rejected, {pending} pending, {sent} sent without an answer yet")
                   .format(**counts))
        for row in ledger.rows("SELECT * FROM claims WHERE state != 'accepted' ORDER BY created_at, key"):
            click.echo(f"  {row['state']:<8} {row['key'][:12]} {row['username']} {row['unit_code']} "
                       f"{row['attempts']} {row['last_error'] or ''}".rstrip())
    finally:
        ledger.close()


@main.command("reference-server")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8765, show_default=True)
@click.option("--token", default="reference-token", show_default=True, help="The bearer token it accepts.")
@click.option("--control", is_flag=True, help="Enable /_control/faults and /_control/state (for tests).")
def reference_server(host, port, token, control):
    """Run the reference awarding-body server (the contract of accreditation_export/API.md)."""
    from .awarding_body_server import serve  # pylint: disable=import-outside-toplevel
    serve(host, port, token, control, ready=lambda url: click.echo(
        _("Reference awarding body on {url}; stop with Ctrl+C").format(url=url)))


# Management information and Open Badges (issue 7): commands in their own packages.
for _command in [_mi.command()] + _badges.commands():
    main.add_command(_command)

if __name__ == "__main__":
    main()
