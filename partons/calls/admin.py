"""Coordinators set up calls in the admin; the review and the selection go through the services (audit trail)."""
from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (ApplicantType, Application, AuditEntry, BrainstormRequest, BudgetLine, Call, CallDocument,
                     CoachingSession, CostCategory, Criterion)


class CallForm(forms.ModelForm):
    applicant_types = forms.MultipleChoiceField(label=_("who may apply"), choices=ApplicantType.choices,
                                                widget=forms.CheckboxSelectMultiple, required=False)

    class Meta:
        model = Call
        fields = "__all__"

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("deadline") and data["deadline"] <= data["opens_at"]:
            self.add_error("deadline", _("The deadline must come after the opening."))
        if data.get("ceiling_cents") and data.get("budget_cents") and data["ceiling_cents"] > data["budget_cents"]:
            self.add_error("ceiling_cents", _("The ceiling per project cannot exceed the total budget."))
        return data


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 1


class DocumentInline(admin.TabularInline):
    model = CallDocument
    extra = 0


class SessionInline(admin.StackedInline):
    model = CoachingSession
    extra = 0
    fields = ("starts_at", "ends_at", "host", "place", "village", "agenda_nl", "agenda_fr")
    raw_id_fields = ("host", "village")


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    form = CallForm
    list_display = ("title_nl", "title_fr", "opens_at", "deadline", "published")
    filter_horizontal = ("municipalities", "cost_categories")
    prepopulated_fields = {"slug": ("title_nl",)}
    inlines = [CriterionInline, DocumentInline, SessionInline]


@admin.register(BrainstormRequest)
class BrainstormRequestAdmin(admin.ModelAdmin):
    """Coordinators see the requests and plan them (status and date)."""

    list_display = ("created_at", "village", "group", "status", "scheduled_at")
    list_filter = ("status",)
    fields = ("village", "group", "message", "status", "scheduled_at", "created_at")
    readonly_fields = ("village", "group", "message", "created_at")

    def has_add_permission(self, request):
        return False


@admin.register(CostCategory)
class CostCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_nl", "name_fr", "order")


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    can_delete = False
    readonly_fields = ("category", "description", "amount_cents")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("title", "call", "organisation", "status", "submitted_at")
    list_filter = ("call", "status")
    inlines = [BudgetLineInline]
    readonly_fields = [f.name for f in Application._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "call", "application", "action", "by")
    list_filter = ("call", "action")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
