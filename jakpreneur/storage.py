"""Static files storage for production: hashed names, compressed, served by whitenoise."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's storage, without rewriting source-map comments in JavaScript.

    Vendored minified libraries (Chart.js) name a .map file that is not shipped; Django would
    fail collectstatic over a debugging aid. CSS references (url(), @import) are still
    rewritten to hashed names.
    """

    patterns = tuple(pattern for pattern in CompressedManifestStaticFilesStorage.patterns if pattern[0] != "*.js")
