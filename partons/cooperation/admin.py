"""Coordinators set up the organisations, the groups and their members, and the action plan in the admin. A group's
chair is unique (the database refuses a second one); the chair and members are also managed through the services."""
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .models import (Action, Decision, Group, Indicator, Meeting, MeetingAttachment, Membership, Milestone, Organisation,
                     Pillar)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "acronym", "country", "kind", "programme_role", "contact_role")
    list_filter = ("country", "kind", "programme_role")
    search_fields = ("name", "name_other", "acronym")
    raw_id_fields = ("municipality",)


class MembershipFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        chairs = [f for f in self.forms if getattr(f, "cleaned_data", None) and f.cleaned_data.get("is_chair")
                  and not f.cleaned_data.get("DELETE")]
        if len(chairs) > 1:
            raise ValidationError(_("A group has one chair at most."))


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    fields = ("user", "organisation", "role", "is_chair", "show_contact", "joined")
    readonly_fields = ("show_contact",)  # the member's own choice, on their "My groups" page
    raw_id_fields = ("user",)


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name_nl", "name_fr", "kind", "active", "synthetic")
    list_filter = ("kind", "active")
    search_fields = ("name_nl", "name_fr")
    prepopulated_fields = {"slug": ("name_nl",)}
    filter_horizontal = ("organisations",)
    inlines = [MembershipInline]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    fields = ("order", "text", "action")


class MeetingAttachmentInline(admin.TabularInline):
    model = MeetingAttachment
    extra = 0
    fields = ("name", "size", "created_at")
    readonly_fields = ("name", "size", "created_at")
    can_delete = True
    verbose_name_plural = _("files (added on the meeting's own page, where they are checked)")

    def has_add_permission(self, request, obj=None):
        return False  # files are added on the meeting's page, where they are checked


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("group", "title", "starts_at", "place")
    list_filter = ("group__kind", "group")
    list_select_related = ("group",)
    date_hierarchy = "starts_at"
    raw_id_fields = ("village",)
    exclude = ("created_by", "minutes_by")
    inlines = [DecisionInline, MeetingAttachmentInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ("order", "title_nl", "title_fr", "due_on", "done", "done_on")


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("order", "name_nl", "name_fr", "unit", "target_value", "current_value", "updated_on")


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ("order", "name_nl", "name_fr")


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ("code_label", "title_nl", "lead", "status", "public", "updated_at")
    list_filter = ("pillar", "status", "public")
    list_select_related = ("pillar", "lead")
    search_fields = ("title_nl", "title_fr", "slug")
    prepopulated_fields = {"slug": ("title_nl",)}
    filter_horizontal = ("calls", "events")
    raw_id_fields = ("projects",)
    inlines = [MilestoneInline, IndicatorInline]

    @admin.display(description=_("action"), ordering="pillar__order")
    def code_label(self, obj):
        return obj.code
