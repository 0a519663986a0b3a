"""The report carries its entrepreneur's kecamatan (denormalised for centre staff's list).

Three steps, so the 7M-row fill is one plain UPDATE: the column goes in nullable and without
its foreign key (no per-row trigger), is filled from the entrepreneurs in one UPDATE … FROM,
then becomes NOT NULL with its foreign key (one validating scan each) and gets its index.
The whole migration is one transaction holding an ACCESS EXCLUSIVE lock on the reports table
from the first step: at 1M entrepreneurs (~7M reports) it took the time given in
docs/PERFORMANCE.md ("The report's kecamatan"), during which the reports cannot be read or
written. History rows written before it carry no kecamatan (the column is nullable there).
"""

import django.db.models.deletion
from django.db import migrations, models

FILL_POSTGRESQL = """
UPDATE growth_monthlyreport AS m
   SET kecamatan_id = e.kecamatan_id
  FROM registrations_entrepreneur AS e
 WHERE e.id = m.entrepreneur_id
"""


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL_POSTGRESQL)
        return
    MonthlyReport = apps.get_model("growth", "MonthlyReport")
    Entrepreneur = apps.get_model("registrations", "Entrepreneur")
    kecamatan = Entrepreneur.objects.filter(pk=models.OuterRef("entrepreneur_id")).values("kecamatan_id")[:1]
    MonthlyReport.objects.update(kecamatan_id=models.Subquery(kecamatan))


class Migration(migrations.Migration):
    dependencies = [
        ("facilities", "0002_reference_data"),
        ("growth", "0002_reminders"),
        ("registrations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalmonthlyreport",
            name="kecamatan",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="facilities.kecamatan",
                verbose_name="kecamatan",
            ),
        ),
        # 1. Nullable, no foreign key yet: adding it rewrites nothing.
        migrations.AddField(
            model_name="monthlyreport",
            name="kecamatan",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="facilities.kecamatan",
                verbose_name="kecamatan",
            ),
        ),
        # 2. One UPDATE … FROM (a hash join) on PostgreSQL.
        migrations.RunPython(fill, migrations.RunPython.noop),
        # 3. NOT NULL and the foreign key, each checked in one pass over the filled table.
        migrations.AlterField(
            model_name="monthlyreport",
            name="kecamatan",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="facilities.kecamatan",
                verbose_name="kecamatan",
            ),
        ),
        migrations.AddIndex(
            model_name="monthlyreport",
            index=models.Index(fields=["kecamatan", "period", "entrepreneur"], name="monthlyreport_kecamatan_idx"),
        ),
    ]
