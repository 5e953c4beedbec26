import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from panels.demo import demo_list
from panels.models import Round, Site
from panels.permissions import ADMIN_GROUP, EVALUATOR_GROUP
from panels.services import panel_import

DEMO_ROUND = "2016 survey (demo)"
DEMO_USERS = [
    ("evaluator", "evaluate-the-demo", EVALUATOR_GROUP, False),
    ("admin", "administer-the-demo", ADMIN_GROUP, True),
]


class Command(BaseCommand):
    help = "Load demo users and a demo round with a panel of 360 fictional people (once)."

    def handle(self, *args, **options):
        if Round.objects.exists():
            self.stdout.write("Data already present: demo not loaded.")
        else:
            self._load()
        self.stdout.write("Demo logins (change these outside a demo):")
        for username, password, _, _ in DEMO_USERS:
            self.stdout.write(f"  {username} / {password}")

    @transaction.atomic
    def _load(self):
        users = get_user_model()
        for username, password, group, superuser in DEMO_USERS:
            if users.objects.filter(username=username).exists():
                continue
            user = users.objects.create_user(
                username, f"{username}@example.org", password, is_staff=True, is_superuser=superuser
            )
            user.groups.add(Group.objects.get(name=group))
        round_ = Round.objects.create(
            name=DEMO_ROUND,
            year=2016,
            fieldwork_start=datetime.date(2016, 4, 15),
            fieldwork_end=datetime.date(2016, 6, 15),
        )
        names = dict(Site.objects.values_list("code", "name"))
        report = panel_import(round=round_, list_file=demo_list(names))
        if not report.ok:
            raise RuntimeError(f"Demo list rejected: {report.problems[:3]}")
        self.stdout.write(f"Demo round '{round_}' loaded with {report.members_added} members.")
