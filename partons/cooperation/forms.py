from django import forms
from django.utils.translation import gettext_lazy as _

from partons.territory.models import Village

from .models import Action, Meeting

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class MeetingForm(forms.ModelForm):
    """Times are typed in Brussels time (the page's time zone) and stored in UTC."""

    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "ends_at", "place", "village", "agenda", "minutes"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
            "agenda": forms.Textarea(attrs={"rows": 6, "maxlength": 10_000}),
            "minutes": forms.Textarea(attrs={"rows": 12, "maxlength": 50_000}),
        }
        help_texts = {
            "title": _("For instance “Steering group, spring meeting”. Empty: the group's name."),
            "starts_at": _("Brussels/Paris time."),
            "place": _("Address or venue; for an online meeting, say so (no links with access codes)."),
            "minutes": _("Seen only by the group's members and the programme team."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].input_formats = [DATETIME_LOCAL, "%Y-%m-%d %H:%M"]
        self.fields["ends_at"].input_formats = [DATETIME_LOCAL, "%Y-%m-%d %H:%M"]
        self.fields["village"].queryset = Village.objects.filter(merged_into=None).order_by(Village.sort_field())
        self.fields["village"].required = False


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    action = forms.ModelChoiceField(label=_("About the action (optional)"), required=False, queryset=Action.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = Action.objects.select_related("pillar").order_by("pillar__order", "number")


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("At most 10 MB: PDF, JPEG, PNG, DOCX, ODT, XLSX or ODS."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.odt,.xlsx,.ods"}))
