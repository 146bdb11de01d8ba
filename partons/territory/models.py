"""Regions, countries, municipalities and villages. Coordinates are WGS84 longitude/latitude."""
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from partons.core.text import fold
from partons.core.translated import NAMES, TranslatedField

LON_VALIDATORS = [MinValueValidator(-180), MaxValueValidator(180)]
LAT_VALIDATORS = [MinValueValidator(-90), MaxValueValidator(90)]
# How far a village may lie outside its municipality's boundary (border villages, rounding) before we refuse it.
VILLAGE_BOUNDARY_TOLERANCE_M = 1_000
VILLAGE_POINT_TOLERANCE_M = 25_000


class Names(models.Model):
    """A name in Dutch, French and English (each may be empty but the Dutch one), read in the page's language with
    the names' fallbacks (`TranslatedField` with `NAMES`): places and service categories."""

    name_nl = models.CharField(_("name"), max_length=150, null=True)
    name_fr = models.CharField(_("name"), max_length=150, blank=True, null=True)
    name_en = models.CharField(_("name"), max_length=150, blank=True, null=True)
    name = TranslatedField(order=NAMES)

    class Meta:
        abstract = True


class PlaceNames(Names):
    """Names in Dutch and French (English falls back to the local one), with keys to search and sort on
    that ignore accents and case, kept in step on every save."""

    search_text = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    sort_nl = models.CharField(max_length=150, blank=True, editable=False)
    sort_fr = models.CharField(max_length=150, blank=True, editable=False)
    sort_en = models.CharField(max_length=150, blank=True, editable=False)

    class Meta:
        abstract = True

    KEY_FIELDS = ("search_text", "sort_nl", "sort_fr", "sort_en")

    @property
    def country_code(self) -> str:
        raise NotImplementedError

    def local_name(self) -> str:
        """The name in the place's own official language (Dutch in Flanders, French in France)."""
        if self.country_code == "BE":
            return self.name_nl or self.name_fr or ""
        return self.name_fr or self.name_nl or ""

    def refresh_name_keys(self) -> None:
        self.sort_nl = fold(self.name_nl or self.name_fr)
        self.sort_fr = fold(self.name_fr or self.name_nl)
        self.sort_en = fold(self.name_en or self.local_name())
        names = {n for n in (self.name_nl, self.name_fr, self.name_en) if n}
        self.search_text = " | ".join(sorted(fold(n) for n in names))[:400]

    def save(self, *args, update_fields=None, **kwargs):
        self.refresh_name_keys()
        if update_fields is not None:
            update_fields = set(update_fields) | set(self.KEY_FIELDS)
        super().save(*args, update_fields=update_fields, **kwargs)

    def other_name(self) -> tuple[str, str] | None:
        """(language, name): the other official name, when it differs from the one shown now."""
        shown = self.name
        for lang, name in (("nl", self.name_nl), ("fr", self.name_fr)):
            if name and name != shown:
                return lang, name
        return None

    @staticmethod
    def sort_field(language: str | None = None) -> str:
        lang = (language or translation.get_language() or "nl")[:2]
        return f"sort_{lang}" if lang in ("nl", "fr", "en") else "sort_nl"


class Provenance(models.Model):
    """Where a record comes from: every imported record keeps its source, id, licence and date."""

    source = models.CharField(_("source"), max_length=200, blank=True)
    source_id = models.CharField(_("source id"), max_length=100, blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Made up for the demo, not real data. The site says so wherever it is shown.")
    )

    class Meta:
        abstract = True


class Country(Names):
    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2: BE or FR."))
    code_system = models.CharField(
        _("municipality code system"), max_length=20, help_text=_("NIS for Belgium, INSEE for France.")
    )

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Municipality(PlaceNames, Provenance):
    """A gemeente / commune, keyed by its official code (NIS in Belgium, INSEE in France)."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("country"))
    code = models.CharField(_("official code"), max_length=10, help_text=_("NIS (BE) or INSEE (FR) code."))
    arrondissement_code = models.CharField(_("arrondissement code"), max_length=10, blank=True)
    arrondissement_name_nl = models.CharField(_("arrondissement"), max_length=150, blank=True, null=True)
    arrondissement_name_fr = models.CharField(_("arrondissement"), max_length=150, blank=True, null=True)
    arrondissement_name_en = models.CharField(_("arrondissement"), max_length=150, blank=True, null=True)
    arrondissement_name = TranslatedField(order=NAMES)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    population_source = models.CharField(_("population source"), max_length=200, blank=True)
    # Boundary as a GeoJSON geometry (Polygon/MultiPolygon, WGS84), with its bounding box for SQL filtering.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    boundary_source = models.CharField(_("boundary source"), max_length=200, blank=True)
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    # A representative point (town hall or seat), used where there is no boundary.
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=LON_VALIDATORS)
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=LAT_VALIDATORS)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["country__code", "sort_nl"]
        constraints = [models.UniqueConstraint(fields=["country", "code"], name="unique_municipality_code_per_country")]
        indexes = [models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="municipality_bbox")]

    def __str__(self):
        return f"{self.name} ({self.country.code} {self.code})" if self.country_id else self.name

    @property
    def country_code(self) -> str:
        return self.country.code if self.country_id else ""

    @property
    def key(self) -> str:
        """The URL key: country and code, e.g. be-33011 or fr-59067."""
        return f"{self.country.code.lower()}-{self.code}"

    def get_absolute_url(self):
        return reverse("web:municipality", kwargs={"key": self.key})

    def set_boundary(self, geometry: dict | None) -> None:
        """Store a GeoJSON geometry and its bounding box."""
        self.boundary = geometry
        if geometry is None:
            self.min_lon = self.min_lat = self.max_lon = self.max_lat = None
            return
        from partons.core.geo import geojson_bounds

        self.min_lon, self.min_lat, self.max_lon, self.max_lat = geojson_bounds(geometry)


class Region(Names):
    """A configured set of municipalities, e.g. the cross-border Westhoek."""

    slug = models.SlugField(_("slug"), unique=True)
    description_nl = models.TextField(_("description"), blank=True, null=True)
    description_fr = models.TextField(_("description"), blank=True, null=True)
    description_en = models.TextField(_("description"), blank=True, null=True)
    description = TranslatedField(order=NAMES)
    municipalities = models.ManyToManyField(Municipality, related_name="regions", verbose_name=_("municipalities"), blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name_nl"]

    def __str__(self):
        return self.name


class Village(PlaceNames, Provenance):
    """A village core (dorpskern / bourg): a point with its population, inside one municipality."""

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("municipality (French commune)")
        SEAT = "seat", _("main village of the municipality")
        VILLAGE = "village", _("village / former municipality")
        HAMLET = "hamlet", _("hamlet")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="villages", verbose_name=_("municipality"))
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.VILLAGE)
    lon = models.FloatField(_("longitude"), validators=LON_VALIDATORS)
    lat = models.FloatField(_("latitude"), validators=LAT_VALIDATORS)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    population_source = models.CharField(_("population source"), max_length=200, blank=True)
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True, unique=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from",
        verbose_name=_("merged into"), help_text=_("Set when a coordinator merged this village into another one."),
    )

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["sort_nl"]
        indexes = [models.Index(fields=["lon", "lat"], name="village_point")]

    def __str__(self):
        return self.name

    @property
    def country_code(self) -> str:
        return self.municipality.country.code if self.municipality_id else ""

    def get_absolute_url(self):
        return reverse("web:village", kwargs={"slug": self.slug})

    def clean(self):
        """A village lies in (or right at the edge of) its municipality."""
        super().clean()
        if self.lon is None or self.lat is None or not self.municipality_id:
            return
        if not (-180 <= self.lon <= 180 and -90 <= self.lat <= 90):
            return  # the field validators report it
        from shapely.geometry import Point, shape
        from shapely.ops import nearest_points

        from partons.core.geo import distance_m

        muni = self.municipality
        if muni.boundary:
            area = shape(muni.boundary)
            point = Point(self.lon, self.lat)
            if not area.contains(point):
                nearest = nearest_points(area, point)[0]
                if distance_m(self.lon, self.lat, nearest.x, nearest.y) > VILLAGE_BOUNDARY_TOLERANCE_M:
                    raise ValidationError({"lon": _("This point lies outside %(municipality)s. Check the coordinates "
                                                    "or the municipality.") % {"municipality": muni.name}})
        elif muni.lon is not None and distance_m(self.lon, self.lat, muni.lon, muni.lat) > VILLAGE_POINT_TOLERANCE_M:
            raise ValidationError({"lon": _("This point lies more than 25 km from %(municipality)s. Check the "
                                            "coordinates or the municipality.") % {"municipality": muni.name}})
