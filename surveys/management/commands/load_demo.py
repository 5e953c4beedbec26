import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from panels.demo import demo_history, demo_list, late_list
from panels.models import Disposition, Member, Panel, Round, RoundStatus, Site
from panels.permissions import ADMIN_GROUP, EVALUATOR_GROUP
from panels.services import panel_import
from panels.tokens import token_for
from surveys.demo import WELCOME_2016, load_seed_questionnaires

DEMO_ROUND = "2020 survey (demo)"
# The closed rounds before it, each on the 2016 questionnaire, as in the seed study.
EARLIER_YEARS = [2016, 2017, 2018, 2019]
STUDY_CONTACT = "the research team at survey@example.org"
DEMO_USERS = [
    ("evaluator", "evaluate-the-demo", EVALUATOR_GROUP, False),
    ("admin", "administer-the-demo", ADMIN_GROUP, True),
]


class Command(BaseCommand):
    help = (
        "Load the demo once: users, both seed questionnaires, four closed rounds with their "
        "responses and an open round with a panel of 360 fictional people in fieldwork. "
        "Prints the logins and a few personal links."
    )

    def handle(self, *args, **options):
        if Round.objects.exists():
            self.stdout.write("Data already present: demo not loaded.")
        else:
            self._load()
        self.stdout.write("Demo logins (change these outside a demo):")
        for username, password, _, _ in DEMO_USERS:
            self.stdout.write(f"  {username} / {password}")
        self._print_links()

    def _users(self):
        users = get_user_model()
        for username, password, group, superuser in DEMO_USERS:
            if users.objects.filter(username=username).exists():
                continue
            user = users.objects.create_user(
                username,
                f"{username}@example.org",
                password,
                is_staff=True,
                is_superuser=superuser,
            )
            user.groups.add(Group.objects.get(name=group))
        return users.objects.get(username="evaluator")

    @transaction.atomic
    def _load(self):
        evaluator = self._users()
        v2016, v2020 = load_seed_questionnaires()
        today = timezone.localdate()
        round_ = Round.objects.create(
            name=DEMO_ROUND,
            year=2020,
            status=RoundStatus.PLANNED,  # opened once its list is in, as a team would
            fieldwork_start=today - datetime.timedelta(days=9),
            fieldwork_end=today + datetime.timedelta(days=30),
            welcome_text=WELCOME_2016,
            study_contact=STUDY_CONTACT,
            version=v2020,
            **DEMO_RULE,
        )
        names = dict(Site.objects.values_list("code", "name"))
        report = panel_import(round=round_, list_file=demo_list(names), user=evaluator)
        if not report.ok:
            raise RuntimeError(f"Demo list rejected: {report.problems[:3]}")
        # The lists came in a week before fieldwork, as a team's would, not at this start-up.
        listed = timezone.make_aware(
            datetime.datetime.combine(round_.fieldwork_start, datetime.time(9))
        ) - datetime.timedelta(days=7)
        Panel.objects.filter(round=round_).update(refreshed_at=listed)
        Round.objects.filter(pk=round_.pk).update(status=RoundStatus.OPEN)
        round_.refresh_from_db()
        earlier = [_closed_round(year, v2016) for year in EARLIER_YEARS]
        demo_history(source=round_, rounds=earlier)
        # Imported here: reminders builds on surveys, not the other way round.
        from reminders.demo import load_demo_history, load_demo_schedule

        load_demo_history(rounds=earlier, by=evaluator)
        load_demo_schedule(round=round_, by=evaluator)
        late = _add_late_members(round_, names, by=evaluator)
        self.stdout.write(
            f"Demo round '{round_}' loaded with {report.members_added + late} members, "
            f"after {len(earlier)} closed rounds."
        )

    def _print_links(self):
        round_ = Round.objects.filter(name=DEMO_ROUND, status=RoundStatus.OPEN).first()
        if round_ is None:
            return
        self.stdout.write("Personal links of a few demo respondents (answer as them):")
        members = Member.objects.filter(
            round=round_, disposition=Disposition.NOT_STARTED
        ).select_related("contact", "panel__site")
        for member in members.order_by("pk")[:3]:
            url = settings.SITE_URL + reverse("surveys:link", args=[token_for(member.token_nonce)])
            self.stdout.write(f"  {member.contact.full_name} ({member.panel.site}): {url}")


# Complete at the end of the questionnaire; a started response with under a quarter of the
# items it was shown answered is a break-off, else a partial (fixed before fieldwork).
DEMO_RULE = {"completeness_rule": "end", "break_off_below": 0.25}


def _closed_round(year: int, version) -> Round:
    return Round.objects.create(
        name=f"{year} survey (demo)",
        year=year,
        status=RoundStatus.CLOSED,
        fieldwork_start=datetime.date(year, 4, 15),
        fieldwork_end=datetime.date(year, 5, 31),
        welcome_text=WELCOME_2016,
        study_contact=STUDY_CONTACT,
        version=version,
        **DEMO_RULE,
    )


def _add_late_members(round_: Round, names: dict[int, str], *, by) -> int:
    """A site's list that came after the invitation went out: listed, not yet invited."""
    list_file = late_list(names)
    report = panel_import(round=round_, list_file=list_file, user=by)
    if not report.ok:
        raise RuntimeError(f"Late demo list rejected: {report.problems[:3]}")
    # Members added during fieldwork read as invited; these were not, so they are listed
    # (their first disposition, before any change).
    emails = [values["email"] for _, values in list_file.rows]
    Member.objects.filter(round=round_, contact__email__in=emails).update(
        disposition=Disposition.LISTED
    )
    return report.members_added
