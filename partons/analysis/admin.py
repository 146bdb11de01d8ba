from django.contrib import admin

from .models import AccessRun, AccessSettings, RoadNetwork, Scenario, TransitNetwork


@admin.register(AccessSettings)
class AccessSettingsAdmin(admin.ModelAdmin):
    readonly_fields = ("updated_at", "updated_by")

    def has_add_permission(self, request):
        return not AccessSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from .services import update_settings

        update_settings(by=request.user, **{f: form.cleaned_data[f] for f in form.changed_data})


@admin.register(AccessRun)
class AccessRunAdmin(admin.ModelAdmin):
    list_display = ("created_at", "reason", "status", "progress", "finished_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in AccessRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RoadNetwork)
class RoadNetworkAdmin(admin.ModelAdmin):
    list_display = ("name", "imported_at", "active")
    readonly_fields = ("files", "summary", "imported_at", "imported_by")
    fields = ("name", "active", "licence", "files", "summary", "imported_at", "imported_by")

    def has_add_permission(self, request):
        return False  # networks come from `partons import-network`


@admin.register(TransitNetwork)
class TransitNetworkAdmin(admin.ModelAdmin):
    list_display = ("name", "service_day", "imported_at", "active", "synthetic")
    readonly_fields = ("files", "service_day", "summary", "imported_at", "imported_by")
    fields = ("name", "active", "service_day", "files", "summary", "imported_at", "imported_by")

    def has_add_permission(self, request):
        return False  # public transport comes from `partons import-gtfs`


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "mode", "created_by", "created_at")
    readonly_fields = ("key", "category", "mode", "closed", "added", "result", "created_by", "created_at")
    fields = ("name", "description", *readonly_fields)

    def has_add_permission(self, request):
        return False
