"""Close the remaining ways to change a published version, on PostgreSQL and SQLite alike.

- A version is published only by publishing a draft: inserting a row that is already
  published is refused (the publish checks and the content hash would be skipped).
- Publishing writes a seal row that refers to the version, so deleting a published
  version is refused on SQLite too (PostgreSQL's trigger of 0002 already refuses it).
  The seal's foreign key is deferred, so a flush that empties every table still works.
- A questionnaire with a published version keeps its slug: commands and exports name
  it (`dump_questionnaire kip`).
- Deleting a draft that a published version was based on is refused (based_on no longer
  sets the published row's link to NULL, which the frozen-row trigger refused with a 500).
"""

import surveys.models
from django.db import migrations, models

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION surveys_version_born_draft() RETURNS trigger AS $$
    BEGIN
      IF NEW.status = 'published' THEN
        RAISE EXCEPTION 'questionnaire version % must be stored as a draft and then published', NEW.number
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER surveys_version_born_draft BEFORE INSERT ON surveys_version
    FOR EACH ROW EXECUTE FUNCTION surveys_version_born_draft();
    """,
    """
    CREATE OR REPLACE FUNCTION surveys_version_seal() RETURNS trigger AS $$
    BEGIN
      INSERT INTO surveys_versionseal (version_id) VALUES (NEW.id);
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER surveys_version_seal AFTER UPDATE ON surveys_version
    FOR EACH ROW WHEN (OLD.status = 'draft' AND NEW.status = 'published')
    EXECUTE FUNCTION surveys_version_seal();
    """,
    """
    CREATE OR REPLACE FUNCTION surveys_questionnaire_slug_kept() RETURNS trigger AS $$
    BEGIN
      IF NEW.slug <> OLD.slug AND EXISTS (
        SELECT 1 FROM surveys_version WHERE questionnaire_id = OLD.id AND status = 'published'
      ) THEN
        RAISE EXCEPTION 'questionnaire % has a published version and keeps its name', OLD.slug
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER surveys_questionnaire_slug_kept BEFORE UPDATE ON surveys_questionnaire
    FOR EACH ROW EXECUTE FUNCTION surveys_questionnaire_slug_kept();
    """,
]
SQLITE = [
    """
    CREATE TRIGGER surveys_version_born_draft BEFORE INSERT ON surveys_version
    WHEN NEW.status = 'published'
    BEGIN SELECT RAISE(ABORT, 'a questionnaire version must be stored as a draft and then published'); END;
    """,
    """
    CREATE TRIGGER surveys_version_seal AFTER UPDATE ON surveys_version
    WHEN OLD.status = 'draft' AND NEW.status = 'published'
    BEGIN INSERT INTO surveys_versionseal (version_id) VALUES (NEW.id); END;
    """,
    """
    CREATE TRIGGER surveys_questionnaire_slug_kept BEFORE UPDATE OF slug ON surveys_questionnaire
    WHEN NEW.slug <> OLD.slug AND EXISTS (
      SELECT 1 FROM surveys_version WHERE questionnaire_id = OLD.id AND status = 'published'
    )
    BEGIN SELECT RAISE(ABORT, 'a questionnaire with a published version keeps its name'); END;
    """,
]
SEAL_EXISTING = (
    "INSERT INTO surveys_versionseal (version_id) "
    "SELECT id FROM surveys_version WHERE status = 'published'"
)
DROP = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS surveys_version_born_draft ON surveys_version",
        "DROP FUNCTION IF EXISTS surveys_version_born_draft()",
        "DROP TRIGGER IF EXISTS surveys_version_seal ON surveys_version",
        "DROP FUNCTION IF EXISTS surveys_version_seal()",
        "DROP TRIGGER IF EXISTS surveys_questionnaire_slug_kept ON surveys_questionnaire",
        "DROP FUNCTION IF EXISTS surveys_questionnaire_slug_kept()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS surveys_version_born_draft",
        "DROP TRIGGER IF EXISTS surveys_version_seal",
        "DROP TRIGGER IF EXISTS surveys_questionnaire_slug_kept",
    ],
}


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql, params=None)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, [SEAL_EXISTING, *{"postgresql": POSTGRES, "sqlite": SQLITE}[vendor]])


def backwards(apps, schema_editor):
    _run(schema_editor, DROP[schema_editor.connection.vendor])


class Migration(migrations.Migration):

    dependencies = [
        ("surveys", "0004_response_page_revisions"),
    ]

    operations = [
        migrations.CreateModel(
            name="VersionSeal",
            fields=[
                (
                    "version",
                    models.OneToOneField(
                        on_delete=surveys.models.refuse_deleting_published,
                        primary_key=True,
                        related_name="seal",
                        serialize=False,
                        to="surveys.version",
                    ),
                ),
            ],
        ),
        migrations.AlterField(
            model_name="version",
            name="based_on",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=surveys.models.keep_published_derived,
                related_name="derived",
                to="surveys.version",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
