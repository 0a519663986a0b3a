"""Kept as a step of the migration history; does nothing now.

It granted the dashboard permissions to the official and Dinas roles. Roles and their
permissions now live in one table (jakpreneur/access.py), applied after every migrate.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_dashboard_permissions_joblock"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
