"""The public e-katalog: only curated A/B products that are not withdrawn, search, filters,
sort, pagination, and nothing personal on the pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from facilities.tests.factories import MENTENG_KELURAHAN
from marketing import selectors, services
from marketing.tests.factories import ProductFactory, image_bytes, upload
from registrations.tests.factories import BusinessFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db

KATALOG = reverse("marketing:katalog")


def listed(entrepreneur, grade="A", **fields):
    fields.setdefault("search_text", f"{fields.get('name', 'produk')} {fields.get('description', '')}".lower())
    return ProductFactory(entrepreneur=entrepreneur, catalogue_grade=grade, catalogue_since=timezone.now(), **fields)


def names(response) -> set[str]:
    return {p.name for p in response.context["page"].products}


def test_only_products_graded_a_or_b_and_not_withdrawn_are_shown(client, siti):
    listed(siti, "A", name="Kopi A")
    listed(siti, "B", name="Kopi B")
    listed(siti, "C", name="Kopi C")
    ProductFactory(entrepreneur=siti, name="Kopi belum dikurasi")
    listed(siti, "A", name="Kopi ditarik", withdrawn_at=timezone.now())
    assert names(client.get(KATALOG)) == {"Kopi A", "Kopi B"}


def test_search_finds_every_word_in_any_order(client, siti):
    listed(siti, name="Keripik Tempe Pedas", description="Renyah")
    listed(siti, name="Tempe Mendoan")
    listed(siti, name="Keripik Singkong")
    assert names(client.get(KATALOG, {"q": "pedas KERIPIK"})) == {"Keripik Tempe Pedas"}
    assert names(client.get(KATALOG, {"q": "tempe"})) == {"Keripik Tempe Pedas", "Tempe Mendoan"}
    assert names(client.get(KATALOG, {"q": "renyah"})) == {"Keripik Tempe Pedas"}
    assert names(client.get(KATALOG, {"q": "rendang"})) == set()


def test_search_finds_the_business_name(client, siti):
    product = ProductFactory(entrepreneur=siti, name="Sambal")
    services.product_update(product=product, entrepreneur=siti, data={"name": "Sambal Bawang"})
    type(product).objects.filter(pk=product.pk).update(catalogue_grade="A", catalogue_since=timezone.now())
    assert names(client.get(KATALOG, {"q": "dapur siti"})) == {"Sambal Bawang"}


def test_filters_by_category_kota_and_halal(client, siti, budi):
    listed(siti, name="Kue Halal", halal_number="ID123")
    listed(siti, name="Tas Anyaman", category="kriya")
    listed(budi, name="Roti Menteng")
    assert names(client.get(KATALOG, {"category": "kriya"})) == {"Tas Anyaman"}
    assert names(client.get(KATALOG, {"halal": "1"})) == {"Kue Halal"}
    assert names(client.get(KATALOG, {"kota": "31.71"})) == {"Kue Halal", "Tas Anyaman", "Roti Menteng"}
    assert names(client.get(KATALOG, {"kota": "31.74"})) == set()


def test_bad_query_strings_are_ignored_not_errors(client, siti):
    listed(siti, name="Kopi")
    for params in (
        {"category": "nope"},
        {"kota": "' OR 1=1"},
        {"sort": "-pk"},
        {"page": "abc"},
        {"page": "-3"},
        {"page": "99999999999999999999"},
        {"q": "x" * 1000},
        {"halal": "yes"},
    ):
        response = client.get(KATALOG, params)
        assert response.status_code == 200, params
    assert client.get(KATALOG, {"q": "\x00"}).status_code == 400  # the site's middleware refuses NUL


def test_sort_by_price_and_newest(client, siti):
    cheap = listed(siti, name="Murah", price=5000)
    dear = listed(siti, name="Mahal", price=90000)
    assert [p.pk for p in client.get(KATALOG, {"sort": "price_asc"}).context["page"].products] == [cheap.pk, dear.pk]
    assert [p.pk for p in client.get(KATALOG, {"sort": "price_desc"}).context["page"].products] == [dear.pk, cheap.pk]
    assert [p.pk for p in client.get(KATALOG).context["page"].products] == [dear.pk, cheap.pk]


def test_pages_and_a_capped_count(client, siti, monkeypatch):
    for n in range(selectors.PAGE_SIZE + 3):
        listed(siti, name=f"Produk {n}")
    page2 = client.get(KATALOG, {"page": "2"}).context["page"]
    assert (page2.page, page2.pages, len(page2.products)) == (2, 2, 3)
    assert client.get(KATALOG, {"page": "50"}).context["page"].page == 2
    monkeypatch.setattr(selectors, "COUNT_CAP", 10)
    capped = client.get(KATALOG).context["page"]
    assert (capped.count, capped.capped, capped.pages) == (10, True, 1)


def test_the_list_takes_a_fixed_number_of_queries(client, siti, django_assert_max_num_queries):
    for n in range(3):
        listed(siti, name=f"Produk {n}")
    with django_assert_max_num_queries(6) as few:
        client.get(KATALOG, {"q": "produk", "halal": "", "kota": "31.71"})
    for n in range(20):
        entrepreneur = EntrepreneurFactory(kelurahan_code=MENTENG_KELURAHAN)
        BusinessFactory(entrepreneur=entrepreneur)
        listed(entrepreneur, name=f"Produk lain {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(KATALOG, {"q": "produk", "halal": "", "kota": "31.71"})


def test_the_product_page_shows_what_a_buyer_needs_and_nothing_personal(client, siti):
    product = listed(siti, name="Keripik Tempe", pirt_number="2063171010123-26", halal_number="ID3111")
    services.photo_add(product=product, entrepreneur=siti, file=upload(image_bytes()))
    response = client.get(reverse("marketing:katalog_product", args=[product.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for shown in ("Keripik Tempe", "15.000", "Dapur Siti", siti.kecamatan.name, "2063171010123-26", "ID3111"):
        assert shown in page
    for secret in (siti.nik, siti.full_name, siti.address, siti.phone, siti.phone[1:], siti.email):
        assert secret not in page
    assert 'property="og:title" content="Keripik Tempe"' in page
    assert 'property="og:image" content="http://testserver/media/products/' in page
    assert "wa.me" not in page


def test_the_whatsapp_link_is_shown_only_when_the_entrepreneur_opted_in(client, siti):
    product = listed(siti, name="Kopi", show_whatsapp=True)
    page = client.get(reverse("marketing:katalog_product", args=[product.pk])).content.decode()
    assert f"https://wa.me/{siti.phone[1:]}" in page


def test_the_list_shows_nothing_personal_and_lazy_thumbnails_with_srcset(client, siti):
    product = listed(siti, name="Kopi")
    services.photo_add(product=product, entrepreneur=siti, file=upload(image_bytes()))
    page = client.get(KATALOG).content.decode()
    assert 'loading="lazy"' in page and "srcset=" in page
    for secret in (siti.nik, siti.full_name, siti.address, siti.phone):
        assert secret not in page


def test_a_product_not_in_the_catalogue_is_404(client, siti):
    for product in (
        ProductFactory(entrepreneur=siti),
        listed(siti, "C"),
        listed(siti, "A", withdrawn_at=timezone.now()),
    ):
        assert client.get(reverse("marketing:katalog_product", args=[product.pk])).status_code == 404
    assert client.get(reverse("marketing:katalog_product", args=[999999])).status_code == 404
