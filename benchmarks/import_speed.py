#!/usr/bin/env python
"""Legacy import speed against PostgreSQL COPY of the same rows (budget: ≥ 25 % of COPY).

    DATABASE_URL=postgres://… python benchmarks/import_speed.py --entrepreneurs 100000

Writes a legacy CSV of N valid rows, then (1) COPYs the same people straight into the
entrepreneur table (no validation, no history, no enrolments), and (2) empties the tables and
runs the real import (validation, batches, history rows, P1 and listed facilities, status
log). Then re-runs the import on the now-loaded data (the idempotent path).
"""

import argparse
import csv
import io
import random
import tempfile
import time
from pathlib import Path

import _admin_data


def write_legacy_file(path: Path, n: int, seed: int) -> list[tuple]:
    from registrations.imports import COLUMNS

    rng = random.Random(seed)
    places = _admin_data.regions()
    people = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in range(n):
            nik, name, birth, gender, phone, kel, kec, center_id, reg = _admin_data.person(i, rng, places)
            people.append((nik, name, birth, gender, phone, kel, kec, center_id, reg))
            business = i % 2 == 0
            writer.writerow(
                [
                    f"OKOCE-{i:07d}",
                    nik,
                    name,
                    birth.isoformat(),
                    gender,
                    "0" + phone[3:],
                    "",
                    kel,
                    f"Jl. Contoh No. {i % 200}",
                    "naik_kelas" if business else "pemula",
                    f"Usaha {name}" if business else "",
                    "kuliner" if business else "",
                    "",
                    "2" if business else "",
                    "lt5jt" if business else "",
                    "",
                    "P1;P2" if i % 3 == 0 else "P1",
                    reg.date().isoformat(),
                ]
            )
    return people


def copy_same_rows(people) -> float:
    from django.db import connection, transaction

    buffer = io.StringIO()
    for i, (nik, name, birth, gender, phone, kel, kec, center_id, reg) in enumerate(people):
        ts = reg.isoformat()
        buffer.write(
            f'{nik},{name},{birth},{gender},{phone},"","Jl. Contoh No. {i % 200}",pemula,verified,{ts},"",import,'
            f"OKOCE-{i:07d},{ts},{ts},{kel},{kec},{center_id}\n"
        )
    columns = (
        "nik,full_name,birth_date,gender,phone,email,address,track,status,status_changed_at,status_reason,source,"
        "legacy_id,registered_at,updated_at,kelurahan_id,kecamatan_id,home_center_id"
    )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        buffer.seek(0)
        cursor.cursor.copy_expert(f"COPY registrations_entrepreneur ({columns}) FROM STDIN WITH (FORMAT csv)", buffer)
    return time.perf_counter() - started


def run_import(path: Path, batch_size: int):
    from registrations.imports import import_entrepreneurs

    started = time.perf_counter()
    with path.open("rb") as handle:
        result = import_entrepreneurs(file=handle, filename=path.name, batch_size=batch_size)
    return time.perf_counter() - started, result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entrepreneurs", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    _admin_data.setup_django()
    n = args.entrepreneurs
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "legacy.csv"
        people = write_legacy_file(path, n, args.seed)
        print(f"legacy file: {n:,} rows, {path.stat().st_size / 1e6:.1f} MB")

        _admin_data.truncate()
        copy_seconds = copy_same_rows(people)
        _admin_data.truncate()
        import_seconds, result = run_import(path, args.batch_size)
        assert result.created == n and not result.errors, (result.created, result.errors[:3])
        rerun_seconds, rerun = run_import(path, args.batch_size)
        assert rerun.unchanged == n, rerun

    copy_rate, import_rate, rerun_rate = n / copy_seconds, n / import_seconds, n / rerun_seconds
    print(f"PostgreSQL COPY (entrepreneur rows only): {copy_seconds:7.1f}s  {copy_rate:10,.0f} rows/s")
    print(f"import_entrepreneurs (validated, history): {import_seconds:7.1f}s  {import_rate:10,.0f} rows/s")
    print(f"re-run of the same file (no changes):      {rerun_seconds:7.1f}s  {rerun_rate:10,.0f} rows/s")
    print(f"ratio import / COPY: {import_rate / copy_rate:.1%}  (budget ≥ 25 %)")


if __name__ == "__main__":
    main()
