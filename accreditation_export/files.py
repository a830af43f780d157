"""
Where ``lp-accredit`` keeps its files, and how it writes them (pure: stdlib only).

- **One working directory** (:func:`default_workdir`): ``--workdir``, else ``$LP_ACCREDIT_WORKDIR``, else
  ``$XDG_DATA_HOME/lp-accredit``, else ``~/.local/share/lp-accredit`` (the XDG base-directory default). The signing
  keys, the ledger, the exports, the MI report and the credentials go under it unless an option names
  another place, so nothing lands in the current directory (a source checkout, say) by default.
- **Atomic writes** (:func:`atomic_writer`): each output is written to a temporary file in the same folder and
  renamed over the target when complete, so a reader (or a crash) never sees half a file; the target must not
  be a symbolic link (a link is refused, never followed: its target is never overwritten) nor a directory.
- **Private files** (:func:`write_private`) are created with mode 0600 from the start; :func:`loose_permissions`
  says when an existing key file can be read by others.
"""
from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from .i18n import _

APP = "lp-accredit"


class OutputError(OSError):
    """An output cannot be written where asked; the message names the path and why."""


def default_workdir(environ=None) -> Path:
    """``$LP_ACCREDIT_WORKDIR``, else ``$XDG_DATA_HOME/lp-accredit``, else ``~/.local/share/lp-accredit``."""
    environ = os.environ if environ is None else environ
    if environ.get("LP_ACCREDIT_WORKDIR"):
        return Path(environ["LP_ACCREDIT_WORKDIR"]).expanduser()
    base = environ.get("XDG_DATA_HOME") or ""
    if not os.path.isabs(base):            # the XDG spec: a relative value is invalid and ignored
        base = os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / APP


def check_target(path) -> Path:
    """``path`` as a place to write a file: refuses a symbolic link, a directory and a parent that is a file."""
    path = Path(path)
    if path.is_symlink():
        raise OutputError(_("{path}: is a symbolic link; lp-accredit does not write through links (remove it or "
                            "choose another path)").format(path=path))
    if path.is_dir():
        raise OutputError(_("{path}: is a directory, not a file; give a file name").format(path=path))
    return path


def ensure_folder(folder) -> Path:
    """Create ``folder`` (and its parents); a clear error when it (or a parent) is a file."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(_("{path}: is a file, not a folder; give a folder for the outputs").format(path=folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(_("{path}: a part of the path is a file, not a folder").format(path=folder)) from None
    except OSError as error:
        raise OutputError(_("{path}: cannot be created: {why}").format(path=folder, why=error.strerror)) from None
    return folder


class AtomicFile:
    """A text or binary file written to a temporary name and renamed over ``path`` by :meth:`commit`."""

    def __init__(self, path, mode="w", encoding="utf-8", newline="", permissions=0o644):
        self.path = check_target(path)
        ensure_folder(self.path.parent)
        descriptor, self.temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                                      dir=self.path.parent)
        os.fchmod(descriptor, permissions)
        binary = "b" in mode
        self.handle = os.fdopen(descriptor, "wb" if binary else "w", **({} if binary else {
            "encoding": encoding, "newline": newline}))

    def write(self, data):
        return self.handle.write(data)

    def commit(self):
        """Flush to disk and put the file in place (never through a link that appeared meanwhile)."""
        if self.handle.closed:
            return
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        try:
            check_target(self.path)
            os.replace(self.temporary, self.path)
        except BaseException:
            self.discard()
            raise

    def discard(self):
        if not self.handle.closed:
            self.handle.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.temporary)

    @property
    def closed(self):
        return self.handle.closed


@contextlib.contextmanager
def atomic_writer(path, mode="w", permissions=0o644, **options):
    """``with atomic_writer(path) as handle:`` the file appears whole at the end of the block, or not at all."""
    target = AtomicFile(path, mode, permissions=permissions, **options)
    try:
        yield target.handle
    except BaseException:
        target.discard()
        raise
    target.commit()


def write_text(path, text: str, permissions=0o644):
    with atomic_writer(path, permissions=permissions) as handle:
        handle.write(text)


def write_private(path, data: bytes):
    """Write a secret (a private key): mode 0600 from creation, atomically, never through a link."""
    with atomic_writer(path, "wb", permissions=0o600) as handle:
        handle.write(data)


def loose_permissions(path) -> bool:
    """True when the file at ``path`` can be read or written by its group or others."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IRWXG | stat.S_IRWXO))
