"""Official content in the page's language, or marked with the language it is shown in.

`{{ call|in_language:"title" }}` gives the text of a `TranslatedField` inside an element carrying its `lang`, followed
by a visible "(in Dutch)" / "(en français)" when it is not the page's language (an English page, or a text that
exists in one language only)."""
from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

LANGUAGE_NAMES = {"nl": lambda: _("in Dutch"), "fr": lambda: _("in French")}


@register.filter
def in_language(obj, field: str):
    return written_in(getattr(obj, field, ""), getattr(obj, f"{field}_lang", None))


@register.filter
def written_in(value, lang: str | None):
    """A resident's text in the language it was written in: `{{ idea.title|written_in:idea.language }}`."""
    if not value or lang not in LANGUAGE_NAMES:
        return value
    page = (translation.get_language() or "nl")[:2]
    if lang == page:
        return format_html('<span lang="{}">{}</span>', lang, value)
    return format_html('<span lang="{}">{}</span> <span class="lang-tag" lang="{}">({})</span>', lang, value, page,
                       LANGUAGE_NAMES[lang]())


@register.simple_tag
def colon():
    """A colon as the page's language writes it: "Habitants : 1 157" in French (a no-break space before it),
    "Inwoners: 1.157" in Dutch and English. `{% translate "Residents" %}{% colon %} …`"""
    return "\u00a0:" if (translation.get_language() or "")[:2] == "fr" else ":"
