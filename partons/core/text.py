"""Text helpers: accent- and case-insensitive keys for searching and sorting place names."""
import unicodedata


def fold(text: str | None) -> str:
    """'Boëseghem' → 'boeseghem', 'Ieper / Ypres' → 'ieper / ypres': for search and sort keys."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()
