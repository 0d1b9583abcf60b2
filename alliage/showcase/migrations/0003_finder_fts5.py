"""SQLite's full-text table of the supplier finder (alliage.showcase.embedded); nothing on
PostgreSQL, whose own full-text search is migration 0002's."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS showcase_finder_fts "
                              "USING fts5(terms, tokenize='unicode61')")
        # Built on first search from the current data.
        schema_editor.execute("DELETE FROM showcase_finderstate")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS showcase_finder_fts")


class Migration(migrations.Migration):
    dependencies = [("showcase", "0002_finder_full_text")]
    operations = [migrations.RunPython(create, drop)]
