"""One way to print results for every command: JSON, CSV or a readable table.

Like sqlite-utils, every listing command accepts the same ``--json``/``--csv``/``--table``
switches; ``--json`` prints exactly one JSON value on stdout and nothing else.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import unicodedata
from typing import Any, Iterable, Sequence


def add_format_options(parser: argparse.ArgumentParser) -> None:
    """Add the shared ``--json`` / ``--csv`` / ``--table`` switches."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--json", dest="fmt", action="store_const", const="json",
                       help="print one JSON value on stdout")
    group.add_argument("--csv", dest="fmt", action="store_const", const="csv",
                       help="print comma-separated values with a header row")
    group.add_argument("--table", dest="fmt", action="store_const", const="table",
                       help="print a readable table (the default)")
    parser.set_defaults(fmt="table")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if _width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = _width(ch)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def render_table(rows: Sequence[dict], columns: Sequence[str], max_width: int = 48) -> str:
    """Rows as an aligned plain-text table; long cells are clipped with an ellipsis."""
    if not rows:
        return "(no results)"
    cells = [[_clip(_cell(r.get(c)), max_width) for c in columns] for r in rows]
    widths = [max(_width(c), *(_width(row[i]) for row in cells)) for i, c in enumerate(columns)]

    def line(values: Iterable[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

    out = [line(columns), line("-" * w for w in widths)]
    out.extend(line(row) for row in cells)
    return "\n".join(out)


def render_csv(rows: Sequence[dict], columns: Sequence[str]) -> str:
    """Rows as CSV with a header; lists are joined with '; '."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([_cell(r.get(c)) for c in columns])
    return buf.getvalue()


def emit(data: Any, fmt: str, columns: Sequence[str] | None = None, stream=None, max_width: int = 48) -> None:
    """Print ``data`` (a list of dicts or one dict) in the chosen format (table cells clipped to ``max_width``)."""
    stream = stream or sys.stdout
    if fmt == "json":
        stream.write(json.dumps(data, ensure_ascii=False, indent=None) + "\n")
        return
    rows = data if isinstance(data, list) else [data]
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "csv":
        stream.write(render_csv(rows, columns))
    else:
        stream.write(render_table(rows, columns, max_width) + "\n")
