from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "partons.api"
    label = "api"
    verbose_name = "API"
