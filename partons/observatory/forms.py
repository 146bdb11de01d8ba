import io
import uuid

from django import forms
from django.core.files.base import ContentFile
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Report, ServiceCategory

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000  # a 5 MB file may still unpack to gigabytes: refuse before decoding
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


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
        photo = self.cleaned_data.get("photo")
        if not photo:
            return photo
        if photo.size > MAX_PHOTO_BYTES:
            raise ValidationError(_("The photo is larger than 5 MB."))
        image = getattr(photo, "image", None)
        if image is None or image.format not in PHOTO_FORMATS:
            raise ValidationError(_("The photo must be a JPEG, PNG or WebP image."))
        width, height = image.size
        if width * height > MAX_PHOTO_PIXELS:
            raise ValidationError(_("The photo is too large (more than 40 megapixels)."))
        return _without_metadata(photo, image.format)

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


def _without_metadata(photo, fmt: str) -> ContentFile:
    """Re-encode the photo: no EXIF (GPS position, camera) is kept, and it gets a random name."""
    from PIL import Image, ImageOps

    photo.seek(0)
    with Image.open(photo) as img:
        img = ImageOps.exif_transpose(img)
        if fmt == "JPEG" and img.mode not in ("RGB", "L"):
            img = img.convert("RGB")
        out = io.BytesIO()
        img.save(out, format=fmt, quality=88) if fmt in ("JPEG", "WEBP") else img.save(out, format=fmt)
    ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt]
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ext}")
