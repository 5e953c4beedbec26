"""Server-side prepared statements on the respondent pages, and nowhere else.

Django binds parameters on the client by default, and a client-bound statement is never
prepared. The respondent pages run the same few statements on every request, where
PostgreSQL spends more time planning than running them: there the connection binds on
the server, so psycopg prepares a statement once it has run `prepare_threshold` times
(DB_PREPARE_THRESHOLD). Everywhere else it keeps binding on the client: a server-bound
statement takes at most 65,535 parameters, and a panel import sends more in one statement.
"""

from collections.abc import Callable
from contextlib import contextmanager
from functools import cache

import psycopg
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


@contextmanager
def server_side_statements():
    """Bind (and so prepare) statements on the server within the block, on PostgreSQL
    with a prepare threshold set; the connection binds on the client again after it."""
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        yield
        return
    client_side, raw.cursor_factory = raw.cursor_factory, psycopg.Cursor
    try:
        yield
    finally:
        raw.cursor_factory = client_side  # the same connection, whether still open or not


@cache
def _respondent_prefixes() -> tuple[str, ...]:
    """Return the paths the respondent pages and the email opt-out link start with."""
    return (reverse("surveys:welcome"), reverse("email_opt_out_confirm"))


class RespondentStatementsMiddleware:
    """Serve the respondent's requests (their session included) with server-side
    statements; placed before the session middleware so that its queries are too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(_respondent_prefixes()):
            return self.get_response(request)
        with server_side_statements():
            return self.get_response(request)
