#!/usr/bin/env python
"""The admin's name search as SQL, in its candidate shapes, at two table sizes: EXPLAIN
(ANALYZE, BUFFERS) of each, the sizes interleaved query by query, median execution time and
what the plan visited (index entries, heap blocks, rows). Read-only.

    python benchmarks/name_search_plans.py --repeat 9 \\
        --databases postgres://root@127.0.0.1:5432/jp_bench_10k postgres://root@127.0.0.1:5432/jp_bench_1m

Shapes (CAP = 200; the entrepreneur list's search, registrations/admin/search.py):
- count+page: main before the cap: a count capped at 10,001 and the first page of 50 in the
  list's order, each with the trigram condition (two queries, times added);
- ordered: the ids of the first CAP + 1 matches in the list's order (newest first);
- unordered: the ids of any CAP + 1 matches, as the bitmap scan finds them;
- word starts: the first step of the chosen search: names with the text at the start of their
  1st, 2nd or 3rd word, B-tree ranges per kecamatan that stop at CAP + 1 (migration 0009);
- page by ids: the page's 50 rows read by primary key among CAP ids (the second query of
  both capped shapes).
"""

import argparse
import json
import statistics

import psycopg2

LIKE = "UPPER(full_name::text) LIKE UPPER(%(pattern)s)"
ORDER = "ORDER BY registered_at DESC, id DESC"
CAP = 200
PROBE = (
    "(SELECT w.id, w.hit, w.n > 5000 FROM (SELECT c.id, UPPER(c.full_name::text) LIKE UPPER(%(pattern)s) AS hit, "
    "ROW_NUMBER() OVER () AS n FROM ({source} LIMIT 5001) AS c (id, full_name)) AS w "
    f"WHERE w.hit OR w.n > 5000 LIMIT {CAP + 2})"
)

SHAPES = {
    "count+page": [
        f"SELECT COUNT(*) FROM (SELECT id FROM registrations_entrepreneur WHERE {LIKE} LIMIT 10001) c",
        f"SELECT * FROM registrations_entrepreneur WHERE {LIKE} {ORDER} LIMIT 50",
    ],
    "ordered": [f"SELECT id FROM registrations_entrepreneur WHERE {LIKE} {ORDER} LIMIT {CAP + 1}"],
    "unordered": [f"SELECT id FROM registrations_entrepreneur WHERE {LIKE} LIMIT {CAP + 1}"],
    # As unordered, with the trigram index's bitmap as the only way (the chosen shape).
    "unordered, index only": [
        "SET enable_seqscan = off",
        "SET enable_indexscan = off",
        f"SELECT id FROM registrations_entrepreneur WHERE {LIKE} LIMIT {CAP + 1}",
        "RESET enable_seqscan",
        "RESET enable_indexscan",
    ],
    # The chosen first step (registrations/admin/search.py: word_start_query): names from the
    # start of their 1st/2nd/3rd word, per kecamatan (all 44 for the Dinas), index scans only.
    "word starts": [
        "SET enable_seqscan = off",
        "SET enable_bitmapscan = off",
        " UNION ".join(
            f"(SELECT id FROM registrations_entrepreneur WHERE {LIKE} AND kecamatan_id = ANY(%(kecamatan)s) "
            f"AND UPPER({expression}::text) LIKE UPPER(%(prefix)s) LIMIT {CAP + 1})"
            for expression in (
                "full_name",
                r"REGEXP_REPLACE(full_name, '^\S+ ', '')",
                r"REGEXP_REPLACE(full_name, '^\S+ \S+ ', '')",
            )
        ),
        "RESET enable_seqscan",
        "RESET enable_bitmapscan",
    ],
    # Since the bounded probes (search.bounded_probe, PROBE_ROWS = 5000): one word, any 5,000
    # rows of the list, stopping at CAP + 1 matches.
    "probe, one word": [
        "SET enable_seqscan = off",
        "SET enable_bitmapscan = off",
        "SET jit = off",
        PROBE.format(source="SELECT id, full_name FROM registrations_entrepreneur"),
        "RESET enable_seqscan",
        "RESET enable_bitmapscan",
        "RESET jit",
    ],
    # Several words: the names with the text after the first space at the start of their 2nd
    # or 3rd word (word-start indexes, 5,000 rows each at most), then the names of four words
    # or more (the partial trigram index of migration 0011).
    "tail probe + 4 words": [
        "SET enable_seqscan = off",
        "SET enable_bitmapscan = off",
        "SET jit = off",
        " UNION ALL ".join(
            PROBE.format(
                source="SELECT id, full_name FROM registrations_entrepreneur WHERE kecamatan_id = ANY(%(kecamatan)s) "
                f"AND UPPER({expression}::text) LIKE UPPER(%(tail)s)"
            )
            for expression in (r"REGEXP_REPLACE(full_name, '^\S+ ', '')", r"REGEXP_REPLACE(full_name, '^\S+ \S+ ', '')")
        ),
        "SET enable_bitmapscan = on",
        "SET enable_indexscan = off",
        f"SELECT id FROM registrations_entrepreneur WHERE {LIKE} AND full_name::text ~ '^\\S+ \\S+ \\S+ \\S' "
        f"LIMIT {CAP + 1}",
        "RESET enable_seqscan",
        "RESET enable_bitmapscan",
        "RESET enable_indexscan",
        "RESET jit",
    ],
    "page by ids": [f"SELECT * FROM registrations_entrepreneur WHERE id = ANY(%(ids)s) {ORDER} LIMIT 50"],
}


def walk(node, totals):
    kind = node["Node Type"]
    if kind in ("Bitmap Index Scan", "Index Scan", "Index Only Scan"):
        totals["index rows"] += node["Actual Rows"]
    if kind == "Bitmap Heap Scan":
        totals["heap blocks"] += node.get("Exact Heap Blocks", 0) + node.get("Lossy Heap Blocks", 0)
    for child in node.get("Plans", []):
        walk(child, totals)


def explain(cursor, sql, params):
    if sql.startswith(("SET", "RESET")):
        cursor.execute(sql)
        return 0.0, None
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
    (plan,) = cursor.fetchone()[0]
    totals = {"index rows": 0, "heap blocks": 0}
    walk(plan["Plan"], totals)
    totals["rows"] = plan["Plan"]["Actual Rows"]
    totals["buffers"] = plan["Plan"].get("Shared Hit Blocks", 0) + plan["Plan"].get("Shared Read Blocks", 0)
    return plan["Execution Time"], totals


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", nargs="+", required=True)
    parser.add_argument(
        "--terms",
        nargs="+",
        default=["Lestari Hutapea", "Siti Lestari Hutapea", "Zainal Yanti Manurung", "estari", "Siti"],
    )
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES))
    args = parser.parse_args()
    connections = [psycopg2.connect(url) for url in args.databases]
    for connection in connections:
        connection.set_session(readonly=True, autocommit=True)
    with open("/proc/loadavg") as f:
        print("load average at start:", " ".join(f.read().split()[:3]))
    kecamatan = []
    for connection in connections:
        with connection.cursor() as cursor:
            cursor.execute("SELECT code FROM facilities_kecamatan ORDER BY code")
            kecamatan.append([row[0] for row in cursor.fetchall()])
    for term in args.terms:
        params = {"pattern": f"%{term}%", "prefix": f"{term}%", "tail": term.partition(" ")[2] + "%"}
        ids = []
        for connection in connections:
            with connection.cursor() as cursor:
                cursor.execute(SHAPES["ordered"][0].replace(f"LIMIT {CAP + 1}", f"LIMIT {CAP}"), params)
                ids.append([row[0] for row in cursor.fetchall()])
        print(f"\n{term!r}")
        for shape in args.shapes:
            times = [[] for _ in connections]
            seen = [None for _ in connections]
            for _ in range(args.repeat + 2):  # the first two warm the caches
                for i, connection in enumerate(connections):
                    with connection.cursor() as cursor:
                        total, visited = 0.0, None
                        for sql in SHAPES[shape]:
                            ms, totals = explain(cursor, sql, {**params, "ids": ids[i], "kecamatan": kecamatan[i]})
                            total += ms
                            visited = visited or totals
                        times[i].append(total)
                        seen[i] = visited
            cells = []
            for i in range(len(connections)):
                median = statistics.median(times[i][2:])
                cells.append(f"{median:8.2f} ms {json.dumps(seen[i])}")
            ratio = statistics.median(times[-1][2:]) / max(statistics.median(times[0][2:]), 0.001)
            print(f"  {shape:12} " + " | ".join(cells) + f"  ratio {ratio:.1f}×")
    with open("/proc/loadavg") as f:
        print("\nload average at end:", " ".join(f.read().split()[:3]))


if __name__ == "__main__":
    main()
