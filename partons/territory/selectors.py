"""Read queries on the territory. Plain functions returning querysets; no side effects."""
from __future__ import annotations

from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from partons.core.geo import in_bbox
from partons.core.text import fold

from .models import Municipality, Region, Village

BBox = tuple[float, float, float, float]


def current_region() -> Region | None:
    region = Region.objects.filter(slug=settings.PARTONS["DEMO_REGION"]).first()
    return region or Region.objects.order_by("pk").first()


def villages(*, region: Region | None = None, country: str | None = None, municipality: Municipality | None = None,
             q: str | None = None, bbox: BBox | None = None, slugs: list[str] | None = None) -> QuerySet[Village]:
    """Villages in use (merged ones are left out), with their municipality and country."""
    qs = Village.objects.filter(merged_into__isnull=True).select_related("municipality__country").defer(
        "municipality__boundary")
    if region is not None:
        qs = qs.filter(municipality__regions=region)
    if country:
        qs = qs.filter(municipality__country__code=country.upper())
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if q:
        key = fold(q)
        qs = qs.filter(Q(search_text__contains=key) | Q(municipality__search_text__contains=key))
    if bbox is not None:
        qs = qs.filter(in_bbox(bbox))
    if slugs is not None:
        qs = qs.filter(slug__in=slugs[:200])
    return qs


def municipalities(*, region: Region | None = None, country: str | None = None, q: str | None = None,
                   bbox: BBox | None = None, with_boundary: bool = False) -> QuerySet[Municipality]:
    """Municipalities with their country; their boundary (a polygon each) only when asked for."""
    qs = Municipality.objects.select_related("country")
    if not with_boundary:
        qs = qs.defer("boundary")
    if region is not None:
        qs = qs.filter(regions=region)
    if country:
        qs = qs.filter(country__code=country.upper())
    if q:
        qs = qs.filter(Q(search_text__contains=fold(q)) | Q(code__startswith=q.strip()))
    if bbox is not None:
        min_lon, min_lat, max_lon, max_lat = bbox
        overlaps = Q(min_lon__lte=max_lon, max_lon__gte=min_lon, min_lat__lte=max_lat, max_lat__gte=min_lat)
        point_inside = Q(min_lon__isnull=True) & in_bbox(bbox)
        qs = qs.filter(overlaps | point_inside)
    return qs


class Choice(NamedTuple):
    """One place in a drop-down list: what the form sends (`value`), its id and its name in the active language."""
    pk: int
    value: str
    name: str


def place_choices() -> dict[str, list[Choice]]:
    """The region's villages and municipalities for filter lists, in the active language's order: built once per
    language and change of the places (hundreds of them), not per page."""
    from django.utils import translation

    from partons.core.cached import cached_value
    from partons.core.versions import reference_version

    def build() -> dict[str, list[Choice]]:
        region = current_region()
        return {
            "villages": [Choice(v.pk, v.slug, v.name) for v in villages(region=region).order_by(Village.sort_field())],
            "municipalities": [Choice(m.pk, m.key, m.name)
                               for m in municipalities(region=region).order_by(Municipality.sort_field())],
        }

    return cached_value(f"place-choices:{translation.get_language()}", build, version=str(reference_version()))


def village_choices_by_country() -> list:
    """Every village (not merged) for a form's drop-down list, grouped by country and sorted by name in the active
    language: [("", "—"), (country name, [(pk, village name), …]), …]. Built once per language and change of places."""
    from django.utils import translation

    from partons.core.cached import cached_value
    from partons.core.versions import reference_version

    def build() -> list:
        groups: dict[str, list] = {}
        for v in (Village.objects.filter(merged_into=None).select_related("municipality__country")
                  .defer("municipality__boundary").order_by(Village.sort_field())):
            groups.setdefault(v.municipality.country.name, []).append((v.pk, v.name))
        return [("", "—")] + [(country, items) for country, items in sorted(groups.items())]

    return cached_value(f"village-choices:{translation.get_language()}", build, version=str(reference_version()))


def village_ordering(sort: str) -> list:
    """Orderings for the village table: by name in the current language (accents ignored), population
    (unknown last) or municipality."""
    name = Village.sort_field()
    orderings: dict[str, list] = {
        "name": [name],
        "-name": ["-" + name],
        "population": [F("population").asc(nulls_last=True), name],
        "-population": [F("population").desc(nulls_last=True), name],
        "municipality": ["municipality__" + name, name],
    }
    return orderings[sort]


VILLAGE_SORTS = ("name", "-name", "population", "-population", "municipality")


def with_village_counts(qs: QuerySet[Municipality]) -> QuerySet[Municipality]:
    return qs.annotate(n_villages=Count("villages", filter=Q(villages__merged_into__isnull=True)))


def village_named(name: str) -> Village | None:
    """A current village by its Dutch or French name (either case), as the demo loaders name places."""
    return (Village.objects.filter(merged_into=None, name_nl__iexact=name).first()
            or Village.objects.filter(merged_into=None, name_fr__iexact=name).first())


def village_by_slug(slug: str) -> Village:
    village = villages().filter(slug=slug).first()
    if village is None:
        merged = Village.objects.filter(slug=slug).select_related("merged_into").first()
        if merged is not None and merged.merged_into_id:
            return merged  # the view redirects to the village it was merged into
        raise Http404("No such village")
    return village


def parse_municipality_key(key: str) -> tuple[str, str] | None:
    country, sep, code = key.partition("-")
    if not sep or len(country) != 2 or not code.isalnum():
        return None
    return country.upper(), code


def municipality_by_key(key: str) -> Municipality:
    parsed = parse_municipality_key(key)
    if parsed is None:
        raise Http404("Malformed municipality key")
    muni = Municipality.objects.select_related("country").filter(country__code=parsed[0], code=parsed[1]).first()
    if muni is None:
        raise Http404("No such municipality")
    return muni


def region_summary(region: Region | None) -> list[dict]:
    """Per country: number of municipalities, villages and residents of the region."""
    if region is None:
        return []
    rows = (
        region.municipalities.values("country__code")
        .annotate(n_municipalities=Count("pk", distinct=True))
        .order_by("country__code")
    )
    out = []
    for row in rows:
        code = row["country__code"]
        munis = region.municipalities.filter(country__code=code)
        population = sum(p or 0 for p in munis.values_list("population", flat=True))
        n_villages = Village.objects.filter(municipality__in=munis, merged_into__isnull=True).count()
        out.append({"country": code, "municipalities": row["n_municipalities"], "villages": n_villages, "population": population})
    return out
