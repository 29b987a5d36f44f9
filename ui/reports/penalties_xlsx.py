"""Penalties (法律责任) as an Excel workbook with Chinese headers, for drafters and inspectors who hand it on."""

from __future__ import annotations

from pathlib import Path

from metrokg.kg.analyses.penalties import FLAT_COLUMNS, HEADERS_ZH, flat_rows
from metrokg.ui.reports.xlsx import write_sheets_xlsx


def write_penalties_xlsx(rows: list[dict], path: str | Path) -> Path:
    """One sheet 法律责任: a row per penalty (its sanctions' kinds and fines joined), headers in Chinese,
    laid out like every other register (frozen header, fitted widths, wrapped text, A4 landscape)."""
    cells = [[r.get(c) for c in FLAT_COLUMNS] for r in flat_rows(rows)]
    return write_sheets_xlsx([("法律责任", [HEADERS_ZH[c] for c in FLAT_COLUMNS], cells)], path)
