import datetime as dt

import pytest

from reports.models import Target

pytestmark = pytest.mark.django_db


def test_the_rpjmd_target_is_loaded():
    target = Target.objects.get(metric="registered", kota__isnull=True, kecamatan__isnull=True)
    assert target.value == 200_000
    assert target.period_start == dt.date(2017, 12, 14)
    assert target.period_end == dt.date(2022, 12, 31)
