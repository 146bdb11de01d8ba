from modeltranslation.translator import TranslationOptions, register

from .models import CategoryGroup, ServiceCategory


@register(ServiceCategory)
class ServiceCategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(CategoryGroup)
class CategoryGroupTranslation(TranslationOptions):
    fields = ("name", "description")
