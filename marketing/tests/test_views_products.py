import pytest
from django.urls import reverse

from marketing.models import Product, ProductPhoto
from marketing.tests.factories import ProductFactory, image_bytes, upload

pytestmark = pytest.mark.django_db

ADD = reverse("marketing:product_add")
LIST = reverse("marketing:product_list")


def product_post(**overrides):
    data = {
        "name": "Keripik Tempe Pedas",
        "category": "kuliner",
        "description": "Renyah.\nTanpa pengawet.",
        "price": "Rp 15.000",
        "unit": "pack",
        "pirt_number": "2063171010123-26",
        "halal_number": "ID31110000123450224",
        "bpom_number": "",
        "trademark": "",
    }
    data.update(overrides)
    return data


def test_an_entrepreneur_adds_a_product_with_photos(client_of, siti):
    response = client_of(siti).post(
        ADD, {**product_post(), "photos": [upload(image_bytes()), upload(image_bytes(fmt="PNG"), name="b.png")]}
    )
    assert response.status_code == 302
    product = Product.objects.get(entrepreneur=siti)
    assert product.price == 15000
    assert product.description == "Renyah.\nTanpa pengawet."
    assert "dapur siti" in product.search_text
    photos = list(product.photos.order_by("order"))
    assert [p.order for p in photos] == [0, 1]
    assert all(p.image.storage.exists(p.image.name) and p.thumbnail.storage.exists(p.thumbnail.name) for p in photos)


@pytest.mark.parametrize(
    "typed, stored",
    [("1500000", 1500000), ("1.500.000", 1500000), ("Rp 1.500.000", 1500000), ("Rp1.500.000,00", 1500000)],
)
def test_prices_are_accepted_in_indonesian_formats(client_of, siti, typed, stored):
    assert client_of(siti).post(ADD, product_post(price=typed)).status_code == 302
    assert Product.objects.get(entrepreneur=siti).price == stored


@pytest.mark.parametrize("typed", ["", "abc", "0", "-5000", "1,5", "15.00.000", "Rp 10.000.000.000.000"])
def test_bad_prices_are_refused_and_nothing_is_saved(client_of, siti, typed):
    response = client_of(siti).post(ADD, product_post(price=typed))
    assert response.status_code == 200
    assert "price" in response.context["form"].errors
    assert not Product.objects.exists()


def test_control_and_invisible_characters_are_refused(client_of, siti):
    response = client_of(siti).post(ADD, product_post(name="Keripik\u202eSedap", unit="pa\x07ck"))
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert errors["name"][0].code == "hidden_characters"
    assert errors["unit"][0].code == "hidden_characters"
    assert not Product.objects.exists()


def test_formula_like_text_is_stored_as_typed(client_of, siti):
    client_of(siti).post(ADD, product_post(name='=HYPERLINK("http://evil.example","x")'))
    assert Product.objects.get().name == '=HYPERLINK("http://evil.example","x")'


def test_a_fake_image_is_refused_and_the_product_is_not_saved(client_of, siti):
    response = client_of(siti).post(ADD, {**product_post(), "photos": [upload(b"not an image at all" * 100)]})
    assert response.status_code == 200
    assert "photos" in response.context["form"].errors
    assert not Product.objects.exists()
    assert not ProductPhoto.objects.exists()


def test_more_than_five_photos_are_refused(client_of, siti):
    product = ProductFactory(entrepreneur=siti)
    url = reverse("marketing:product_edit", args=[product.pk])
    data = {**product_post(), "photos": [upload(image_bytes(), name=f"{n}.jpg") for n in range(6)]}
    response = client_of(siti).post(url, data)
    assert response.status_code == 200
    assert "photos" in response.context["form"].errors
    assert not ProductPhoto.objects.exists()


def test_the_list_shows_only_my_products_in_a_fixed_number_of_queries(
    client_of, siti, budi, django_assert_max_num_queries
):
    mine = ProductFactory.create_batch(5, entrepreneur=siti)
    ProductFactory(entrepreneur=budi, name="Batik Budi")
    client = client_of(siti)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.status_code == 200
    assert all(p.name in response.content.decode() for p in mine)
    assert "Batik Budi" not in response.content.decode()


def test_someone_elses_product_is_404_for_edit_withdraw_and_photo_delete(client_of, siti, budi):
    other = ProductFactory(entrepreneur=budi)
    client = client_of(siti)
    assert client.get(reverse("marketing:product_edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("marketing:product_edit", args=[other.pk]), product_post()).status_code == 404
    assert client.post(reverse("marketing:product_withdraw", args=[other.pk])).status_code == 404
    photo_url = reverse("marketing:photo_delete", args=[other.pk, 1])
    assert client.post(photo_url).status_code == 404
    other.refresh_from_db()
    assert other.withdrawn_at is None and other.name != "Keripik Tempe Pedas"


def test_edit_changes_the_product(client_of, siti):
    product = ProductFactory(entrepreneur=siti)
    url = reverse("marketing:product_edit", args=[product.pk])
    client = client_of(siti)
    assert client.get(url).context["form"].initial["price"] == "15.000"
    assert client.post(url, product_post(name="Keripik Bayam", price="20.000")).status_code == 302
    product.refresh_from_db()
    assert (product.name, product.price) == ("Keripik Bayam", 20000)
    assert "keripik bayam" in product.search_text


def test_withdraw_takes_the_product_off_and_it_cannot_be_edited(client_of, siti):
    product = ProductFactory(entrepreneur=siti, catalogue_grade="A")
    client = client_of(siti)
    assert client.post(reverse("marketing:product_withdraw", args=[product.pk])).status_code == 302
    product.refresh_from_db()
    assert product.withdrawn_at is not None and not product.in_catalogue
    assert client.get(reverse("marketing:product_edit", args=[product.pk])).status_code == 404


def test_a_photo_is_deleted_with_its_files(client_of, siti, django_capture_on_commit_callbacks):
    from marketing import services

    product = ProductFactory(entrepreneur=siti)
    photo = services.photo_add(product=product, entrepreneur=siti, file=upload(image_bytes()))
    storage, names = photo.image.storage, [photo.image.name, photo.thumbnail.name]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(siti).post(reverse("marketing:photo_delete", args=[product.pk, photo.pk]))
    assert response.status_code == 302
    assert not ProductPhoto.objects.exists()
    assert not any(storage.exists(name) for name in names)


def test_pages_need_an_entrepreneur_account(client, dina):
    assert client.get(LIST).status_code == 302
    client.force_login(dina)
    assert client.get(LIST)["Location"] == reverse("registrations:me")
