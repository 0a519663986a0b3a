"""Storages: static files for production (hashed names, compressed, served by whitenoise) and
private uploads (never served)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's storage, without rewriting source-map comments in JavaScript.

    Vendored minified libraries (Chart.js) name a .map file that is not shipped; Django would
    fail collectstatic over a debugging aid. CSS references (url(), @import) are still
    rewritten to hashed names.
    """

    patterns = tuple(pattern for pattern in CompressedManifestStaticFilesStorage.patterns if pattern[0] != "*.js")


class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/private/ with no URL: uploads holding personal data (legacy
    import files) that only a permission-checking view may read. The web server in front
    serves MEDIA_URL from MEDIA_ROOT but must not serve this folder (README, "Uploaded files")."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @cached_property
    def base_location(self):
        # Read at use, so a changed MEDIA_ROOT (tests, settings) is followed.
        return os.path.join(settings.MEDIA_ROOT, "private")

    def url(self, name):
        raise ValueError("Private files have no URL.")


_private = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of private uploads (a function, so migrations refer to it by name)."""
    return _private
