import datetime

from django.db import migrations

RPJMD_NAME = "RPJMD 2017–2022: wirausaha terdaftar"


def load(apps, schema_editor):
    Target = apps.get_model("reports", "Target")
    Target.objects.create(
        name=RPJMD_NAME,
        metric="registered",
        value=200_000,
        period_start=datetime.date(2017, 12, 14),
        period_end=datetime.date(2022, 12, 31),
        source="RPJMD Provinsi DKI Jakarta 2017–2022",
    )


def unload(apps, schema_editor):
    apps.get_model("reports", "Target").objects.filter(name=RPJMD_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
