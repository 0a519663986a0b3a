"""Every amount in rupiah is read by one reader (registrations.rules.rupiah_text/rupiah_number):
a monthly report's turnover (growth), a product's price (marketing) and a financing amount
(financing) accept the same written forms and refuse the same malformed ones; each keeps its
own bounds and messages."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from financing.rules import parse_rupiah
from growth.rules import parse_amount
from marketing.rules import clean_price

READERS = [parse_amount, clean_price, parse_rupiah]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(
    "text",
    [
        "1.500.000",
        "Rp 1.500.000",
        "Rp1.500.000",
        "rp. 1.500.000,00",
        "Rp 1.500.000,-",
        "1500000",
        "1500000,-",
        "1,500,000",
        "1,500,000.00",
        "1 500 000",
    ],
)
def test_every_reader_takes_the_same_written_forms(reader, text):
    assert Decimal(reader(text)) == Decimal(1_500_000)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(
    "text", ["1.5", "1.500.00", "1,5 juta", "satu juta", "=1500000", "1.500.000,-,-", "1,500.000", "Rp", ""]
)
def test_every_reader_refuses_the_same_malformed_text(reader, text):
    with pytest.raises(ValidationError):
        reader(text)
