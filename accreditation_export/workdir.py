"""The ``--workdir`` of ``lp-accredit``: option defaults that resolve under it (see :mod:`.files`)."""
from __future__ import annotations

from pathlib import Path

import click

from .files import default_workdir


def current_workdir() -> Path:
    """The working directory of the running command: ``--workdir``, else :func:`.files.default_workdir`."""
    ctx = click.get_current_context(silent=True)
    given = ctx.find_root().params.get("workdir") if ctx is not None else None
    return Path(given) if given else default_workdir()


def in_workdir(*parts):
    """An option default: ``parts`` under the working directory, resolved when the command runs."""
    def default():
        return current_workdir().joinpath(*parts)
    default.__doc__ = "/".join(("WORKDIR",) + parts)
    return default


def shown(*parts) -> str:
    """How ``--help`` names such a default."""
    return "/".join(("WORKDIR",) + parts)
