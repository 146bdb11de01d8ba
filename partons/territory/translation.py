"""Translated fields (django-modeltranslation): name_nl, name_fr, name_en with fallbacks."""
from modeltranslation.translator import TranslationOptions, register

from .models import Country, Municipality, Region, Village


@register(Country)
class CountryTranslation(TranslationOptions):
    fields = ("name",)


@register(Municipality)
class MunicipalityTranslation(TranslationOptions):
    fields = ("name", "arrondissement_name")


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Village)
class VillageTranslation(TranslationOptions):
    fields = ("name",)
