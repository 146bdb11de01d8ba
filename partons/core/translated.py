"""Content in several languages, the one way Partons stores it: one field per language (`title_nl`, `title_fr`, and
for place and category names `name_en` too), declared on the model, and a `TranslatedField` that reads the one of
the page's language, falling back in a fixed order when it is empty.

- Official content (the default, `OFFICIAL`) is written in Dutch and French: French pages read French, every other
  language Dutch, and each falls back to the other.
- Names of places and categories (`NAMES`) also have an English form: English pages read it, then the French, then the
  Dutch name (Ypres before Ieper); Dutch and French pages read their own, then the other.

`obj.title_lang` says which language `obj.title` gave (for the `lang` attribute of the element that shows it)."""
from django.utils import translation

# The languages residents write in, each named in itself: a choice of language reads the same on every page.
WRITTEN_IN = [("nl", "Nederlands"), ("fr", "Français")]

OFFICIAL: dict[str, tuple[str, ...]] = {"nl": ("nl", "fr"), "fr": ("fr", "nl"), "en": ("nl", "fr")}
NAMES: dict[str, tuple[str, ...]] = {"nl": ("nl", "fr", "en"), "fr": ("fr", "nl", "en"), "en": ("en", "fr", "nl")}


def active_side() -> tuple[str, str]:
    """Official content: the language to read first and the one to fall back to."""
    first, second = OFFICIAL.get(page_language(), OFFICIAL["nl"])
    return first, second


def page_language() -> str:
    return (translation.get_language() or "nl")[:2]


def first_written(values: dict[str, str | None], order=NAMES, language: str | None = None) -> str | None:
    """The language whose value is read for `language` (default: the page's): the first non-empty one in the order."""
    langs = order.get(language or page_language(), order["nl"])
    return next((lang for lang in langs if values.get(lang)), None)


class TranslatedField:
    def __init__(self, base: str | None = None, order: dict[str, tuple[str, ...]] = OFFICIAL):
        self.base = base
        self.order = order

    def __set_name__(self, owner, name):
        self.base = self.base or name
        # `title_lang`: the language of what `title` gives, for the `lang` attribute of the element showing it.
        if f"{name}_lang" not in owner.__dict__:
            setattr(owner, f"{name}_lang", property(lambda obj: self.language_of(obj)))

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return getattr(obj, f"{self.base}_{self.language_of(obj)}")

    def fields(self, language: str | None = None) -> list[str]:
        """The stored fields in the order they are read, e.g. to sort or search in SQL."""
        return [f"{self.base}_{lang}" for lang in self.order.get(language or page_language(), self.order["nl"])]

    def language_of(self, obj) -> str:
        langs = self.order.get(page_language(), self.order["nl"])
        return next((lang for lang in langs if getattr(obj, f"{self.base}_{lang}")), langs[0])


def keep_single_column(app_label: str, fields: dict[str, tuple[str, ...]]):
    """For the migration that drops the single column a translated field once had (django-modeltranslation kept one
    beside `name_nl`, `name_fr`, `name_en`): a pair of RunPython functions that lose nothing. Forwards, a value of the
    single column that no language field holds goes into the first empty one (Dutch, then French, then English);
    backwards, the single column is filled again from the Dutch value (or the French one)."""
    langs = ("nl", "fr", "en")

    def forwards(apps, schema_editor):
        for model_name, bases in fields.items():
            model = apps.get_model(app_label, model_name)
            for obj in model.objects.all():
                changed = []
                for base in bases:
                    value = getattr(obj, base)
                    held = [getattr(obj, f"{base}_{lang}") for lang in langs]
                    if value and value not in held:
                        empty = next((lang for lang, v in zip(langs, held) if not v), None)
                        if empty is None:
                            raise RuntimeError(f"{model_name} {obj.pk}: {base}={value!r} has no empty language field")
                        setattr(obj, f"{base}_{empty}", value)
                        changed.append(f"{base}_{empty}")
                if changed:
                    obj.save(update_fields=changed)

    def backwards(apps, schema_editor):
        for model_name, bases in fields.items():
            model = apps.get_model(app_label, model_name)
            for obj in model.objects.all():
                for base in bases:
                    setattr(obj, base, getattr(obj, f"{base}_nl") or getattr(obj, f"{base}_fr") or "")
                obj.save(update_fields=list(bases))

    return forwards, backwards
