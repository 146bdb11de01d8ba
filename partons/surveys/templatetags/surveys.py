"""`{% load surveys %}{% open_surveys village=village %}` (or `event=event`, `call=call`): the open surveys attached to
a village, an event or a call, for their pages — so that the apps showing them need no change of their own."""
from django import template

from partons.surveys import selectors

register = template.Library()


@register.inclusion_tag("surveys/_open_surveys.html")
def open_surveys(village=None, event=None, call=None):
    if village is None and event is None and call is None:
        return {"surveys": []}
    return {"surveys": selectors.open_surveys(village=village, event=event, call=call)}
