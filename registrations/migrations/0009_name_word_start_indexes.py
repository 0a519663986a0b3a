"""On PostgreSQL, B-tree indexes for the admin's name search from the start of a word
(registrations/admin/search.py: word_start_query): per kecamatan, the upper-case name from its
first, second and third word on, with text_pattern_ops so that `LIKE 'LESTARI HU%'` is a range
scan that can stop after the cap, in one kecamatan (centre staff) or in each of the 44 in
turn (the Dinas). SQLite has no REGEXP_REPLACE: skipped there, where the search scans."""

from django.db import migrations

# The SQL Django writes for `istartswith` on the name and on NameFromWord(word=2 / 3):
# UPPER(<expression>::text) LIKE UPPER('…%').
INDEXES = {
    "entr_name_from_word1_idx": "UPPER(full_name::text)",
    "entr_name_from_word2_idx": r"UPPER(REGEXP_REPLACE(full_name, '^\S+ ', '')::text)",
    "entr_name_from_word3_idx": r"UPPER(REGEXP_REPLACE(full_name, '^\S+ \S+ ', '')::text)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON registrations_entrepreneur "
            f"(kecamatan_id, ({expression}) text_pattern_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("registrations", "0008_import_job")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
