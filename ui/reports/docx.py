"""The 任务分解表 as a Word document (python-docx), ready to hand to the agencies and to print.

One table on an A4 landscape page: the title above it, a bold header row repeated on every page,
columns sized by their content within the page width, text wrapping in the cells, a CJK font
(宋体) set for East Asian text so Word does not fall back to a Latin one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from metrokg.errors import MetrokgError
from metrokg.ui.reports.xlsx import column_widths, save_workbook

__all__ = ["write_breakdown_docx"]

_PAGE_CM = (29.7, 21.0)  # A4 landscape
_MARGIN_CM = 1.5
_FONT = "宋体"
_FONT_PT = 9


def _east_asian_font(run, name: str) -> None:  # noqa: ANN001 - a python-docx run
    from docx.oxml.ns import qn

    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _repeat_header(row) -> None:  # noqa: ANN001 - a python-docx row
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    flag = trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    trpr.append(flag)


def write_breakdown_docx(headers: Sequence[str], cells: Sequence[Sequence[object]], path: str | Path,
                         title: str) -> Path:
    """Write the table (:func:`metrokg.kg.analyses.breakdown.display_rows`) to ``path`` (.docx)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise MetrokgError("E475", path=path)
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(_PAGE_CM[0]), Cm(_PAGE_CM[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(_MARGIN_CM))
    heading = doc.add_paragraph()
    run = heading.add_run(title)
    run.bold = True
    run.font.size = Pt(14)
    _east_asian_font(run, _FONT)
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    widths = column_widths(headers, cells)
    usable = _PAGE_CM[0] - 2 * _MARGIN_CM
    scale = usable / sum(widths)
    for i, h in enumerate(headers):
        cell = table.rows[0].cells[i]
        cell.text = ""
        r = cell.paragraphs[0].add_run(str(h))
        r.bold = True
        r.font.size = Pt(_FONT_PT)
        _east_asian_font(r, _FONT)
    _repeat_header(table.rows[0])
    for values in cells:
        row = table.add_row()
        for i, v in enumerate(values):
            r = row.cells[i].paragraphs[0].add_run("" if v is None else str(v))
            r.font.size = Pt(_FONT_PT)
            _east_asian_font(r, _FONT)
    for i, w in enumerate(widths):
        for row in table.rows:
            row.cells[i].width = Cm(w * scale)
    return save_workbook(doc, path)
