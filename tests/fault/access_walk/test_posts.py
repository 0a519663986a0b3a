"""POST: every admin add form, change form and action, as each role, out of its scope, changes
nothing and gives no 500; a superuser sending alice's very data is obeyed (so the refusals
are the scope's); growth's forms posted with Menteng's ids by people outside Menteng."""

import pytest
from django.db import transaction
from django.urls import reverse

from tests.fault.access_walk.posts import ADD_DATA, NOT_CONTROLLED, changed_tables, database_dump, submissions
from tests.fault.access_walk.table import ROLES

pytestmark = pytest.mark.django_db


def _growth_rows() -> list[tuple]:
    from growth.models import MentorAssignment, MentoringSession, MentorProfile, MonthlyReport

    return [
        *MonthlyReport.objects.order_by("pk").values_list("pk", "entrepreneur_id", "period", "turnover", "assets"),
        *MentoringSession.objects.order_by("pk").values_list("pk", "entrepreneur_id", "date", "mode", "notes"),
        *MentorAssignment.objects.order_by("pk").values_list("pk", "entrepreneur_id", "mentor_id", "ended_at"),
        *MentorProfile.objects.order_by("pk").values_list("pk", "phone", "recruitment_target"),
    ]


@pytest.mark.parametrize("role", ["alice", "maya", "entrepreneur", "olga"])
def test_growth_posts_with_out_of_scope_ids_change_nothing(role, as_role, samples, menteng_entrepreneur):
    """Forms posted by people outside Menteng, naming Menteng's rows: refused, nothing written."""

    from growth.models import MentorAssignment, MentoringSession, MentorProfile, MonthlyReport

    objects = samples["objects"]
    report, session = objects[MonthlyReport], objects[MentoringSession]
    assignment, profile = objects[MentorAssignment], objects[MentorProfile]
    client = as_role(role)
    client.raise_request_exception = False
    before = _growth_rows()
    figures = {"turnover": "9", "assets": "9", "workers": "9"}
    posts = [
        (reverse("admin:growth_monthlyreport_change", args=[report.pk]), figures),
        (
            reverse("admin:growth_monthlyreport_add"),
            {**figures, "entrepreneur": menteng_entrepreneur.pk, "period": "2026-02"},
        ),
        (reverse("admin:growth_mentoringsession_change", args=[session.pk]), {"date": "2026-01-06", "mode": "phone"}),
        (
            reverse("admin:growth_mentoringsession_add"),
            {"entrepreneur": menteng_entrepreneur.pk, "date": "2026-01-06", "mode": "visit"},
        ),
        (reverse("admin:growth_mentorassignment_changelist"), {"action": "end", "_selected_action": [assignment.pk]}),
        (
            reverse("admin:growth_mentorassignment_add"),
            {"entrepreneur": menteng_entrepreneur.pk, "mentor": assignment.mentor_id},
        ),
        (reverse("admin:growth_mentorprofile_change", args=[profile.pk]), {"recruitment_target": "1", "phone": ""}),
    ]
    for path, data in posts:
        response = client.post(path, data)
        assert response.status_code in (200, 302, 403, 404), (path, response.status_code)
    assert _growth_rows() == before


@pytest.mark.parametrize("role", ROLES)
def test_no_admin_form_or_action_changes_anything_outside_the_roles_scope(
    role, as_role, samples, gambir_rows, root, root_client, menteng_entrepreneur, alice, olga, dina, maya
):
    role_user = {
        "anonymous": None,
        "entrepreneur": menteng_entrepreneur.user,
        "alice": alice,
        "olga": olga,
        "dina": dina,
        "maya": maya,
    }[role]
    client = as_role(role)
    client.raise_request_exception = False
    todo = list(submissions(role_user, root_client, root))
    assert len(todo) >= 40
    before = database_dump()
    problems = []
    for submission in todo:
        response = client.post(submission.url, submission.data)
        if response.status_code >= 500:
            problems.append(f"{submission.what}: HTTP {response.status_code}")
        after = database_dump()
        if after != before:
            problems.append(f"{submission.what}: changed {', '.join(changed_tables(before, after))}")
            before = after
    assert problems == [], "\n".join(problems)


def test_the_submissions_are_valid_but_for_their_scope(alice, samples, gambir_rows, root, root_client):
    """A superuser sending alice's out-of-scope choices is obeyed: each refusal the walk sees
    for alice is her scope's. (Add forms marked None in ADD_DATA cannot be valid.)"""
    checked, problems = 0, []
    for submission in submissions(alice, root_client, root):
        if not submission.form:
            continue
        label, kind = submission.form.split(" ")
        if (kind == "add" and ADD_DATA.get(label) is None) or label in NOT_CONTROLLED:
            continue
        # Each in a savepoint rolled back: the next submissions are made from the same rows.
        with transaction.atomic():
            before = database_dump()
            response = root_client.post(submission.url, submission.data)
            checked += 1
            if response.status_code != 302 or database_dump() == before:
                errors = response.context["adminform"].form.errors if response.context else response.status_code
                problems.append(f"{submission.what}: not accepted ({errors})")
            transaction.set_rollback(True)
    assert checked >= 5
    assert problems == [], "\n".join(problems)
