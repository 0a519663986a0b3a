"""On PostgreSQL, the trigram index used by the admin's name search. SQLite has no pg_trgm:
the index is skipped there and the search falls back to a plain LIKE.

This migration used to create the staff roles too; they are now applied from the access table
(jakpreneur/access.py) after every migrate."""

from django.db import migrations


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # Matches the SQL Django writes for full_name__icontains on PostgreSQL:
    # UPPER("full_name"::text) LIKE UPPER('%…%').
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS entr_full_name_trgm_idx ON registrations_entrepreneur "
        "USING gin ((UPPER(full_name::text)) gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS entr_full_name_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0001_initial"),
        ("facilities", "0002_reference_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
