"""CSV as Arshif writes it: UTF-8 with a BOM (spreadsheets then read Arabic right) and no cell a
spreadsheet would run as a formula.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel,
LibreOffice and Google Sheets (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`): article titles and bodies
are third-party text, so every such cell gets a leading apostrophe, the OWASP advice, which the
programs show as text. Every CSV output (the one-page `/search.csv`, the export, the batch) writes
its rows through `csv_lines`, so none can forget it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """The text of one cell, never read as a formula. None is an empty cell."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(rows: Iterable[Iterable[Any]]) -> str:
    """CSV records (each with its line ending), every cell through `safe_cell`. A buffer per call:
    web workers write from several threads at once."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for cells in rows:
        writer.writerow([safe_cell(cell) for cell in cells])
    return buffer.getvalue()


def csv_line(cells: Iterable[Any]) -> str:
    """One CSV record (with its line ending)."""
    return csv_lines([cells])
