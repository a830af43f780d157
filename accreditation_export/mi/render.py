"""
The report as one self-contained HTML document (inline CSS and SVG, nothing fetched: a Content-Security-Policy
forbids it) and as CSV files, one per section table.

Every text is escaped where it is written: markup is built only through :func:`h`, which escapes text children
and attribute values unless they are :class:`Markup` it built itself. CSV cells go through
:func:`lp_xblocks.common.csv_safe.csv_text` (formula-safe).

Accessibility: headings in order (h1, a h2 per section, h3 per instrument), every table with a caption and
header cells with scopes, every chart an ``<svg role="img">`` named by its ``<title>`` and ``<desc>`` inside a
``<figure>``, with the table that gives the same figures next to it.
"""
from __future__ import annotations

import datetime as dt
import html
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from lp_xblocks.common.csv_safe import csv_text

from ..files import write_text
from ..i18n import _
from .figures import Bars, Counts, Dumbbell, Suppressed, Table

# Ordered categories (bands, stages) from light to dark, readable by people with any colour vision.
PALETTE = ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b")
DARK_TEXT, LIGHT_TEXT = "#111111", "#ffffff"
FONT = 13


class Markup(str):
    """Text that is already HTML (made by :func:`h` or :func:`esc`)."""


def esc(value) -> Markup:
    if isinstance(value, Markup):
        return value
    return Markup(html.escape("" if value is None else str(value), quote=True))


def h(tag: str, attrs: dict | None = None, *children) -> Markup:
    """``<tag attrs>children</tag>``; attribute values and text children escaped. ``None`` attributes are left out."""
    parts = [tag]
    for name, value in (attrs or {}).items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        parts.append(name if value is True else f'{name}="{esc(value)}"')
    inner = "".join(esc(child) for child in children if child is not None)
    return Markup(f"<{' '.join(parts)}>{inner}</{tag}>")


def join(items) -> Markup:
    return Markup("".join(esc(item) for item in items))


# --------------------------------------------------------------------------------------------- cells


def cell_text(value, column: str = "") -> str:
    """A cell as the HTML shows it."""
    if value is None:
        return "\u2013"
    if isinstance(value, Suppressed):
        return str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return f"{value:.1f}%" if column == _("Percent") else f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def whole_percent(count: int, total: int) -> int:
    """``count`` of ``total`` as a whole percentage, rounded half-up (1 of 8 is 13%)."""
    return int((Decimal(count) * 100 / Decimal(total)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _numeric(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def table_html(table: Table) -> Markup:
    head = h("tr", None, *[h("th", {"scope": "col"}, column) for column in table.columns])
    rows = []
    for row in table.rows:
        cells = []
        for position, (column, value) in enumerate(zip(table.columns, row)):
            classes = " ".join(filter(None, ["num" if _numeric(value) else "",
                                             "suppressed" if isinstance(value, Suppressed) else ""])) or None
            tag = "th" if position == 0 else "td"
            attrs = {"scope": "row", "class": classes} if position == 0 else {"class": classes}
            cells.append(h(tag, attrs, cell_text(value, column)))
        rows.append(h("tr", None, *cells))
    if not rows:
        rows.append(h("tr", None, h("td", {"colspan": len(table.columns)}, table.empty or _("No figures."))))
    parts = [h("caption", None, table.caption)]
    notice = None
    if table.personal:
        notice = h("p", {"class": "staff-only"}, _("Staff only: this table names individuals."))
    body = h("table", {"id": f"table-{table.id}"}, *parts, h("thead", None, head), h("tbody", None, *rows))
    # A wide table scrolls sideways: its wrapper is a labelled, focusable region so keyboards can scroll it.
    return join([notice, h("div", {"class": "table-wrap", "role": "region", "tabindex": "0",
                                   "aria-label": table.caption}, body)])


# --------------------------------------------------------------------------------------------- charts


def _wrap(text: str, width: int = 32, lines: int = 2) -> list[str]:
    words, found, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            found.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    found.append(line)
    if len(found) > lines:
        found = found[:lines]
        found[-1] = found[-1][: width - 1].rstrip() + "\u2026"
    return found


def _label(x, y, text, anchor="end", size=FONT, weight=None, fill=DARK_TEXT) -> Markup:
    lines = _wrap(text)
    first = y - (len(lines) - 1) * (size + 2) / 2
    spans = [h("tspan", {"x": x, "y": round(first + index * (size + 2), 1)}, line) for index, line in enumerate(lines)]
    return h("text", {"x": x, "y": round(first, 1), "text-anchor": anchor, "font-size": size, "font-weight": weight,
                      "fill": fill, "dominant-baseline": "middle"}, *spans)


def _text(x, y, text, anchor="start", size=FONT, fill=DARK_TEXT, weight=None) -> Markup:
    return h("text", {"x": round(x, 1), "y": round(y, 1), "text-anchor": anchor, "font-size": size, "fill": fill,
                      "font-weight": weight, "dominant-baseline": "middle"}, text)


def _svg(chart_id, title, desc, width, height, *body) -> Markup:
    return h("svg", {"role": "img", "aria-labelledby": f"{chart_id}-title {chart_id}-desc", "id": chart_id,
                     "viewBox": f"0 0 {width} {height}", "width": width, "height": height,
                     "xmlns": "http://www.w3.org/2000/svg", "font-family": "Arial, Helvetica, sans-serif"},
             h("title", {"id": f"{chart_id}-title"}, title), h("desc", {"id": f"{chart_id}-desc"}, desc), *body)


def _palette(count: int) -> list[str]:
    if count <= 1:
        return [PALETTE[3]]
    step = (len(PALETTE) - 1) / (count - 1)
    return [PALETTE[round(index * step)] for index in range(count)]


def _ink(fill: str) -> str:
    red, green, blue = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    return DARK_TEXT if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else LIGHT_TEXT


def bars_svg(chart: Bars) -> Markup:
    label_w, bar_w, note_w, row_h, top = 250, 330, 170, 40, 56
    width = label_w + bar_w + note_w
    colours = _palette(len(chart.categories))
    legend, x = [], label_w
    for colour, category in zip(colours, chart.categories):
        legend.append(h("rect", {"x": x, "y": 14, "width": 14, "height": 14, "fill": colour, "stroke": "#333"}))
        legend.append(_text(x + 18, 21, category, size=12))
        x += 26 + 7 * len(category)
    body = [h("g", {"class": "legend"}, *legend),
            _text(width - 4, 44, _("respondents, mean"), anchor="end", size=11, fill="#444")]
    for index, row in enumerate(chart.rows):
        y = top + index * row_h
        body.append(_label(label_w - 10, y + row_h / 2, row.label))
        if row.counts is None or not isinstance(row.n, int) or row.n == 0:
            note = str(row.n) if isinstance(row.n, Suppressed) else _("no respondents")
            body.append(h("rect", {"x": label_w, "y": y + 6, "width": bar_w, "height": row_h - 12, "fill": "#f2f2f2",
                                   "stroke": "#999", "stroke-dasharray": "4 3"}))
            body.append(_text(label_w + bar_w / 2, y + row_h / 2, note, anchor="middle", size=12, fill="#333"))
            continue
        x = label_w
        for colour, count in zip(colours, row.counts):
            share = count / row.n
            w = bar_w * share
            if w <= 0:
                continue
            body.append(h("rect", {"x": round(x, 1), "y": y + 6, "width": round(w, 1), "height": row_h - 12,
                                   "fill": colour, "stroke": "#333", "stroke-width": 0.5}))
            if w >= 34:
                body.append(_text(x + w / 2, y + row_h / 2, f"{whole_percent(count, row.n)}%", anchor="middle", size=12,
                                  fill=_ink(colour)))
            x += w
        mean_text = cell_text(row.mean) if row.mean is not None else "\u2013"
        body.append(_text(label_w + bar_w + 10, y + row_h / 2, _("n = {n}, mean {mean}").format(n=row.n, mean=mean_text),
                          size=12))
    height = top + len(chart.rows) * row_h + 8
    return _svg(chart.id, chart.title, chart.desc, width, height, *body)


def counts_svg(chart: Counts) -> Markup:
    label_w, bar_w, note_w, row_h, top = 300, 360, 90, 34, 10
    width = label_w + bar_w + note_w
    biggest = max([value for _label_text, value in chart.rows] + [1])
    body = []
    for index, (label, value) in enumerate(chart.rows):
        y = top + index * row_h
        body.append(_label(label_w - 10, y + row_h / 2, label))
        w = bar_w * value / biggest
        body.append(h("rect", {"x": label_w, "y": y + 6, "width": round(max(w, 1), 1), "height": row_h - 12,
                               "fill": PALETTE[4]}))
        body.append(_text(label_w + w + 8, y + row_h / 2, str(value), size=12, weight="bold"))
    height = top + max(len(chart.rows), 1) * row_h + 8
    if not chart.rows:
        body.append(_text(label_w, top + row_h / 2, _("No figures to show."), size=12))
    return _svg(chart.id, chart.title, chart.desc, width, height, *body)


def dumbbell_svg(chart: Dumbbell) -> Markup:
    label_w, plot_w, note_w, row_h, top = 250, 360, 140, 32, 48
    width = label_w + plot_w + note_w

    def xpos(value):
        return label_w + 10 + (plot_w - 20) * (value - chart.low) / ((chart.high - chart.low) or 1)

    body = [h("circle", {"cx": label_w + 10, "cy": 16, "r": 6, "fill": "#ffffff", "stroke": PALETTE[5],
                         "stroke-width": 2}),
            _text(label_w + 22, 16, _("at the start"), size=12),
            h("circle", {"cx": label_w + 130, "cy": 16, "r": 6, "fill": PALETTE[5]}),
            _text(label_w + 142, 16, _("latest"), size=12)]
    bottom = top + len(chart.rows) * row_h
    tick = chart.low
    while tick <= chart.high + 1e-9:
        x = xpos(tick)
        body.append(h("line", {"x1": round(x, 1), "x2": round(x, 1), "y1": top - 6, "y2": bottom, "stroke": "#ccc"}))
        body.append(_text(x, bottom + 12, cell_text(tick) if tick % 1 else str(int(tick)), anchor="middle", size=11))
        tick += 1
    body.append(_text(width - 4, top - 14, _("retaken by"), anchor="end", size=11, fill="#444"))
    for index, (label, n, baseline, latest) in enumerate(chart.rows):
        y = top + index * row_h + row_h / 2
        body.append(_label(label_w - 10, y, label))
        if baseline is None or latest is None:
            note = str(n) if isinstance(n, Suppressed) else _("not yet retaken")
            body.append(_text(label_w + plot_w / 2, y, note, anchor="middle", size=12, fill="#333"))
            continue
        body.append(h("line", {"x1": round(xpos(baseline), 1), "x2": round(xpos(latest), 1), "y1": y, "y2": y,
                               "stroke": PALETTE[4], "stroke-width": 3}))
        body.append(h("circle", {"cx": round(xpos(baseline), 1), "cy": y, "r": 6, "fill": "#ffffff",
                                 "stroke": PALETTE[5], "stroke-width": 2}))
        body.append(h("circle", {"cx": round(xpos(latest), 1), "cy": y, "r": 6, "fill": PALETTE[5]}))
        body.append(_text(label_w + plot_w + 10, y, _("n = {n}: {a} \u2192 {b}").format(
            n=n, a=cell_text(baseline), b=cell_text(latest)), size=12))
    return _svg(chart.id, chart.title, chart.desc, width, bottom + 24, *body)


def figure(chart) -> Markup:
    if isinstance(chart, Bars):
        svg = bars_svg(chart)
    elif isinstance(chart, Counts):
        svg = counts_svg(chart)
    else:
        svg = dumbbell_svg(chart)
    note = _("The table that follows gives the same figures.")
    return h("figure", {"class": "chart"}, svg, h("figcaption", None, chart.title, ". ", h("span", {"class": "note"}, note)))


# --------------------------------------------------------------------------------------------- document

STYLE = """
:root { color-scheme: light; }
body { font-family: Arial, Helvetica, sans-serif; color: #111; background: #fff; margin: 0 auto; max-width: 62rem;
       padding: 1rem 1.5rem 3rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: .25rem; } h2 { font-size: 1.35rem; margin-top: 2.5rem;
border-bottom: 2px solid #08519c; padding-bottom: .2rem; } h3 { font-size: 1.1rem; margin-top: 1.8rem; }
.meta { margin: .2rem 0; } .meta dt { font-weight: bold; display: inline; } .meta dd { display: inline; margin: 0 1rem 0 .3rem; }
nav ul { padding-left: 1.2rem; } a { color: #08519c; }
.notice { border-left: 4px solid #08519c; background: #eff3ff; padding: .5rem .8rem; }
.staff-only { font-weight: bold; color: #7a1f00; margin-bottom: .2rem; }
figure.chart { margin: 1rem 0; overflow-x: auto; } figure.chart svg { max-width: 100%; height: auto; }
figure.chart svg text[font-size="11"] { font-size: 12px; }
@media (max-width: 40rem) {
  /* A phone: charts keep their drawn size (text at least 12 px, nothing cut) and scroll inside their figure;
     the table after each chart gives the same figures. */
  body { padding: .75rem .75rem 2rem; overflow-wrap: anywhere; }
  figure.chart svg { max-width: none; }
  .meta dd { display: block; margin: 0 0 .3rem; }
}
figcaption { font-size: .9rem; color: #333; } figcaption .note { color: #444; }
.table-wrap { overflow-x: auto; margin: .6rem 0 1.2rem; }
table { border-collapse: collapse; font-size: .9rem; min-width: 50%; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
th, td { border: 1px solid #999; padding: .25rem .5rem; vertical-align: top; text-align: left; }
td { max-width: 18rem; overflow-wrap: anywhere; }
thead th { background: #deebf7; } tbody th { font-weight: normal; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.suppressed { color: #555; font-style: italic; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; } nav { display: none; }
  main > section + section { break-before: page; }
  figure, tr { break-inside: avoid; } thead { display: table-header-group; }
  .table-wrap { overflow: visible; } table { font-size: 8.5pt; }
  a { color: #111; text-decoration: none; }
}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def section_html(section) -> Markup:
    parts = [h("h2", {"id": f"{section.id}-heading"}, section.title)]
    parts += [h("p", None, paragraph) for paragraph in section.intro]
    for item in section.items:
        if isinstance(item, str):
            parts.append(h("h3", None, item))
        elif isinstance(item, Table):
            parts.append(table_html(item))
        else:
            parts.append(figure(item))
    return h("section", {"id": section.id, "aria-labelledby": f"{section.id}-heading"}, *parts)


def document(sections, meta: list, notices: list, title: str) -> str:
    """The whole HTML document. ``meta``: ``(label, value)`` pairs shown under the title."""
    nav = h("nav", {"aria-label": _("Sections")}, h("ul", None, *[
        h("li", None, h("a", {"href": f"#{section.id}"}, section.title)) for section in sections]))
    meta_list = h("dl", {"class": "meta"}, *[join([h("dt", None, label), h("dd", None, value)]) for label, value in meta])
    header = h("header", None, h("h1", None, title), meta_list,
               join([h("p", {"class": "notice"}, notice) for notice in notices]), nav)
    main = h("main", None, *[section_html(section) for section in sections])
    head = h("head", None, Markup('<meta charset="utf-8">'),
             Markup(f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'),
             Markup('<meta name="viewport" content="width=device-width, initial-scale=1">'),
             h("title", None, title), h("style", None, Markup(STYLE)))
    return "<!DOCTYPE html>\n" + h("html", {"lang": "en"}, head, h("body", None, header, main)) + "\n"


def write_csv(folder: Path, table: Table) -> Path:
    path = folder / f"{table.id}.csv"
    write_text(path, csv_text(table.columns, table.rows))      # atomic, never through a link
    return path
