"""The back office of P5: each actor sees their scope and takes their step in bulk; other
ids are out of reach; the grade-A export."""

import csv
import io

import pytest
from django.contrib.messages import constants
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from marketing.models import Certificate, CurationRound, Submission
from marketing.tests.factories import CurationRoundFactory, ProductFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

SUBMISSIONS = reverse("admin:marketing_submission_changelist")


def messages_of(response, level):
    return [m.message for m in response.context["messages"] if m.level == level]


@pytest.fixture
def curation_round(cora):
    curation_round = CurationRoundFactory(title="Kurasi Juni")
    curation_round.curators.add(cora)
    return curation_round


@pytest.fixture
def gambir_subs(siti, curation_round):
    return [
        SubmissionFactory(round=curation_round, product=ProductFactory(entrepreneur=siti), status="verified")
        for _ in range(3)
    ]


@pytest.fixture
def menteng_sub(budi, curation_round):
    return SubmissionFactory(round=curation_round, product=ProductFactory(entrepreneur=budi), status="verified")


def listed(client, user):
    client.force_login(user)
    response = client.get(SUBMISSIONS)
    assert response.status_code == 200
    return {row.pk for row in response.context["cl"].result_list}


def test_each_actor_sees_their_scope(client, alice, bob, carol, dina, cora, carl, gambir_subs, menteng_sub):
    gambir = {s.pk for s in gambir_subs}
    assert listed(client, alice) == gambir
    assert listed(client, bob) == {menteng_sub.pk}
    assert listed(client, carol) == set()
    assert listed(client, dina) == gambir | {menteng_sub.pk}
    # Curators see their round's submissions once forwarded.
    assert listed(client, cora) == set()
    Submission.objects.filter(pk=menteng_sub.pk).update(status="forwarded", forwarded_at=timezone.now())
    assert listed(client, cora) == {menteng_sub.pk}
    assert listed(client, carl) == set()


def test_the_list_takes_a_fixed_number_of_queries(client, dina, gambir_subs, django_assert_max_num_queries):
    client.force_login(dina)
    with django_assert_max_num_queries(20):
        client.get(SUBMISSIONS)


def test_centre_staff_validate_in_bulk_and_out_of_scope_ids_are_untouched(english, alice, gambir_subs, menteng_sub):
    english.force_login(alice)
    ids = [s.pk for s in gambir_subs] + [menteng_sub.pk]
    response = english.post(SUBMISSIONS, {"action": "validate", "_selected_action": ids}, follow=True)
    assert messages_of(response, constants.SUCCESS) == ["3 submission(s) validated."]
    assert set(Submission.objects.filter(status="validated").values_list("pk", flat=True)) == {
        s.pk for s in gambir_subs
    }
    assert Submission.objects.get(pk=menteng_sub.pk).status == "verified"


def test_a_step_the_user_may_not_take_is_not_offered_and_posting_it_changes_nothing(english, alice, gambir_subs):
    english.force_login(alice)
    offered = {name for name, _ in english.get(SUBMISSIONS).context["action_form"].fields["action"].choices}
    assert "validate" in offered and "return_to_entrepreneur" in offered
    assert offered.isdisjoint({"verify", "forward", "grade_products"})
    english.post(SUBMISSIONS, {"action": "forward", "_selected_action": [gambir_subs[0].pk]})
    assert Submission.objects.get(pk=gambir_subs[0].pk).status == "verified"


def test_forward_then_grade_in_bulk_with_notes(english, alice, dina, cora, gambir_subs):
    ids = [s.pk for s in gambir_subs]
    english.force_login(alice)
    english.post(SUBMISSIONS, {"action": "validate", "_selected_action": ids}, follow=True)
    english.force_login(dina)
    response = english.post(SUBMISSIONS, {"action": "forward", "_selected_action": ids}, follow=True)
    assert messages_of(response, constants.SUCCESS) == ["3 submission(s) forwarded."]
    english.force_login(cora)
    page = english.post(SUBMISSIONS, {"action": "grade_products", "_selected_action": ids})
    assert page.status_code == 200 and b"Grade submissions" in page.content
    response = english.post(
        SUBMISSIONS,
        {"action": "grade_products", "_selected_action": ids, "apply": "1", "grade": "B", "notes": "Label jelas."},
        follow=True,
    )
    assert messages_of(response, constants.SUCCESS) == ["3 submission(s) graded."]
    assert set(Submission.objects.values_list("status", "grade", "notes")) == {("graded", "B", "Label jelas.")}
    assert Certificate.objects.count() == 3


def test_return_needs_a_reason_and_records_it(english, alice, gambir_subs):
    english.force_login(alice)
    sub = gambir_subs[0]
    page = english.post(SUBMISSIONS, {"action": "return_to_entrepreneur", "_selected_action": [sub.pk], "apply": "1"})
    assert page.status_code == 200 and page.context["form"].errors
    english.post(
        SUBMISSIONS,
        {"action": "return_to_entrepreneur", "_selected_action": [sub.pk], "apply": "1", "reason": "Tanpa PIRT"},
    )
    sub.refresh_from_db()
    assert (sub.status, sub.return_reason) == ("returned", "Tanpa PIRT")


def test_the_dinas_opens_a_round_with_curators(client, dina, cora):
    client.force_login(dina)
    response = client.post(
        reverse("admin:marketing_curationround_add"),
        {
            "title": "Kurasi Fesyen",
            "criteria": "Produk fesyen lokal",
            "categories": ["fesyen", "kriya"],
            "quota": "50",
            "submission_deadline_0": "2030-01-10",
            "submission_deadline_1": "17:00:00",
            "curation_date_0": "2030-01-20",
            "curation_date_1": "09:00:00",
            "curation_place": "Balai Kota",
            "curators": [cora.pk],
            "status": "open",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    curation_round = CurationRound.objects.get(title="Kurasi Fesyen")
    assert curation_round.opened_by == dina and curation_round.categories == ["fesyen", "kriya"]
    assert list(curation_round.curators.all()) == [cora]


def test_centre_staff_cannot_open_rounds(client, alice):
    client.force_login(alice)
    assert client.get(reverse("admin:marketing_curationround_add")).status_code == 403


def test_the_grade_a_export_lists_grade_a_only_with_formulas_neutralised(client, dina, alice, siti, curation_round):
    evil = ProductFactory(entrepreneur=siti, name='=HYPERLINK("http://evil.example","x")')
    SubmissionFactory(round=curation_round, product=evil, status="graded", grade="A", graded_at=timezone.now())
    SubmissionFactory(
        round=curation_round, product=ProductFactory(entrepreneur=siti, name="Kue B"), status="graded", grade="B"
    )
    client.force_login(dina)
    response = client.get(reverse("admin:marketing_submission_export_grade_a", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][3] == "'" + evil.name
    response = client.get(reverse("admin:marketing_submission_export_grade_a", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=4)
    assert cell.value == evil.name and cell.data_type == "s" and cell.quotePrefix
    assert client.get(reverse("admin:marketing_submission_export_grade_a", args=["pdf"])).status_code == 404
    client.force_login(alice)
    assert client.get(reverse("admin:marketing_submission_export_grade_a", args=["csv"])).status_code == 403
