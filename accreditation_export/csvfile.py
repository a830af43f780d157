"""Reading the CSV files people give the exporter (pure: stdlib): UTF-8 with or without a BOM, errors naming file and line."""
import contextlib
import csv
from pathlib import Path

from .i18n import _


@contextlib.contextmanager
def reading(path, error):
    """
    ``with reading(path, SomeError) as (header, rows)``: ``rows`` yields ``(line, cells)`` for each non-blank row.
    A file that cannot be opened, is empty or is not CSV raises ``error`` with ``file:line: problem``.
    """
    path = Path(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as problem:
        raise error(_("{path}: cannot be read: {why}").format(path=path, why=problem.strerror)) from problem
    with handle:
        reader = csv.reader(handle)

        def rows():
            try:
                for row in reader:
                    if any(cell.strip() for cell in row):
                        yield reader.line_num, row
            except (csv.Error, UnicodeDecodeError) as problem:
                raise error(_("{path}:{line}: cannot be read as CSV: {why}").format(
                    path=path, line=reader.line_num, why=problem)) from problem

        try:
            header = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as problem:
            raise error(_("{path}:1: cannot be read as CSV: {why}").format(path=path, why=problem)) from problem
        if header is None:
            raise error(_("{path}: the file is empty; expected a header row").format(path=path))
        yield header, rows()
