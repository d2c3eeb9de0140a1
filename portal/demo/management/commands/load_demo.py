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
            people = "".join(
                f"{email} / {password} ({role})\n{second_factor(report, email)}"
                for email, password, role in report.people
            )
            credentials.write_text(
                f"{report.admin_email} / {report.admin_password}\n"
                f"{second_factor(report, report.admin_email)}{people}"
            )
        if report.admin_password and admin_password:
            self.stdout.write(self.style.SUCCESS(
                f"Admin account: {report.admin_email} (password as given)\n"
                f"{second_factor(report, report.admin_email)}"
            ))
        elif credentials.exists():
            self.stdout.write(self.style.SUCCESS(
                f"Demo accounts (e-mail / password):\n{credentials.read_text().strip()}\n"
                "Log in at /fr/comptes/connexion/ with the e-mail address. The secretariat and focal-point "
                "accounts then ask for a two-factor code: add the TOTP secret to any authenticator app, "
                "or run `oathtool --totp -b <secret>`; each recovery code works once instead."
            ))
        self.stdout.write(self.style.SUCCESS("Demo content is loaded."))


def second_factor(report, email) -> str:
    """The lines giving a demo account's TOTP secret and recovery codes (nothing for other accounts)."""
    if email not in report.second_factors:
        return ""
    secret, codes = report.second_factors[email]
    return f"    TOTP secret: {secret}\n    recovery codes: {' '.join(codes)}\n"
