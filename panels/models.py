"""Sites, organisation types, contacts, rounds, panels and members."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Cast, Lower


class Site(models.Model):
    """A local area taking part in the study."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=80, unique=True)
    aliases = models.JSONField(default=list, blank=True, help_text="Programme and other names.")
    code = models.PositiveSmallIntegerField(unique=True, help_text="Code as listed to respondents.")
    cohort = models.PositiveSmallIntegerField(help_text="The group the site joined with.")
    cohort_year = models.PositiveSmallIntegerField(help_text="The year the cohort joined.")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def all_names(self) -> list[str]:
        """Return the name, short name and aliases of the site."""
        return [self.name, self.short_name, *self.aliases]


class AnalysisGroup(models.Model):
    """A reporting group that organisation types are combined into (CCG, LA, ...)."""

    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class OrganisationType(models.Model):
    """A coded organisation type as listed in the questionnaires."""

    code = models.PositiveSmallIntegerField(unique=True)
    label = models.CharField(max_length=300)
    labels_by_version = models.JSONField(
        default=dict, blank=True, help_text='Label per questionnaire, e.g. {"2016": "..."}.'
    )
    analysis_group = models.ForeignKey(AnalysisGroup, on_delete=models.PROTECT)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}. {self.label}"


class Contact(models.Model):
    """A person known to the study, kept across rounds."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    organisation = models.CharField(max_length=300, blank=True)
    organisation_type = models.ForeignKey(
        OrganisationType, null=True, blank=True, on_delete=models.PROTECT
    )
    job_titles = models.JSONField(default=list, blank=True)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="contacts")
    attributes = models.JSONField(
        default=dict, blank=True, help_text="Free attributes, usable for piping."
    )
    left_study_on = models.DateField(
        null=True, blank=True, help_text="Set when the person leaves the study."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="contact_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email}>"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class RoundStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class CompletenessKind(models.TextChoices):
    END = "end", "The end of the questionnaire is reached"
    ITEMS = "items", "A named set of items is answered"
    SHARE = "share", "A share of the items the routing showed is answered"


COMPLETENESS_FIELDS = (
    "completeness_rule",
    "completeness_items",
    "completeness_share",
    "break_off_below",
)


def _share_bounds(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": 0}) & models.Q(**{f"{field}__lte": 1}),
        name=f"round_{field}_between_0_and_1",
    )


class Round(models.Model):
    """One fielding of the survey.

    The completeness rule (surveys.completeness) says when a started response is
    complete, partial or a break-off; it is fixed once the round opens.
    """

    name = models.CharField(max_length=100, unique=True)
    year = models.PositiveSmallIntegerField()
    fieldwork_start = models.DateField(null=True, blank=True)
    fieldwork_end = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=RoundStatus.choices, default=RoundStatus.PLANNED
    )
    version = models.ForeignKey(
        "surveys.Version",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rounds",
        help_text="The published questionnaire version this round asks.",
    )
    welcome_text = models.TextField(
        blank=True,
        help_text="Shown before the questionnaire: purpose, time it takes, confidentiality, "
        "that taking part is voluntary.",
    )
    study_contact = models.TextField(
        blank=True, help_text="Who respondents can contact with questions (shown on every page)."
    )
    allow_changes_after_completion = models.BooleanField(
        default=False, help_text="Respondents may change their answers until the round closes."
    )
    completeness_rule = models.CharField(
        max_length=10, choices=CompletenessKind.choices, default=CompletenessKind.END
    )
    completeness_items = models.JSONField(
        default=list, blank=True, help_text='Item codes that must be answered (rule "items").'
    )
    completeness_share = models.FloatField(
        default=1.0, help_text='Share of the shown items to answer, 0 to 1 (rule "share").'
    )
    break_off_below = models.FloatField(
        default=0.0,
        help_text="A started response with under this share of the shown items answered "
        "is a break-off, else partial (0 to 1).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fieldwork_end__gte=models.F("fieldwork_start"))
                | models.Q(fieldwork_end__isnull=True)
                | models.Q(fieldwork_start__isnull=True),
                name="round_fieldwork_ends_after_start",
            ),
            _share_bounds("completeness_share"),
            _share_bounds("break_off_below"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def completeness_editable(self) -> bool:
        """The rule may change only while the round is planned: fixed before fieldwork."""
        return self.status == RoundStatus.PLANNED

    def completeness_summary(self) -> str:
        """Return the completeness rule in a sentence."""
        if self.completeness_rule == CompletenessKind.ITEMS:
            complete = "when these items are answered: " + ", ".join(self.completeness_items)
        elif self.completeness_rule == CompletenessKind.SHARE:
            complete = f"when at least {self.completeness_share:.0%} of the items the routing "
            complete += "showed are answered"
        else:
            complete = "when the end of the questionnaire is reached"
        if not self.break_off_below:
            return f"Complete {complete}; a started response that is not complete is partial."
        return (
            f"Complete {complete}; a started response that is not complete is a break-off "
            f"with under {self.break_off_below:.0%} of the shown items answered, else partial."
        )

    def clean(self) -> None:
        if self.status == RoundStatus.OPEN and self.version_id is None:
            raise ValidationError(
                {"version": "Choose the questionnaire version before opening the round."}
            )
        if self.completeness_rule == CompletenessKind.ITEMS and not self.completeness_items:
            raise ValidationError({"completeness_items": "Name the items that must be answered."})
        if self.pk is not None and self._completeness_changed_after_planning():
            raise ValidationError(
                {
                    "completeness_rule": "The completeness rule is fixed once the round has "
                    "opened; it cannot change now."
                }
            )

    def _completeness_changed_after_planning(self) -> bool:
        stored = Round.objects.filter(pk=self.pk).values(*COMPLETENESS_FIELDS, "status").first()
        if stored is None or stored.pop("status") == RoundStatus.PLANNED:
            return False
        return any(stored[name] != getattr(self, name) for name in COMPLETENESS_FIELDS)


class Panel(models.Model):
    """A site's list of contacts for one round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="panels")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="panels")
    refreshed_at = models.DateTimeField(null=True, blank=True)
    refreshed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )

    class Meta:
        ordering = ["round", "site__code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "site"], name="panel_one_per_site_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.site} ({self.round})"


class Disposition(models.TextChoices):
    """Where a member stands in a round; panels.rates.AAPOR_CODES maps each to AAPOR."""

    LISTED = "listed", "Listed, not yet invited"
    NOT_STARTED = "not_started", "Invited, no response"
    PARTIAL = "partial", "Started or partial"
    COMPLETE = "complete", "Complete"
    BREAK_OFF = "break_off", "Break-off"
    REFUSED = "refused", "Refused"
    OPTED_OUT = "opted_out", "Opted out"
    COORDINATED = "coordinated", "Coordinated by another member"
    UNDELIVERABLE = "undeliverable", "Undeliverable"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    UNAVAILABLE = "unavailable", "Unavailable for the fieldwork"
    OTHER = "other", "Other"


class DispositionSource(models.TextChoices):
    RESPONDENT = "respondent", "The respondent pages"
    SENDER = "sender", "The sender"
    EVALUATOR = "evaluator", "An evaluator"
    IMPORT = "import", "An import"
    CLOSE = "close", "The close of the round"


class Member(models.Model):
    """A contact on one round's panel, with what was true of them that round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="members")
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.CharField(max_length=300, blank=True)
    organisation_type = models.ForeignKey(
        OrganisationType, null=True, blank=True, on_delete=models.PROTECT
    )
    job_titles = models.JSONField(default=list, blank=True)
    # The list as text, stored: the dashboard groups members by it, and a text is far
    # cheaper to hash than a JSON value.
    job_titles_key = models.GeneratedField(
        expression=Cast("job_titles", models.TextField()),
        output_field=models.TextField(),
        db_persist=True,
    )
    disposition = models.CharField(
        max_length=20, choices=Disposition.choices, default=Disposition.LISTED
    )
    disposition_reason = models.CharField(max_length=300, blank=True)
    coordinated_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="coordinates"
    )
    token_nonce = models.CharField(max_length=32, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    opted_out_reminders_at = models.DateTimeField(null=True, blank=True)
    opted_out_study_at = models.DateTimeField(null=True, blank=True)
    # The member's key-informant number in this round (KI1, KI2, ...): given once, in a
    # random order, to the members who have a response when the round is first exported,
    # and never changed, so that quotes and files keep naming the same informant.
    ki_number = models.PositiveIntegerField(null=True, blank=True, editable=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["panel", "contact__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "contact"], name="member_once_per_round"),
            models.UniqueConstraint(fields=["round", "ki_number"], name="member_ki_number_unique"),
        ]
        indexes = [models.Index(fields=["round", "disposition"])]

    def __str__(self) -> str:
        return f"{self.contact} on {self.panel}"

    @property
    def ki_id(self) -> str:
        """Return the key-informant id (KI29), or "" before the round's first export."""
        return f"KI{self.ki_number}" if self.ki_number else ""

    def clean(self) -> None:
        if self.panel_id and self.round_id and self.panel.round_id != self.round_id:
            raise ValidationError(
                {"panel": f"This is a panel of {self.panel.round}; the member is in {self.round}."}
            )


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Checking and importing"
    DONE = "done", "Imported"
    REFUSED = "refused", "Nothing imported: problems found"
    FAILED = "failed", "Failed"


class ImportJob(models.Model):
    """A contact list too long to import within a page request, imported by a task.

    The upload is kept under MEDIA_ROOT until the task has read it; the report is the
    import's, with at most REPORT_PROBLEMS problems listed and the count of the rest.
    """

    REPORT_PROBLEMS = 300

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="import_jobs")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=255)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import of {self.file_name} into {self.round}"

    @property
    def finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED}


class DispositionChange(models.Model):
    """One change of a member's disposition: what it was, what it became, when, and why."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="disposition_changes")
    from_disposition = models.CharField(max_length=20, choices=Disposition.choices)
    to_disposition = models.CharField(max_length=20, choices=Disposition.choices)
    at = models.DateTimeField()
    source = models.CharField(max_length=20, choices=DispositionSource.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["member", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.member}: {self.from_disposition} to {self.to_disposition}"
