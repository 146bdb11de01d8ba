"""Background tasks: Django 6 has them built in; Django 5.2 uses the django-tasks backport. Import `task` from here."""
try:
    from django.tasks import task  # type: ignore[import-not-found,unused-ignore]  # noqa: F401
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task  # type: ignore[no-redef,unused-ignore]  # noqa: F401


def enqueue_after(task_, when, **kwargs):
    """Enqueue `task_` to run at `when` (an aware datetime) where the backend can wait (the database queue of
    production), else now (the embedded default runs tasks in the process, at once)."""
    if task_.get_backend().supports_defer:
        return task_.using(run_after=when).enqueue(**kwargs)
    return task_.enqueue(**kwargs)
