"""Official content carries its text in Dutch and French (`title_nl`, `title_fr`). `TranslatedField("title")` on a
model reads the one of the active language — French pages get French, every other language Dutch — and falls back to
the other when it is empty."""
from django.utils import translation


def active_side() -> tuple[str, str]:
    """The language to read first and the one to fall back to."""
    return ("fr", "nl") if (translation.get_language() or "nl")[:2] == "fr" else ("nl", "fr")


class TranslatedField:
    def __init__(self, base: str | None = None):
        self.base = base

    def __set_name__(self, owner, name):
        self.base = self.base or name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        first, second = active_side()
        return getattr(obj, f"{self.base}_{first}") or getattr(obj, f"{self.base}_{second}")
