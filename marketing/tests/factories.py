"""Factories for products, rounds and submissions, and image files for the photo tests."""

import datetime as dt
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from marketing.models import CurationRound, Product, Submission
from registrations.tests.factories import EntrepreneurFactory


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    entrepreneur = factory.SubFactory(EntrepreneurFactory)
    name = factory.Sequence(lambda n: f"Keripik Tempe Pedas {n}")
    category = "kuliner"
    description = "Keripik tempe renyah dari Jakarta."
    price = 15000
    unit = "pack"
    search_text = factory.LazyAttribute(lambda o: f"{o.name} {o.description} kuliner".lower())


class CurationRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CurationRound

    title = factory.Sequence(lambda n: f"Kurasi Produk Kuliner {n}")
    criteria = "Produk makanan dengan PIRT."
    categories = factory.LazyFunction(list)
    quota = 10
    submission_deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    curation_date = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))
    curation_place = "PLUT Jakarta, Jl. Pramuka"
    status = CurationRound.Status.OPEN


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    round = factory.SubFactory(CurationRoundFactory)
    product = factory.SubFactory(ProductFactory)


def image_bytes(size=(800, 600), fmt="JPEG", color=(200, 80, 40), mode="RGB", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
