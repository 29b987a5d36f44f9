"""Workbooks for drafters who hand them on (openpyxl): the obligations register and the 任务分解表.

Every sheet is made to be read and printed as it is: headers in Chinese unless English is asked
for, the header row frozen and repeated on every printed page, text wrapped, columns as wide as
their content needs (within bounds), A4 landscape fitted to the page width.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from metrokg.errors import MetrokgError
from metrokg.kg.analyses import obligations
from metrokg.nlp.structure.tables import display_width

__all__ = ["write_xlsx", "write_breakdown_xlsx", "write_sheets_xlsx", "column_widths"]

_SUMMARY_HEADERS = {
    "zh": {"actor_label": "主体", "actor_key": "主体键", "level": "级别", "total": "合计", "obligation": "义务",
           "prohibition": "禁止", "encouragement": "鼓励", "permission": "允许", "exploration": "探索",
           "unspecified": "未注明", "documents": "文件"},
    "en": {c: c.replace("_", " ").capitalize() for c in obligations.SUMMARY_COLUMNS},
}
_MIN_WIDTH, _MAX_WIDTH = 6, 60


def column_widths(headers: Sequence[str], cells: Sequence[Sequence[object]]) -> list[float]:
    """Each column's width in Excel characters: its widest line (CJK counting two), bounded so a
    long text wraps instead of stretching the sheet."""
    widths = []
    for i, h in enumerate(headers):
        lines = [display_width(line) for row in cells for line in str(row[i] if row[i] is not None else "").split("\n")]
        widest = max([display_width(h) + 2, *lines]) if lines else display_width(h) + 2
        widths.append(float(min(max(widest + 2, _MIN_WIDTH), _MAX_WIDTH)))
    return widths


def _sheet(ws, headers: Sequence[str], cells: Sequence[Sequence[object]], title: str | None = None) -> None:  # noqa: ANN001
    """Fill one sheet: bold frozen header, wrapped cells, fitted widths, A4 landscape."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.append(list(headers))
    for row in cells:
        ws.append([_xl(v) for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, width in enumerate(column_widths(headers, cells), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title:
        ws.oddHeader.center.text = title


def save_workbook(wb, path: Path) -> Path:  # noqa: ANN001
    """Save a workbook (or a Word document) through a ``.part`` file, so a failed write leaves no
    half file (E314)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        wb.save(tmp)
        tmp.replace(path)
    except OSError as err:
        raise MetrokgError("E314", path=path, reason=err.strerror or str(err)) from None
    return path


def _checked(path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise MetrokgError("E313", path=path)
    return path


def write_xlsx(rows: list[dict], path: str | Path, summary: list[dict] | None = None, *, lang: str = "zh",
               all_columns: bool = False) -> Path:
    """The register as a workbook: sheet 义务 (rows, :func:`obligations.export_view`) and sheet
    按主体 (counts per actor); IRI and offset columns only with ``all_columns``."""
    from openpyxl import Workbook

    path = _checked(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "义务" if lang == "zh" else "Obligations"
    headers, cells = obligations.export_view(rows, lang, all_columns)
    _sheet(ws, headers, cells)
    ws2 = wb.create_sheet("按主体" if lang == "zh" else "By actor")
    summary = summary if summary is not None else obligations.summary_by_actor(rows)
    _sheet(ws2, [_SUMMARY_HEADERS[lang][c] for c in obligations.SUMMARY_COLUMNS],
           [[g.get(c) for c in obligations.SUMMARY_COLUMNS] for g in summary])
    return save_workbook(wb, path)


def write_breakdown_xlsx(headers: Sequence[str], cells: Sequence[Sequence[object]], path: str | Path,
                         title: str) -> Path:
    """The 任务分解表 (:func:`metrokg.kg.analyses.breakdown.display_rows`) as a one-sheet workbook."""
    from openpyxl import Workbook

    path = _checked(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解表" if headers and headers[0] == "序号" else "Task breakdown"
    _sheet(ws, headers, cells, title)
    return save_workbook(wb, path)


def _xl(value):
    if value is None:
        return None
    if isinstance(value, (list, tuple, set)):
        return "、".join(str(v) for v in value)
    return value


def write_sheets_xlsx(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[object]]]],
                      path: str | Path) -> Path:
    """Several (title, headers, cells) tables as the sheets of one workbook (the comparison's export)."""
    from openpyxl import Workbook

    path = _checked(path)
    wb = Workbook()
    wb.remove(wb.active)
    for title, headers, cells in sheets:
        _sheet(wb.create_sheet(title[:31]), headers, cells)
    return save_workbook(wb, path)
