from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partons.core.photos import clean_photo

from .models import Report, ServiceCategory


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["kind", "category", "name", "address", "lon", "lat", "happened_on", "details", "photo"]
        widgets = {
            "kind": forms.RadioSelect,
            "happened_on": forms.DateInput(attrs={"type": "date"}),
            "details": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
            "lon": forms.NumberInput(attrs={"step": "any"}),
            "lat": forms.NumberInput(attrs={"step": "any"}),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        help_texts = {
            "lon": _("Click the map to fill in, or type it."),
            "happened_on": _("For a closure: the day it closed. For a new service: the day it opened."),
            "photo": _("Optional. JPEG, PNG or WebP, at most 5 MB."),
        }

    def __init__(self, *args, facility=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.facility = facility
        self.fields["category"].queryset = ServiceCategory.objects.all()
        self.fields["category"].required = False
        if facility is None:
            self.fields["kind"].choices = [(Report.Kind.NEW, Report.Kind.NEW.label)]
            self.fields["kind"].initial = Report.Kind.NEW
        else:
            self.fields["kind"].choices = [(Report.Kind.CLOSURE, Report.Kind.CLOSURE.label),
                                           (Report.Kind.WRONG, Report.Kind.WRONG.label)]
            if facility.closed_on is not None:
                self.fields["kind"].choices = [(Report.Kind.WRONG, Report.Kind.WRONG.label)]
        allowed = [c for c, _label in self.fields["kind"].choices]
        if self.initial.get("kind") not in allowed:
            self.initial["kind"] = allowed[0]

    # Which fields matter for which kind of report (the page shows only those).
    FIELDS_FOR = {
        Report.Kind.NEW: {"kind", "category", "name", "address", "lon", "lat", "happened_on", "details", "photo"},
        Report.Kind.CLOSURE: {"kind", "happened_on", "details", "photo"},
        Report.Kind.WRONG: {"kind", "category", "name", "address", "lon", "lat", "details", "photo"},
    }

    def clean_photo(self):
        return clean_photo(self.cleaned_data.get("photo"))

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Report.Kind.NEW:
            for field in ("category", "lon", "lat"):
                if data.get(field) in (None, ""):
                    self.add_error(field, _("Needed for a new service."))
        if kind != Report.Kind.NEW and self.facility is None:
            raise ValidationError(_("Open the service's page to report a closure or a wrong detail."))
        if kind == Report.Kind.WRONG and not any(data.get(f) for f in ("name", "address", "category", "lon", "details")):
            raise ValidationError(_("Say what is wrong: give the right name, address, category, place or some details."))
        return data


class HandleReportForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept and apply")), ("reject", _("Reject"))], widget=forms.RadioSelect,
                                 label=_("Decision"))
    answer = forms.CharField(label=_("Answer to the reporter"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Required when you reject a report."))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("answer") or "").strip():
            self.add_error("answer", _("Give the reporter a reason."))
        return data
