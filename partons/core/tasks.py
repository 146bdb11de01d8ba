"""Background tasks: Django 6 has them built in; Django 5.2 uses the django-tasks backport. Import `task` from here."""
try:
    from django.tasks import task  # type: ignore[import-not-found,unused-ignore]  # noqa: F401
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task  # type: ignore[no-redef,unused-ignore]  # noqa: F401
