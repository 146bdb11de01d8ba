from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EventType, PickupPoint


class RegistrationForm(forms.Form):
    companions = forms.IntegerField(label=_("Companions"), min_value=0, initial=0,
                                    help_text=_("People who come with you (each takes a place)."))
    pickup = forms.ModelChoiceField(label=_("Bus pick-up point"), queryset=PickupPoint.objects.none(), required=False,
                                    empty_label=_("I come by my own means"))
    needs = forms.CharField(label=_("Anything we should know? (accessibility, diet…)"), max_length=500, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["companions"].widget.attrs["max"] = event.max_companions
        points = event.pickup_points.select_related("village")
        if points:
            self.fields["pickup"].queryset = points
        else:
            del self.fields["pickup"]


class AgendaFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types"))] + list(EventType.choices))
    village = forms.CharField(label=_("Village"), required=False, max_length=120,
                              widget=forms.Select(choices=[]))  # choices set by the view (villages with events)
    month = forms.CharField(label=_("Month"), required=False, widget=forms.DateInput(attrs={"type": "month"}))
    past = forms.BooleanField(label=_("Past events"), required=False)


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    include_waiting = forms.BooleanField(label=_("Also send it to the waiting list"), required=False)
