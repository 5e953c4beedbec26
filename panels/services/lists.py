"""Writes to panels: importing contact lists and carrying panels into a new round."""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from email_validator import EmailNotValidError, validate_email

from panels import tokens
from panels.importing import (
    ATTRIBUTE_PREFIX,
    REQUIRED_COLUMNS,
    ListFile,
    ListFileError,
    read_list,
)
from panels.models import (
    Contact,
    Disposition,
    ImportJob,
    ImportStatus,
    Member,
    OrganisationType,
    Panel,
    Round,
    RoundStatus,
    Site,
)
from panels.selectors import panel_not_updated

CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "organisation",
    "organisation_type_id",
    "job_titles",
    "site_id",
    "attributes",
)
MEMBER_FIELDS = ("panel_id", "organisation", "organisation_type_id", "job_titles")
# The longest value each column may have: the model's max_length, so nothing reaches the
# database too long to store. Job titles and attributes are JSON, bounded here.
MAX_LENGTHS = {
    "first_name": Contact._meta.get_field("first_name").max_length,
    "last_name": Contact._meta.get_field("last_name").max_length,
    "email": Contact._meta.get_field("email").max_length,
    "organisation": min(
        Contact._meta.get_field("organisation").max_length,
        Member._meta.get_field("organisation").max_length,
    ),
    "job_title": 300,
}
MAX_ATTRIBUTE_LENGTH = 1000
# How often (in rows) a long import reports how far it has got.
PROGRESS_EVERY = 2000
LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "email": "The email address",
    "organisation": "Organisation",
    "job_title": "A job title",
}


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    """What an import did, or every reason it did nothing."""

    problems: list[RowProblem] = field(default_factory=list)
    rows: int = 0
    contacts_created: int = 0
    contacts_updated: int = 0
    members_added: int = 0
    members_updated: int = 0
    panels_refreshed: int = 0
    name_split_from: str = ""

    @property
    def changed(self) -> bool:
        return bool(
            self.contacts_created
            or self.contacts_updated
            or self.members_added
            or self.members_updated
            or self.panels_refreshed
        )

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """Return what the import did, in a sentence for the evaluator."""
        text = (
            f"Imported {plural(self.rows, 'row')}: "
            f"{plural(self.contacts_created, 'new contact')}, "
            f"{self.contacts_updated} updated, {self.members_added} added to panels, "
            f"{plural(self.members_updated, 'panel entry', 'panel entries')} updated; "
            f"{plural(self.panels_refreshed, 'site list')} marked updated for this round."
        )
        if self.name_split_from:
            text += (
                f" First and last names were taken from the '{self.name_split_from}' column, "
                "split at its last space."
            )
        return text

    def as_json(self, *, problems_listed: int) -> dict:
        """Return the report as JSON, listing at most `problems_listed` problems."""
        return {
            **{k: v for k, v in asdict(self).items() if k != "problems"},
            "problems": [asdict(p) for p in self.problems[:problems_listed]],
            "problems_total": len(self.problems),
            "summary": self.summary() if self.ok else "",
        }


def plural(count: int, singular: str, plural_form: str = "") -> str:
    """Return a count with its noun, e.g. "1 row", "2 rows", "3 panel entries"."""
    return f"{count:,} {singular if count == 1 else (plural_form or singular + 's')}"


@dataclass
class _Row:
    number: int
    email: str
    site: Site
    values: dict


def _site_lookup() -> dict[str, Site]:
    lookup = {}
    for site in Site.objects.all():
        for name in [*site.all_names(), str(site.code)]:
            lookup[name.strip().lower()] = site
    return lookup


def _type_lookup() -> dict[str, OrganisationType]:
    lookup = {}
    for org_type in OrganisationType.objects.all():
        labels = [org_type.label, *org_type.labels_by_version.values(), str(org_type.code)]
        for label in labels:
            if label:
                lookup[label.strip().lower()] = org_type
    return lookup


def _split_titles(raw: str) -> list[str]:
    parts = raw.replace("|", ";").split(";")
    return [p.strip() for p in parts if p.strip()]


def _check_header(list_file: ListFile, site: Site | None) -> list[RowProblem]:
    needed = list(REQUIRED_COLUMNS) + ([] if site else ["site"])
    return [
        RowProblem(1, column, f"The required column '{column}' is missing.")
        for column in needed
        if column not in list_file.columns
    ]


def _parse_row(
    number, values, site, sites, types, problems, split_from=""
) -> tuple[_Row | None, str]:
    """Return the row (None when bad, its problems added) and its email as compared."""
    found = len(problems)

    def bad(column, message):
        problems.append(RowProblem(number, column, message))

    for column, value in values.items():
        if "\x00" in value:
            # PostgreSQL cannot store NUL in text; it is a sign of a damaged file.
            bad(column, "The value contains a NUL character; correct the cell and export again.")
    if split_from and not values.get("first_name"):
        bad("first_name", f"The '{split_from}' column is empty.")
    elif split_from and not values.get("last_name"):
        bad(
            "last_name",
            f"'{values['first_name']}' in the '{split_from}' column has no space to split "
            "it into first and last name: add first_name and last_name columns instead.",
        )
    else:
        for column in ("first_name", "last_name"):
            if not values.get(column):
                bad(column, f"{column.replace('_', ' ').capitalize()} is empty.")
    for column, limit in MAX_LENGTHS.items():
        value = values.get(column, "")
        if column == "job_title":
            value = max(_split_titles(value), key=len, default="")
        if len(value) > limit:
            bad(
                column,
                f"{LABELS[column]} has {len(value):,} characters; at most {limit} fit.",
            )
    for column, value in values.items():
        if column.startswith(ATTRIBUTE_PREFIX) and len(value) > MAX_ATTRIBUTE_LENGTH:
            bad(
                column,
                f"The value has {len(value):,} characters; "
                f"an attribute holds at most {MAX_ATTRIBUTE_LENGTH}.",
            )
    email = values.get("email", "")
    if len(email) <= MAX_LENGTHS["email"]:
        try:
            email = validate_email(email, check_deliverability=False).normalized.lower()
        except EmailNotValidError as exc:
            bad("email", f"'{email}' is not a valid email address: {exc}")
    row_site = site
    site_name = values.get("site", "")
    if site_name:
        row_site = sites.get(site_name.lower())
        if row_site is None:
            bad("site", f"Unknown site '{site_name}'.")
        elif site and row_site != site:
            bad("site", f"The row names site '{site_name}' but the import is for {site}.")
    elif site is None:
        bad("site", "Site is empty.")
    type_name = values.get("organisation_type", "")
    if type_name and type_name.lower() not in types:
        bad("organisation_type", f"Unknown organisation type '{type_name}'.")
    key = email.strip().lower()
    if len(problems) > found:
        return None, key
    return _Row(number, email, row_site, values), key


def _contact_values(row: _Row, types, existing: Contact | None) -> dict:
    attributes = dict(existing.attributes) if existing else {}
    for column, value in row.values.items():
        if column.startswith(ATTRIBUTE_PREFIX) and value:
            attributes[column[len(ATTRIBUTE_PREFIX) :]] = value
    type_name = row.values.get("organisation_type", "")
    org_type = types.get(type_name.lower()) if type_name else None
    return {
        "first_name": row.values["first_name"],
        "last_name": row.values["last_name"],
        "organisation": row.values.get("organisation", ""),
        "organisation_type_id": org_type.pk if org_type else None,
        "job_titles": _split_titles(row.values.get("job_title", "")),
        "site_id": row.site.pk,
        "attributes": attributes,
    }


def _existing_contacts(emails: list[str]) -> dict[str, Contact]:
    found = Contact.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    return {c.email_lower: c for c in found}


def _check_other_panels(round_, rows, contacts, problems) -> None:
    # The round's members are read whole (a round holds one study's panels): cheaper
    # than asking for the file's contacts by a list of ids as long as the file.
    ids = {c.pk: email for email, c in contacts.items()}
    on_panel = {
        ids[contact_id]: site_id
        for contact_id, site_id in Member.objects.filter(round=round_).values_list(
            "contact_id", "panel__site_id"
        )
        if contact_id in ids
    }
    sites = None
    for row in rows:
        other = on_panel.get(row.email)
        if other is not None and other != row.site.pk:
            sites = sites or Site.objects.in_bulk()
            problems.append(
                RowProblem(
                    row.number,
                    "email",
                    f"{row.email} is already on the panel of {sites[other]} this round.",
                )
            )


def _validate(
    round_, list_file, site, progress=None
) -> tuple[list[_Row], dict[str, Contact], list[RowProblem]]:
    problems = _check_header(list_file, site)
    if problems:
        return [], {}, problems
    if not list_file.rows:
        return [], {}, [RowProblem(2, "", "The file has a header but no contacts.")]
    sites, types = _site_lookup(), _type_lookup()
    rows, first_seen = [], {}
    for done, (number, values) in enumerate(list_file.rows):
        if progress and done % PROGRESS_EVERY == 0:
            progress(done)
        row, email = _parse_row(
            number, values, site, sites, types, problems, list_file.name_split_from
        )
        # Compared even when the first occurrence is itself bad, so every bad row shows.
        if email in first_seen:
            problems.append(
                RowProblem(
                    number,
                    "email",
                    f"{email} appears twice in the file (first at row {first_seen[email]}).",
                )
            )
            continue
        if email:
            first_seen[email] = number
        if row is not None:
            rows.append(row)
    contacts = _existing_contacts([r.email for r in rows])
    _check_other_panels(round_, rows, contacts, problems)
    problems.sort(key=lambda p: p.row)
    return rows, contacts, problems


def _panels_for(round_: Round, sites: set[Site]) -> dict[int, Panel]:
    found = Panel.objects.filter(round=round_, site__in=sites).select_related("carried_from")
    panels = {p.site_id: p for p in found}
    for s in sites:
        if s.pk not in panels:
            panels[s.pk] = Panel.objects.create(round=round_, site=s)
    return panels


def _changed(obj, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _save_contacts(rows, contacts, types, report) -> set[int]:
    """Create or update the rows' contacts; return the ids of the sites whose lists changed."""
    new, changed, touched_sites = [], [], set()
    for row in rows:
        existing = contacts.get(row.email)
        values = _contact_values(row, types, existing)
        if existing is None:
            contact = Contact(email=row.email, **values)
            contacts[row.email] = contact
            new.append(contact)
        elif _changed(existing, values):
            changed.append(existing)
        else:
            continue
        touched_sites.add(row.site.pk)
    Contact.objects.bulk_create(new, batch_size=1000)
    now = timezone.now()
    for contact in changed:
        contact.updated_at = now
    Contact.objects.bulk_update(changed, [*CONTACT_FIELDS, "updated_at"], batch_size=1000)
    report.contacts_created, report.contacts_updated = len(new), len(changed)
    return touched_sites


def _save_members(round_, rows, contacts, panels, report) -> set[int]:
    loaded = Member.objects.filter(round=round_).only("contact_id", *MEMBER_FIELDS)
    members = {m.contact_id: m for m in loaded}
    new, changed, touched_sites = [], [], set()
    for row in rows:
        contact = contacts[row.email]
        values = {
            "panel_id": panels[row.site.pk].pk,
            "organisation": contact.organisation,
            "organisation_type_id": contact.organisation_type_id,
            "job_titles": contact.job_titles,
        }
        member = members.get(contact.pk)
        if member is None:
            nonce, digest = tokens.credentials()
            new.append(
                Member(
                    round=round_,
                    contact=contact,
                    token_nonce=nonce,
                    token_hash=digest,
                    disposition=_first_disposition(round_),
                    **values,
                )
            )
        elif not _changed(member, values):
            continue
        else:
            changed.append(member)
        touched_sites.add(row.site.pk)
    Member.objects.bulk_create(new, batch_size=1000)
    Member.objects.bulk_update(changed, MEMBER_FIELDS, batch_size=1000)
    report.members_added, report.members_updated = len(new), len(changed)
    return touched_sites


def _first_disposition(round_: Round) -> str:
    """A member added to a planned round has not been invited; one added during
    fieldwork reads as invited, as before the sender recorded invitations."""
    if round_.status == RoundStatus.PLANNED:
        return Disposition.LISTED
    return Disposition.NOT_STARTED


def panel_import(
    *,
    round: Round,
    list_file: ListFile,
    site: Site | None = None,
    user=None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a contact list into a round's panels, all or nothing; return the report.

    `progress`, when given, is called with the number of rows checked so far as the rows
    are checked.
    """
    report = ImportReport(rows=len(list_file.rows), name_split_from=list_file.name_split_from)
    with transaction.atomic():
        rows, contacts, report.problems = _validate(round, list_file, site, progress)
        if report.problems:
            return report
        panels = _panels_for(round, {r.site for r in rows})
        touched = _save_contacts(rows, contacts, _type_lookup(), report)
        touched |= _save_members(round, rows, contacts, panels, report)
        # Importing a site's list confirms it for the round, changed or not; a list
        # already confirmed for this round is stamped again only when it changed.
        touched |= {site_id for site_id, p in panels.items() if panel_not_updated(p)}
        report.panels_refreshed = _stamp(panels, touched, user)
    return report


def import_job_create(*, round: Round, site: Site | None, upload, user) -> ImportJob:
    """Keep an uploaded list and queue its import as a task; return the job."""
    from panels.tasks import panel_import_job

    with transaction.atomic():
        job = ImportJob(round=round, site=site, file_name=Path(upload.name).name, created_by=user)
        job.file.save(job.file_name, upload, save=False)
        job.save()
        queue = settings.PANEL_IMPORT_QUEUE
        transaction.on_commit(lambda: panel_import_job.apply_async([job.pk], queue=queue))
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Import a queued job's list, all or nothing, recording its progress and report.

    A job already started (a task delivered twice) is left alone.
    """
    started = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    job = ImportJob.objects.select_related("round", "site", "created_by").get(pk=job_id)
    if not started:
        return job
    try:
        report = _run_job(job)
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, finished_at=timezone.now()
        )
        raise
    job.status = ImportStatus.DONE if report.ok else ImportStatus.REFUSED
    job.report = report.as_json(problems_listed=ImportJob.REPORT_PROBLEMS)
    job.rows_done, job.finished_at = job.rows_total, timezone.now()
    job.file.delete(save=False)  # personal data: kept no longer than needed
    job.save()
    return job


def _run_job(job: ImportJob) -> ImportReport:
    try:
        with job.file.open("rb") as stream:
            list_file = read_list(job.file_name, stream)
    except ListFileError as exc:
        return ImportReport(problems=[RowProblem(1, "", str(exc))])
    job.rows_total = len(list_file.rows)
    ImportJob.objects.filter(pk=job.pk).update(rows_total=job.rows_total)
    # The import runs in one transaction; progress goes through a connection of its own
    # so the page can show it while that transaction is open.
    side = connections.create_connection(DEFAULT_DB_ALIAS)

    def progress(done: int) -> None:
        with side.cursor() as cursor:
            cursor.execute(
                "UPDATE panels_importjob SET rows_done = %s WHERE id = %s", [done, job.pk]
            )

    try:
        return panel_import(
            round=job.round,
            list_file=list_file,
            site=job.site,
            user=job.created_by,
            progress=progress,
        )
    finally:
        side.close()


def _stamp(panels: dict[int, Panel], site_ids: set[int], user) -> int:
    """Mark the sites' panels as refreshed now by the user; return how many."""
    now = timezone.now()
    for site_id in site_ids:
        panel = panels[site_id]
        panel.refreshed_at, panel.refreshed_by = now, user
        panel.save(update_fields=["refreshed_at", "refreshed_by"])
    return len(site_ids)


@dataclass
class CarryReport:
    panels: int = 0
    members: int = 0
    left_out: int = 0


def carry_summary(report: CarryReport) -> str:
    """Return what a carry-forward did, in a sentence for the evaluator."""
    text = f"Copied {plural(report.panels, 'panel')} with {plural(report.members, 'member')}"
    if not report.left_out:
        return text + "."
    if report.left_out == 1:
        return f"{text}; 1 contact who has left the study was left out."
    return f"{text}; {report.left_out:,} contacts who have left the study were left out."


@transaction.atomic
def round_carry_forward(*, source: Round, target: Round) -> CarryReport:
    """Copy every panel of `source` into `target`, leaving out contacts who left the study.

    Each new panel keeps the source panel's "last updated" stamp, so stale lists show as such.
    """
    if source == target:
        raise ValueError("A round cannot be carried forward into itself.")
    # One carry-forward at a time into a round: a second waits here, then finds members.
    Round.objects.select_for_update().get(pk=target.pk)
    if target.members.exists():
        raise ValueError(f"{target} already has panel members; carry forward into an empty round.")
    existing = {p.site_id: p for p in Panel.objects.filter(round=target)}
    carried = _carry_panels(source, target, existing)
    members, left_out = _carried_members(source, {**existing, **carried})
    Member.objects.bulk_create(members, batch_size=1000)
    return CarryReport(panels=len(carried), members=len(members), left_out=left_out)


def _carry_panels(source: Round, target: Round, existing: dict[int, Panel]) -> dict[int, Panel]:
    """Copy the source's panels into the target; return them by site.

    A panel the target already has (empty, as the target has no members) takes the source
    panel's stamp rather than being created twice.
    """
    carried, new, reused = {}, [], []
    for old in source.panels.order_by("site__code"):
        panel = existing.get(old.site_id) or Panel(round=target, site_id=old.site_id)
        panel.refreshed_at, panel.refreshed_by_id = old.refreshed_at, old.refreshed_by_id
        panel.carried_from = old
        (reused if panel.pk else new).append(panel)
        carried[old.site_id] = panel
    Panel.objects.bulk_create(new)
    Panel.objects.bulk_update(reused, ["refreshed_at", "refreshed_by", "carried_from"])
    return carried


def _carried_members(source: Round, panels: dict[int, Panel]) -> tuple[list[Member], int]:
    """Return new members for the target's panels, and how many left the study."""
    new_members, left_out = [], 0
    members = Member.objects.filter(round=source).select_related("contact", "panel")
    for m in members.order_by("panel__site__code", "pk"):
        contact = m.contact
        if contact.left_study_on is not None:
            left_out += 1
            continue
        # A contact who moved site since goes onto their current site's list.
        panel = panels.get(contact.site_id) or panels[m.panel.site_id]
        nonce, digest = tokens.credentials()
        new_members.append(
            Member(
                token_nonce=nonce,
                token_hash=digest,
                round_id=panel.round_id,
                panel=panel,
                contact=contact,
                organisation=contact.organisation,
                organisation_type_id=contact.organisation_type_id,
                job_titles=contact.job_titles,
            )
        )
    return new_members, left_out
