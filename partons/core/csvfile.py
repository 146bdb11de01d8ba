"""Every CSV the platform writes — downloads for the programme team and open-data exports alike — in one shape:
UTF-8 with a byte-order mark (spreadsheet programs then read the accents right; `encoding="utf-8-sig"` reads it in
Python), a header row, and every text cell defused against spreadsheet formulas (`csv_safe`)."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from django.http import HttpResponse

from .text import csv_safe

CONTENT_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence | Mapping]) -> bytes:
    """The file: `header`, then each row — a sequence in the header's order, or a mapping read by the header's names
    (missing keys and None are empty cells)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for row in rows:
        values = [row.get(name) for name in header] if isinstance(row, Mapping) else row
        writer.writerow([csv_safe("" if v is None else v) for v in values])
    return (BOM + buf.getvalue()).encode("utf-8")


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence | Mapping]) -> HttpResponse:
    """A download of `csv_bytes(header, rows)` named `filename`."""
    response = HttpResponse(csv_bytes(header, rows), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
