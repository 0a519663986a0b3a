from django.db import migrations

from facilities import reference


def load(apps, schema_editor):
    Kota = apps.get_model("facilities", "Kota")
    Kecamatan = apps.get_model("facilities", "Kecamatan")
    Kelurahan = apps.get_model("facilities", "Kelurahan")
    reference.load_regions(Kota, Kecamatan, Kelurahan)
    reference.load_centers(Kecamatan, apps.get_model("facilities", "Center"))
    reference.load_facilities(apps.get_model("facilities", "Facility"))


def unload(apps, schema_editor):
    # Plain DELETEs: the ORM's cascade collector would walk models of later migrations that
    # are already unapplied at this point.
    for name in ("Activity", "Center", "Facility", "Kelurahan", "Kecamatan", "Kota"):
        table = schema_editor.quote_name(apps.get_model("facilities", name)._meta.db_table)
        schema_editor.execute(f"DELETE FROM {table}")


class Migration(migrations.Migration):
    dependencies = [("facilities", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
