"""Kept as a step of the migration history; does nothing now.

It granted the Dinas admin role the targets, the snapshots and the login-lockout records.
Roles and their permissions now live in one table (jakpreneur/access.py), applied after every
migrate.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_grant_dashboard_permissions"),
        ("axes", "0010_accessattemptexpiration"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = []
