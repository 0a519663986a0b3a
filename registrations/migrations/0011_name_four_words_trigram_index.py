"""On PostgreSQL, a trigram index of the names of four words or more only, for the admin's
name search of several words (registrations/admin/search.py: four_words_query): every match
of "Zainal Yanti Manurung" has "Yanti Manurung" at the start of a word after the first; the
word-start indexes of migration 0009 answer the 2nd and 3rd word, this one the names where it
can be the 4th or later. Its size is a fraction of the trigram index's (the names of four
words or more). The predicate is search.FOUR_WORDS_OR_MORE: the planner uses the index only
for a query that repeats it. SQLite has no pg_trgm: skipped there."""

from django.db import migrations

NAME = "entr_name_4words_trgm_idx"
FOUR_WORDS_OR_MORE = r"^\S+ \S+ \S+ \S"  # registrations.admin.search.FOUR_WORDS_OR_MORE, as it was


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON registrations_entrepreneur "
        f"USING gin ((UPPER(full_name::text)) gin_trgm_ops) WHERE full_name::text ~ '{FOUR_WORDS_OR_MORE}'"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("registrations", "0010_merge")]

    operations = [migrations.RunPython(create_index, drop_index)]
