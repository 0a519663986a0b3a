"""Admin building blocks shared by every app, the reference data of facilities included.

The scoped base classes and the bulk actions need registrations and live in
registrations/admin/ (base.py, actions.py)."""


class ReadOnlyMixin:
    """Nobody adds, changes or deletes these rows in the admin (superusers neither): they come
    from migrations, the services or a computation. Mix into a ModelAdmin or an inline."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
