from django.contrib import admin
from django.utils import timezone

from . import services
from .models import CategoryGroup, Facility, FacilityChange, ImportRun, Report, ServiceCategory
from .spatial import VillageLocator


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "icon"]
    search_fields = ["code", "name_nl", "name_fr"]


@admin.register(CategoryGroup)
class CategoryGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    filter_horizontal = ["categories"]


class FacilityChangeInline(admin.TabularInline):
    model = FacilityChange
    extra = 0
    can_delete = False
    fields = ["effective_on", "kind", "changes", "by", "import_run", "report", "recorded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["__str__", "category", "village", "opened_on", "closed_on", "source", "synthetic"]
    list_filter = ["category", "synthetic", "source", ("closed_on", admin.EmptyFieldListFilter)]
    search_fields = ["name", "address", "source_id", "village__name_nl", "village__name_fr"]
    list_select_related = ["category", "village"]
    autocomplete_fields = ["village"]
    readonly_fields = ["imported_at", "created_at", "updated_at"]
    inlines = [FacilityChangeInline]

    def has_delete_permission(self, request, obj=None):
        return False  # a facility closes, it is never deleted

    def save_model(self, request, obj, form, change):
        """A coordinator's edit goes into the facility's history, like any other change."""
        old = Facility.objects.filter(pk=obj.pk).first() if change else None
        if not obj.village_id or (old and (old.lon, old.lat) != (obj.lon, obj.lat) and "village" not in form.changed_data):
            obj.village_id = VillageLocator().locate(obj.lon, obj.lat)
        super().save_model(request, obj, form, change)
        if old is None:
            services.record_change(obj, {"name": [None, obj.name]}, by=request.user, kind=FacilityChange.Kind.CREATED,
                                   effective_on=obj.opened_on or timezone.localdate())
        else:
            services.record_change(obj, services.tracked_changes(old, obj), by=request.user)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "kind", "source", "file_name", "snapshot_date", "added", "changed", "closed", "rejected"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: decisions go through the moderation pages (accept / reject), which apply and notify."""

    list_display = ["created_at", "kind", "facility", "status", "handled_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["facility__category", "handled_by"]
    exclude = ["reporter"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Report._meta.fields if f.name != "reporter"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
