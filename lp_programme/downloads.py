"""
The downloadable templates: Word documents (.docx, via python-docx) and CSV files that a manager adapts, built
by ``python -m course_content build`` into the tarball's ``static/downloads/`` from the sources in
:mod:`lp_programme.template_sources`. They are never committed: the build makes them, the same bytes every time.

Deterministic output: python-docx writes its package with the time of saving, so each document is re-packed with
the members in the library's order (``[Content_Types].xml`` first), one fixed time stamp, fixed permissions and
one compression level; the core properties (author, dates, revision) are set explicitly. CSV files are UTF-8
with a byte-order mark (so spreadsheet programs read the pound sign) and CRLF line ends.
"""
from __future__ import annotations

import csv
import datetime
import io
import zipfile

from .template_sources import TEMPLATES

FOLDER = "downloads"
FIXED_TIME = (2026, 1, 1, 0, 0, 0)
AUTHOR = "Learning Partnership Management programme"


class TemplatesUnavailable(RuntimeError):
    """python-docx is not installed."""


def names() -> list[str]:
    """Every file the build writes under ``static/``, e.g. ``downloads/action-record.docx`` (sorted)."""
    found = []
    for template in TEMPLATES:
        found.append(f"{FOLDER}/{template['name']}.docx")
        if template.get("csv"):
            found.append(f"{FOLDER}/{template['name']}.csv")
    return sorted(found)


def csv_bytes(columns: list[str], rows: list[list[str]]) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def _repack(data: bytes) -> bytes:
    """The same zip members, in the same order, with fixed times, permissions and compression."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = 3
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename), compresslevel=9)
    return out.getvalue()


def docx_bytes(template: dict) -> bytes:
    try:
        import docx  # pylint: disable=import-outside-toplevel
        from docx.oxml import OxmlElement  # pylint: disable=import-outside-toplevel
        from docx.oxml.ns import qn  # pylint: disable=import-outside-toplevel
        from docx.shared import Pt  # pylint: disable=import-outside-toplevel
    except ImportError as error:
        raise TemplatesUnavailable(
            "python-docx is not installed, so the downloadable templates cannot be built: "
            "pip install 'lp-xblocks[course]'") from error
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    props = document.core_properties
    props.title = template["title"]
    props.subject = "Template from the Learning Partnership Management programme"
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.comments = "Adapt this template to your partnership. Replace every prompt in square brackets."
    props.keywords = "learning partnership; template"
    props.category = "Template"
    props.language = "en-GB"
    props.revision = 1
    moment = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    props.created = props.modified = moment
    props.last_printed = moment
    document.add_heading(template["title"], level=1)
    for kind, *content in template["body"]:
        if kind == "h":
            document.add_heading(content[0], level=2)
        elif kind == "p":
            document.add_paragraph(content[0])
        elif kind == "prompt":
            document.add_paragraph().add_run(f"[{content[0]}]").italic = True
        elif kind == "list":
            for item in content[0]:
                document.add_paragraph(item, style="List Bullet")
        elif kind == "fields":
            table = document.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for label in content[0]:
                cells = table.add_row().cells
                cells[0].text = label
                cells[1].text = ""
        elif kind == "table":
            columns, rows = content[0], content[1]
            table = document.add_table(rows=1, cols=len(columns))
            table.style = "Table Grid"
            for cell, heading in zip(table.rows[0].cells, columns):
                cell.text = ""
                cell.paragraphs[0].add_run(heading).bold = True
            # The first row is the header row (repeated on each page, announced by screen readers).
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            table.rows[0]._tr.get_or_add_trPr().append(header)  # pylint: disable=protected-access
            for row in rows:
                for cell, value in zip(table.add_row().cells, row):
                    cell.text = value
        else:  # pragma: no cover - the sources are checked by a test
            raise ValueError(f"{template['name']}: unknown block kind '{kind}'")
    raw = io.BytesIO()
    document.save(raw)
    return _repack(raw.getvalue())


def build_files() -> dict[str, bytes]:
    """``{path under static/: bytes}`` for every template."""
    files = {}
    for template in TEMPLATES:
        files[f"{FOLDER}/{template['name']}.docx"] = docx_bytes(template)
        if template.get("csv"):
            columns, rows = template["csv"]
            files[f"{FOLDER}/{template['name']}.csv"] = csv_bytes(columns, rows)
    return dict(sorted(files.items()))
