"""``lp-accredit mi-report``: the management-information report from the exporter's sources, register and ledger."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..csvfile import BrokenRow, reading_lines
from ..files import ensure_folder, write_text
from ..i18n import _, ngettext
from ..options import common_options, fail, register_for, register_options
from ..register import RegisterError, _column
from ..submit import Ledger
from ..workdir import in_workdir, shown
from . import figures
from .instruments import InstrumentsError, load_instruments
from .modules import load_modules
from .render import write_csv
from .report import build_sections, render_report

REPORT = "mi-report.html"


def register_rows(path: Path) -> tuple[list, dict]:
    """``(header, {username: {column: value}})`` of the register, columns named as the register reads them."""
    with reading_lines(path, RegisterError) as (header, lines):
        header = [_column(name) for name in header]
        rows = {}
        for _line, row in lines:
            if isinstance(row, BrokenRow):
                continue                # the register check reports it (a rejection with its line)
            values = {name: (row[index].strip() if index < len(row) else "") for index, name in enumerate(header)}
            if values.get("username"):
                rows[values["username"]] = values
    return header, rows


def ledger_claims(path: Path | None) -> list:
    if path is None or not path.exists():
        return []
    ledger = Ledger(path, readonly=True)
    try:
        return ledger.rows("SELECT username, unit_code, state FROM claims ORDER BY created_at, key")
    finally:
        ledger.close()


def _date(value):
    return value.date() if value is not None else None


def command():
    """The ``mi-report`` command, made with the exporter's shared options (``options``, imported by ``cli`` too)."""

    @click.command("mi-report")
    @register_options
    @click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path), default=in_workdir("mi-report"),
                  show_default=shown("mi-report"), help=f"The folder for {REPORT} and the CSV files.")
    @click.option("--ledger", "ledger_path", type=click.Path(dir_okay=False, path_type=Path),
                  default=in_workdir("accreditation", "ledger.sqlite3"),
                  show_default=shown("accreditation", "ledger.sqlite3"), help="The submission ledger, for each claim's state (left out when the file does not exist).")
    @click.option("--course", "course_path", type=click.Path(file_okay=False, exists=True, path_type=Path),
                  help="The course OLX folder with the needs-assessment instruments [default: the course this package ships].")
    @click.option("--cohort", help="Only the participants whose register row has this value in the cohort column.")
    @click.option("--cohort-column", default="cohort", show_default=True, help="The register column that names the cohort (and the participant groups of judged progress).")
    @click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day of the period (YYYY-MM-DD).")
    @click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day of the period (YYYY-MM-DD).")
    @click.option("--min-group", type=click.IntRange(1, 1000), default=5, show_default=True,
                  help="Cohort-level figures over fewer people than this are suppressed.")
    @click.option("--audience", type=click.Choice([figures.STAFF, figures.FUNDER]), default=figures.STAFF, show_default=True,
                  help="staff: with the tables that name participants; funder: cohort-level figures only.")
    @common_options
    def mi_report(register_path, qualification, folder, ledger_path, course_path, cohort, cohort_column, start, end,
                  min_group, audience, catalogue, timezone, source):
        """The management-information report: registration, needs assessment, satisfaction, progress, outcomes."""
        start, end = _date(start), _date(end)
        if start and end and start > end:
            raise click.BadParameter(_("--from {start} is after --to {end}").format(start=start, end=end),
                                     param_hint="--from")
        register = register_for(register_path, catalogue, qualification)
        header, rows = register_rows(register_path)
        members = None
        if cohort is not None:
            column = _column(cohort_column)
            if column not in header:
                raise click.BadParameter(_("the register {path} has no column {column!r} (it has: {names})").format(
                    path=register_path, column=cohort_column, names=", ".join(header)), param_hint="--cohort-column")
            members = {name for name, row in rows.items() if row.get(column, "") == cohort.strip()}
            if not members:
                click.echo(_("Note: no participant of the register is in cohort {cohort!r}.").format(cohort=cohort), err=True)
        try:
            instruments = load_instruments(course_path)
        except InstrumentsError as error:
            raise fail(error) from None
        scope = figures.Scope(min_group, start, end, timezone, (cohort_column, cohort) if cohort else None, members, audience)
        records = list(source.records())
        if hasattr(source, "assessments"):
            assessments = list(source.assessments())
        else:
            assessments = []
            click.echo(_("Note: {source} gives no needs-assessment scores; those sections are empty.").format(
                source=source.description), err=True)
        sections = build_sections(catalogue, register, rows, records, assessments, instruments, ledger_claims(ledger_path),
                                  scope, source.description, modules=load_modules(course_path),
                                  decisions=list(source.decisions()) if hasattr(source, "decisions") else [],
                                  group_column=_column(cohort_column),
                                  mentoring=source.mentoring() if hasattr(source, "mentoring") else [],
                                  attendance=list(source.attendance()) if hasattr(source, "attendance") else [])
        generated = dt.datetime.now(timezone).date()
        html_text = render_report(sections, scope, source.description, generated)
        ensure_folder(folder)
        write_text(folder / REPORT, html_text)
        written = [write_csv(folder, table) for section in sections for table in section.csv]
        click.echo(ngettext("Report: {path} and {n} CSV file in {folder}", "Report: {path} and {n} CSV files in {folder}",
                            len(written)).format(path=folder / REPORT, n=len(written),
                                                                          folder=folder))


    return mi_report
