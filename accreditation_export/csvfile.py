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


MAX_LINE = 64 * 1024        # one register row is a few hundred characters


class BrokenRow(str):
    """A line that is not one CSV row (the reason, as text); :func:`reading_lines` yields it in place of cells."""


def _one_line(text: str):
    """The cells of one physical line, or a :class:`BrokenRow` saying why it is not one CSV row."""
    if len(text) > MAX_LINE:
        return BrokenRow(_("the line is longer than {n} characters").format(n=MAX_LINE))
    if "\0" in text:
        return BrokenRow(_("the line holds a NUL character"))
    try:
        rows = list(csv.reader([text], strict=True))
    except csv.Error as problem:
        if "end of data" in str(problem) or "expected" in str(problem):
            return BrokenRow(_("a quoted field is not closed on this line (a stray quote?): the row is not read, "
                               "the lines after it are"))
        return BrokenRow(_("cannot be read as CSV: {why}").format(why=problem))
    return rows[0] if rows else []


@contextlib.contextmanager
def reading_lines(path, error):
    """
    ``with reading_lines(path, SomeError) as (header, rows)``, for files where each row is one line (the
    register): each physical line is parsed on its own, so a stray quote cannot run a field over the lines that
    follow and hide them; a line that is not one CSV row is yielded as ``(line, BrokenRow(reason))``, the
    others as ``(line, cells)``. UTF-8 with or without a BOM; a line that is not UTF-8 is a broken row too.
    """
    path = Path(path)
    try:
        handle = path.open("rb")
    except OSError as problem:
        raise error(_("{path}: cannot be read: {why}").format(path=path, why=problem.strerror)) from problem
    with handle:
        def lines():
            for number, raw in enumerate(handle, start=1):
                if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                raw = raw.rstrip(b"\r\n")
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    yield number, BrokenRow(_("the line is not UTF-8 text"))
                    continue
                yield number, _one_line(text)

        numbered = lines()
        header = None
        for number, cells in numbered:
            if isinstance(cells, BrokenRow):
                raise error(_("{path}:{line}: the header row: {why}").format(path=path, line=number, why=cells))
            if any(cell.strip() for cell in cells):
                header = cells
                break
        if header is None:
            raise error(_("{path}: the file is empty; expected a header row").format(path=path))

        def rows():
            for number, cells in numbered:
                if isinstance(cells, BrokenRow) or any(cell.strip() for cell in cells):
                    yield number, cells

        yield header, rows()
