"""The back office of registrations (see the modules of this package)."""

from registrations.admin import entrepreneurs  # noqa: F401 - registers the admins
