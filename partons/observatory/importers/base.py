"""What the importers share: reading text files in either encoding, sniffing the separator, errors."""
from __future__ import annotations

import csv
import io
from pathlib import Path


class FacilityImportError(Exception):
    """The file cannot be imported (the message says why); nothing was written."""


def read_text(path: Path) -> str:
    if not path.is_file():
        raise FacilityImportError(f"{path}: no such file")
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise FacilityImportError(f"{path}: a binary file, not a CSV text file")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FacilityImportError(f"{path}: unknown text encoding")  # pragma: no cover - latin-1 decodes anything


def read_csv(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """Header and (line number, row) pairs; the separator (; , or tab) is taken from the header line."""
    text = read_text(path)
    first = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first.count)
    if first.count(delimiter) == 0:
        raise FacilityImportError(f"{path}: the first line is not a header of columns separated by ; or ,")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if None in row:
                raise FacilityImportError(f"{path}, line {reader.line_num}: more values than columns in the header")
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    except csv.Error as exc:  # a field longer than the CSV reader's limit, a stray quote…
        raise FacilityImportError(f"{path}, line {reader.line_num}: not readable as CSV ({exc})") from exc
    return header, rows


def parse_float(value: str) -> float:
    return float(value.replace(",", ".").strip())
