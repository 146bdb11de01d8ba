from django import template
from django.utils import translation
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euros(cents):
    """Euro cents as the page's language writes them: '€ 100.000' in Dutch, '100 000 €' in French (grouped; cents
    only when there are any)."""
    if cents is None:
        return "–"
    cents = int(cents)
    amount = number_format(cents / 100, decimal_pos=0 if cents % 100 == 0 else 2, use_l10n=True, force_grouping=True)
    if (translation.get_language() or "")[:2] == "fr":
        return amount + "\u00a0€"
    return "€\u00a0" + amount
