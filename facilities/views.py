from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from facilities import selectors
from facilities.models import Kecamatan, Kota


@require_safe
def center_list(request: HttpRequest) -> HttpResponse:
    return render(request, "facilities/center_list.html", {"groups": selectors.centers_by_kota()})


def _options_response(parent_code: str, pattern, parent_model, options) -> JsonResponse:
    if not pattern.match(parent_code):
        return JsonResponse({"error": _("Unknown region code.")}, status=400)
    if not parent_model.objects.filter(pk=parent_code).exists():
        return JsonResponse({"error": _("Unknown region code.")}, status=404)
    return JsonResponse({"results": list(options(parent_code))})


@require_safe
@cache_control(max_age=3600, public=True)
def kecamatan_options(request: HttpRequest) -> JsonResponse:
    """Kecamatan of one kota (`?kota=31.71`) for the chained region selects."""
    return _options_response(request.GET.get("kota", ""), selectors.KOTA_CODE_RE, Kota, selectors.kecamatan_for_kota)


@require_safe
@cache_control(max_age=3600, public=True)
def kelurahan_options(request: HttpRequest) -> JsonResponse:
    """Kelurahan of one kecamatan (`?kecamatan=31.71.01`) for the chained region selects."""
    return _options_response(
        request.GET.get("kecamatan", ""), selectors.KECAMATAN_CODE_RE, Kecamatan, selectors.kelurahan_for_kecamatan
    )
