from typing import Any, Literal

from django.db import models
from django.utils import translation

from ninja import Schema
from pydantic import ConfigDict, Field, create_model

from partons.ideas.models import Idea


class Geometry(Schema):
    type: str = Field(description="GeoJSON geometry type: Point, Polygon or MultiPolygon")
    coordinates: Any = Field(description="WGS84 longitude/latitude")


class VillageProperties(Schema):
    slug: str
    name: str = Field(description="Name in the language asked for (falls back to the other official language)")
    name_nl: str | None
    name_fr: str | None
    kind: str
    population: int | None
    population_year: int | None
    population_source: str
    municipality_key: str = Field(description="Country and official code, e.g. be-33039 or fr-59067")
    municipality_name: str
    country: Literal["BE", "FR"] | str
    source: str
    licence: str
    synthetic: bool
    url: str


class VillageFeature(Schema):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: Geometry
    properties: VillageProperties


class VillageCollection(Schema):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    numberMatched: int = Field(description="Villages matching the filters")
    numberReturned: int
    next: str | None = Field(description="URL of the next page, if any")
    features: list[VillageFeature]


class MunicipalityProperties(Schema):
    key: str
    code: str = Field(description="Official code: NIS (Belgium) or INSEE (France)")
    name: str
    name_nl: str | None
    name_fr: str | None
    country: str
    arrondissement: str | None
    population: int | None
    population_year: int | None
    population_source: str
    villages: int
    has_boundary: bool
    source: str
    licence: str
    url: str


class MunicipalityFeature(Schema):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: Geometry | None
    properties: MunicipalityProperties


class MunicipalityCollection(Schema):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    numberMatched: int
    numberReturned: int
    next: str | None
    features: list[MunicipalityFeature]


class RegionOut(Schema):
    slug: str
    name: str
    municipalities: int


class ErrorOut(Schema):
    detail: str


# --- answers of the other collections -----------------------------------------------------------------------------
# Each names and types what integrators rely on; an answer may carry more (extra properties are allowed and kept).

class Answer(Schema):
    model_config = ConfigDict(extra="allow")

class PointGeometry(Answer):
    type: Literal["Point"] = "Point"
    coordinates: list[float] = Field(description="WGS84 longitude, latitude")


class Paged(Answer):
    numberMatched: int = Field(description="Items matching the filters")
    numberReturned: int = Field(description="Items in this answer")
    next: str | None = Field(description="URL of the next page (same filters), none on the last one")


class FacilityProperties(Answer):
    id: int
    name: str
    category: str
    category_name: str
    symbol: str
    country: str | None
    village_name: str | None
    synthetic: bool = Field(description="Synthetic demo data, not real")
    url: str
    # Not in compact answers (`compact=true`):
    address: str | None = None
    opening_hours: str | None = None
    opened_on: str | None = None
    closed_on: str | None = None
    village: str | None = None
    source: str | None = None
    source_id: str | None = None
    licence: str | None = None
    attribution: str | None = None
    history: list[dict[str, Any]] | None = Field(None, description="One facility only: its recorded changes")


class FacilityFeature(Answer):
    type: Literal["Feature"] = "Feature"
    id: int
    geometry: PointGeometry
    properties: FacilityProperties


class FacilityCollection(Paged):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    containsSynthetic: bool
    features: list[FacilityFeature]


class VillageCountProperties(Answer):
    village: str
    name: str
    country: str
    count: int
    url: str


class VillageCountFeature(Answer):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: PointGeometry
    properties: VillageCountProperties


class VillageCounts(Answer):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    numberMatched: int = Field(description="Facilities in these villages")
    features: list[VillageCountFeature]


class OverTimeOut(Answer):
    years: list[int]
    series: dict[str, list[int]] = Field(description="Per category code (and `total`): open on 1 January of each year")


def model_fields(model, names) -> dict:
    """Schema fields for some of a model's own fields, typed as the answers give them (dates and times as ISO 8601
    strings), each optional (compact answers leave some out) and described by the field's name."""
    types = ((models.BooleanField, bool), (models.IntegerField, int), (models.FloatField, float))
    out = {}
    with translation.override("en"):
        for name in names:
            f = model._meta.get_field(name)
            kind = next((t for cls, t in types if isinstance(f, cls)), str)
            out[name] = (kind | None, Field(None, description=str(f.verbose_name).capitalize()))
    return out


class IdeaPlace(Answer):
    id: int
    theme_name: str
    status_name: str
    village: str | None
    village_name: str | None
    country: str | None
    url: str
    municipality: str | None = None  # not in compact answers
    # One idea only:
    author: str | None = None
    history: list[dict[str, Any]] | None = None
    merged_into: int | None = None
    facilities: list[int] | None = None


# An idea's own fields are those the model declares public (Idea.PUBLIC_FIELDS).
IdeaProperties = create_model("IdeaProperties", __base__=IdeaPlace, **model_fields(Idea, Idea.PUBLIC_FIELDS))


class IdeaFeature(Answer):
    type: Literal["Feature"] = "Feature"
    id: int
    geometry: PointGeometry | None = Field(description="None when the idea has no place")
    properties: IdeaProperties


class IdeaCollection(Paged):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[IdeaFeature]


class IdeaStats(Answer):
    total: int
    by_theme: list[dict[str, Any]] = Field(description="theme, n (ideas), supports")
    by_village: list[dict[str, Any]] = Field(description="village__slug, names, country, n (the 200 first)")
    by_status: list[dict[str, Any]]
    by_source: list[dict[str, Any]]


class EventProperties(Answer):
    slug: str
    type: str
    type_label: str
    title: str
    starts_at: str
    ends_at: str
    village: str
    village_name: str
    municipality: str
    country: str
    capacity: int | None
    places_left: int | None
    full: bool
    registration_state: str
    cancelled: bool
    synthetic: bool
    url: str
    title_nl: str
    title_fr: str
    description: str
    starts_label: str
    venue: str
    languages: Any
    organiser: str
    accessibility: str | None
    registration: Any
    waiting_list: int
    # One event only:
    programme: list[dict[str, Any]] | None = None
    pickup_points: list[dict[str, Any]] | None = None


class EventFeature(Answer):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: PointGeometry
    properties: EventProperties


class EventCollection(Paged):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[EventFeature]


class CallOut(Answer):
    slug: str
    title_nl: str
    title_fr: str
    budget_eur: float
    ceiling_eur: float
    opens_at: str
    deadline: str
    phase: str
    results_published_at: str | None
    cost_categories: list[dict[str, Any]]
    criteria: list[dict[str, Any]]
    municipalities: list[str]
    url: str
    selected_projects: list[dict[str, Any]] | None = Field(None, description="One call only, once its results are out")
    text_nl: str
    text_fr: str
    themes_nl: str
    themes_fr: str
    expected_projects: int | None
    applicant_types: Any


class ProjectOut(Answer):
    id: int
    title: str
    language: str = Field(description="the language the project was written in: nl, fr, or empty if not recorded")
    call: str
    granted_eur: float
    villages: list[str]
    synthetic: bool


class OrganisationOut(Answer):
    name: str
    acronym: str
    country: str | None
    kind: str
    municipality: str | None
    name_other: str
    programme_role: str
    website: str
    contact_role: str


class ActionOut(Answer):
    code: str
    slug: str
    pillar: int
    title_nl: str
    title_fr: str
    status: str
    starts_on: str | None
    ends_on: str | None
    lead: dict[str, Any] | None
    milestones: list[dict[str, Any]]
    milestones_done_percent: int | float | None
    number: int | None
    description_nl: str
    description_fr: str
    lead_is_assumption: bool
    working_group: dict[str, Any] | None
    indicators: list[dict[str, Any]]
    projects: list[dict[str, Any]]
    calls: list[dict[str, Any]]
    events: list[dict[str, Any]]
    url: str


class PillarOut(Answer):
    order: int
    name_nl: str
    name_fr: str
    actions: list[ActionOut]
    description_nl: str
    description_fr: str


class PublicationOut(Answer):
    slug: str
    kind: str
    kind_name: str
    title: str
    summary: str
    theme: str
    published_on: str
    language: str
    licence: str
    file: dict[str, Any] | None
    link: str | None
    synthetic: bool
    url: str
    title_nl: str
    title_fr: str
    summary_nl: str
    summary_fr: str
    summary_by_platform: bool
    theme_name: str
    date_precision: str
    language_name: str
    author_organisation: str


class PublicationPage(Paged):
    items: list[PublicationOut]
