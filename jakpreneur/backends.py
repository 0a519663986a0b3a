"""The sign-in backend: Django's ModelBackend (same passwords, same permission checks) whose
`get_user` reads the account through a query compiled once and prepared on the server
(jakpreneur/prepared.py). `get_user` runs on every signed-in request; through the ORM its
read cost ~0.3 ms of CPU per request to compile.

Sessions written before this backend name Django's ModelBackend; jakpreneur/sessions.py reads
them as this one's, so nobody is signed out by the change.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from jakpreneur.prepared import PreparedQuery

DJANGO_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
MODEL_BACKEND = "jakpreneur.backends.ModelBackend"

_STAND_IN_ID = -8_214_736_594
_ACCOUNT = PreparedQuery(
    lambda user_id: get_user_model()._default_manager.filter(pk=user_id)[:1], stand_ins=(_STAND_IN_ID,)
)


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        user = _ACCOUNT.first(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
