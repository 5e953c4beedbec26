"""Questionnaires, their frozen versions, and members' responses."""

import json

from django.conf import settings
from django.db import models
from django.db.models.deletion import SET_NULL, ProtectedError


class DefinitionField(models.TextField):
    """A JSON document stored as text, keeping its keys in the author's order.

    PostgreSQL's jsonb would sort the keys, and a dumped definition must read as it was
    written.
    """

    def from_db_value(self, value, expression, connection):
        return None if value is None else json.loads(value)

    def to_python(self, value):
        return json.loads(value) if isinstance(value, str) else value

    def get_prep_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))


class Questionnaire(models.Model):
    """A questionnaire evolves as versions; trend analysis joins versions on item codes.

    Its slug names it in commands and exports, so once a version is published the
    database refuses to rename it (see migration 0005).
    """

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug

    def has_published_version(self) -> bool:
        return self.pk is not None and self.versions.filter(status=VersionStatus.PUBLISHED).exists()


def keep_published_derived(collector, field, sub_objs, using):
    """On deleting a version: refuse if a published version was based on it, else unlink.

    Unlinking a published row would change it, which the database refuses.
    """
    published = [v for v in sub_objs if v.status == VersionStatus.PUBLISHED]
    if published:
        names = ", ".join(str(v) for v in published)
        raise ProtectedError(
            f"This version cannot be deleted: {names} was based on it, and a published"
            " version never changes.",
            published,
        )
    SET_NULL(collector, field, sub_objs, using)


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Version(models.Model):
    """One version of a questionnaire: a draft until published, then frozen for ever.

    The database refuses any change to a published row (migration 0002), a row inserted
    as already published, and (through its seal) deleting one (migration 0005), whatever
    path the change takes. The content hash is checked whenever the definition is loaded.
    """

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    definition = DefinitionField()
    content_hash = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the canonical definition."
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=keep_published_derived, related_name="derived"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["questionnaire", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="version_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (models.Q(published_at__isnull=False) & ~models.Q(content_hash="")),
                name="version_published_has_hash_and_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire.slug} v{self.number} ({self.get_status_display()})"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


def refuse_deleting_published(collector, field, sub_objs, using):
    """A published version keeps its seal: deleting the version is refused."""
    versions = [seal.version for seal in sub_objs]
    names = ", ".join(str(v) for v in versions)
    raise ProtectedError(f"{names} is published and can never be deleted.", versions)


class VersionSeal(models.Model):
    """One row per published version, written by the database when a version is published.

    The row refers to its version, so the database refuses to delete a published version
    on every engine (SQLite has no other way: a delete trigger would also stop the test
    database's flush, which empties every table in one transaction, seals included).
    """

    version = models.OneToOneField(
        Version, on_delete=refuse_deleting_published, primary_key=True, related_name="seal"
    )

    def __str__(self) -> str:
        return f"Seal of version {self.version_id}"


class Response(models.Model):
    """A member's answers to their round's version, saved page by page.

    `revision` grows by one with every save; a save names the revision it was made
    from, so an older tab or a resubmitted page can never overwrite newer answers.
    """

    member = models.OneToOneField(
        "panels.Member", on_delete=models.PROTECT, related_name="response"
    )
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="responses")
    answers = models.JSONField(default=dict, blank=True)
    not_asked = models.JSONField(default=list, blank=True)
    pages_done = models.JSONField(default=list, blank=True)
    revision = models.PositiveIntegerField(default=0)
    # The revision each page was last saved at: a submission is stale only when its own
    # page was saved since the revision it was made from.
    page_revisions = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["version", "completed_at"])]

    def __str__(self) -> str:
        contact = self.member.contact
        return f"Response of {contact.first_name} {contact.last_name} to {self.member.round}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class ExportKind(models.TextChoices):
    WIDE = "wide", "Wide: one row per response"
    LONG = "long", "Long: one row per answer"
    CODEBOOK = "codebook", "Codebook"


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV (UTF-8)"
    XLSX = "xlsx", "Excel (.xlsx)"
    SAV = "sav", "SPSS (.sav)"
    DTA = "dta", "Stata (.dta)"
    HTML = "html", "Web page (.html)"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Writing the file"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Failed"


class ExportJob(models.Model):
    """One export of a round's responses, written to a file by a task.

    The file sits under MEDIA_ROOT/exports and is only ever sent by the download view,
    which checks the role and logs the download.
    """

    round = models.ForeignKey("panels.Round", on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(max_length=10, choices=ExportKind.choices)
    format = models.CharField(max_length=10, choices=ExportFormat.choices)
    include_partial = models.BooleanField(default=False)
    identified = models.BooleanField(default=False)
    labels = models.BooleanField(default=False, help_text="Option labels instead of codes.")
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(
        default=0, help_text="Rows in the file: the responses read less those left out."
    )
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} export of {self.round} as {self.format}"

    @property
    def finished(self) -> bool:
        return self.status in {ExportStatus.DONE, ExportStatus.FAILED}

    @property
    def percent(self) -> int:
        """Return the share of rows written, 0 to 100."""
        return round(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class DownloadLog(models.Model):
    """One download of an export file: who took which data, when, and how many rows."""

    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    username = models.CharField(
        max_length=150, help_text="Kept when the account is deleted; the command's OS user."
    )
    via = models.CharField(max_length=10, default="web", help_text="web or command")
    round = models.ForeignKey(
        "panels.Round", null=True, on_delete=models.SET_NULL, related_name="downloads"
    )
    round_name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=ExportKind.choices)
    format = models.CharField(max_length=10, choices=ExportFormat.choices)
    identified = models.BooleanField(default=False)
    include_partial = models.BooleanField(default=False)
    rows = models.PositiveIntegerField(default=0)
    job = models.ForeignKey(ExportJob, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["-at"])]

    def __str__(self) -> str:
        return f"{self.username} downloaded {self.kind} {self.format} of {self.round_name}"
