"""What allauth says to a person: the login message names them (not the internal username), and its
e-mails carry the portal's name in the reader's language, not the host the request came through
(issue #14: "Bonjour, c'est 127.0.0.1:8101 !")."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def url(name, language="fr"):
    with translation.override(language):
        return reverse(name)


def verified(**fields):
    user = UserFactory(username="user-7f3a9c", **fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.parametrize(("fields", "shown"), [
    ({"first_name": "Awa", "last_name": "Diop"}, "Awa Diop"),
    ({"first_name": "", "last_name": "", "email": "awa@example.org"}, "awa@example.org"),
])
def test_the_login_message_names_the_person_not_their_username(client, fields, shown):
    user = verified(**fields)
    response = client.post(url("account_login", "en"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"Successfully signed in as {shown}." in texts
    assert not any("user-7f3a9c" in text for text in texts)


@pytest.mark.parametrize(("language", "hello", "name"), [
    ("fr", "Bonjour,", "Concertation"), ("en", "Hello,", "Concertation"),
])
def test_account_e_mails_carry_the_portal_s_name(client, settings, language, hello, name):
    settings.SITE_URL = "http://127.0.0.1:8101"
    user = verified(first_name="Awa", last_name="Diop")
    client.post(url("account_reset_password", language), {"email": user.email})
    message = mail.outbox[-1]
    assert message.subject.startswith("[Concertation] ")
    assert message.body.startswith(hello)
    assert f"\n{name} · " in message.body
    assert message.body.endswith(f"\nhttp://127.0.0.1:8101/{language}/")  # its home, in the reader's language
    assert "c'est 127.0.0.1" not in message.body and "Hello from 127.0.0.1" not in message.body
    assert "user-7f3a9c" not in message.body


def test_the_confirmation_e_mail_names_the_portal_and_the_person(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    client.post(url("account_signup", "en"), {
        "email": "fatou@example.org", "password1": "Mutuelle-2026!", "password2": "Mutuelle-2026!",
        "first_name": "Fatou", "last_name": "Sow", "organization": "UTM", "country": "ML",
    })
    body = mail.outbox[-1].body
    assert "user Fatou Sow has given your email address to register an account on Concertation." in body
    assert "127.0.0.1:8101." not in body
