"""Versions of the data that derived answers (map answers, exports, page parts) are kept under in the shared cache:
when the version changes, what was built from the older data is no longer found and is built again.

The services, ideas and access figures carry their own versions, read from the database (see their selectors).
Place and category names change only when someone edits them: those edits move the reference version below."""
from django.core.cache import cache
from django.db import connections, router
from django.db.models.signals import post_delete, post_save

REFERENCE_KEY = "version:reference"
# The models whose names and shapes every map answer repeats.
REFERENCE_MODELS = ("territory.Country", "territory.Municipality", "territory.Region", "territory.Village",
                    "observatory.ServiceCategory", "observatory.CategoryGroup")


def latest_change(model, field: str = "updated_at") -> str:
    """The version of a table whose rows are added and changed but not deleted: its latest change and its highest id,
    each read from its index in one query (two scalar subqueries: SQLite's shortcut for MAX reads an index only when
    the MAX stands alone, PostgreSQL's too)."""
    db = router.db_for_read(model)
    connection = connections[db]
    quote = connection.ops.quote_name
    table, column, pk = quote(model._meta.db_table), quote(model._meta.get_field(field).column), quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT MAX({column}) FROM {table}), (SELECT MAX({pk}) FROM {table})")
        changed, last = cursor.fetchone()
    return f"{changed or 0}-{last or 0}".replace(" ", "T")  # a key of the cache holds no space


def reference_version() -> int:
    return int(cache.get_or_set(REFERENCE_KEY, 1, timeout=None) or 1)


def bump_reference(**_kwargs) -> None:
    """A place or a category was saved or deleted (signal receiver; also called after bulk loads)."""
    try:
        cache.incr(REFERENCE_KEY)
    except ValueError:  # not in the cache (emptied, or never read): any new value leaves the old answers behind
        cache.set(REFERENCE_KEY, 2, timeout=None)


def connect_reference_signals(apps) -> None:
    for label in REFERENCE_MODELS:
        model = apps.get_model(label)
        post_save.connect(bump_reference, sender=model, dispatch_uid=f"partons-reference-save-{label}")
        post_delete.connect(bump_reference, sender=model, dispatch_uid=f"partons-reference-delete-{label}")
