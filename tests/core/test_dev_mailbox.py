"""The development mailbox (portal/core/mailbox.py): `make run`'s e-mails kept as .eml files and read
at /dev/mail/ (DEBUG only, from this machine), subjects decoded, the text part with clickable links and
the HTML part sandboxed at its own URL."""

import re

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client

from portal.core import mailbox

pytestmark = pytest.mark.django_db

DEV_URLS = "tests.core.dev_mailbox_urls"


@pytest.fixture
def mailbox_dir(settings, tmp_path):
    """The portal's e-mails go to a mailbox in a temporary folder, as in `make run` (dev settings)."""
    settings.EMAIL_BACKEND = "portal.core.mailbox.MailboxBackend"
    settings.MAILBOX_DIR = tmp_path / "mailbox"
    settings.MAILBOX_KEEP = 5
    return settings.MAILBOX_DIR


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def status(client, path) -> int:
    """The final status: the portal's LocaleMiddleware first redirects an unknown address outside the
    language prefix to /fr/… (where Wagtail answers 404)."""
    return client.get(path, follow=True).status_code


def send(subject="Confirmez votre abonnement à la lettre — Concertation", to="awa@example.org",
         text="Bonjour,\n\nConfirmez : http://testserver/fr/lettre/confirmer/abc/\n", html=None):
    message = EmailMultiAlternatives(subject, text, to=[to])
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
    return message


def test_each_message_is_one_eml_file_and_only_the_newest_are_kept(mailbox_dir):
    for n in range(7):
        send(subject=f"Message {n}")
    files = sorted(mailbox_dir.glob("*.eml"))
    assert len(files) == 5  # MAILBOX_KEEP
    assert [m.subject for m in mailbox.messages()] == [f"Message {n}" for n in (6, 5, 4, 3, 2)]
    assert b"Subject: Message 6" in files[-1].read_bytes()  # the bytes a mail program reads
    assert not list(mailbox_dir.glob(".*"))  # no temporary file left behind
    assert mail.outbox == []  # the messages went to the mailbox, not to Django's test outbox


@pytest.mark.urls(DEV_URLS)
def test_the_list_shows_decoded_subjects_newest_first(client, mailbox_dir, debug):
    send(subject="Première lettre")
    send(subject="Confirmez votre abonnement à la lettre — Concertation", to="ana@example.org")
    raw = sorted(mailbox_dir.glob("*.eml"))[-1].read_bytes()
    assert b"=?utf-8?" in raw and "Confirmez votre abonnement à".encode() not in raw  # RFC 2047 on disk
    page = client.get("/dev/mail/")
    assert page.status_code == 200
    content = page.content.decode()
    assert content.index("Confirmez votre abonnement à la lettre — Concertation") < content.index(
        "Première lettre")
    assert "ana@example.org" in content and "=?utf-8?" not in content


@pytest.mark.urls(DEV_URLS)
def test_a_message_shows_its_headers_its_text_with_links_and_its_html_sandboxed(client, mailbox_dir, debug):
    send(html='<html><head><title>x</title></head><body><h1>Lettre n° 41</h1>'
              '<a href="http://testserver/fr/lettre/">Lire</a><script>alert(1)</script></body></html>')
    (stored,) = mailbox.messages()
    page = client.get(f"/dev/mail/{stored.id}/")
    content = page.content.decode()
    assert page.status_code == 200
    assert "Confirmez votre abonnement à la lettre — Concertation" in content and "awa@example.org" in content
    # The text part, its link clickable.
    assert '<a href="http://testserver/fr/lettre/confirmer/abc/"' in content
    # The HTML part is not in the page itself: an iframe, sandboxed, loads it from its own URL.
    assert "<h1>Lettre n° 41</h1>" not in content and "alert(1)" not in content
    frame = re.search(r'<iframe[^>]*src="([^"]+)"[^>]*sandbox="([^"]*)"', content)
    assert frame and "allow-scripts" not in frame.group(2) and "allow-same-origin" not in frame.group(2)
    html = client.get(frame.group(1))
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    policy = html["Content-Security-Policy"]
    assert policy.startswith("sandbox ")
    assert "allow-scripts" not in policy and "allow-same-origin" not in policy
    assert "default-src 'none'" in policy  # no script of any origin
    body = html.content.decode()
    assert "<h1>Lettre n° 41</h1>" in body and '<base target="_top">' in body  # links open in the tab
    # The public pages' policy allows the frame: same origin (frame-src falls back to default-src 'self').
    assert "default-src 'self'" in page["Content-Security-Policy"]
    assert "frame-src" not in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] != "DENY" and html["X-Frame-Options"] != "DENY"
    # And the .eml itself, for a mail program.
    raw = client.get(f"/dev/mail/{stored.id}.eml")
    assert raw["Content-Type"] == "message/rfc822" and b"Subject:" in raw.content


@pytest.mark.urls(DEV_URLS)
def test_unknown_or_crafted_ids_are_404(client, mailbox_dir, debug):
    send()
    (stored,) = mailbox.messages()
    assert status(client, f"/dev/mail/{stored.id}/html/") == 404  # this one has no HTML part
    assert status(client, "/dev/mail/00000000000000000000-00000000/") == 404
    assert status(client, "/dev/mail/..%2F..%2Fsecret/") == 404
    assert mailbox.message("../../etc/passwd") is None


@pytest.mark.urls(DEV_URLS)
def test_without_debug_or_from_another_machine_the_pages_do_not_exist(client, mailbox_dir, settings):
    send()
    (stored,) = mailbox.messages()
    settings.DEBUG = False
    for path in ("/dev/mail/", f"/dev/mail/{stored.id}/", f"/dev/mail/{stored.id}.eml"):
        assert status(client, path) == 404
    settings.DEBUG = True
    assert client.get("/dev/mail/").status_code == 200
    assert status(Client(REMOTE_ADDR="192.168.1.20"), "/dev/mail/") == 404


def test_the_portals_urls_have_no_mailbox_without_debug(client, mailbox_dir):
    """The real URLconf (DEBUG off in the tests, as in production): /dev/mail/ is not routed."""
    send()
    (stored,) = mailbox.messages()
    assert status(client, "/dev/mail/") == 404
    assert status(client, f"/dev/mail/{stored.id}/") == 404


def test_development_settings_deliver_to_the_mailbox():
    """`make run`'s settings: EMAIL_URL defaults to mailbox://, and run_portal prints where to read it."""
    from tests.test_settings import settings_of

    values = settings_of("portal.settings.dev", ["EMAIL_BACKEND", "DEV_MAILBOX", "MAILBOX_DIR"])
    assert values["EMAIL_BACKEND"] == "portal.core.mailbox.MailboxBackend" and values["DEV_MAILBOX"] is True
    assert values["MAILBOX_DIR"].endswith("var/mailbox")
    console = settings_of("portal.settings.dev", ["DEV_MAILBOX"], EMAIL_URL="consolemail://")
    assert console["DEV_MAILBOX"] is False
