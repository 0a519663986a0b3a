"""The entrepreneur's product pages (/me/products/), submitting to curation rounds and the
certificate download, and the public pages: the e-katalog and the certificate check.

Thin views: a form validates, one service or selector does the work. Ids in /me/ URLs are
looked up within the signed-in entrepreneur's own records, so other people's ids are 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from facilities.models import Kota
from marketing import selectors, services
from marketing.certificates import certificate_pdf, verification_url
from marketing.forms import ProductForm, SubmitForm
from marketing.models import PHOTOS_MAX, CurationRound, ProductPhoto
from registrations.models import Business, Entrepreneur
from registrations.views import entrepreneur_view


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@entrepreneur_view(methods=["GET"])
def product_list(request: HttpRequest, entrepreneur: Entrepreneur) -> HttpResponse:
    products = selectors.me_products(entrepreneur=entrepreneur)
    return render(request, "marketing/product_list.html", {"products": products, "photos_max": PHOTOS_MAX})


def _save_photos(form, product, entrepreneur) -> bool:
    """Store each uploaded photo; a refused one is shown on the form (and nothing of it kept)."""
    for upload in form.cleaned_data.get("photos") or []:
        try:
            services.photo_add(product=product, entrepreneur=entrepreneur, file=upload)
        except ValidationError as error:
            form.add_error("photos", f"{upload.name[:80]}: {' '.join(error.messages)}")
    return not form.errors


@entrepreneur_view(methods=["GET", "POST"])
def product_add(request: HttpRequest, entrepreneur: Entrepreneur) -> HttpResponse:
    form = ProductForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                product = services.product_create(entrepreneur=entrepreneur, data=form.product_data())
                if not _save_photos(form, product, entrepreneur):
                    raise ValidationError(_("The product was not saved: check the photos."))
        except ValidationError as error:
            if not form.errors:
                _add_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” has been added.") % {"name": product.name})
            return redirect("marketing:product_list")
    return render(request, "marketing/product_form.html", {"form": form, "product": None})


@entrepreneur_view(methods=["GET", "POST"])
def product_edit(request: HttpRequest, entrepreneur: Entrepreneur, product_id: int) -> HttpResponse:
    product = get_object_or_404(selectors.me_product_queryset(entrepreneur=entrepreneur).active(), pk=product_id)
    photos = list(product.photos.order_by("order", "id"))
    form = ProductForm(
        request.POST or None,
        request.FILES or None,
        initial=ProductForm.initial_for(product),
        existing_photos=len(photos),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.product_update(product=product, entrepreneur=entrepreneur, data=form.product_data())
                if not _save_photos(form, product, entrepreneur):
                    raise ValidationError(_("The product was not saved: check the photos."))
        except ValidationError as error:
            if not form.errors:
                _add_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” has been saved.") % {"name": product.name})
            return redirect("marketing:product_list")
    return render(request, "marketing/product_form.html", {"form": form, "product": product, "photos": photos})


@entrepreneur_view(methods=["POST"])
def product_withdraw(request: HttpRequest, entrepreneur: Entrepreneur, product_id: int) -> HttpResponse:
    product = get_object_or_404(selectors.me_product_queryset(entrepreneur=entrepreneur), pk=product_id)
    services.product_withdraw(product=product, entrepreneur=entrepreneur)
    messages.success(
        request, _("“%(name)s” was withdrawn from the e-katalog and open rounds.") % {"name": product.name}
    )
    return redirect("marketing:product_list")


@entrepreneur_view(methods=["POST"])
def photo_delete(request: HttpRequest, entrepreneur: Entrepreneur, product_id: int, photo_id: int) -> HttpResponse:
    photo = get_object_or_404(
        ProductPhoto.objects.select_related("product"),
        pk=photo_id,
        product_id=product_id,
        product__entrepreneur=entrepreneur,
    )
    services.photo_delete(photo=photo, entrepreneur=entrepreneur)
    messages.success(request, _("The photo was deleted."))
    return redirect("marketing:product_edit", product_id=product_id)


@entrepreneur_view(methods=["POST"])
def round_submit(request: HttpRequest, entrepreneur: Entrepreneur, round_id: int) -> HttpResponse:
    curation_round = get_object_or_404(CurationRound.objects.exclude(status=CurationRound.Status.DRAFT), pk=round_id)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        raise Http404
    product = get_object_or_404(
        selectors.me_product_queryset(entrepreneur=entrepreneur), pk=form.cleaned_data["product"]
    )
    try:
        services.submission_create(round=curation_round, product=product, entrepreneur=entrepreneur)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("“%(product)s” was submitted to “%(round)s”. Your mentor will verify it.")
            % {"product": product.name, "round": curation_round.title},
        )
    return redirect(reverse("marketing:me_curation") + f"#round-{curation_round.pk}")


@entrepreneur_view(methods=["GET"])
def me_curation(request: HttpRequest, entrepreneur: Entrepreneur) -> HttpResponse:
    """The open curation rounds, what may still be submitted to each, and my submissions."""
    return render(request, "marketing/me_curation.html", selectors.me_curation(entrepreneur=entrepreneur))


@entrepreneur_view(methods=["GET"])
def certificate_download(request: HttpRequest, entrepreneur: Entrepreneur, certificate_id: int) -> HttpResponse:
    certificate = selectors.me_certificate(entrepreneur=entrepreneur, pk=certificate_id)
    if certificate is None:
        raise Http404
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-kurasi-{certificate.code}.pdf"'
    return response


# --- public ------------------------------------------------------------------------------------


@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Confirms name, product, grade and date of a certificate, and nothing more. An unknown
    code is a plain 404 page that says so (no hint of near matches)."""
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        return render(request, "marketing/verify_not_found.html", status=404)
    return render(
        request,
        "marketing/verify.html",
        {"certificate": certificate, "submission": certificate.submission, "url": verification_url(certificate)},
    )


def _filters(request: HttpRequest) -> selectors.CatalogueFilters:
    params = request.GET
    category = params.get("category", "")
    kota = params.get("kota", "")
    sort = params.get("sort", "newest")
    try:
        page = int(params.get("page", "1"))
    except ValueError:
        page = 1
    return selectors.CatalogueFilters(
        q=" ".join(params.get("q", "").split())[:200],
        category=category if category in Business.Sector.values else "",
        kota=kota if len(kota) <= 8 and Kota.objects.filter(pk=kota).exists() else "",
        halal=params.get("halal") == "1",
        sort=sort if sort in selectors.SORTS else "newest",
        page=max(min(page, 10_000), 1),
    )


@require_safe
def katalog(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    page = selectors.catalogue_page(filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "marketing/katalog.html",
        {
            "filters": filters,
            "page": page,
            "categories": Business.Sector.choices,
            "kota_list": Kota.objects.order_by("code"),
            "query": query.urlencode(),
        },
    )


@require_safe
def katalog_product(request: HttpRequest, product_id: int) -> HttpResponse:
    product = selectors.catalogue_product(product_id)
    if product is None:
        raise Http404
    business = getattr(product.entrepreneur, "business", None) if hasattr(product.entrepreneur, "business") else None
    whatsapp = ""
    if product.show_whatsapp and product.entrepreneur.phone.startswith("+"):
        whatsapp = "https://wa.me/" + product.entrepreneur.phone[1:]
    photos = list(product.photos.all())
    return render(
        request,
        "marketing/katalog_product.html",
        {
            "product": product,
            "business_name": business.name if business else "",
            "kecamatan": product.entrepreneur.kecamatan,
            "whatsapp": whatsapp,
            "photos": photos,
            "og_image": request.build_absolute_uri(photos[0].image.url) if photos else "",
        },
    )
