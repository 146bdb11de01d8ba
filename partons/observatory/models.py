"""Everyday services (facilities) with their lifecycle and full history, the nomenclature, imports and
citizen reports. A facility is never deleted: it closes, on a date."""
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partons.core.translated import NAMES, TranslatedField
from partons.territory.models import LAT_VALIDATORS, LON_VALIDATORS, Names, Provenance, Village


class ServiceCategory(Names):
    """A kind of everyday service, mapped to OpenStreetMap tags and INSEE BPE TYPEQU codes."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    osm_tags = models.JSONField(_("OpenStreetMap tags"), default=list, blank=True,
                                help_text=_('List of "key=value" (or "key" for any value), e.g. ["shop=bakery"].'))
    bpe_codes = models.JSONField(_("INSEE BPE TYPEQU codes"), default=list, blank=True, help_text=_('e.g. ["B203"]'))
    icon = models.CharField(_("symbol"), max_length=4, blank=True, help_text=_("One or two characters shown on the map."))
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class CategoryGroup(Names):
    """A named set of categories, e.g. the INSEE everyday basket or the Flemish basic set."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    description_nl = models.TextField(_("description"), blank=True, null=True)
    description_fr = models.TextField(_("description"), blank=True, null=True)
    description_en = models.TextField(_("description"), blank=True, null=True)
    description = TranslatedField(order=NAMES)
    categories = models.ManyToManyField(ServiceCategory, related_name="groups", verbose_name=_("categories"))

    class Meta:
        verbose_name = _("category group")
        verbose_name_plural = _("category groups")
        ordering = ["code"]

    def __str__(self):
        return self.name


class FacilityQuerySet(models.QuerySet):
    def open_on(self, day: datetime.date):
        """Facilities open on that day: opened on or before it — or, when the opening date is unknown, already
        in our data then — and not closed by then."""
        opened = Q(opened_on__lte=day) | Q(opened_on__isnull=True, known_since__isnull=True) | Q(
            opened_on__isnull=True, known_since__lte=day)
        return self.filter(opened).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))


class Facility(Provenance):
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("category"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    lon = models.FloatField(_("longitude"), validators=LON_VALIDATORS)
    lat = models.FloatField(_("latitude"), validators=LAT_VALIDATORS)
    address = models.CharField(_("address"), max_length=300, blank=True)
    village = models.ForeignKey(Village, null=True, blank=True, on_delete=models.SET_NULL, related_name="facilities",
                                verbose_name=_("village"), help_text=_("Assigned from the location, across the border if need be."))
    opening_hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    known_since = models.DateField(_("in the data since"), null=True, blank=True,
                                   help_text=_("When the opening date is unknown: the first snapshot that listed it."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FacilityQuerySet.as_manager()

    # Fields whose changes are recorded in the history.
    TRACKED = ("category_id", "name", "lon", "lat", "address", "village_id", "opening_hours", "opened_on", "closed_on")

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["category__order", "name"]
        indexes = [
            models.Index(fields=["lon", "lat"], name="facility_point"),
            models.Index(fields=["source", "source_id"], name="facility_source"),
            models.Index(fields=["category", "closed_on"], name="facility_category_open"),
            models.Index(fields=["updated_at"], name="facility_updated"),  # the data version: latest change
        ]
        constraints = [
            models.CheckConstraint(condition=Q(closed_on__isnull=True) | Q(opened_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                                   name="facility_closes_after_it_opens"),
        ]

    def __str__(self):
        return self.name or str(self.category)

    @property
    def source_name(self) -> str:
        """Its source as the page's language names it (the demo's sources are named in each language)."""
        from .sources import name

        return name(self.source)

    @property
    def source_text(self) -> str:
        """Its source and licence as a page or a print credits them."""
        from .sources import text

        return text(self.source, self.licence)

    def get_absolute_url(self):
        return reverse("observatory:facility", kwargs={"pk": self.pk})

    def is_open_on(self, day: datetime.date) -> bool:
        if self.opened_on is not None:
            opened = self.opened_on <= day
        else:
            opened = self.known_since is None or self.known_since <= day
        return opened and (self.closed_on is None or self.closed_on > day)


class ImportRun(models.Model):
    """One run of an importer: what it read, what it changed."""

    kind = models.CharField(_("importer"), max_length=30)
    source = models.CharField(_("source"), max_length=200)
    file_name = models.CharField(_("file"), max_length=300)
    snapshot_date = models.DateField(_("snapshot date"))
    started_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.kind} {self.file_name} ({self.snapshot_date})"


class FacilityChange(models.Model):
    """One entry of a facility's history: what changed, when it took effect, who or what did it."""

    class Kind(models.TextChoices):
        CREATED = "created", _("added")
        UPDATED = "updated", _("details changed")
        CLOSED = "closed", _("closed")
        REOPENED = "reopened", _("reopened")

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="changes", verbose_name=_("facility"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    effective_on = models.DateField(_("effective on"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True, help_text=_("field: [old, new]"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("by"))
    import_run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="facility_changes")
    report = models.ForeignKey("Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="facility_changes")

    class Meta:
        verbose_name = _("facility change")
        verbose_name_plural = _("facility history")
        ordering = ["facility", "-effective_on", "-recorded_at"]

    def __str__(self):
        return f"{self.facility} {self.kind} {self.effective_on}"


class Report(models.Model):
    """A resident's report: a new service, a closure or a wrong detail, handled by a moderator."""

    class Kind(models.TextChoices):
        NEW = "new", _("a new service")
        CLOSURE = "closure", _("a closure")
        WRONG = "wrong", _("a wrong detail")

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for moderation")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    kind = models.CharField(_("what do you report?"), max_length=10, choices=Kind.choices)
    facility = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports",
                                 verbose_name=_("service"))
    category = models.ForeignKey(ServiceCategory, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("category"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=LON_VALIDATORS)
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=LAT_VALIDATORS)
    address = models.CharField(_("address"), max_length=300, blank=True)
    happened_on = models.DateField(_("since when?"), null=True, blank=True)
    details = models.TextField(_("details"), max_length=2000, blank=True)
    photo = models.ImageField(_("photo"), upload_to="reports/%Y/%m/", null=True, blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="reports",
                                 verbose_name=_("reported by"))
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="duplicates",
                                     verbose_name=_("same as"), help_text=_("Another open report saying the same: "
                                                                             "handled together with it."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    reason = models.TextField(_("moderator's answer"), blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False,
                                    help_text=_("Made up for the demo: not a real resident's report (shown as such)."))
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("handled by"))
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    language = models.CharField(_("language"), max_length=5, blank=True, help_text=_("The language the report was sent in."))

    class Meta:
        verbose_name = _("citizen report")
        verbose_name_plural = _("citizen reports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="report_queue")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.facility or self.name}"

    def get_absolute_url(self):
        return reverse("observatory:report", kwargs={"pk": self.pk})
