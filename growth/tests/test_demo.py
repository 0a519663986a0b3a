"""seed_demo's mentoring and reports: mentors with caseloads and sessions, believable reports
(gaps, most flat, some growing), every row within the database's rules, rerun adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from growth.models import MentorAssignment, MentoringSession, MentorProfile, MonthlyReport
from growth.selectors import add_months, current_period

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_mentors_caseloads_sessions_and_reports():
    out = StringIO()
    call_command("seed_demo", entrepreneurs=400, seed=3, stdout=out)
    assert "mentor assignments" in out.getvalue()
    assert MentorProfile.objects.exists()
    assignments = MentorAssignment.objects.select_related("entrepreneur", "mentor")
    assert assignments.exists()
    for assignment in assignments:
        assert assignment.mentor.kecamatan_scope.filter(code=assignment.entrepreneur.kecamatan_id).exists()
    assert MentoringSession.objects.exists()
    reports = MonthlyReport.objects.all()
    # Every report carries its entrepreneur's kecamatan (the denormalised copy of the scope).
    assert not reports.exclude(kecamatan_id=F("entrepreneur__kecamatan_id")).exists()
    assert reports.values("kecamatan").distinct().count() > 1
    people = reports.values("entrepreneur").distinct().count()
    assert people > 10
    last = add_months(current_period(), -1)
    assert reports.filter(period__gt=last).count() == 0
    # Gaps: fewer reports than months between each person's first and last report.
    months = reports.count()
    assert months < people * 24
    turnovers = sorted(reports.values_list("turnover", flat=True))
    median, top = turnovers[len(turnovers) // 2], turnovers[int(len(turnovers) * 0.95)]
    assert top > 3 * median  # skewed

    before = (MentorAssignment.objects.count(), MentoringSession.objects.count(), MonthlyReport.objects.count())
    from growth.demo import seed_growth

    assert seed_growth(seed=3)[:2] == (0, 0)
    after = (MentorAssignment.objects.count(), MentoringSession.objects.count(), MonthlyReport.objects.count())
    assert after == before
