from django.apps import AppConfig
from django.core import checks


class ApiConfig(AppConfig):
    name = "partons.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        checks.register(check_throttle_rates)


def check_throttle_rates(app_configs=None, **kwargs):
    """A mistyped API_RATE_… is said at start-up (check, check --deploy, make serve), not at the first request."""
    from django.conf import settings

    from partons.core.ratelimit import parse_rate

    errors = []
    for scope, rate in settings.API_THROTTLE_RATES.items():
        try:
            parse_rate(rate)
        except ValueError as exc:
            errors.append(checks.Error(f"API_RATE_{scope.upper()}: {exc}", id="partons.E001"))
    return errors
