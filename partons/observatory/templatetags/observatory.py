import re

from django import template
from django.utils.dates import WEEKDAYS_ABBR

register = template.Library()
OSM_DAYS = {"Mo": 0, "Tu": 1, "We": 2, "Th": 3, "Fr": 4, "Sa": 5, "Su": 6}
DAY_TOKEN = re.compile(r"\b(Mo|Tu|We|Th|Fr|Sa|Su)\b")


@register.filter
def opening_hours(value: str) -> str:
    """OpenStreetMap opening hours ("Mo-Fr 09:00-12:00; Sa 10:00-12:00") with day names in the page's language
    (Django's own translated abbreviations); anything else is left as it is."""
    if not value:
        return ""
    text = DAY_TOKEN.sub(lambda m: str(WEEKDAYS_ABBR[OSM_DAYS[m.group(1)]]), value)
    return text.replace("; ", " · ").replace("off", "—")
