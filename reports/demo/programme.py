"""The real programme's shape that the demo people follow: registrations since 14 Dec 2017 along
the reported curve, the P1–P7 funnel of October 2021, sectors, names and bands."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

DEMO_PREFIX = "demo-"


JAKARTA = timezone.get_fixed_timezone(7 * 60)


START = dt.date(2017, 12, 14)


# Cumulative registrations of the real programme (RPJMD reports and Dinas figures): 200,000
# reached in mid-December 2020, 284,164 in October 2021, about 326,000 by 11 September 2022.
# The generated dates follow this curve, scaled to the number of entrepreneurs requested.
GROWTH = [
    (START, 0),
    (dt.date(2018, 6, 30), 45_000),
    (dt.date(2018, 12, 31), 85_000),
    (dt.date(2019, 6, 30), 115_000),
    (dt.date(2019, 12, 31), 145_000),
    (dt.date(2020, 6, 30), 170_000),
    (dt.date(2020, 12, 15), 200_000),
    (dt.date(2021, 10, 31), 284_164),
    (dt.date(2022, 9, 11), 326_000),
    (dt.date(2023, 12, 31), 375_000),
    (dt.date(2024, 12, 31), 412_000),
    (dt.date(2025, 12, 31), 445_000),
]


GROWTH_PER_YEAR_AFTER = 33_000


# Share of registrants who reached each facility, October 2021 (P1 284,164 = 100 %).
FUNNEL = {
    "P1": 1.0,
    "P2": 176_891 / 284_164,
    "P3": 157_498 / 284_164,
    "P4": 148_374 / 284_164,
    "P5": 44_456 / 284_164,
    "P6": 32_883 / 284_164,
    "P7": 6_159 / 284_164,
}


SECTORS = [
    ("kuliner", 45),
    ("fesyen", 12),
    ("perdagangan", 12),
    ("jasa", 10),
    ("kriya", 8),
    ("kreatif", 4),
    ("kecantikan", 4),
    ("agribisnis", 3),
    ("lainnya", 2),
]


FIRST_NAMES = {
    "L": [
        "Agus",
        "Ahmad",
        "Andi",
        "Bambang",
        "Budi",
        "Dedi",
        "Eko",
        "Fajar",
        "Hendra",
        "Irfan",
        "Joko",
        "Rudi",
        "Slamet",
        "Teguh",
        "Wahyu",
        "Yusuf",
    ],
    "P": [
        "Ani",
        "Ayu",
        "Dewi",
        "Fitri",
        "Indah",
        "Lestari",
        "Maya",
        "Nur",
        "Putri",
        "Ratna",
        "Rina",
        "Sari",
        "Siti",
        "Sri",
        "Wati",
        "Yuni",
    ],
}


LAST_NAMES = [
    "Hidayat",
    "Kurniawan",
    "Lubis",
    "Nasution",
    "Pratama",
    "Rahman",
    "Saputra",
    "Setiawan",
    "Siregar",
    "Susanto",
    "Wijaya",
    "Yulianti",
]


STREETS = ["Mawar", "Melati", "Kenanga", "Cempaka", "Anggrek", "Flamboyan", "Dahlia", "Kamboja", "Merpati", "Rajawali"]


BUSINESS_WORDS = [
    "Berkah",
    "Barokah",
    "Sejahtera",
    "Makmur",
    "Jaya",
    "Lestari",
    "Mandiri",
    "Sentosa",
    "Rizki",
    "Amanah",
]


TURNOVER = ["none", "lt5jt", "5-25jt", "25-100jt", "100-250jt"]


ASSETS = ["lt50jt", "50-500jt", "500jt-10m"]


PERMITS = ["nib", "pirt", "halal", "bpom", "merek"]


def growth_curve(today: dt.date) -> list[tuple[float, float]]:
    """(cumulative count, ordinal day) points, ending today."""
    points = [(float(count), float(day.toordinal())) for day, count in GROWTH if day < today]
    last_day, last_count = GROWTH[-1]
    if today > last_day:
        points.append((last_count + GROWTH_PER_YEAR_AFTER * (today - last_day).days / 365, float(today.toordinal())))
    return points
