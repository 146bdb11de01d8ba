"""Coordinators write an issue in the admin (NL and FR side by side, its images, the calls, events, ideas and
publications it points to, its audience), then from the issue's page: preview it in each language, send a test to
themselves, see who it reaches and send it; the progress page follows the sending and can resume it after a restart."""
from django.conf import settings
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partons.core.photos import PHOTO_ACCEPT, clean_photo
from partons.core.ratelimit import RateLimited
from partons.publications.models import Theme

from . import permissions, selectors, services
from .models import Issue, IssueImage, Subscription


class IssueForm(forms.ModelForm):
    themes = forms.MultipleChoiceField(label=_("Themes"), choices=Theme.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text=Issue._meta.get_field("themes").help_text)

    class Meta:
        model = Issue
        fields = "__all__"


class ImageForm(forms.ModelForm):
    class Meta:
        model = IssueImage
        fields = "__all__"
        widgets = {"image": forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT})}

    def clean_image(self):
        image = self.cleaned_data.get("image")
        return clean_photo(image) if image and hasattr(image, "image") else image


class ImageInline(admin.TabularInline):
    model = IssueImage
    form = ImageForm
    extra = 0


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    form = IssueForm
    inlines = [ImageInline]
    list_display = ("__str__", "languages", "status", "sent_at", "progress_label")
    list_filter = ("status", "languages")
    search_fields = ("subject_nl", "subject_fr")
    autocomplete_fields = ("villages", "municipalities", "events", "ideas", "publications")
    filter_horizontal = ("calls",)
    change_form_template = "admin/newsletters/issue/change_form.html"
    fieldsets = (
        (None, {"fields": (("subject_nl", "subject_fr"), ("body_nl", "body_fr"))}),
        (_("On the site"), {"fields": ("calls", "events", "ideas", "publications"),
                            "description": _("Listed at the end of the issue with their links (only while public).")}),
        (_("Audience"), {"fields": ("languages", "themes", "villages", "municipalities")}),
    )

    @admin.display(description=_("progress"))
    def progress_label(self, obj):
        if obj.status == Issue.Status.DRAFT or not obj.deliveries_total:
            return "—"  # not sent, or never sent to anyone (the demo's issue)
        return f"{obj.deliveries_done} / {obj.deliveries_total}"

    def get_queryset(self, request):
        return selectors.with_progress(super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != Issue.Status.DRAFT:
            return False  # what was sent stays as it was sent
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        own = [
            path("<int:pk>/test/", self.admin_site.admin_view(self.test_view), name="newsletters_issue_test"),
            path("<int:pk>/send/", self.admin_site.admin_view(self.send_view), name="newsletters_issue_send"),
            path("<int:pk>/progress/", self.admin_site.admin_view(self.progress_view), name="newsletters_issue_progress"),
            path("<int:pk>/resume/", self.admin_site.admin_view(self.resume_view), name="newsletters_issue_resume"),
        ]
        return own + super().get_urls()

    def _issue(self, request, pk) -> Issue:
        if not permissions.can_manage_newsletters(request.user):
            raise PermissionDenied
        return get_object_or_404(Issue, pk=pk)

    def _problems(self, request, issue, exc):
        for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
            label = Issue._meta.get_field(field).verbose_name if field else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)

    def test_view(self, request, pk):
        issue = self._issue(request, pk)
        if request.method != "POST":
            return redirect("admin:newsletters_issue_change", pk)
        try:
            languages = services.send_test(by=request.user, issue=issue)
        except ValidationError as exc:
            self._problems(request, issue, exc)
        except RateLimited:
            messages.error(request, _("Many tests in a short time. Please wait a moment."))
        else:
            messages.success(request, _("A test was sent to %(email)s (%(languages)s).")
                             % {"email": request.user.email,
                                "languages": ", ".join(str(dict(settings.LANGUAGES).get(code, code)) for code in languages)})
        return redirect("admin:newsletters_issue_change", pk)

    def send_view(self, request, pk):
        issue = self._issue(request, pk)
        if issue.status != Issue.Status.DRAFT:
            return redirect("admin:newsletters_issue_progress", pk)
        if request.method == "POST":
            try:
                n = services.start_sending(by=request.user, issue=issue)
            except ValidationError as exc:
                self._problems(request, issue, exc)
                return redirect("admin:newsletters_issue_change", pk)
            messages.success(request, ngettext("Sending to %(n)s subscriber has started.",
                                               "Sending to %(n)s subscribers has started.", n) % {"n": n})
            return redirect("admin:newsletters_issue_progress", pk)
        problems = []
        try:
            services.check_ready(issue)
        except ValidationError as exc:
            problems = [f"{Issue._meta.get_field(f).verbose_name}: {m}" for f, ms in exc.message_dict.items() for m in ms]
        counts = selectors.audience_counts(issue)
        return TemplateResponse(request, "admin/newsletters/issue/send.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": issue, "issue": issue,
            "title": _("Send the issue"), "counts": counts, "total": sum(counts.values()), "problems": problems,
            "rate": services.batch_plan(),
        })

    def progress_view(self, request, pk):
        issue = self._issue(request, pk)
        return TemplateResponse(request, "admin/newsletters/issue/progress.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": issue, "issue": issue,
            "title": _("Sending of the issue"), "p": selectors.progress(issue),
            "failures": issue.deliveries.filter(status="failed").select_related("subscription")[:50],
        })

    def resume_view(self, request, pk):
        issue = self._issue(request, pk)
        if request.method == "POST":
            try:
                services.resume_sending(by=request.user, issue=issue)
            except ValidationError as exc:
                self._problems(request, issue, exc)
            else:
                messages.success(request, _("The sending goes on."))
        return redirect("admin:newsletters_issue_progress", pk)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("email", "language", "status", "consent_at", "created_at")
    list_filter = ("status", "language")
    search_fields = ("email",)
    readonly_fields = ("email", "user", "status", "created_at", "confirmation_sent_at", "consent_at")
    autocomplete_fields = ("villages", "municipalities")
    fields = ("email", "user", "status", "language", "themes", "villages", "municipalities", "created_at",
              "confirmation_sent_at", "consent_at")

    def has_add_permission(self, request):
        return False  # people subscribe themselves (their consent is theirs to give)


