"""The dashboard's numbers on a round of 100,000 members, beside one plain GROUP BY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/rates_bench.py [--members 100000]

Builds the round on a throwaway test database (PostgreSQL: the members are written by one
INSERT ... SELECT over generate_series), then times, best of five runs each, every reader
the dashboard page calls, and in the same run one
`SELECT disposition, count(*) FROM panels_member WHERE round_id = ... GROUP BY disposition`
over the same members, the least any count of dispositions can cost. Target: the
dashboard's readers within 3x of that query.
"""

import argparse
import time

from _django import scratch_database

DISPOSITIONS = [
    "complete",
    "complete",
    "complete",
    "partial",
    "break_off",
    "refused",
    "opted_out",
    "coordinated",
    "undeliverable",
    "not_eligible",
    "unavailable",
    "not_started",
    "not_started",
    "not_started",
    "not_started",
]

_CONTACTS = """
    INSERT INTO panels_contact (first_name, last_name, email, organisation, organisation_type_id,
        job_titles, site_id, attributes, created_at, updated_at)
    SELECT 'First' || i, 'Last' || i, 'bench' || i || '@example.org', 'Org', t.id,
        CASE WHEN i %% 3 = 0 THEN '["Director", "Locality Manager"]'::jsonb
             ELSE '["Commissioning Officer"]'::jsonb END,
        s.id, '{}'::jsonb, now(), now()
    FROM generate_series(1, %(n)s) AS i
    JOIN panels_site s ON s.code = 1 + i %% 25
    JOIN panels_organisationtype t ON t.code = (ARRAY[1, 2, 3, 6, 13])[1 + i %% 5]
"""
_MEMBERS = """
    INSERT INTO panels_member (round_id, panel_id, contact_id, organisation, organisation_type_id,
        job_titles, disposition, disposition_reason, token_nonce, token_hash, added_at)
    SELECT %(round)s, p.id, c.id, c.organisation, c.organisation_type_id, c.job_titles,
        (%(dispositions)s::text[])[1 + c.id %% %(kinds)s], '', md5('n' || c.id),
        md5('h' || c.id) || md5('x' || c.id), now()
    FROM panels_contact c JOIN panels_panel p ON p.site_id = c.site_id AND p.round_id = %(round)s
"""
_COMPLETIONS = """
    INSERT INTO panels_dispositionchange (member_id, from_disposition, to_disposition, at, source,
        reason)
    SELECT m.id, 'partial', 'complete', now() - (m.id %% 20) * interval '1 day', 'respondent', ''
    FROM panels_member m WHERE m.round_id = %(round)s AND m.disposition = 'complete'
"""
BASELINE = (
    "SELECT disposition, count(*) FROM panels_member WHERE round_id = %s GROUP BY disposition"
)


def _build(members: int):
    from django.db import connection
    from django.utils import timezone

    from panels.models import Panel, Round, RoundStatus, Site
    from reminders.models import Message, MessageKind, MessageStatus

    round_ = Round.objects.create(name="bench", year=2026, status=RoundStatus.OPEN)
    Panel.objects.bulk_create(Panel(round=round_, site=s) for s in Site.objects.all())
    params = {"n": members, "round": round_.pk, "dispositions": DISPOSITIONS}
    params["kinds"] = len(DISPOSITIONS)
    with connection.cursor() as cursor:
        for sql in (_CONTACTS, _MEMBERS, _COMPLETIONS):
            cursor.execute(sql, params)
        cursor.execute("ANALYZE")
    now = timezone.now()
    for kind, days in ((MessageKind.INVITATION, 20), (MessageKind.REMINDER, 10)):
        at = now - timezone.timedelta(days=days)
        Message.objects.create(
            round=round_, kind=kind, send_at=at, subject="s", body="b",
            status=MessageStatus.SENT, started_at=at,
        )  # fmt: skip
    return round_


def _best(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    args = parser.parse_args()
    with scratch_database() as vendor:
        if vendor != "postgresql":
            raise SystemExit("Set DATABASE_URL to a PostgreSQL server: the bench is for it.")
        from django.db import connection

        from reminders.dashboard import selectors

        started = time.perf_counter()
        round_ = _build(args.members)
        print(f"database: {vendor}; members: {round_.members.count()}; "
              f"built in {time.perf_counter() - started:.1f} s")  # fmt: skip

        def baseline():
            with connection.cursor() as cursor:
                cursor.execute(BASELINE, [round_.pk])
                cursor.fetchall()

        readers = {
            "every count and rate": lambda: selectors.round_numbers(round=round_),
            "completes by day": lambda: selectors.round_progress(round=round_),
        }
        base = _best(baseline)
        timed = {name: _best(fn) for name, fn in readers.items()}
        total = timed["every count and rate"] + timed["completes by day"]
        print(f"one GROUP BY (baseline):  {base * 1000:8.1f} ms")
        for name, seconds in timed.items():
            print(f"  {name:<22} {seconds * 1000:8.1f} ms  ({seconds / base:.1f}x)")
        print(
            f"dashboard's numbers:      {total * 1000:8.1f} ms  ({total / base:.1f}x the baseline)"
        )


if __name__ == "__main__":
    main()
