"""
Build the Studio import tarball: ``<org>-<course>-<run>.tar.gz`` with the tree under a top folder ``course/``.

Deterministic: the same source gives the same bytes (sorted members, fixed times, owners and modes, USTAR
headers, a gzip header without name or time). The downloadable templates are built here from their sources
(:mod:`lp_programme.downloads`) into ``static/downloads/``, deterministically too.
"""
from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

from . import SOURCE
from lp_programme.course_tree import OlxError, load_course, source_files

TOP = "course"
_EPOCH = 946684800  # 2000-01-01T00:00:00Z: fixed member times


def _info(name: str, size: int | None = None) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mtime = _EPOCH
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    if size is None:
        info.type = tarfile.DIRTYPE
        info.mode = 0o755
    else:
        info.size = size
        info.mode = 0o644
    return info


def tarball_bytes(root: str | Path = SOURCE) -> bytes:
    """The tarball of the tree at ``root`` as bytes."""
    from lp_programme import downloads  # pylint: disable=import-outside-toplevel

    root = Path(root)
    files = source_files(root)
    generated = {f"static/{name}": data for name, data in downloads.build_files().items()}
    clash = sorted(set(files) & set(generated))
    if clash:
        raise OlxError(clash[0], "is built from lp_programme/template_sources.py: remove the copy from the tree")
    files = sorted(files + list(generated))
    folders = sorted({str(Path(name).parent.as_posix()) for name in files} - {"."})
    # Every ancestor folder gets its own entry, before its files.
    for folder in list(folders):
        parent = Path(folder).parent
        while parent.as_posix() != ".":
            folders.append(parent.as_posix())
            parent = parent.parent
    folders = sorted(set(folders))
    members = [(f"{TOP}/{folder}", None) for folder in folders] + [(f"{TOP}/{name}", name) for name in files]
    members.sort(key=lambda item: item[0])
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        tar.addfile(_info(TOP))
        for member, source in members:
            if source is None:
                tar.addfile(_info(member))
            else:
                data = generated[source] if source in generated else (root / source).read_bytes()
                tar.addfile(_info(member, len(data)), io.BytesIO(data))
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, mtime=0, compresslevel=9) as zipped:
        zipped.write(raw.getvalue())
    return packed.getvalue()


def build(output_dir: str | Path = "dist", root: str | Path = SOURCE) -> Path:
    """Write the tarball into ``output_dir``; returns its path. The tree must load (see :func:`load_course`)."""
    course = load_course(root)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / f"{course.org}-{course.number}-{course.run}.tar.gz"
    target.write_bytes(tarball_bytes(root))
    return target
