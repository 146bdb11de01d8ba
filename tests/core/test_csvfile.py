"""One CSV shape for every download: a byte-order mark for spreadsheet programs, a header, defused formulas."""
import csv
import io

from partons.core.csvfile import csv_bytes, csv_response


def test_rows_as_sequences_or_mappings_with_a_bom_and_defused_formulas():
    data = csv_bytes(["name", "note"], [("Bakkerij", "=HYPERLINK(\"http://evil\")"), {"name": "Café", "note": None},
                                        {"note": "+32 57", "ignored": "x"}])
    assert data.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["name", "note"], ["Bakkerij", "'=HYPERLINK(\"http://evil\")"], ["Café", ""], ["", "'+32 57"]]


def test_a_download_is_named_and_typed():
    r = csv_response("export.csv", ["a"], [[1]])
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert r["Content-Disposition"] == 'attachment; filename="export.csv"'
    assert r.content.decode("utf-8-sig").splitlines() == ["a", "1"]
