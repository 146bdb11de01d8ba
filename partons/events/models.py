"""Events: discovery days, launch and closing events, coaching sessions, brainstorms and meetings — with a programme,
a place on the map, registrations (the person plus companions), a waiting list and attendance.

`seats_taken` is kept in the same transaction as the registrations, under a lock on the event, and the database
refuses any state where it exceeds the capacity: never more registrations than places."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partons.core.translated import WRITTEN_IN, TranslatedField
from partons.territory.models import Village

LANGUAGES = [*WRITTEN_IN, ("en", "English")]


class EventType(models.TextChoices):
    DISCOVERY_DAY = "discovery_day", _("discovery day")
    LAUNCH = "launch", _("launch event")
    CLOSING = "closing", _("closing event")
    COACHING_SESSION = "coaching_session", _("coaching session")
    BRAINSTORM = "brainstorm", _("brainstorm session")
    MEETING = "meeting", _("meeting")


class EventQuerySet(models.QuerySet):
    def public(self):
        return self.filter(published=True)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())


class Event(models.Model):
    slug = models.SlugField(_("web address (URL)"), max_length=80, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=EventType.choices)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="events", verbose_name=_("village"))
    venue = models.CharField(_("venue and address"), max_length=300, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True, help_text=_("Empty: the village's centre."))
    lat = models.FloatField(_("latitude"), null=True, blank=True, help_text=_("Empty: the village's centre."))
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    accessibility_nl = models.TextField(_("accessibility (Dutch)"), blank=True)
    accessibility_fr = models.TextField(_("accessibility (French)"), blank=True)
    registration = models.BooleanField(_("registration needed"), default=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True,
                                           help_text=_("Empty: no limit. Companions take a place each."))
    max_companions = models.PositiveSmallIntegerField(_("companions per registration at most"), default=4)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True,
                                                  help_text=_("Empty: when the event starts."))
    seats_taken = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    published = models.BooleanField(_("published"), default=False)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    synthetic = models.BooleanField(_("synthetic"), default=False,
                                    help_text=_("Made up for the demo, not real data. The site says so wherever it is shown."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    title = TranslatedField()
    description = TranslatedField()
    accessibility = TranslatedField()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["published", "starts_at"], name="event_published_start"),
                   models.Index(fields=["village", "starts_at"], name="event_village_start")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity")),
                                   name="event_never_over_capacity"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        """`seats_taken` changes only with the registrations (under the event's lock): a save from a form loaded
        earlier must not write back a stale count."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [f.attname for f in self._meta.concrete_fields
                                       if not f.primary_key and f.name != "seats_taken"]
        super().save(*args, **kwargs)

    @property
    def point(self) -> tuple[float, float]:
        if self.lon is not None and self.lat is not None:
            return self.lon, self.lat
        return self.village.lon, self.village.lat

    @property
    def places_left(self) -> int | None:
        """None when there is no limit."""
        return None if self.capacity is None else max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        """No place for someone registering now: none left, or people waiting before them (`waiting_count` is
        annotated by the selectors)."""
        return self.capacity is not None and (not self.places_left or getattr(self, "waiting_count", 0) > 0)

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    def registration_state(self, now=None) -> str:
        """'none' (no registration), 'not_yet', 'open', 'closed' (window over or event started), 'cancelled'."""
        now = now or timezone.now()
        if self.cancelled:
            return "cancelled"
        if not self.registration:
            return "none"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        if now >= (self.registration_closes_at or self.starts_at) or now >= self.starts_at:
            return "closed"
        return "open"

    def language_names(self) -> list[str]:
        names = dict(LANGUAGES)
        return [names.get(code, code) for code in self.languages]


class ProgrammeItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="programme")
    time = models.TimeField(_("time"))
    title_nl = models.CharField(_("what (Dutch)"), max_length=200)
    title_fr = models.CharField(_("what (French)"), max_length=200)

    title = TranslatedField()

    class Meta:
        ordering = ["time", "pk"]
        verbose_name = _("programme item")
        verbose_name_plural = _("programme")


class PickupPoint(models.Model):
    """Where the bus picks participants up (discovery days across the border)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="pickup_points")
    name = models.CharField(_("stop"), max_length=200)
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="+", verbose_name=_("village"))
    time = models.TimeField(_("departure"))

    class Meta:
        ordering = ["time", "pk"]
        verbose_name = _("bus pick-up point")
        verbose_name_plural = _("bus pick-up points")

    def __str__(self):
        return f"{self.time:%H:%M} {self.name} ({self.village.name})"


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("registered")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="registrations")
    companions = models.PositiveSmallIntegerField(_("companions"), default=0)
    pickup = models.ForeignKey(PickupPoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="registrations",
                               verbose_name=_("bus pick-up point"))
    needs = models.CharField(_("needs (accessibility, diet…)"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["event", "user"], condition=~Q(status="cancelled"),
                                               name="one_active_registration_per_person")]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="registration_queue")]

    @property
    def seats(self) -> int:
        return 1 + self.companions


class EventMessage(models.Model):
    """A message a coordinator sent to everyone registered (kept, with how many it went to)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="messages")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), max_length=5000)
    include_waiting = models.BooleanField(_("also to the waiting list"), default=False)
    recipients = models.PositiveIntegerField(default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("message to participants")
        verbose_name_plural = _("messages to participants")
