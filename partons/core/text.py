"""Text helpers: accent- and case-insensitive keys for searching and sorting place names, plain values."""
import datetime
import re
import unicodedata


def fold(text: str | None) -> str:
    """'Boëseghem' → 'boeseghem', 'Ieper / Ypres' → 'ieper / ypres': for search and sort keys."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def csv_safe(value):
    """A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading apostrophe."""
    if isinstance(value, str) and (value[:1] in ("=", "+", "-", "@", "\t", "\r", "\n")
                                   or value.lstrip()[:1] in ("=", "+", "-", "@")):
        return "'" + value
    return value


def posted_id(value) -> int | None:
    """A database id typed or posted as digits (an int passes), else None: never an error page for a bad value."""
    if isinstance(value, int):
        return value
    value = (value or "").strip() if isinstance(value, str) else ""
    return int(value) if value.isdigit() and len(value) < 19 else None


_SPACES_AND_BREAKS = re.compile(r"[ \t\r\n\v\f\x1c-\x1f\x85\u2028\u2029]+")


def one_line(text: str | None) -> str:
    """A title or subject as one line: every run of spaces and line breaks becomes one space (a no-break space, as
    French writes before « : », stays)."""
    return _SPACES_AND_BREAKS.sub(" ", text or "").strip()


def plain(value):
    """A field's value as the JSON answers and the exports give it: dates and times in ISO 8601, the rest as it is."""
    return value.isoformat() if isinstance(value, (datetime.date, datetime.time)) else value
