from django import forms
from django.utils.translation import gettext_lazy as _

from partons.core.translated import WRITTEN_IN
from partons.ideas.forms import Honeypot
from partons.publications.models import Theme
from partons.territory import selectors as territory
from partons.territory.models import Municipality, Village



class ChoicesForm(forms.Form):
    """What a subscriber chooses: the language, the themes and the places (none: everything, the whole region)."""

    language = forms.ChoiceField(label=_("Language of the newsletter"), choices=WRITTEN_IN, widget=forms.RadioSelect)
    themes = forms.MultipleChoiceField(label=_("Themes"), choices=Theme.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text=_("None ticked: every theme."))
    villages = forms.ModelMultipleChoiceField(
        label=_("Villages"), queryset=Village.objects.filter(merged_into=None), required=False,
        widget=forms.SelectMultiple(attrs={"data-search": "true", "data-placeholder": _("Type the name of a village"),
                                           "data-no-results": _("No village has that name in the region.")}),
        help_text=_("News about these villages. None chosen: the whole region."))
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities"), queryset=Municipality.objects.all(), required=False,
        widget=forms.SelectMultiple(attrs={"data-search": "true",
                                           "data-placeholder": _("Type the name of a municipality"),
                                           "data-no-results": _("No municipality has that name in the region.")}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        places = territory.place_choices()
        self.fields["villages"].choices = [(c.pk, c.name) for c in places["villages"]]
        self.fields["municipalities"].choices = [(c.pk, c.name) for c in places["municipalities"]]

    def choices(self) -> dict:
        data = self.cleaned_data
        return {"language": data["language"], "themes": data.get("themes") or [],
                "villages": list(data.get("villages") or []), "municipalities": list(data.get("municipalities") or [])}


class SubscribeForm(Honeypot, ChoicesForm):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    consent = forms.BooleanField(
        label=_("I agree to receive the Partons newsletter at this address. I can unsubscribe at any time with the link "
                "in every message; my address is then erased."),
        error_messages={"required": _("Tick this box to subscribe: we only write to those who agree.")})
    field_order = ["email", "language", "themes", "villages", "municipalities", "consent", "website"]
