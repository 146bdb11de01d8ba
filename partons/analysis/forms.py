from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AccessSettings


class AccessSettingsForm(forms.ModelForm):
    class Meta:
        model = AccessSettings
        fields = ["walk_threshold_min", "bike_threshold_min", "car_threshold_min", "transit_threshold_min", "search_limit_min",
                  "comparison_years",
                  "k_nearest", "max_snap_m", "viability_min_population", "viability_min_services",
                  "viability_max_basket_car_min", "viability_max_basket_transit_min", "viability_max_services_lost", "viability_at_risk_after"]

    def clean_k_nearest(self):
        k = self.cleaned_data["k_nearest"]
        if not 1 <= k <= 10:
            raise forms.ValidationError(_("Between 1 and 10."))
        return k

    def clean_max_snap_m(self):
        m = self.cleaned_data["max_snap_m"]
        if not 10 <= m <= 5000:
            raise forms.ValidationError(_("Between 10 and 5000 metres."))
        return m


class ScenarioSaveForm(forms.Form):
    name = forms.CharField(label=_("Name of the scenario"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
