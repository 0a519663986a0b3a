"""Reads of the catalogue used by more than one view."""

import re

from facilities.models import Center, Kecamatan, Kelurahan, Kota

KOTA_CODE_RE = re.compile(r"^31\.[0-9]{2}$")
KECAMATAN_CODE_RE = re.compile(r"^31\.[0-9]{2}\.[0-9]{2}$")


def centers_by_kota() -> list[tuple[Kota, list[Center]]]:
    """All centres grouped by kota, in Kemendagri order (two queries)."""
    groups: dict[str, list[Center]] = {}
    centers = Center.objects.select_related("kecamatan").order_by("kecamatan_id")
    for center in centers:
        groups.setdefault(center.kecamatan.kota_id, []).append(center)
    return [(kota, groups.get(kota.code, [])) for kota in Kota.objects.order_by("code")]


def kecamatan_for_kota(kota_code: str):
    return Kecamatan.objects.filter(kota_id=kota_code).order_by("name").values("code", "name")


def kelurahan_for_kecamatan(kecamatan_code: str):
    return Kelurahan.objects.filter(kecamatan_id=kecamatan_code).order_by("name").values("code", "name")
