"""Coordinators add and edit publications in the admin; every save, publication and deletion goes through the
services (the same file checks and rules as everywhere, the file deleted with the record)."""
from django.contrib import admin, messages
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .forms import PublicationAdminForm
from .models import Publication


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    form = PublicationAdminForm
    list_display = ("title_nl", "title_fr", "kind", "theme", "published_on", "language", "published", "synthetic")
    list_filter = ("published", "kind", "theme", "language", "synthetic")
    search_fields = ("title_nl", "title_fr", "summary_nl", "summary_fr", "author_organisation", "slug")
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ("title_nl",)}
    readonly_fields = ("current_file", "created_by", "created_at", "updated_at")
    actions = ["publish", "unpublish"]
    fieldsets = (
        (None, {"fields": ("kind", "title_nl", "title_fr", "slug", "theme", "published_on", "date_precision", "language",
                           "author_organisation", "licence")}),
        (_("Summary"), {"fields": ("summary_nl", "summary_fr", "summary_by_platform")}),
        (_("Document or link"), {"fields": ("current_file", "file", "remove_file", "url")}),
        (_("Publication"), {"fields": ("published", "synthetic", "created_by", "created_at", "updated_at")}),
    )

    @admin.display(description=_("current file"))
    def current_file(self, obj):
        if not obj or not obj.file:
            return "–"
        return format_html('<a href="{}">{}</a> ({}, {})', obj.get_file_url(), obj.file_name, obj.file_type,
                           filesizeformat(obj.file_size))

    def save_model(self, request, obj, form, change):
        services.save_publication(by=request.user, publication=obj, upload=form.cleaned_data.get("file"),
                                  remove_file=bool(form.cleaned_data.get("remove_file")))

    def delete_model(self, request, obj):
        services.delete_publication(by=request.user, publication=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.delete_publication(by=request.user, publication=obj)

    @admin.action(description=_("Publish the selected publications"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description=_("Unpublish the selected publications"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, published: bool):
        n = 0
        for obj in queryset:
            services.set_published(by=request.user, publication=obj, published=published)
            n += 1
        self.message_user(request, ngettext("%(n)s publication changed.", "%(n)s publications changed.", n) % {"n": n},
                          messages.SUCCESS)
