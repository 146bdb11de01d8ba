from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, gettext_lazy as _

from . import services
from .models import Kind, Language, Publication, Theme, rule_errors


class FilterForm(forms.Form):
    """The list's search and filters. A value that is not one of the choices is dropped, not an error page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100, strip=True,
                        widget=forms.SearchInput(attrs={"maxlength": 100}),
                        help_text=_("Words in the title or the summary; accents do not matter."))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All"))] + Kind.choices)
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=[("", _("All"))] + Theme.choices)
    language = forms.ChoiceField(label=_("Language of the document"), required=False,
                                 choices=[("", _("All"))] + Language.choices)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None, choices=[])

    def __init__(self, *args, years=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All"))] + [(str(y), str(y)) for y in years]

    def filters(self) -> dict:
        """The valid filters (call after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        return {k: data.get(k) or None for k in ("q", "kind", "theme", "language", "year")}


class PublicationAdminForm(forms.ModelForm):
    """The coordinators' form: the file goes through the same checks as every upload (by content, kind and size)
    and the same rules as the model (a video is a link)."""

    file = forms.FileField(label=_("File"), required=False, widget=forms.FileInput(attrs={"accept": services.ACCEPT}))
    remove_file = forms.BooleanField(label=_("Remove the current file"), required=False)
    url = forms.URLField(label=_("link"), required=False, max_length=500, assume_scheme="https",
                         help_text=Publication._meta.get_field("url").help_text)

    class Meta:
        model = Publication
        exclude = ["file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "PDF, PNG, JPEG or an office document (DOCX, ODT, XLSX, ODS), at most %(size)s. A new file replaces the "
            "current one.") % {"size": filesizeformat(services.MAX_FILE_BYTES)}

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            try:
                services.check_file(upload)
            except ValidationError as exc:
                self.add_error("file", exc)
                return data
        elif data.get("remove_file"):
            self.instance.file = ""  # so that the model's rules, run next, see the publication without it
        if upload and not self.instance.file:
            # The model's rules see the stored file only; a new upload on a video is caught here.
            for field, message in rule_errors(kind=data.get("kind"), url=data.get("url") or "", has_file=True).items():
                if field == "file":
                    self.add_error("file", message)
        return data
