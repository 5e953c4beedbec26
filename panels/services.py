"""Writes to panels: importing contact lists and carrying panels into a new round."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from email_validator import EmailNotValidError, validate_email

from panels import tokens
from panels.importing import ATTRIBUTE_PREFIX, REQUIRED_COLUMNS, ListFile, normalise_column
from panels.models import (
    Contact,
    Disposition,
    DispositionChange,
    DispositionSource,
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
        return (
            f"Imported {self.rows} rows: {self.contacts_created} new contacts, "
            f"{self.contacts_updated} updated, {self.members_added} added to panels, "
            f"{self.members_updated} panel entries updated; {self.panels_refreshed} site "
            f"list{'' if self.panels_refreshed == 1 else 's'} marked updated for this round."
        )


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


def _parse_row(number, values, site, sites, types, problems) -> tuple[_Row | None, str]:
    """Return the row (None when bad, its problems added) and its email as compared."""
    found = len(problems)

    def bad(column, message):
        problems.append(RowProblem(number, column, message))

    for column, value in values.items():
        if "\x00" in value:
            # PostgreSQL cannot store NUL in text; it is a sign of a damaged file.
            bad(column, "The value contains a NUL character; correct the cell and export again.")
    for column in ("first_name", "last_name"):
        if not values.get(column):
            bad(column, f"{column.replace('_', ' ').capitalize()} is empty.")
    email = values.get("email", "")
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
    ids = {c.pk: email for email, c in contacts.items()}
    members = Member.objects.filter(round=round_, contact_id__in=ids).select_related("panel__site")
    on_panel = {ids[m.contact_id]: m.panel.site for m in members}
    for row in rows:
        other = on_panel.get(row.email)
        if other is not None and other != row.site:
            problems.append(
                RowProblem(
                    row.number,
                    "email",
                    f"{row.email} is already on the panel of {other} this round.",
                )
            )


def _validate(round_, list_file, site) -> tuple[list[_Row], dict[str, Contact], list[RowProblem]]:
    problems = _check_header(list_file, site)
    if problems:
        return [], {}, problems
    if not list_file.rows:
        return [], {}, [RowProblem(2, "", "The file has a header but no contacts.")]
    sites, types = _site_lookup(), _type_lookup()
    rows, first_seen = [], {}
    for number, values in list_file.rows:
        row, email = _parse_row(number, values, site, sites, types, problems)
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
    members = {
        m.contact_id: m
        for m in Member.objects.filter(
            round=round_, contact_id__in=[c.pk for c in contacts.values()]
        )
    }
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
    *, round: Round, list_file: ListFile, site: Site | None = None, user=None
) -> ImportReport:
    """Import a contact list into a round's panels, all or nothing; return the report."""
    report = ImportReport(rows=len(list_file.rows))
    with transaction.atomic():
        rows, contacts, report.problems = _validate(round, list_file, site)
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


@transaction.atomic
def member_disposition_set(
    *,
    member_id: int,
    to: str,
    source: str,
    only_from: frozenset[str] | None = None,
    at=None,
    by=None,
    reason: str = "",
    coordinated_by_id: int | None = None,
) -> bool:
    """Change a member's disposition and record the change; every change goes through here.

    With ``only_from``, the change is made only when the member's disposition is one of
    those. Return whether the disposition changed.
    """
    member = Member.objects.select_for_update().get(pk=member_id)
    before = member.disposition
    if only_from is not None and before not in only_from:
        return False
    if before == to and member.disposition_reason == reason:
        return False
    member.disposition, member.disposition_reason = to, reason
    member.coordinated_by_id = coordinated_by_id if to == Disposition.COORDINATED else None
    member.save(update_fields=["disposition", "disposition_reason", "coordinated_by"])
    DispositionChange.objects.create(
        member=member,
        from_disposition=before,
        to_disposition=to,
        at=at or timezone.now(),
        source=source,
        by=by,
        reason=reason,
    )
    return True


NOT_YET_ANSWERING = frozenset({Disposition.LISTED, Disposition.NOT_STARTED})


def member_invited(*, member_id: int, at) -> None:
    """The sender recorded the member's invitation as sent."""
    member_disposition_set(
        member_id=member_id,
        to=Disposition.NOT_STARTED,
        source=DispositionSource.SENDER,
        only_from=frozenset({Disposition.LISTED}),
        at=at,
    )


def member_undeliverable(*, member_id: int, reason: str) -> None:
    """The sender met a permanent failure or a bounce; a member who has begun to
    answer keeps what they have."""
    member_disposition_set(
        member_id=member_id,
        to=Disposition.UNDELIVERABLE,
        source=DispositionSource.SENDER,
        only_from=NOT_YET_ANSWERING | {Disposition.UNDELIVERABLE},
        reason=reason,
    )


@transaction.atomic
def member_opt_out(
    *, member: Member, scope: str, source: str = DispositionSource.RESPONDENT, by=None
) -> Member:
    """Record that a member wants no more reminders this round ("reminders") or to leave
    the study ("study"); return the member. A complete member stays complete."""
    now = timezone.now()
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.opted_out_reminders_at is None:
        member.opted_out_reminders_at = now
    if scope == "study":
        member.opted_out_study_at = member.opted_out_study_at or now
        Contact.objects.filter(pk=member.contact_id, left_study_on__isnull=True).update(
            left_study_on=now.date()
        )
    member.save(update_fields=["opted_out_reminders_at", "opted_out_study_at"])
    if scope == "study" and member.disposition != Disposition.COMPLETE:
        member_disposition_set(
            member_id=member.pk, to=Disposition.OPTED_OUT, source=source, at=now, by=by
        )
    member.refresh_from_db()
    return member


@transaction.atomic
def member_opt_in(*, member: Member, by=None) -> Member:
    """Undo a member's opt-out (an evaluator's action); return the member."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.opted_out_study_at:
        Contact.objects.filter(pk=member.contact_id).update(left_study_on=None)
    member.opted_out_reminders_at = member.opted_out_study_at = None
    member.save(update_fields=["opted_out_reminders_at", "opted_out_study_at"])
    if member.disposition == Disposition.OPTED_OUT:
        opting_out = member.disposition_changes.filter(to_disposition=Disposition.OPTED_OUT)
        last = opting_out.last()
        started = Member.objects.filter(pk=member.pk, response__isnull=False).exists()
        if started:
            to = Disposition.PARTIAL
        elif last is not None:
            to = last.from_disposition
        else:
            to = Disposition.NOT_STARTED
        member_disposition_set(
            member_id=member.pk, to=to, source=DispositionSource.EVALUATOR, by=by
        )
    member.refresh_from_db()
    return member


# Names an outcomes file may use beyond the dispositions' own values.
OUTCOME_ALIASES = {"no_response": Disposition.NOT_STARTED}


@dataclass
class OutcomesReport:
    """What an outcomes import did, or every reason it did nothing."""

    problems: list[RowProblem] = field(default_factory=list)
    rows: int = 0
    changed: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return f"Read {self.rows} rows: {self.changed} dispositions changed."


@dataclass
class _Outcome:
    member_id: int
    disposition: str
    reason: str
    coordinated_by_id: int | None


def _parse_outcome(number, values, members, seen, problems) -> _Outcome | None:
    email = values.get("email", "").strip().lower()
    before = len(problems)
    member = members.get(email)
    if not email:
        problems.append(RowProblem(number, "email", "The email is missing."))
    elif member is None:
        problems.append(RowProblem(number, "email", f"{email} is not a member of this round."))
    elif email in seen:
        problems.append(RowProblem(number, "email", f"{email} is also on row {seen[email]}."))
    else:
        seen[email] = number
    raw = normalise_column(values.get("disposition", ""))
    disposition = OUTCOME_ALIASES.get(raw, raw)
    if disposition not in Disposition.values:
        names = ", ".join([*Disposition.values, *OUTCOME_ALIASES])
        problems.append(
            RowProblem(number, "disposition", f"Unknown disposition {raw!r}; use one of {names}.")
        )
    reason = values.get("reason", "").strip()
    if disposition == Disposition.NOT_ELIGIBLE and not reason:
        problems.append(RowProblem(number, "reason", "Say why the member is not eligible."))
    coordinator = None
    by_email = values.get("coordinated_by", "").strip().lower()
    if disposition == Disposition.COORDINATED:
        coordinator = members.get(by_email)
        if coordinator is None:
            problems.append(
                RowProblem(
                    number,
                    "coordinated_by",
                    "Give the email of the member of this round who answered for them.",
                )
            )
        elif coordinator == member:
            problems.append(
                RowProblem(number, "coordinated_by", "A member cannot coordinate for themselves.")
            )
    if len(problems) > before:
        return None
    return _Outcome(member.pk, disposition, reason, coordinator.pk if coordinator else None)


@transaction.atomic
def outcomes_import(*, round: Round, list_file: ListFile, user=None) -> OutcomesReport:
    """Record final dispositions for a round's members from a file, all or nothing."""
    report = OutcomesReport(rows=len(list_file.rows))
    missing = [c for c in ("email", "disposition") if c not in list_file.columns]
    if missing:
        report.problems.append(RowProblem(1, ", ".join(missing), "Missing column(s)."))
        return report
    members = {
        m.contact.email.lower(): m
        for m in Member.objects.filter(round=round).select_related("contact")
    }
    seen: dict[str, int] = {}
    outcomes = [
        _parse_outcome(number, values, members, seen, report.problems)
        for number, values in list_file.rows
    ]
    if report.problems:
        return report
    for outcome in outcomes:
        report.changed += member_disposition_set(
            member_id=outcome.member_id,
            to=outcome.disposition,
            source=DispositionSource.IMPORT,
            by=user,
            reason=outcome.reason,
            coordinated_by_id=outcome.coordinated_by_id,
        )
    return report
