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
        # `title_lang`: the language of what `title` gives, for the `lang` attribute of the element showing it.
        if f"{name}_lang" not in owner.__dict__:
            setattr(owner, f"{name}_lang", property(lambda obj: self.language_of(obj)))

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return getattr(obj, f"{self.base}_{self.language_of(obj)}")

    def language_of(self, obj) -> str:
        first, second = active_side()
        return first if getattr(obj, f"{self.base}_{first}") or not getattr(obj, f"{self.base}_{second}") else second
