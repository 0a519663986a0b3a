"""Admin building blocks shared by every app, the reference data of facilities included.

The scoped base classes and the bulk actions need registrations and live in
registrations/admin/ (base.py, actions.py)."""

from django.contrib.admin import widgets
from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist, ValidationError
from django.db import DataError

from jakpreneur import scoping


class ReadOnlyMixin:
    """Nobody adds, changes or deletes these rows in the admin (superusers neither): they come
    from migrations, the services or a computation. Mix into a ModelAdmin or an inline."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedRawIdWidget(widgets.ForeignKeyRawIdWidget):
    """A raw id box that names the chosen row only when it is in the user's choices: Django's
    looks any id up, so a form sent back with an error would show whose id it was."""

    def __init__(self, rel, admin_site, *, queryset, **kwargs):
        super().__init__(rel, admin_site, **kwargs)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            self.queryset.using(self.db).get(**{key: value})
        except (ValueError, TypeError, ValidationError, DataError, ObjectDoesNotExist, MultipleObjectsReturned):
            return "", ""
        return super().label_and_url_for_value(value)


class ScopedChoicesMixin:
    """Every foreign-key and many-to-many choice of the admin's forms (inlines included) is
    narrowed to the rows the user may choose (`jakpreneur.scoping`): an id posted from outside
    them is a form error, whatever the widget. Part of every ScopedAdmin; mix it into any
    other ModelAdmin or InlineModelAdmin."""

    def _scoped_choices(self, db_field, request, kwargs):
        model = db_field.remote_field.model
        db = kwargs.get("using")
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = self.get_field_queryset(db, db_field, request)
        kwargs["queryset"] = scoping.scoped(model, request.user, queryset)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = self._scoped_choices(db_field, request, kwargs)
        if "widget" not in kwargs and db_field.name in self.raw_id_fields:
            kwargs["widget"] = ScopedRawIdWidget(
                db_field.remote_field, self.admin_site, queryset=kwargs["queryset"], using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not db_field.remote_field.through._meta.auto_created:
            return super().formfield_for_manytomany(db_field, request, **kwargs)
        kwargs = self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
