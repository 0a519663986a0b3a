"""The session engine: Django's database sessions (same table, same signed encoding, so
sessions written by `django.contrib.sessions.backends.db` stay valid), read through a query
compiled once and prepared on the server (jakpreneur/prepared.py).

Sessions signed in through Django's own ModelBackend (before jakpreneur/backends.py) are read
as signed in through ours, its subclass: the change signs nobody out.

Every signed-in request reads its session first; through the ORM that read cost ~0.3 ms of
CPU per request to compile, more than the database spent on it.
"""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db.models.functions import Now

from jakpreneur.backends import DJANGO_MODEL_BACKEND, MODEL_BACKEND
from jakpreneur.prepared import PreparedQuery

# A stand-in while the query is compiled: no session has this key. "Now" is the database's
# (a parameter would reach the SQL converted, as a string on SQLite, and no longer be
# recognisable as the stand-in); expiry dates are written by the web servers' clocks, which
# agree with the database's to well under a second where clocks are synchronised.
_STAND_IN_KEY = "jakpreneur-stand-in-session-key"

_LIVE_SESSION = PreparedQuery(
    lambda key: Session.objects.filter(session_key=key, expire_date__gt=Now())[:1],
    stand_ins=(_STAND_IN_KEY,),
)


class SessionStore(DatabaseSessionStore):
    """`django.contrib.sessions.backends.db.SessionStore` with its read compiled once. The
    class keeps its name: the session data's signing salt is derived from it."""

    def _get_session_from_db(self):
        session = _LIVE_SESSION.first(self.session_key)
        if session is None:
            # As Django's: an unknown or expired key starts a new session.
            self._session_key = None
        return session

    def decode(self, session_data):
        data = super().decode(session_data)
        if data.get(BACKEND_SESSION_KEY) == DJANGO_MODEL_BACKEND:
            data[BACKEND_SESSION_KEY] = MODEL_BACKEND
        return data
