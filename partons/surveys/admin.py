"""Coordinators build questionnaires in the admin (NL/FR fields side by side): the survey with its questions inline,
and each question's choices and condition on the question's own page ("Change" beside it). Answers are read on the
results page; paper answers are keyed in there too (they go through the same checks as the ones sent on line)."""
from django import forms
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Choice, Question, Response, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 1
    fields = ("order", "kind", "text_nl", "text_fr", "required", "scale_min", "scale_max")
    show_change_link = True
    # narrow enough for the table to fit a laptop's screen (the texts keep their 300 characters; the admin's own
    # class sizes the numbers, as no inline style passes the content security policy)
    formfield_overrides = {models.CharField: {"widget": forms.TextInput(attrs={"size": 16})},
                           models.SmallIntegerField: {"widget": forms.NumberInput(attrs={"class": "vIntegerField"})},
                           models.PositiveSmallIntegerField: {"widget": forms.NumberInput(attrs={"class": "vIntegerField"})}}


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title_nl", "opens_at", "closes_at", "access", "published", "results_public", "synthetic", "links")
    list_filter = ("published", "results_public", "access", "synthetic")
    search_fields = ("title_nl", "title_fr", "slug")
    date_hierarchy = "opens_at"
    raw_id_fields = ("village", "event", "call", "project")
    prepopulated_fields = {"slug": ("title_nl",)}
    inlines = [QuestionInline]
    fieldsets = (
        (None, {"fields": ("slug", "title_nl", "title_fr", "intro_nl", "intro_fr", "opens_at", "closes_at", "access",
                           "published", "results_public", "synthetic")}),
        (_("Attached to"), {"fields": ("village", "event", "call", "project")}),
    )

    @admin.display(description=_("pages"))
    def links(self, obj):
        return format_html('<a href="{}">{}</a> · <a href="{}">{}</a>', reverse("surveys:answer", args=[obj.slug]),
                           _("answer page"), reverse("surveys:results", args=[obj.slug]), _("results"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 3
    fields = ("order", "text_nl", "text_fr")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text_nl", "survey", "kind", "required", "order")
    list_filter = ("kind", "required")
    search_fields = ("text_nl", "text_fr", "survey__title_nl")
    raw_id_fields = ("survey",)
    inlines = [ChoiceInline]
    fields = ("survey", "order", "kind", "text_nl", "text_fr", "help_nl", "help_fr", "required", "scale_min", "scale_max",
              "show_if_question", "show_if_choice")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # The condition picks an earlier choice question of the same survey, and one of its answers.
        if obj is not None:
            earlier = Question.objects.filter(survey=obj.survey_id, kind__in=Question.CHOICE_KINDS).exclude(pk=obj.pk)
            form.base_fields["show_if_question"].queryset = earlier
            answers = form.base_fields["show_if_choice"]
            answers.queryset = (Choice.objects.filter(question__in=earlier).select_related("question")
                                .order_by("question__order", "question__pk", "order", "pk"))
            answers.label_from_instance = lambda c: f"{c.question.text} — {c.text}"  # each answer with its question
        else:
            form.base_fields["show_if_question"].queryset = Question.objects.none()
            form.base_fields["show_if_choice"].queryset = Choice.objects.none()
            form.base_fields["show_if_question"].help_text = _("Save the question first, then choose its condition.")
        return form


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("pk", "survey", "source", "village", "created_at")
    list_filter = ("source",)
    raw_id_fields = ("survey", "village")
    fields = ("survey", "source", "village", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # answers come through the answer page (paper ones through "Key in a paper answer")

    def has_change_permission(self, request, obj=None):
        return False
