"""Product photos in an S3-compatible bucket: a real S3 server (moto's server mode, over
HTTP on a local port) started by the test, the storage configured the way settings.py
configures it from the environment. No mock of the client."""

import socket
import urllib.request

import boto3
import pytest
from django.core.files.storage import default_storage

from jakpreneur.media import media_origin, media_storage
from marketing import services
from marketing.tests.factories import ProductFactory, image_bytes, upload

pytestmark = pytest.mark.django_db

BUCKET = "jakpreneur-media-test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def s3_server():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        # moto keeps its buckets in this process: start each test from an empty server.
        urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=10)  # noqa: S310
        boto3.client(
            "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
        ).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.stop()


@pytest.fixture
def s3_settings(settings, s3_server):
    environment = {
        "JAKPRENEUR_S3_BUCKET": BUCKET,
        "JAKPRENEUR_S3_ENDPOINT_URL": s3_server,
        "JAKPRENEUR_S3_REGION": "us-east-1",
        "JAKPRENEUR_S3_ACCESS_KEY_ID": "k",
        "JAKPRENEUR_S3_SECRET_ACCESS_KEY": "s",
        "JAKPRENEUR_S3_DEFAULT_ACL": "public-read",
    }
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(environment)}
    return s3_server


def test_without_a_bucket_photos_stay_in_media_root():
    assert media_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert media_origin(media_storage({})) is None


def test_the_public_domain_is_the_csp_origin():
    storage = media_storage({"JAKPRENEUR_S3_BUCKET": "b", "JAKPRENEUR_S3_PUBLIC_DOMAIN": "media.jakpreneur.id"})
    assert media_origin(storage) == "https://media.jakpreneur.id"


def test_a_photo_is_stored_in_the_bucket_and_served_from_it(s3_settings, siti):
    product = ProductFactory(entrepreneur=siti)
    photo = services.photo_add(product=product, entrepreneur=siti, file=upload(image_bytes()))
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    client = boto3.client(
        "s3", endpoint_url=s3_settings, region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    keys = {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert keys == {photo.image.name, photo.thumbnail.name}
    head = client.head_object(Bucket=BUCKET, Key=photo.image.name)
    assert head["ContentType"] == "image/jpeg" and "immutable" in head["CacheControl"]
    url = photo.image.url
    assert url.startswith(s3_settings) and "Signature" not in url
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the local test server
        assert response.read()[:2] == b"\xff\xd8"


def test_a_deleted_photo_leaves_the_bucket(s3_settings, siti, django_capture_on_commit_callbacks):
    product = ProductFactory(entrepreneur=siti)
    photo = services.photo_add(product=product, entrepreneur=siti, file=upload(image_bytes()))
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(photo=photo, entrepreneur=siti)
    client = boto3.client(
        "s3", endpoint_url=s3_settings, region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    assert client.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0


def test_signed_urls_when_the_bucket_is_private(settings, s3_server, siti):
    environment = {
        "JAKPRENEUR_S3_BUCKET": BUCKET,
        "JAKPRENEUR_S3_ENDPOINT_URL": s3_server,
        "JAKPRENEUR_S3_REGION": "us-east-1",
        "JAKPRENEUR_S3_ACCESS_KEY_ID": "k",
        "JAKPRENEUR_S3_SECRET_ACCESS_KEY": "s",
        "JAKPRENEUR_S3_SIGNED_URLS": "1",
    }
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(environment)}
    photo = services.photo_add(product=ProductFactory(entrepreneur=siti), entrepreneur=siti, file=upload(image_bytes()))
    assert "Signature" in photo.image.url or "X-Amz-Signature" in photo.image.url
    with urllib.request.urlopen(photo.image.url, timeout=10) as response:  # noqa: S310 - the local test server
        assert response.read()[:2] == b"\xff\xd8"
