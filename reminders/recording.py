"""Recording that an email was sent: one UPDATE of its outbox row by primary key, committed
on its own (autocommit) as soon as the server has accepted the email.

This record is what bounds a killed worker's duplicates to the one email it had in flight,
so it cannot wait for a later batch; but waiting for its commit (a flush to disk) before
starting the next email would add a database round trip and a disk flush to every email.
On PostgreSQL the UPDATE is therefore sent without waiting (libpq's asynchronous API on
the worker's own connection, a statement prepared once per connection), and the sender
waits for its answer only just before the next email's final line of data (see
`reminders.mail.send_holding`): the server cannot accept the next email before this one is
recorded, and the commit overlaps the next email's exchange (envelope and data) instead of
adding to it. Elsewhere (SQLite) it is a plain UPDATE, waited for at once.

Nothing else may use the database connection while a record is pending: the sender calls
`wait()` before any other query.
"""

import select

from django.db import DatabaseError
from django.db import connection as db
from psycopg import pq

from reminders.models import OutboxEntry, OutboxStatus

_TABLE = OutboxEntry._meta.db_table
# The table name is the model's; every value is a parameter.
_SET = (
    "status = {0}, sent_at = {1}, reason = '', detail = '', next_attempt_at = NULL, "
    "message_id_header = {2}, updated_at = {1} WHERE id = {3} AND status IN ({4}, {5})"
)
SENT_SQL = f"UPDATE {_TABLE} SET " + _SET.format(*["%s"] * 6)  # noqa: S608 (seven %s: {1} twice)
_SENT_PG = (f"UPDATE {_TABLE} SET " + _SET.format("$1", "$2", "$3", "$4", "$5", "$6")).encode()  # noqa: S608
_NAME = b"reminders_outbox_sent"
_ALREADY_PREPARED = b"42P05"


class SentRecorder:
    """Records sent emails one at a time, at most one record pending."""

    def __init__(self):
        self.pgconn = None
        self.pending = False

    def start(self, pk: int, *, header: str, at) -> None:
        """Record the row as sent: sent to the database at once, its answer checked by the
        next wait()."""
        self.wait()
        if db.vendor != "postgresql":
            with db.cursor() as cursor:
                sending, queued = OutboxStatus.SENDING, OutboxStatus.QUEUED
                cursor.execute(SENT_SQL, [OutboxStatus.SENT, at, header, at, pk, sending, queued])
            return
        pgconn = self._connection()
        values = [OutboxStatus.SENT, at.isoformat(), header, str(pk)]
        values += [OutboxStatus.SENDING, OutboxStatus.QUEUED]
        pgconn.send_query_prepared(_NAME, [str(value).encode() for value in values])
        self.pending = True
        while pgconn.flush():  # a non-blocking connection: wait until all is written
            readable, _, _ = select.select([pgconn.socket], [pgconn.socket], [])
            if readable:
                pgconn.consume_input()

    def wait(self) -> None:
        """Wait for the pending record's commit; raise DatabaseError if it failed."""
        if not self.pending:
            return
        self.pending = False
        pgconn, failure = self.pgconn, None
        while True:
            while pgconn.is_busy():
                select.select([pgconn.socket], [], [])
                pgconn.consume_input()
            result = pgconn.get_result()
            if result is None:
                break
            if result.status != pq.ExecStatus.COMMAND_OK:
                failure = result.error_message.decode(errors="replace")
        if failure:
            raise DatabaseError(f"Recording a sent email failed: {failure}")

    def _connection(self):
        db.ensure_connection()
        pgconn = db.connection.pgconn
        if pgconn is not self.pgconn:
            result = pgconn.prepare(_NAME, _SENT_PG)
            if result.status != pq.ExecStatus.COMMAND_OK:
                code = result.error_field(pq.DiagnosticField.SQLSTATE)
                if code != _ALREADY_PREPARED:
                    raise DatabaseError(result.error_message.decode(errors="replace"))
            self.pgconn = pgconn
        return pgconn
