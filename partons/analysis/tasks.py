"""Background recomputation of the indicators after imports and edits.

With the embedded default the task runs at once, after the change is committed (one process,
SQLite); with ``TASKS_BACKEND=database`` it is queued and run by ``partons db_worker``. Changes
within one transaction (an import of thousands of services) lead to one computation, of the
categories they touched only."""
from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import transaction

from partons.core.tasks import task

log = logging.getLogger(__name__)
_pending = threading.local()


@task()
def recompute_access(run_id: int, categories: list[str] | None = None) -> int:
    from .models import AccessRun
    from .services import compute_access

    run = AccessRun.objects.get(pk=run_id)
    compute_access(run=run, categories=categories or None)
    return run.pk


def schedule_recompute(*, categories=None, reason: str = ""):
    """Queue a computation (of some category codes, or all), run after the current transaction commits."""
    from .models import AccessRun

    def go():
        with transaction.atomic():
            queued = AccessRun.objects.select_for_update().filter(status=AccessRun.Status.QUEUED).first()
            if queued is not None and settings.TASKS["default"]["BACKEND"].endswith("DatabaseBackend"):
                # Not started yet: widen it rather than queue another computation.
                if not categories or not queued.categories:
                    queued.categories = []
                else:
                    queued.categories = sorted(set(queued.categories) | set(categories))
                queued.save(update_fields=["categories"])
                return
            run = AccessRun.objects.create(reason=reason[:200], categories=sorted(categories or []))
        try:
            recompute_access.enqueue(run.pk, run.categories or None)
        except Exception:  # the change itself is saved; the computation can be run again by hand
            log.exception("could not run the access computation %s", run.pk)

    transaction.on_commit(go)


ALL = "*"


class recompute_suspended:
    """Within this block, changes ask for no computation (a bulk load that computes once at its end)."""

    def __enter__(self):
        _pending.suspended = getattr(_pending, "suspended", 0) + 1

    def __exit__(self, *exc):
        _pending.suspended -= 1


def request_recompute(codes, reason: str) -> None:
    """Ask for a computation once the current transaction commits; requests made within one transaction are
    merged into one (``ALL`` in ``codes``: every category)."""
    if not settings.PARTONS.get("ACCESS_AUTO_RECOMPUTE", True) or getattr(_pending, "suspended", 0):
        return
    if getattr(_pending, "codes", None) is None:
        _pending.codes, _pending.reasons = set(), set()
    _pending.codes |= set(codes)
    _pending.reasons.add(reason)

    def flush():
        # The first callback to run after the commit takes every request; the others find nothing left. (A
        # rolled-back transaction drops its callbacks: what it asked for goes with the next computation.)
        todo, reasons = _pending.codes, _pending.reasons
        if not todo:
            return
        _pending.codes, _pending.reasons = set(), set()
        schedule_recompute(categories=None if ALL in todo else sorted(todo), reason=", ".join(sorted(reasons)))

    transaction.on_commit(flush)


def on_facility_changed(sender, facility, changes, **kwargs):
    from partons.observatory.models import ServiceCategory

    codes = {facility.category.code}
    if "category" in changes:
        for old in changes["category"]:
            codes.add(old.code if isinstance(old, ServiceCategory) else str(old))
    request_recompute(codes, "facility changes")


def on_village_changed(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    """A village added, moved, merged or given another population: every figure may change."""
    if raw:
        return
    if update_fields is not None and not set(update_fields) & {"lon", "lat", "population", "merged_into", "municipality"}:
        return
    request_recompute({ALL}, "village changes")
