from django.conf import settings
from django.core.management.base import BaseCommand

from portal.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo content (idempotent: what already exists is left as it is)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin-password", default=None,
            help="Password of the demo 'admin' account when it is created (random by default).",
        )

    def handle(self, *args, admin_password=None, **options):
        report = load_demo(admin_password=admin_password)
        for line in report.lines:
            self.stdout.write(line)
        # A generated password is shown again on later runs from this git-ignored file (development
        # only); a password given on the command line is the caller's to remember.
        credentials = settings.BASE_DIR / "var" / "demo-admin.txt"
        if report.admin_password and not admin_password:
            credentials.parent.mkdir(exist_ok=True)
            people = "".join(f"{email} / {password} ({role})\n" for email, password, role in report.people)
            credentials.write_text(f"{report.admin_email} / {report.admin_password}\n{people}")
        if report.admin_password and admin_password:
            self.stdout.write(self.style.SUCCESS(f"Admin account: {report.admin_email} (password as given)"))
        elif credentials.exists():
            self.stdout.write(self.style.SUCCESS(
                f"Demo accounts (e-mail / password):\n{credentials.read_text().strip()}\n"
                "Log in at /fr/comptes/login/ with the e-mail address."
            ))
        self.stdout.write(self.style.SUCCESS("Demo content is loaded."))
