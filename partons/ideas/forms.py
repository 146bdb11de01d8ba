from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partons.core.photos import PHOTO_ACCEPT, clean_photo
from partons.core.translated import WRITTEN_IN
from partons.territory import selectors as territory
from partons.territory.models import Village

from .models import COMMENT_MAX, DESCRIPTION_MAX, TITLE_MAX, Idea, Status, Theme
from .services import MAX_PHOTOS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.ImageField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": PHOTO_ACCEPT, "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("At most %(n)s photos.") % {"n": MAX_PHOTOS})
        return [clean_photo(super(MultiplePhotoField, self).clean(f, initial)) for f in files]


class Honeypot(forms.Form):
    """A field people do not see (and screen readers skip); robots fill it in."""

    website = forms.CharField(required=False, label=_("Leave this field empty"),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def service_data(self) -> dict:
        """What the service takes: the cleaned data without the trap field (a view hands it on as it is, so that a
        field added to the form and the service needs no third place)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "website"}

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(_("This form looks automated. Please try again."))
        return ""


class IdeaForm(Honeypot, forms.ModelForm):
    photos = MultiplePhotoField(label=_("Photos"), required=False,
                                help_text=_("Optional, at most 3. JPEG, PNG or WebP, at most 5 MB each."))

    class Meta:
        model = Idea
        fields = [f for f in Idea.SUBMITTED_FIELDS if f != "category"]  # the category comes with a citizen report
        widgets = {
            "title": forms.TextInput(attrs={"maxlength": TITLE_MAX}),
            "description": forms.Textarea(attrs={"rows": 6, "maxlength": DESCRIPTION_MAX}),
            "theme": forms.RadioSelect,
            "language": forms.RadioSelect,
            "village": forms.Select(attrs={"data-search": "true", "data-placeholder": _("Type the name of a village"),
                                           "data-no-results": _("No village has that name in the region.")}),
            "lon": forms.NumberInput(attrs={"step": "any"}),
            "lat": forms.NumberInput(attrs={"step": "any"}),
        }
        help_texts = {
            "title": _("In a few words: what would you like for your village?"),
            "description": _("What is missing, what would change, who would take part."),
            "village": _("The village your idea is for. Or click the map to place it."),
            "language": _("The language you write in."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = territory.village_choices_by_country()
        self.fields["village"].required = False
        # where each village is, so that choosing one moves the map there (read by the page's script)
        self.village_points = {str(pk): [round(lon, 5), round(lat, 5)] for pk, lon, lat in
                               Village.objects.filter(merged_into=None).values_list("pk", "lon", "lat")}
        self.fields["language"].choices = WRITTEN_IN
        self.fields["theme"].choices = Theme.choices
        order = ["title", "description", "theme", "village", "lon", "lat", "language", "photos", "website"]
        self.order_fields(order + [f for f in self.fields if f not in order])

    def clean(self):
        data = super().clean()
        if not data.get("village") and data.get("lon") in (None, ""):
            self.add_error("village", _("Choose a village or click a point on the map."))
        if (data.get("lon") is None) != (data.get("lat") is None):
            self.add_error("lat", _("Give both latitude and longitude, or neither."))
        return data


class PaperIdeaForm(IdeaForm):
    paper_box = forms.ModelChoiceField(queryset=Village.objects.filter(merged_into=None), label=_("Idea box of the village"),
                                       widget=forms.Select(attrs={"data-search": "true",
                                                                  "data-placeholder": _("Type the name of a village"),
                                                                  "data-no-results": _("No village has that name in the region.")}))
    received_on = forms.DateField(label=_("Found in the box on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paper_box"].choices = territory.village_choices_by_country()
        self.order_fields(["paper_box", "received_on"] + [f for f in self.fields if f not in ("paper_box", "received_on")])

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError(_("This day is in the future."))
        return day

    def clean(self):
        data = forms.ModelForm.clean(self)
        if (data.get("lon") is None) != (data.get("lat") is None):
            self.add_error("lat", _("Give both latitude and longitude, or neither."))
        return data


class CommentForm(Honeypot):
    body = forms.CharField(label=_("Your comment"), max_length=COMMENT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    answer = forms.CharField(label=_("Answer to the residents (public)"), required=False, max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    merged_into = forms.IntegerField(label=_("Merged into idea number"), required=False, min_value=1)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (the author sees it)"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class FlagForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class LinkForm(forms.Form):
    facilities = forms.CharField(label=_("Services it is about (their numbers, separated by commas)"), required=False,
                                 max_length=500)
    category = forms.ModelChoiceField(queryset=None, required=False, label=_("Kind of service it is about"))
    project_url = forms.URLField(label=_("Project that came out of it (address)"), required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from partons.observatory.models import ServiceCategory

        self.fields["category"].queryset = ServiceCategory.objects.all()

    def clean_facilities(self):
        from partons.observatory.models import Facility

        ids = []
        for part in (self.cleaned_data.get("facilities") or "").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit():
                raise ValidationError(_("“%(part)s” is not a service number.") % {"part": part})
            ids.append(int(part))
        found = list(Facility.objects.filter(pk__in=ids))
        missing = set(ids) - {f.pk for f in found}
        if missing:
            raise ValidationError(_("No service number %(n)s.") % {"n": sorted(missing)[0]})
        return found
