"""Passwords are hashed with Argon2id at OWASP's minimum; older hashes upgrade at the next
login; weaker parameters are refused at start-up."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher, make_password
from django.core import checks
from django.test import Client

from jakpreneur.checks import check_password_hashing
from registrations.models import User

pytestmark = pytest.mark.django_db


def test_new_passwords_are_argon2id_with_owasps_parameters():
    encoded = make_password("correct-horse-battery-staple")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert identify_hasher(encoded).__class__.__name__ == "Argon2idHasher"


def test_a_pbkdf2_hash_is_upgraded_to_argon2id_at_the_next_login():
    user = User.objects.create_user(email="lama@example.id")
    user.password = PBKDF2PasswordHasher().encode("correct-horse-battery-staple", PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    assert user.password.startswith("pbkdf2_sha256$")

    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "lama@example.id", "password": "correct-horse-battery-staple"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_hash_with_weaker_argon2_parameters_is_upgraded_too():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    class Weak(Argon2PasswordHasher):
        memory_cost, time_cost, parallelism = 8192, 1, 1

    user = User.objects.create_user(email="lemah@example.id")
    user.password = Weak().encode("correct-horse-battery-staple", Weak().salt())
    user.save(update_fields=["password"])

    assert user.check_password("correct-horse-battery-staple")
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password


@pytest.mark.parametrize(
    ("name", "value"),
    [("JAKPRENEUR_ARGON2_MEMORY_KIB", 8192), ("JAKPRENEUR_ARGON2_TIME_COST", 1), ("JAKPRENEUR_ARGON2_PARALLELISM", 0)],
)
def test_parameters_below_the_minimum_are_a_startup_error(settings, name, value):
    setattr(settings, name, value)
    errors = check_password_hashing(None)
    assert [error.id for error in errors] == ["jakpreneur.E002"]
    assert all(isinstance(error, checks.Error) for error in errors)


def test_the_default_parameters_pass_the_check():
    assert check_password_hashing(None) == []
