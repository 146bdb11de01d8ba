"""Access indicators per village, their settings, the runs that computed them, road networks and
what-if scenarios. Figures are computed by the engine in ``partons.access`` and stored here."""
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partons.access.modes import ACCESS_MODES
from partons.observatory.models import Facility, ServiceCategory
from partons.territory.models import Village


# The travel modes are the engine's (partons.access.modes.MODES); here they get their names in the page's language.
MODE_LABELS = {"walk": _("on foot"), "bike": _("by bike"), "car": _("by car"), "transit": _("by public transport")}
Mode = models.TextChoices("Mode", [(name.upper(), (name, MODE_LABELS[name])) for name in ACCESS_MODES])  # type: ignore[call-overload]


class Method(models.TextChoices):
    NETWORK = "network", _("road network")
    STRAIGHT_LINE = "straight_line", _("straight-line estimate")
    TRANSIT = "transit", _("timetables (GTFS) and walking")


class AccessSettings(models.Model):
    """The thresholds and the viability classification (one row, changed by coordinators)."""

    walk_threshold_min = models.PositiveSmallIntegerField(
        _("walking threshold (minutes)"), default=15, help_text=_("Flemish indicator: 15 minutes (1.2 km)."))
    bike_threshold_min = models.PositiveSmallIntegerField(
        _("cycling threshold (minutes)"), default=15, help_text=_("Flemish indicator: 15 minutes (3.75 km)."))
    car_threshold_min = models.PositiveSmallIntegerField(
        _("driving threshold (minutes)"), default=7, help_text=_("INSEE: 7 minutes and more counts as far."))
    transit_threshold_min = models.PositiveSmallIntegerField(
        _("public transport threshold (minutes)"), default=30,
        help_text=_("Door to door on a weekday morning (07:00–09:00), walking to and from the stops included."))
    search_limit_min = models.PositiveSmallIntegerField(
        _("search limit (minutes)"), default=45,
        help_text=_("Services further than this are shown as “more than …”. At least the largest threshold."))
    comparison_years = models.CharField(
        _("comparison years"), max_length=100, default="2010, 2020",
        help_text=_("Past years (1 January) for which the figures are also computed, separated by commas."))
    k_nearest = models.PositiveSmallIntegerField(_("number of nearest services averaged"), default=3,
                                                 help_text=_("Eurostat averages the 3 nearest."))
    max_snap_m = models.PositiveIntegerField(
        _("maximum snapping distance (m)"), default=500,
        help_text=_("Points further than this from the road network are reported, not joined to it."))
    # Viability of village cores.
    viability_min_population = models.PositiveIntegerField(_("viability: minimum population"), default=500)
    viability_min_services = models.PositiveSmallIntegerField(
        _("viability: minimum basket services in the village"), default=3,
        help_text=_("Categories of the INSEE everyday basket with at least one open service in the village."))
    viability_max_basket_car_min = models.PositiveSmallIntegerField(
        _("viability: maximum mean car time to the basket (minutes)"), default=7)
    viability_max_basket_transit_min = models.PositiveSmallIntegerField(
        _("viability: maximum mean public transport time to the basket (minutes)"), null=True, blank=True,
        help_text=_("Empty: public transport does not count in the viability (it does once a network is loaded and "
                    "a number is given here)."))
    viability_max_services_lost = models.PositiveSmallIntegerField(
        _("viability: maximum basket services lost since the first comparison year"), default=1)
    viability_at_risk_after = models.PositiveSmallIntegerField(
        _("viability: failed criteria that make a village “at risk”"), default=2)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("access settings")
        verbose_name_plural = _("access settings")

    def __str__(self):
        return str(_("Access settings"))

    @classmethod
    def current(cls) -> "AccessSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    def years(self) -> list[int]:
        return parse_years(self.comparison_years)

    def threshold_min(self, mode: str) -> int:
        return getattr(self, f"{mode}_threshold_min")

    def clean(self):
        errors = {}
        try:
            self.years()
        except ValueError as exc:
            errors["comparison_years"] = str(exc)
        largest = max(self.walk_threshold_min or 0, self.bike_threshold_min or 0, self.car_threshold_min or 0,
                      self.transit_threshold_min or 0)
        if self.search_limit_min is not None and self.search_limit_min < largest:
            errors["search_limit_min"] = _("The search limit must be at least the largest threshold (%(n)s minutes).") % {
                "n": largest}
        for f in ("walk_threshold_min", "bike_threshold_min", "car_threshold_min", "transit_threshold_min",
                  "search_limit_min"):
            if getattr(self, f) is not None and not 1 <= getattr(self, f) <= 180:
                errors[f] = _("Give a number of minutes between 1 and 180.")
        if self.viability_at_risk_after is not None and self.viability_at_risk_after < 1:
            errors["viability_at_risk_after"] = _("At least 1.")
        if errors:
            raise ValidationError(errors)


def parse_years(text: str) -> list[int]:
    import datetime

    years = []
    this_year = datetime.date.today().year
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1950 <= int(part) < this_year:
            raise ValueError(_("“%(part)s” is not a past year (from 1950 to %(last)s).") % {"part": part, "last": this_year - 1})
        years.append(int(part))
    if len(years) > 6:
        raise ValueError(_("At most six comparison years."))
    return sorted(set(years))


class ImportedNetwork(models.Model):
    """What every imported network keeps: its files, a summary, the folder of its graphs or timetables, who imported
    it and when, and whether it is the one in use (the newest active one)."""

    name = models.CharField(_("name"), max_length=200)
    files = models.JSONField(_("files"), default=list)
    summary = models.JSONField(_("summary"), default=dict)
    directory = models.CharField(max_length=300, editable=False)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["-imported_at"]

    @classmethod
    def in_use(cls):
        """The network the figures are computed on (None before one is imported)."""
        return cls.objects.filter(active=True).order_by("-imported_at").first()

    def __str__(self):
        return self.name


class RoadNetwork(ImportedNetwork):
    """A routable network built from OpenStreetMap extracts (one graph per mode, kept in files)."""

    licence = models.CharField(_("licence"), max_length=100, default="ODbL 1.0 (© OpenStreetMap contributors)")

    class Meta(ImportedNetwork.Meta):
        verbose_name = _("road network")
        verbose_name_plural = _("road networks")


class TransitNetwork(ImportedNetwork):
    """Public transport read from GTFS feeds for one service day (the region's stops and trips, and the footpaths
    between stops), kept in a file like the road networks; each feed keeps its source file and licence."""

    files = models.JSONField(_("feeds"), default=list, help_text="[{file, feed, licence}]")
    service_day = models.DateField(_("service day"))
    synthetic = models.BooleanField(_("synthetic"), default=False,
                                    help_text=_("Made-up lines and timetables (the demo), not an operator's."))

    class Meta(ImportedNetwork.Meta):
        verbose_name = _("public transport network")
        verbose_name_plural = _("public transport networks")

    def __str__(self):
        return f"{self.name} ({self.service_day:%Y-%m-%d})"


class AccessRun(models.Model):
    """One computation of the indicators (all of them, or some categories after an edit)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    categories = models.JSONField(_("categories"), default=list, blank=True, help_text=_("Empty: all."))
    methods = models.JSONField(_("method per mode"), default=dict)
    network = models.ForeignKey(RoadNetwork, null=True, blank=True, on_delete=models.SET_NULL)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.TextField(_("error"), blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("indicator computation")
        verbose_name_plural = _("indicator computations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_status_display()}"

    def summary(self) -> str:
        """What the computation did, in the reader's language."""
        from django.utils.translation import gettext

        d = self.details or {}
        parts = []
        if "rows" in d:
            parts.append(gettext("%(rows)s figures for %(villages)s villages, %(cats)s categories, %(dates)s dates.") % d)
        if d.get("points_off"):
            parts.append(gettext("Resident points off the network (beyond the snapping distance): %(off)s.") % {
                "off": ", ".join(f"{m} {k}" for m, k in d["points_off"].items())})
        if d.get("services_off"):
            parts.append(gettext("Services off the network, left out (beyond the snapping distance): %(off)s.") % {
                "off": "; ".join(f"{m} {len(ids)} (ids {', '.join(map(str, ids[:10]))}{'…' if len(ids) > 10 else ''})"
                                 for m, ids in d["services_off"].items())})
        if self.message:
            parts.append(self.message)
        return " ".join(parts)


class VillageAccess(models.Model):
    """Access of one village's residents to one category by one mode, on one date."""

    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="access")
    category = models.ForeignKey(ServiceCategory, on_delete=models.CASCADE, related_name="+")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    as_of = models.DateField()
    current = models.BooleanField(default=False, help_text="The figures of today (not a comparison year).")
    method = models.CharField(max_length=15, choices=Method.choices)
    population = models.FloatField(default=0)
    # Residents-weighted mean time to the nearest (s); NaN-free: null when no resident has one within the limit.
    mean_time_s = models.FloatField(null=True)
    centre_time_s = models.FloatField(null=True)
    centre_distance_m = models.FloatField(null=True)
    nearest_facility = models.ForeignKey(Facility, null=True, on_delete=models.SET_NULL, related_name="+")
    threshold_s = models.PositiveIntegerField()
    share_within = models.FloatField(null=True)
    beyond_limit_population = models.FloatField(default=0)
    off_network_population = models.FloatField(default=0)
    mean_k_time_s = models.FloatField(null=True)
    cross_border_share = models.FloatField(null=True, help_text="Share of residents whose nearest is across the border.")
    domestic_time_s = models.FloatField(null=True, help_text="Mean time if only services of the own country counted.")
    return_time_s = models.FloatField(null=True, help_text="Public transport: mean time back home in the afternoon.")
    round_trip_share = models.FloatField(
        null=True, help_text="Public transport: share of residents who can go there and back within the threshold.")
    run = models.ForeignKey(AccessRun, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["village", "category", "mode", "as_of"], name="village_access_unique")]
        indexes = [models.Index(fields=["category", "mode", "current"], name="village_access_map"),
                   models.Index(fields=["village", "current"], name="village_access_page")]


class VillageTransit(models.Model):
    """Public transport at a village on the network's service day: the trips leaving the stops within walking
    distance of its centre (a trip calling at several of them counts once), the first and the last."""

    DESERT_BELOW = 10  # departures a weekday: fewer is a transit desert (fewer than five journeys each way)

    village = models.OneToOneField(Village, on_delete=models.CASCADE, related_name="transit")
    network = models.ForeignKey(TransitNetwork, on_delete=models.CASCADE, related_name="+")
    stops = models.PositiveIntegerField()
    departures = models.PositiveIntegerField()
    first_departure_s = models.PositiveIntegerField(null=True)
    last_departure_s = models.PositiveIntegerField(null=True)

    @property
    def desert(self) -> bool:
        return self.departures < self.DESERT_BELOW

    @staticmethod
    def _clock(s):
        return None if s is None else f"{s // 3600 % 24:02d}:{s % 3600 // 60:02d}"

    @property
    def first(self):
        return self._clock(self.first_departure_s)

    @property
    def last(self):
        return self._clock(self.last_departure_s)


class VillageViability(models.Model):
    class Level(models.TextChoices):
        VIABLE = "viable", _("viable core")
        FRAGILE = "fragile", _("fragile")
        AT_RISK = "at_risk", _("at risk")

    village = models.OneToOneField(Village, on_delete=models.CASCADE, related_name="viability")
    level = models.CharField(max_length=10, choices=Level.choices)
    criteria = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)


class Scenario(models.Model):
    """A what-if: some facilities of a category close, new ones open; who crosses the threshold."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, verbose_name=_("category"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    closed = models.ManyToManyField(Facility, blank=True, related_name="+", verbose_name=_("closed services"))
    added = models.JSONField(_("new services"), default=list, blank=True)
    transit = models.JSONField(_("changes to public transport"), default=dict, blank=True,
                               help_text="{routes: [route ids that stop], stops: [stop ids no longer served], "
                                         "line: {stops, headway_min, first, last} or null}")
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("analysis:scenario", kwargs={"key": self.key})
