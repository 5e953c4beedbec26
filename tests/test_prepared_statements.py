"""Respondent pages run prepared statements; every other statement binds on the client,
so one with more parameters than a server-bound statement takes still runs."""

from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection

from panels.models import Member
from tests.conftest import add_member, link_of, make_round

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements"),
]


@pytest.fixture
def ann(seed_versions):
    return add_member(make_round("2020 survey", seed_versions[1]))


@contextmanager
def _bindings():
    """Yield a list that collects, for each statement run, whether it was bound on the
    client."""
    seen = []

    def spy(execute, sql, params, many, context):
        seen.append(isinstance(context["cursor"].cursor, psycopg.ClientCursor))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        yield seen


def _member_query_prepared() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements"
            " WHERE statement LIKE %s AND statement LIKE %s",
            ['%FROM "panels_member"%', '%"surveys_response"%'],
        )
        return cursor.fetchone()[0] > 0


def test_the_respondent_pages_bind_on_the_server_and_prepare_what_they_repeat(client, ann):
    client.get(link_of(ann))
    with _bindings() as client_bound:
        for _ in range(6):
            assert client.get("/r/").status_code == 200
    assert client_bound and not any(client_bound)
    assert _member_query_prepared()


def test_a_statement_of_70000_parameters_runs_after_a_respondent_page_on_its_connection(
    client, ann
):
    client.get(link_of(ann))
    assert client.get("/r/").status_code == 200
    # Past 65,535 a server-bound statement is refused: this one must be bound on the client.
    assert Member.objects.filter(pk__in=range(1, 70_001)).count() == 1


def test_other_pages_bind_on_the_client(client, alice, ann):
    client.force_login(alice)
    with _bindings() as client_bound:
        assert client.get(f"/panels/rounds/{ann.round_id}/").status_code == 200
    assert client_bound and all(client_bound)


def test_with_the_threshold_off_the_respondent_pages_bind_on_the_client(client, ann):
    client.get(link_of(ann))
    connection.connection.prepare_threshold = None
    try:
        with _bindings() as client_bound:
            assert client.get("/r/").status_code == 200
    finally:
        connection.connection.prepare_threshold = 5
    assert client_bound and all(client_bound)
