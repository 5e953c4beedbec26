import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse

from panels.demo import demo_list
from panels.models import Member, Round, RoundStatus, Site
from panels.permissions import ADMIN_GROUP, EVALUATOR_GROUP
from panels.services import panel_import
from panels.tokens import token_for
from surveys.demo import WELCOME_2016, load_seed_questionnaires

DEMO_ROUND = "2016 survey (demo)"
DEMO_USERS = [
    ("evaluator", "evaluate-the-demo", EVALUATOR_GROUP, False),
    ("admin", "administer-the-demo", ADMIN_GROUP, True),
]


class Command(BaseCommand):
    help = (
        "Load the demo once: users, both seed questionnaires, and an open round with a panel "
        "of 360 fictional people. Prints the logins and a few personal links."
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

    @transaction.atomic
    def _load(self):
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
        v2016, _ = load_seed_questionnaires()
        round_ = Round.objects.create(
            name=DEMO_ROUND,
            year=2016,
            status=RoundStatus.OPEN,
            fieldwork_start=datetime.date(2016, 4, 15),
            fieldwork_end=datetime.date(2016, 6, 15),
            welcome_text=WELCOME_2016,
            study_contact="the research team at survey@example.org",
            version=v2016,  # an open round always has its questionnaire
        )
        names = dict(Site.objects.values_list("code", "name"))
        report = panel_import(round=round_, list_file=demo_list(names))
        if not report.ok:
            raise RuntimeError(f"Demo list rejected: {report.problems[:3]}")
        # Imported here: reminders builds on surveys, not the other way round.
        from reminders.demo import load_demo_schedule

        load_demo_schedule(round=round_)
        self.stdout.write(f"Demo round '{round_}' loaded with {report.members_added} members.")

    def _print_links(self):
        round_ = Round.objects.filter(name=DEMO_ROUND, status=RoundStatus.OPEN).first()
        if round_ is None:
            return
        self.stdout.write("Personal links of a few demo respondents (answer as them):")
        members = Member.objects.filter(round=round_).select_related("contact", "panel__site")
        for member in members.order_by("pk")[:3]:
            url = settings.SITE_URL + reverse("surveys:link", args=[token_for(member.token_nonce)])
            self.stdout.write(f"  {member.contact.full_name} ({member.panel.site}): {url}")
