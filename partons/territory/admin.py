from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Country, Municipality, Region, Village


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "code_system"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    filter_horizontal = ["municipalities"]
    prepopulated_fields = {"slug": ("name_nl",)}


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "code", "arrondissement_name", "population", "population_year", "has_boundary"]
    list_filter = ["country", "arrondissement_name_nl", "regions"]
    search_fields = ["name_nl", "name_fr", "code"]
    readonly_fields = ["min_lon", "min_lat", "max_lon", "max_lat", "imported_at"]
    exclude = ["boundary"]

    @admin.display(boolean=True, description=_("boundary"))
    def has_boundary(self, obj):
        return obj.min_lon is not None


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(queryset=Village.objects.none(), label=_("Merge into"))

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = candidates


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "kind", "population", "source", "synthetic", "merged_into"]
    list_filter = ["municipality__country", "kind", "synthetic", ("merged_into", admin.EmptyFieldListFilter)]
    search_fields = ["name_nl", "name_fr", "municipality__name_nl", "municipality__name_fr"]
    list_select_related = ["municipality__country", "merged_into"]
    autocomplete_fields = ["municipality", "merged_into"]
    readonly_fields = ["imported_at", "geonames_id"]
    prepopulated_fields = {"slug": ("name_nl",)}
    actions = ["merge_selected"]

    @admin.action(description=_("Merge the selected villages into one of them"), permissions=["change"])
    def merge_selected(self, request, queryset):
        candidates = queryset.filter(merged_into__isnull=True)
        if "apply" in request.POST:
            form = MergeForm(request.POST, candidates=candidates)
            if form.is_valid():
                target = form.cleaned_data["target"]
                try:
                    merged = services.merge_villages(sources=list(queryset), target=target, by=request.user)
                except (ValidationError, PermissionDenied) as exc:
                    self.message_user(request, "; ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR)
                    return None
                for village in merged:  # the admin history of each village tells what happened
                    self.log_change(request, village, [{"changed": {"fields": ["merged_into"]}}])
                self.log_change(request, target, _("Merged in: %(names)s") % {"names": ", ".join(v.name for v in merged)})
                self.message_user(request, _("%(n)d village(s) merged into %(name)s.") % {"n": len(merged), "name": target.name})
                return None
        else:
            form = MergeForm(candidates=candidates)
        return render(request, "admin/territory/village/merge.html", {
            **self.admin_site.each_context(request), "title": _("Merge villages"), "villages": queryset,
            "form": form, "opts": self.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })
