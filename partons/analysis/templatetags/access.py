from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def minutes(seconds, limit_min=None):
    """'7 min', '< 1 min', or 'more than 45 min' for times beyond the search limit."""
    if seconds is None:
        return "–"
    m = seconds / 60
    if limit_min and m >= float(limit_min) - 0.05:
        return _("≥ %(n)s min") % {"n": limit_min}
    if m < 1:
        return _("< 1 min")
    return _("%(n)s min") % {"n": number_format(round(m), 0)}


@register.filter
def percent(share):
    if share is None:
        return "–"
    return f"{round(100 * share)} %"


@register.filter
def km(metres):
    if metres is None:
        return "–"
    return _("%(n)s km") % {"n": number_format(metres / 1000, 1)}


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def div60(seconds):
    return "–" if seconds is None else number_format(round(seconds / 60), 0)
