"""EMAIL_URL: the mailbox (/dev/mail/), the console or a folder of files in development, SMTP with TLS in
production."""

from tests.test_settings import PRODUCTION_ENV, ROOT, settings_of

NAMES = ["EMAIL_BACKEND", "EMAIL_FILE_PATH", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS",
         "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_TIMEOUT"]


def test_development_writes_to_the_mailbox_by_default_or_to_the_console():
    config = settings_of("portal.settings.dev", NAMES)
    assert config["EMAIL_BACKEND"] == "portal.core.mailbox.MailboxBackend"  # read at /dev/mail/
    console = settings_of("portal.settings.dev", NAMES, EMAIL_URL="consolemail://")
    assert console["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_development_can_write_each_message_to_a_file_under_the_project_or_anywhere():
    relative = settings_of("portal.settings.dev", NAMES, EMAIL_URL="filemail:///var/mail")
    assert relative["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert relative["EMAIL_FILE_PATH"] == str(ROOT / "var" / "mail")
    absolute = settings_of("portal.settings.dev", NAMES, EMAIL_URL="filemail:////tmp/portal-mail")
    assert absolute["EMAIL_FILE_PATH"] == "/tmp/portal-mail"
    bare = settings_of("portal.settings.dev", NAMES, EMAIL_URL="filemail://")
    assert bare["EMAIL_FILE_PATH"] == str(ROOT / "var" / "mail")


def test_production_sends_through_smtp_with_tls():
    config = settings_of("portal.settings.production", NAMES, **PRODUCTION_ENV)
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert config["EMAIL_HOST"] == "smtp.example.org"
    assert (config["EMAIL_PORT"], config["EMAIL_USE_TLS"]) == (587, True)
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == ("mailer", "secret")
    assert config["EMAIL_TIMEOUT"] == 30
