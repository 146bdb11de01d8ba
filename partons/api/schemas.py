from typing import Any, Literal

from ninja import Schema
from pydantic import Field


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
