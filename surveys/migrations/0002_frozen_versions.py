"""A published version never changes: the database itself refuses updates and deletes."""

from django.db import migrations

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION surveys_version_frozen() RETURNS trigger AS $$
    BEGIN
      IF OLD.status = 'published' THEN
        RAISE EXCEPTION 'questionnaire version % is published and frozen', OLD.id
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      IF TG_OP = 'DELETE' THEN
        RETURN OLD;
      END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER surveys_version_frozen BEFORE UPDATE OR DELETE ON surveys_version
    FOR EACH ROW EXECUTE FUNCTION surveys_version_frozen();
    """,
]
# SQLite (first runs and quick tests) refuses updates only: its test-database flush deletes
# rows one by one, which a delete trigger would stop. There, responses and rounds protect
# a published version from deletion (PROTECT), and no page or command deletes one.
SQLITE = [
    """
    CREATE TRIGGER surveys_version_frozen_update BEFORE UPDATE ON surveys_version
    WHEN OLD.status = 'published'
    BEGIN SELECT RAISE(ABORT, 'questionnaire version is published and frozen'); END;
    """,
]
DROP = {
    "postgresql": ["DROP TRIGGER IF EXISTS surveys_version_frozen ON surveys_version",
                   "DROP FUNCTION IF EXISTS surveys_version_frozen()"],
    "sqlite": ["DROP TRIGGER IF EXISTS surveys_version_frozen_update"],
}


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql, params=None)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"postgresql": POSTGRES, "sqlite": SQLITE}[vendor])


def backwards(apps, schema_editor):
    _run(schema_editor, DROP[schema_editor.connection.vendor])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
