from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euros(cents):
    """Euro cents as '€ 100.000' (grouped in the page's language; cents only when there are any)."""
    if cents is None:
        return "–"
    cents = int(cents)
    return "€ " + number_format(cents / 100, decimal_pos=0 if cents % 100 == 0 else 2, use_l10n=True, force_grouping=True)
