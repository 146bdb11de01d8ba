"""On PostgreSQL, a trigram index makes the idea box's word search (LIKE '%word%') use an index instead of reading
every idea. Where the pg_trgm extension cannot be created (no right to), search still works, unindexed."""
from django.db import migrations, transaction


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute("CREATE INDEX IF NOT EXISTS idea_search_trgm ON ideas_idea USING gin (search_text gin_trgm_ops)")
        except Exception:  # noqa: BLE001 - no right to create the extension: the search stays correct, only slower
            pass


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS idea_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("ideas", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
