"""Demo data for a fresh clone: the seed units (interchange/demo/*.json, through the importer), their
report settings, one account per role, and the reports their websites publish.

Idempotent: running it again keeps what is there and resets the demo passwords.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from demo.accounts import create_accounts, login_lines
from demo.publications import load_demo_report_settings, publish_demo_reports
from interchange.demo import load_demo_files


class Command(BaseCommand):
    help = "Load the demo units and create one demo account per role (prints the logins)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the demo logins")
        parser.add_argument("--no-publish", action="store_true", help="do not publish the demo reports")

    def handle(self, *args, quiet_logins=False, no_publish=False, **options):
        with transaction.atomic():
            for line in load_demo_files():
                self.stdout.write(line)
            load_demo_report_settings()
            create_accounts()
        if not no_publish:
            for line in publish_demo_reports(get_user_model().objects.get(username="admin")):
                self.stdout.write(line)
        if not quiet_logins:
            for line in login_lines():
                self.stdout.write(line)
