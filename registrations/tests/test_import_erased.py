"""A person erased at their request stays erased: their NIK is remembered only as a keyed digest
(ErasedNik), and an import of an old legacy sheet refuses their row, line-numbered, writing
nothing. They may still register again themselves."""

import pytest
from django.test import override_settings

from registrations.models import Entrepreneur, ErasedNik
from registrations.services.privacy import ERASED_MESSAGE, entrepreneur_anonymise, erased_niks, nik_digest
from registrations.tests.registration_payloads import registration_data
from registrations.tests.test_import import row, run

pytestmark = pytest.mark.django_db


def erase_person_of(values: dict) -> None:
    assert run([values]).written
    person = Entrepreneur.objects.get(nik=values["nik"])
    entrepreneur_anonymise(person, actor=None)


def test_an_erased_persons_row_is_refused_and_nothing_is_written():
    siti, dewi = row(serial=1, full_name="Siti Rahmawati"), row(serial=2)
    erase_person_of(siti)
    assert ErasedNik.objects.count() == 1
    assert ErasedNik.objects.get().digest == nik_digest(siti["nik"]) != siti["nik"]
    before = Entrepreneur.objects.count()
    result = run([dewi, siti])
    assert not result.written and Entrepreneur.objects.count() == before  # all or nothing
    (error,) = result.errors
    assert (error.line, error.field, error.code) == (3, "nik", "erased")
    assert error.message == str(ERASED_MESSAGE)
    assert not Entrepreneur.objects.filter(nik=siti["nik"]).exists()


def test_the_digest_is_keyed_and_a_rotated_key_still_recognises_it():
    nik = row(serial=3)["nik"]
    with override_settings(SECRET_KEY="old-key-" + "x" * 50):
        ErasedNik.objects.create(digest=nik_digest(nik))
        assert erased_niks([nik]) == {nik}
    assert erased_niks([nik]) == set()  # another key: another digest
    with override_settings(SECRET_KEY="new-key-" + "y" * 50, SECRET_KEY_FALLBACKS=["old-key-" + "x" * 50]):
        assert erased_niks([nik]) == {nik}


def test_an_erased_person_may_register_again_themselves(client):
    data = registration_data()
    erase_person_of(row(nik=data["nik"], birth_date=data["birth_date"], gender=data["gender"]))
    response = client.post("/register/", data)
    assert response.status_code == 302
    assert Entrepreneur.objects.filter(nik=data["nik"]).exists()
