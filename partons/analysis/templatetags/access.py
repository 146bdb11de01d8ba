from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


def _missing(value) -> bool:
    """No figure: None, or the empty string a template passes when the object holding the figure is missing (a
    region with no figures computed yet)."""
    return value is None or value == ""


@register.filter
def minutes(seconds, limit_min=None):
    """'7 min', '< 1 min', or 'more than 45 min' for times beyond the search limit."""
    if _missing(seconds):
        return "–"
    m = seconds / 60
    if limit_min and m >= float(limit_min) - 0.05:
        return _("≥ %(n)s min") % {"n": limit_min}
    if m < 1:
        return _("< 1 min")
    return _("%(n)s min") % {"n": number_format(round(m), 0)}


@register.filter
def percent(share):
    if _missing(share):
        return "–"
    return f"{round(100 * share)} %"


@register.filter
def km(metres):
    if _missing(metres):
        return "–"
    return _("%(n)s km") % {"n": number_format(metres / 1000, 1)}


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def div60(seconds):
    return "–" if _missing(seconds) else number_format(round(seconds / 60), 0)


@register.filter
def mode_label(mode: str) -> str:
    """A travel mode in the page's language: "on foot", "à vélo"… (`|capfirst` for a heading)."""
    from partons.analysis.models import Mode

    return str(dict(Mode.choices).get(mode, mode))


@register.filter
def method_label(method: str) -> str:
    """How figures were computed, in the page's language: "road network", "straight-line estimate"…"""
    from partons.analysis.models import Method

    return str(dict(Method.choices).get(method, method))
