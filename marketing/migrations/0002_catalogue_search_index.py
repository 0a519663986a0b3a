"""On PostgreSQL, the trigram index behind the e-katalog's ?q= search: every word is a
`search_text LIKE '%word%'` (Django's `contains`), which a GIN trigram index answers without
scanning the catalogue. SQLite has no pg_trgm: the index is skipped and LIKE scans."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # Only catalogue rows: the partial condition matches Product.objects.in_catalogue().
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS product_search_trgm_idx ON marketing_product "
        "USING gin (search_text gin_trgm_ops) "
        "WHERE catalogue_grade IN ('A', 'B') AND withdrawn_at IS NULL"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS product_search_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("marketing", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
