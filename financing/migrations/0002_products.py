"""The financing products documented for P7 (reference data; the Dinas edits them in the admin).

Documented public facts:
- Bank DKI "Kredit Monas Pemula" for JakPreneur (OK OCE) members: up to Rp 10,000,000, 7 % per
  year, unsecured, tenor up to 18 months, for members who completed P1–P6.
- KUR Mikro (Kredit Usaha Rakyat, the government-subsidised micro-credit) through Bank DKI, for
  running productive businesses: above Rp 10,000,000 (up to Rp 10 million is KUR Super
  Mikro) and up to Rp 100,000,000, 6 % per year for a first KUR, no additional collateral
  required up to Rp 100 million, tenor up to 3 years for working capital and 5 years for
  investment (Permenko Perekonomian No. 1/2023).

Portal choices, not bank terms (the Dinas may change them): the lowest amount of Kredit Monas
Pemula (Rp 1,000,000), "completed P6" read as at least 3 months of business reports, and six
months of reports as the evidence that a KUR applicant's business has run for six months.
"""

from decimal import Decimal

from django.db import migrations

PRODUCTS = [
    {
        "name": "Kredit Monas Pemula",
        "provider": "Bank DKI",
        "min_amount": Decimal("1000000"),
        "max_amount": Decimal("10000000"),
        "interest_rate": Decimal("7.00"),
        "tenor_min_months": 1,
        "tenor_max_months": 18,
        "secured": False,
        "description": (
            "Kredit tanpa agunan dari Bank DKI untuk anggota JakPreneur yang telah menyelesaikan P1–P6: "
            "hingga Rp 10.000.000, bunga 7 % per tahun, tenor hingga 18 bulan."
        ),
        "required": ["P1", "P2", "P3", "P4", "P5", "P6"],
        "min_reported_months": 3,
        "requires_running_business": False,
        "source": "Bank DKI – JakPreneur (OK OCE) Kredit Monas Pemula",
    },
    {
        "name": "KUR Mikro",
        "provider": "Bank DKI",
        "min_amount": Decimal("10000001"),
        "max_amount": Decimal("100000000"),
        "interest_rate": Decimal("6.00"),
        "tenor_min_months": 1,
        "tenor_max_months": 60,
        "secured": False,
        "description": (
            "Kredit Usaha Rakyat Mikro melalui Bank DKI untuk usaha produktif yang sudah berjalan: di atas "
            "Rp 10 juta hingga Rp 100 juta, bunga 6 % per tahun untuk KUR pertama, tanpa agunan tambahan, "
            "tenor hingga 3 tahun (modal kerja) atau 5 tahun (investasi)."
        ),
        "required": [],
        "min_reported_months": 6,
        "requires_running_business": True,
        "source": "Permenko Perekonomian No. 1/2023 (KUR); Bank DKI",
    },
]


def load(apps, schema_editor):
    Product = apps.get_model("financing", "FinancingProduct")
    Facility = apps.get_model("facilities", "Facility")
    for spec in PRODUCTS:
        spec = dict(spec)
        required = spec.pop("required")
        product = Product.objects.create(**spec)
        product.required_facilities.set(Facility.objects.filter(code__in=required))


def unload(apps, schema_editor):
    apps.get_model("financing", "FinancingProduct").objects.filter(
        name__in=[spec["name"] for spec in PRODUCTS], provider="Bank DKI"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("financing", "0001_initial"), ("facilities", "0002_reference_data")]

    operations = [migrations.RunPython(load, unload)]
