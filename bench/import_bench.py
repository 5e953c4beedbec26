"""Import a 10,000-row contact list and print how long each step takes.

    .venv/bin/python bench/import_bench.py [--rows 10000]

Uses DATABASE_URL (PostgreSQL) when set, else SQLite, on a throwaway test database.
"""

import argparse
import io
import random
import time

from _django import scratch_database


def _csv(rows: int, site_names: list[str]) -> bytes:
    rng = random.Random(1)
    lines = ["first_name,last_name,email,site,organisation,organisation_type,job_title"]
    for n in range(rows):
        site = rng.choice(site_names)
        lines.append(f"First{n},Last{n},person{n}@example.org,{site},{site} CCG,1,Director")
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with scratch_database() as vendor:
        from panels.importing import read_list
        from panels.models import Round, Site
        from panels.services import panel_import

        data = _csv(args.rows, list(Site.objects.values_list("short_name", flat=True)))
        round_ = Round.objects.create(name="bench", year=2026)
        started = time.perf_counter()
        list_file = read_list("bench.csv", io.BytesIO(data))
        parsed = time.perf_counter()
        report = panel_import(round=round_, list_file=list_file)
        imported = time.perf_counter()
        again = panel_import(round=round_, list_file=list_file)
        reimported = time.perf_counter()
        assert report.ok and report.members_added == args.rows and not again.changed
        print(f"database: {vendor}; rows: {args.rows}")
        print(f"read CSV:          {parsed - started:7.2f} s")
        print(f"first import:      {imported - parsed:7.2f} s")
        print(f"same file again:   {reimported - imported:7.2f} s (changes nothing)")


if __name__ == "__main__":
    main()
