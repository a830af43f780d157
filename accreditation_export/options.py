"""The command line's shared options and helpers, imported by ``cli`` and by the command modules of ``mi`` and
``credentials`` alike (so that no command module imports ``cli``, which imports them to build the command group)."""
from __future__ import annotations

import functools
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from lp_programme import catalogue as catalogue_module
from lp_programme.catalogue import CatalogueError

from .files import OutputError
from .i18n import _
from .register import RegisterError, read_register
from .sources.base import SourceError
from .submit import SubmitError


def default_db() -> str:
    """The database ``make run`` creates: ``$LP_WORKBENCH_DB``, else ``$LP_VAR_DIR/workbench.db``, else var/."""
    return os.environ.get("LP_WORKBENCH_DB") or os.path.join(os.environ.get("LP_VAR_DIR", "var"), "workbench.db")


def fail(error) -> click.ClickException:
    return click.ClickException(str(error))


def common_options(command):
    """Catalogue, time zone and source options, shared by every command that reads evidence."""
    options = [
        click.option("--catalogue", "catalogue_path", type=click.Path(dir_okay=False, path_type=Path),
                     default=catalogue_module.DEFAULT_CATALOGUE, show_default="the programme's catalogue",
                     help="The unit catalogue (YAML)."),
        click.option("--timezone", "timezone", default="Europe/London", show_default=True,
                     help="The centre's time zone: achievement dates are its local dates."),
        click.option("--source", type=click.Choice(["workbench", "reports", "rest"]), default="workbench",
                     show_default=True, help="Where the evidence comes from."),
        click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=default_db,
                     show_default="$LP_WORKBENCH_DB or $LP_VAR_DIR/workbench.db or var/workbench.db",
                     help="workbench: the workbench's SQLite database."),
        click.option("--responses", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
                     help="reports: an Open edX problem responses report (CSV); repeat for several."),
        click.option("--grades", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
                     help="reports: an Open edX grade report (CSV): who is in the course."),
        click.option("--lms-url", envvar="LP_ACCREDIT_LMS_URL", help="rest: the LMS's base URL [env LP_ACCREDIT_LMS_URL]."),
        click.option("--course-id", envvar="LP_ACCREDIT_COURSE_ID", help="rest: the course key, course-v1:... ."),
        click.option("--client-id", envvar="LP_ACCREDIT_CLIENT_ID", help="rest: the OAuth2 client id."),
        click.option("--client-secret", envvar="LP_ACCREDIT_CLIENT_SECRET",
                     help="rest: the OAuth2 client secret [env LP_ACCREDIT_CLIENT_SECRET]."),
    ]
    for option in reversed(options):
        command = option(command)

    @functools.wraps(command)
    def wrapper(**kwargs):
        try:
            kwargs["catalogue"] = catalogue_module.load(kwargs.pop("catalogue_path"))
        except CatalogueError as error:
            raise fail(error) from None
        try:
            kwargs["timezone"] = ZoneInfo(kwargs["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise click.BadParameter(_("unknown time zone {name!r}").format(name=kwargs["timezone"]),
                                     param_hint="--timezone") from None
        kwargs["source"] = source_of(kwargs)
        try:
            return command(**kwargs)
        except (CatalogueError, RegisterError, SourceError, SubmitError, OutputError) as error:
            raise fail(error) from None

    return wrapper


def source_of(options):
    kind = options["source"]
    values = {name: options.pop(name) for name in ("db", "responses", "grades", "lms_url", "course_id", "client_id",
                                                   "client_secret")}
    try:
        if kind == "workbench":
            from .sources.workbench import WorkbenchSource  # pylint: disable=import-outside-toplevel
            return WorkbenchSource(values["db"])
        if kind == "reports":
            from .sources.reports import ReportsSource  # pylint: disable=import-outside-toplevel
            return ReportsSource(values["responses"], values["grades"])
        from .sources.rest import RestSource  # pylint: disable=import-outside-toplevel
        missing = [f"--{name.replace('_', '-')}" for name in ("lms_url", "course_id", "client_id", "client_secret")
                   if not values[name]]
        if missing:
            raise click.UsageError(_("--source rest needs {options}").format(options=", ".join(missing)))
        return RestSource(values["lms_url"], values["course_id"], values["client_id"], values["client_secret"])
    except SourceError as error:
        raise fail(error) from None


def register_for(path, catalogue, qualification):
    qualification = qualification or catalogue.qualifications[0].code
    if catalogue.qualification(qualification) is None:
        raise click.BadParameter(_("{code!r} is not a qualification of the catalogue").format(code=qualification),
                                 param_hint="--qualification")
    try:
        return read_register(path, qualifications={q.code for q in catalogue.qualifications},
                             default_qualification=qualification)
    except RegisterError as error:
        raise fail(error) from None


def register_options(command):
    command = click.option("--qualification", help="The qualification code for rows that name none "
                                                   "[default: the catalogue's first].")(command)
    return click.option("--register", "register_path", required=True,
                        type=click.Path(dir_okay=False, path_type=Path),
                        help="The candidate register (CSV).")(command)


def warn_samples(catalogue):
    if catalogue.has_samples:
        click.echo(_("Note: the catalogue's unit references are samples; replace them with the awarding body's own "
                     "before claiming for real."), err=True)
