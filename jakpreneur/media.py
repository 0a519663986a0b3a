"""Where uploaded files (product photos) are stored, read from the environment by settings.py.

No Django imports: settings.py imports this module."""


def media_storage(environ) -> dict:
    """STORAGES["default"] from the environment: the local MEDIA_ROOT, or an S3-compatible
    bucket (AWS S3, MinIO, Ceph, a cloud provider's object storage) when
    JAKPRENEUR_S3_BUCKET is set, so that several web machines share the uploaded photos."""
    bucket = environ.get("JAKPRENEUR_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "endpoint_url": environ.get("JAKPRENEUR_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("JAKPRENEUR_S3_REGION") or None,
        "access_key": environ.get("JAKPRENEUR_S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("JAKPRENEUR_S3_SECRET_ACCESS_KEY") or None,
        # Product photos are public: plain URLs (no expiring signatures) that phones and a CDN
        # cache, which needs a publicly readable bucket (a bucket policy, or DEFAULT_ACL
        # public-read where ACLs are enabled). JAKPRENEUR_S3_SIGNED_URLS=1 signs them instead.
        "querystring_auth": environ.get("JAKPRENEUR_S3_SIGNED_URLS", "").strip().lower() in {"1", "true", "yes", "on"},
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    acl = environ.get("JAKPRENEUR_S3_DEFAULT_ACL", "").strip()
    if acl:
        options["default_acl"] = acl
    custom_domain = environ.get("JAKPRENEUR_S3_PUBLIC_DOMAIN", "").strip()
    if custom_domain:
        options["custom_domain"] = custom_domain
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def media_origin(storage: dict) -> str | None:
    """The origin photos are served from when it is not this site (for the CSP's img-src)."""
    options = storage.get("OPTIONS", {})
    if options.get("custom_domain"):
        return "https://" + options["custom_domain"]
    if options.get("endpoint_url"):
        return options["endpoint_url"].rstrip("/")
    if options.get("bucket_name"):
        return f"https://{options['bucket_name']}.s3.amazonaws.com"
    return None
