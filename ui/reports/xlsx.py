"""The obligations register as an Excel workbook (openpyxl), for drafters who hand it on."""

from __future__ import annotations

from pathlib import Path

from metrokg.errors import MetrokgError
from metrokg.kg.analyses import obligations


def write_xlsx(rows: list[dict], path: str | Path, summary: list[dict] | None = None) -> Path:
    """The register as an Excel workbook: sheet 义务 (rows) and sheet 按主体 (counts per actor)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise MetrokgError("E313", path=path)
    wb = Workbook()
    ws = wb.active
    ws.title = "义务 obligations"
    ws.append(obligations.COLUMNS)
    for r in rows:
        ws.append([_xl(r.get(c)) for c in obligations.COLUMNS])
    widths = {"text": 80, "actor": 22, "actor_label": 26, "iri": 40, "actor_iri": 40, "industries": 20}
    for i, c in enumerate(obligations.COLUMNS, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = widths.get(c, 12)
        ws.cell(1, i).font = Font(bold=True)
    text_col = obligations.COLUMNS.index("text") + 1
    for row in ws.iter_rows(min_row=2, min_col=text_col, max_col=text_col):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws2 = wb.create_sheet("按主体 by actor")
    summary = summary if summary is not None else obligations.summary_by_actor(rows)
    ws2.append(obligations.SUMMARY_COLUMNS)
    for g in summary:
        ws2.append([_xl(g.get(c)) for c in obligations.SUMMARY_COLUMNS])
    for i in range(1, len(obligations.SUMMARY_COLUMNS) + 1):
        ws2.cell(1, i).font = Font(bold=True)
    ws2.column_dimensions["A"].width = 30
    ws2.column_dimensions["B"].width = 50
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        wb.save(tmp)
        tmp.replace(path)
    except OSError as err:
        raise MetrokgError("E314", path=path, reason=err.strerror or str(err)) from None
    return path


def _xl(value):
    if value is None:
        return None
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    return value
