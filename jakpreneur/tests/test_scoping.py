"""The registry of choice scopes (jakpreneur.scoping) and its system check: deny by default."""

import pytest
from django.contrib import admin

from jakpreneur import scoping

pytestmark = pytest.mark.django_db


def test_a_model_without_a_registered_scope_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    from reports.models import JobLock

    with pytest.raises(ImproperlyConfigured):
        scoping.choices_for(JobLock, None)


def test_the_system_check_finds_an_unscoped_admin(monkeypatch):
    from django.contrib.admin import ModelAdmin

    from jakpreneur.checks import check_admin_choices_scoped
    from reports.models import Target

    assert check_admin_choices_scoped(None) == []
    monkeypatch.setitem(admin.site._registry, Target, ModelAdmin(Target, admin.site))
    monkeypatch.delitem(scoping._registry, "facilities.facility")
    ids = sorted({error.id for error in check_admin_choices_scoped(None)})
    assert ids == ["jakpreneur.E010", "jakpreneur.E011"]
