from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from . import gdpr
from .models import User
from .roles import role_label, sync_staff_flag


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "roles", "is_active", "date_joined"]
    list_filter = ["groups", "is_active", "is_staff"]
    search_fields = ["email", "display_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "preferred_language")}),
        (_("Roles"), {"fields": ("groups", "is_active", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ()  # five roles: plain checkboxes say more than a two-list picker

    def get_queryset(self, request):
        qs = super().get_queryset(request).prefetch_related("groups")
        # Only a superuser sees and edits superusers (no taking over an account above one's own).
        return qs if request.user.is_superuser else qs.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        return [(name, {**opts, "fields": tuple(f for f in opts["fields"] if f != "is_superuser")})
                for name, opts in fieldsets]

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(role_label(g.name) for g in obj.groups.all())

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":  # "jury member", not the role's code "jury_member"
            field.label_from_instance = lambda group: role_label(group.name)
        return field

    def delete_model(self, request, obj):
        gdpr.delete_user(obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            gdpr.delete_user(user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sync_staff_flag(form.instance)
