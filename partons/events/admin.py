"""Coordinators set up events in the admin (NL/FR fields side by side). Changing the number of places goes through
the service, so that more places go to the waiting list at once; registrations are handled on the participants page."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partons.core.text import one_line

from . import services
from .models import LANGUAGES, Event, EventMessage, PickupPoint, ProgrammeItem


class EventForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(label=_("languages spoken"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple,
                                          required=False)

    class Meta:
        model = Event
        fields = "__all__"

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("The end must come after the start."))
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Registration must close after it opens."))
        if self.instance.pk and not data.get("registration"):
            n = self.instance.registrations.exclude(status="cancelled").count()
            if n:
                self.add_error("registration", ngettext(
                    "%(n)s person is registered or waiting: remove them on the participants page first (they are told).",
                    "%(n)s people are registered or waiting: remove them on the participants page first (they are told).",
                    n) % {"n": n})
        if data.get("capacity") is not None and self.instance.pk:
            try:  # the same rules as the service (which checks them again under the event's lock)
                services.check_capacity(self.instance, data["capacity"])
            except ValidationError as exc:
                self.add_error("capacity", exc.message_dict["capacity"])
        if data.get("title_nl") and data.get("title_fr"):
            data["title_nl"], data["title_fr"] = one_line(data["title_nl"]), one_line(data["title_fr"])
        if (data.get("lon") is None) != (data.get("lat") is None):
            self.add_error("lat", _("Give both longitude and latitude, or neither (the village's centre)."))
        return data


class ProgrammeInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 1


class PickupInline(admin.TabularInline):
    model = PickupPoint
    extra = 0
    raw_id_fields = ("village",)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventForm
    list_display = ("title_nl", "type", "starts_at", "village", "capacity", "seats_taken", "published", "cancelled")
    list_filter = ("type", "published", "cancelled", "synthetic")
    search_fields = ("title_nl", "title_fr", "slug")
    date_hierarchy = "starts_at"
    raw_id_fields = ("village",)
    prepopulated_fields = {"slug": ("title_nl",)}
    readonly_fields = ("seats_taken",)
    inlines = [ProgrammeInline, PickupInline]
    fieldsets = (
        (None, {"fields": ("slug", "type", "title_nl", "title_fr", "description_nl", "description_fr", "starts_at", "ends_at",
                           "published", "cancelled", "synthetic")}),
        (_("Place"), {"fields": ("village", "venue", "lon", "lat", "languages", "organiser", "accessibility_nl",
                                 "accessibility_fr")}),
        (_("Registration"), {"fields": ("registration", "capacity", "seats_taken", "max_companions", "registration_opens_at",
                                        "registration_closes_at")}),
    )

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # Places and the cancelled flag change under the event's lock (the waiting list moves up with them).
        capacity, cancelled = obj.capacity, obj.cancelled
        obj.save(update_fields=[f.attname for f in Event._meta.concrete_fields
                                if not f.primary_key and f.name not in ("seats_taken", "capacity", "cancelled")])
        before = Event.objects.only("capacity", "cancelled").get(pk=obj.pk)
        obj.capacity, obj.cancelled = before.capacity, before.cancelled
        promoted = []
        try:
            if capacity != before.capacity:
                promoted += services.set_capacity(by=request.user, event=obj, capacity=capacity)
                obj.capacity = capacity
            if cancelled != before.cancelled:
                promoted += services.set_cancelled(by=request.user, event=obj, cancelled=cancelled)
                obj.cancelled = cancelled
        except ValidationError as exc:  # registrations came in since the form was loaded
            messages.error(request, " ".join(exc.messages))
        if capacity != before.capacity and not promoted and obj.registrations.filter(status="waiting").exists():
            messages.warning(request, _("Nobody moved up from the waiting list: the first on it needs more places than "
                                        "are free."))
        if promoted:
            messages.info(request, ngettext("%(n)s person moved from the waiting list to the registered.",
                                            "%(n)s people moved from the waiting list to the registered.",
                                            len(promoted)) % {"n": len(promoted)})


@admin.register(EventMessage)
class EventMessageAdmin(admin.ModelAdmin):
    list_display = ("subject", "event", "recipients", "sent_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the record of what was sent to whom stays
