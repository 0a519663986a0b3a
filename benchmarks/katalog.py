#!/usr/bin/env python
"""The public e-katalog at two sizes (budget: list, search and filters flat from 1,000 to
100,000 curated products, ≤ 1.3 ×).

    DATABASE_URL=postgres://…/bench python benchmarks/katalog.py --sizes 1000 100000

Loads synthetic entrepreneurs (benchmarks/_admin_data.py), then for each size fills
marketing_product with one INSERT … SELECT generate_series (80 % curated A/B, the rest C or
not curated, as the catalogue would be), VACUUM ANALYZE, and times each page through Django's
test client (the whole view: queries, template): median of --repeat runs after 3 warm-ups.
"""

import argparse
import statistics
import time

import _admin_data

PAGES = {
    "list (newest)": "/katalog/",
    "search 2 words": "/katalog/?q=pedas+keripik",
    "search rare word": "/katalog/?q=rendang",
    "filters cat+kota+halal": "/katalog/?category=kuliner&kota=31.71&halal=1",
    "sort price, page 3": "/katalog/?sort=price_asc&page=3",
    "product page": None,
}

WORDS = ["Keripik Tempe Pedas", "Sambal Roa", "Kue Lapis", "Kopi Robusta", "Rendang", "Batik Tulis", "Tas Anyaman"]
CATEGORIES = ["kuliner", "fesyen", "kriya", "kecantikan", "agribisnis", "kreatif"]


def fill(size: int, entrepreneurs: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE marketing_product RESTART IDENTITY CASCADE")
        cursor.execute(
            """
            INSERT INTO marketing_product (entrepreneur_id, name, category, description, price, unit, pirt_number,
                halal_number, bpom_number, trademark, show_whatsapp, catalogue_grade, catalogue_since,
                search_text, created_at, updated_at)
            SELECT 1 + (g * 7919) %% %(e)s,
                   (%(words)s::text[])[1 + g %% 7] || ' ' || g,
                   (%(cats)s::text[])[1 + g %% 6],
                   'Produk UMKM binaan JakPreneur', 1000 * (5 + g %% 200), 'pcs', '',
                   CASE WHEN g %% 3 = 0 THEN 'ID31' || g ELSE '' END, '', '', g %% 2 = 0,
                   CASE WHEN g %% 10 < 8 THEN (ARRAY['A', 'B'])[1 + g %% 2] WHEN g %% 10 = 8 THEN 'C' ELSE '' END,
                   CASE WHEN g %% 10 < 9 THEN now() - (g || ' minutes')::interval END,
                   lower((%(words)s::text[])[1 + g %% 7] || ' ' || g || ' produk umkm binaan jakpreneur '
                         || (%(cats)s::text[])[1 + g %% 6]),
                   now(), now()
            FROM generate_series(1, %(n)s) AS g
            """,
            {"e": entrepreneurs, "n": size, "words": WORDS, "cats": CATEGORIES},
        )
        cursor.execute("VACUUM (ANALYZE) marketing_product")


def measure(client, path: str, repeat: int) -> tuple[float, int]:
    from django.db import connection, reset_queries

    for _ in range(3):
        assert client.get(path).status_code == 200, path
    timings = []
    for _ in range(repeat):
        reset_queries()
        started = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    return statistics.median(timings) * 1000, len(connection.queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--entrepreneurs", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    _admin_data.setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from marketing.models import Product

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = True  # connection.queries: the query count beside each time
    _admin_data.load(args.entrepreneurs)
    client = Client()
    results: dict[str, list] = {name: [] for name in PAGES}
    for size in args.sizes:
        started = time.monotonic()
        fill(size, args.entrepreneurs)
        listed = Product.objects.in_catalogue().count()
        print(f"\n{size:,} products ({listed:,} in the catalogue), filled in {time.monotonic() - started:.1f} s")
        product = Product.objects.in_catalogue().order_by("-id").first()
        for name, path in PAGES.items():
            ms, queries = measure(client, path or f"/katalog/{product.pk}/", args.repeat)
            results[name].append(ms)
            print(f"  {name:24s} {ms:7.1f} ms  {queries} queries")
    connection.close()
    if len(args.sizes) > 1:
        print(f"\nratio {args.sizes[-1]:,} / {args.sizes[0]:,} products:")
        for name, values in results.items():
            print(f"  {name:24s} {values[-1] / values[0]:5.2f} ×")


if __name__ == "__main__":
    main()
