"""The P7 back office: each role sees and moves only its own applications (the Dinas all,
centre staff their kecamatan, a mentor their caseload, others nothing), out-of-scope ids in a
POST change nothing, staff apply on someone's behalf with the product's rules, and the lists
cost a fixed number of queries."""

import pytest
from django.contrib.messages import constants
from django.urls import reverse

from financing.models import FinancingApplication, ReferralBatch
from financing.tests.conftest import apply, eligible_person, through

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:financing_financingapplication_changelist")
ADD = reverse("admin:financing_financingapplication_add")


def act(client, action, objs, **extra):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [o.pk for o in objs], **extra}, follow=True)


def messages_of(response, level=None) -> list[str]:
    return [str(m) for m in response.context["messages"] if level is None or m.level == level]


def status(application) -> str:
    return FinancingApplication.objects.get(pk=application.pk).status


@pytest.fixture
def both(siti, budi, monas):
    """Siti's application (Gambir) and Budi's (Menteng, mentor Mark's caseload)."""
    return apply(siti, monas), apply(budi, monas)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("dina", {"siti", "budi"}),
        ("alice", {"siti"}),
        ("bob", {"budi"}),
        ("mark", {"budi"}),
        ("maya", set()),
        ("carol", set()),
    ],
)
def test_each_role_lists_its_own_applications(who, sees, both, english, request, django_assert_max_num_queries):
    english.force_login(request.getfixturevalue(who))
    with django_assert_max_num_queries(14):
        response = english.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    names = {"siti": "Siti Rahmawati", "budi": "Budi Santoso"}
    assert {key for key, name in names.items() if name in html} == sees


def test_the_list_costs_the_same_with_more_rows(english, dina, monas, django_assert_max_num_queries):
    for _ in range(8):
        apply(eligible_person(), monas)
    english.force_login(dina)
    with django_assert_max_num_queries(14):
        assert english.get(CHANGELIST).status_code == 200


@pytest.mark.parametrize("who", ["olga", "siti_user"])
def test_officials_and_entrepreneurs_are_kept_out(who, both, client, olga, siti):
    client.force_login(olga if who == "olga" else siti.user)
    assert "/login/" in client.get(CHANGELIST)["Location"]


def test_centre_staff_verify_in_their_kecamatan(english, alice, both):
    mine, theirs = both
    english.force_login(alice)
    response = act(english, "verify", [mine])
    assert messages_of(response, constants.SUCCESS) == ["1 application(s) verified."]
    assert status(mine) == "verified"


def test_a_post_with_an_out_of_scope_id_changes_nothing(english, alice, maya, both):
    mine, theirs = both
    for user in (alice, maya):
        english.force_login(user)
        act(english, "verify", [theirs])
        act(english, "cancel", [theirs], apply="1", reason="x")
        assert (
            english.post(reverse("admin:financing_financingapplication_change", args=[theirs.pk]), {}).status_code
            == 404
        )
    assert status(theirs) == "submitted"
    assert theirs.steps.count() == 1


def test_the_mentor_verifies_their_caseload(english, mark, both):
    _, budis = both
    english.force_login(mark)
    act(english, "verify", [budis])
    assert status(budis) == "verified"


def test_only_the_dinas_has_the_bank_actions(english, alice, dina, both):
    mine, _ = both
    english.force_login(alice)
    html = english.get(CHANGELIST).content.decode()
    assert 'value="verify"' in html and 'value="refer"' not in html and 'value="disburse"' not in html
    english.force_login(dina)
    html = english.get(CHANGELIST).content.decode()
    assert 'value="refer"' in html and 'value="decide"' in html and 'value="disburse"' in html


def test_the_dinas_refers_decides_and_disburses(english, dina, both):
    mine, theirs = both
    english.force_login(dina)
    act(english, "verify", [mine, theirs])
    response = act(english, "refer", [mine, theirs])
    batch = ReferralBatch.objects.get()
    assert response.redirect_chain[-1][0] == reverse("admin:financing_referralbatch_change", args=[batch.pk])
    act(english, "decide", [mine], apply="1", decision="approved", approved_amount="Rp 4.000.000")
    act(english, "decide", [theirs], apply="1", decision="rejected", reason="Riwayat kredit")
    response = act(english, "disburse", [mine], apply="1", disbursed_amount="4.000.001", disbursed_on="2026-01-01")
    assert status(mine) == "approved"  # over the approved amount: refused
    assert messages_of(response, constants.ERROR)
    from django.utils import timezone

    act(english, "disburse", [mine], apply="1", disbursed_amount="4.000.000", disbursed_on=str(timezone.localdate()))
    assert (status(mine), status(theirs)) == ("disbursed", "rejected")


def test_referring_an_unverified_application_is_refused(english, dina, both):
    mine, _ = both
    english.force_login(dina)
    response = act(english, "refer", [mine])
    assert "Only verified applications can be referred" in " ".join(messages_of(response, constants.ERROR))
    assert not ReferralBatch.objects.exists()


def test_staff_apply_on_behalf_of_someone_in_scope(english, alice, siti, monas):
    english.force_login(alice)
    data = {
        "entrepreneur": siti.pk,
        "product": monas.pk,
        "amount": "Rp 3.000.000",
        "tenor_months": "6",
        "purpose": "Etalase",
    }
    response = english.post(ADD, data)
    assert response.status_code == 302
    application = FinancingApplication.objects.get()
    assert (application.submitted_by_kind, application.submitted_by, application.amount) == ("staff", alice, 3_000_000)


def test_apply_on_behalf_applies_the_products_rules(english, alice, siti, monas):
    english.force_login(alice)
    data = {"entrepreneur": siti.pk, "product": monas.pk, "amount": "20.000.000", "tenor_months": "6", "purpose": "x"}
    response = english.post(ADD, data)
    assert response.status_code == 200
    assert "lends at most Rp 10.000.000" in response.content.decode()
    assert not FinancingApplication.objects.exists()


def test_apply_on_behalf_of_someone_out_of_scope_is_refused(english, alice, budi, monas):
    english.force_login(alice)
    data = {"entrepreneur": budi.pk, "product": monas.pk, "amount": "3.000.000", "tenor_months": "6", "purpose": "x"}
    response = english.post(ADD, data)
    assert response.status_code == 200
    assert not FinancingApplication.objects.exists()


def test_a_mentor_applies_on_behalf_of_their_caseload(english, mark, budi, monas):
    english.force_login(mark)
    data = {"entrepreneur": budi.pk, "product": monas.pk, "amount": "3.000.000", "tenor_months": "6", "purpose": "x"}
    assert english.post(ADD, data).status_code == 302
    assert FinancingApplication.objects.get().submitted_by_kind == "mentor"


def test_the_change_page_shows_the_history(english, dina, siti, monas):
    application = through(apply(siti, monas), to="verified", dina=dina)
    english.force_login(dina)
    response = english.get(reverse("admin:financing_financingapplication_change", args=[application.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("verified") >= 1


def test_search_by_reference(english, dina, both):
    mine, theirs = both
    english.force_login(dina)
    html = english.get(CHANGELIST, {"q": mine.reference}).content.decode()
    assert "Siti Rahmawati" in html and "Budi Santoso" not in html


def test_batches_are_the_dinas_alone(english, alice, dina, siti, monas):
    application = through(apply(siti, monas), to="referred", dina=dina)
    batch = application.batch
    english.force_login(alice)
    assert english.get(reverse("admin:financing_referralbatch_change", args=[batch.pk])).status_code in (403, 404)
    assert english.get(reverse("admin:financing_referralbatch_export", args=[batch.pk])).status_code == 403
    english.force_login(dina)
    assert english.get(reverse("admin:financing_referralbatch_change", args=[batch.pk])).status_code == 200
