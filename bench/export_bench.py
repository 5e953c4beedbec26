"""Export a round of responses to a 200-item questionnaire and set each file beside its
baseline, on PostgreSQL.

    DATABASE_URL=postgres://... .venv/bin/python bench/export_bench.py [--responses 10000,100000]

For each size: the wide CSV export beside `COPY ... TO STDOUT (FORMAT csv)` of the same
answers in their stored layout (one JSON document per response), and the .sav export beside
pyreadstat writing the same data frame alone. The round's key-informant ids are given
before the first export is timed (a round's first export gives them, once). Each export
runs in a child process of its own, so the peak memory printed (the child's maximum
resident set) is that export's alone.
Targets: CSV within 3x of COPY, .sav within 1.5x of pyreadstat, and CSV peak memory that
does not grow with the number of responses.
"""

import argparse
import json
import os
import random
import resource
import tempfile
import time
import traceback
from pathlib import Path

from _django import scratch_database

TEMPLATES = 500  # distinct simulated responses, repeated to fill the round
MEMBER = {
    "site": "Barnsley", "site_short": "Barnsley", "cohort": 1, "cohort_year": 2013,
    "organisation": "Barnsley CCG", "first_name": "A", "last_name": "B",
}  # fmt: skip


def make_round():
    """Return a round on a published 200-item synthetic version, with one panel."""
    from panels.models import Panel, Round, Site
    from surveys.engine.simulate import synthetic_definition
    from surveys.services import round_use_version, version_publish, version_store

    version, _ = version_store(data=synthetic_definition(n_items=200))
    version = version_publish(version=version)
    round_ = Round.objects.create(name="bench", year=2026, status="open")
    round_ = round_use_version(round=round_, version=version)
    Panel.objects.create(round=round_, site=Site.objects.get(name="Barnsley"))
    return round_


def store_templates(round_) -> None:
    """Simulate TEMPLATES respondents through the engine (routing, validation) once."""
    from django.db import connection

    from surveys.definitions import definition_of
    from surveys.engine.routing import prune
    from surveys.engine.simulate import simulate_response

    defn = definition_of(round_.version)
    rng = random.Random(1)
    rows = []
    for n in range(TEMPLATES):
        answers, _, _ = simulate_response(defn, MEMBER, rng)
        kept, not_asked = prune(defn, answers, MEMBER)
        rows.append((n, json.dumps(kept), json.dumps(sorted(not_asked))))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_template (n int, answers jsonb, not_asked jsonb)")
        cursor.executemany("INSERT INTO bench_template VALUES (%s, %s, %s)", rows)


def add_responses(round_, first: int, last: int) -> None:
    """Add contacts, members and complete responses numbered first..last-1, in SQL."""
    from django.db import connection

    panel = round_.panels.get()
    params = {"first": first, "last": last - 1, "round": round_.pk, "panel": panel.pk,
              "site": panel.site_id, "version": round_.version_id, "t": TEMPLATES}  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO panels_contact (first_name, last_name, email, organisation,
                   job_titles, site_id, attributes, created_at, updated_at)
               SELECT 'First', 'Last' || n, 'bench' || n || '@example.org', '', '[]',
                   %(site)s, '{}', now(), now()
               FROM generate_series(%(first)s, %(last)s) n""",
            params,
        )
        cursor.execute(
            """INSERT INTO panels_member (round_id, panel_id, contact_id, organisation,
                   job_titles, disposition, disposition_reason, token_nonce, token_hash,
                   added_at)
               SELECT %(round)s, %(panel)s, c.id, '', '["Director"]', 'complete', '',
                   md5(c.id::text), md5(c.id::text) || md5('x' || c.id), now()
               FROM panels_contact c
               WHERE c.email LIKE 'bench%%' AND NOT EXISTS
                   (SELECT 1 FROM panels_member m WHERE m.contact_id = c.id)""",
            params,
        )
        cursor.execute(
            """INSERT INTO surveys_response (member_id, version_id, answers, not_asked,
                   pages_done, revision, page_revisions, started_at, updated_at, completed_at)
               SELECT m.id, %(version)s, t.answers, t.not_asked, '[]', 1, '{}', now(), now(),
                   now()
               FROM panels_member m JOIN bench_template t ON t.n = m.id %% %(t)s
               WHERE m.round_id = %(round)s AND NOT EXISTS
                   (SELECT 1 FROM surveys_response r WHERE r.member_id = m.id)""",
            params,
        )
        cursor.execute("ANALYZE")
    # Key-informant ids are given by a round's first export, once: number the new members
    # here so that each export timed is one of a round exported before.
    from surveys.exports.pseudonyms import ki_numbers_assign

    ki_numbers_assign(round=round_)


def in_child(work) -> dict:
    """Run work() in a forked child; return its result with its time and peak memory."""
    from django.db import connections

    connections.close_all()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: it never returns into the parent's code
        try:
            os.close(read)
            started = time.perf_counter()
            result = work() or {}
            result["seconds"] = time.perf_counter() - started
            result["cpu"] = time.process_time()  # its own CPU (the machine may be busy)
            result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            os.write(write, json.dumps(result).encode())
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def copy_baseline(round_, path: Path) -> dict:
    from django.db import connection

    sql = (
        "COPY (SELECT r.id, r.answers, r.not_asked, r.completed_at FROM surveys_response r"
        " JOIN panels_member m ON m.id = r.member_id WHERE m.round_id = %s)"
        " TO STDOUT (FORMAT csv)"
    )
    with (
        connection.cursor() as cursor,
        open(path, "wb") as out,
        cursor.cursor.copy(sql, [round_.pk]) as copy,
    ):
        for data in copy:
            out.write(data)
    return {"bytes": path.stat().st_size}


def export(round_, format: str, path: Path) -> dict:
    from surveys.exports.services import export_write

    rows = export_write(round=round_, kind="wide", format=format, path=path)
    return {"rows": rows, "bytes": path.stat().st_size}


def pyreadstat_alone(round_, path: Path) -> dict:
    """Build the export's own frame untimed, then time pyreadstat writing it alone."""
    import pyreadstat

    from surveys.exports.renderers import frame, sav_metadata, spss_names
    from surveys.exports.rows import Export

    data = Export(round=round_)
    columns = data.columns
    df = frame(columns, data.rows(), data.total(), stata=False)
    names = spss_names(columns)
    df.columns = names
    metadata = sav_metadata(columns, names)
    started = time.perf_counter()
    pyreadstat.write_sav(df, str(path), **metadata)
    return {"write_seconds": time.perf_counter() - started}


def measure(round_, size: int, scratch: Path) -> None:
    copy = in_child(lambda: copy_baseline(round_, scratch / "copy.csv"))
    csv = in_child(lambda: export(round_, "csv", scratch / "export.csv"))
    sav = in_child(lambda: export(round_, "sav", scratch / "export.sav"))
    alone = in_child(lambda: pyreadstat_alone(round_, scratch / "alone.sav"))
    assert csv["rows"] == sav["rows"] == size, (csv, sav, size)
    print(f"\n{size:,} responses of 200 items (PostgreSQL)")
    copy_mb = copy["bytes"] / 1e6
    print(f"  COPY ... TO STDOUT (FORMAT csv): {copy['seconds']:7.2f} s  {copy_mb:7.1f} MB")
    print(
        f"  wide CSV export:                 {csv['seconds']:7.2f} s  {csv['bytes'] / 1e6:7.1f} MB"
        f"  ratio {csv['seconds'] / copy['seconds']:.2f}x (target <= 3x)"
        f"  peak memory {csv['peak_mb']:.0f} MB  (CPU {csv['cpu']:.2f} s)"
    )
    print(f"  pyreadstat write_sav alone:      {alone['write_seconds']:7.2f} s")
    print(
        f"  .sav export:                     {sav['seconds']:7.2f} s  {sav['bytes'] / 1e6:7.1f} MB"
        f"  ratio {sav['seconds'] / alone['write_seconds']:.2f}x (target <= 1.5x)"
        f"  peak memory {sav['peak_mb']:.0f} MB  (CPU {sav['cpu']:.2f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", default="10000,100000", help="sizes, ascending")
    sizes = sorted(int(s) for s in parser.parse_args().responses.split(","))
    with scratch_database() as vendor, tempfile.TemporaryDirectory() as scratch:
        assert vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database"
        round_ = make_round()
        store_templates(round_)
        done = 0
        for size in sizes:
            started = time.perf_counter()
            add_responses(round_, done, size)
            done = size
            print(f"(stored {size:,} responses in {time.perf_counter() - started:.0f} s)")
            measure(round_, size, Path(scratch))


if __name__ == "__main__":
    main()
