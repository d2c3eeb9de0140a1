"""Flash news: preferences on the profile page, who receives a flash (countries, themes), at once or in
the weekly digest, at most once, and the one-click unsubscribe."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from portal.accounts.roles import Role
from portal.news import flash as flash_module
from portal.news.models import FlashNews, FlashNewsReceipt, FlashNewsSubscription, Frequency
from portal.news.services import flash_subscription_update
from portal.reference.models import Country, Theme
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def subscriber(email, frequency, countries=(), themes=(), language="fr"):
    user = UserFactory(email=email, username=email.split("@")[0], languages=[language])
    flash_subscription_update(user=user, frequency=frequency,
                              countries=Country.objects.filter(code__in=countries),
                              themes=Theme.objects.filter(slug__in=themes))
    return user


def publish(capture, title="Alerte", countries=(), themes=(), **fields):
    """A flash news written and published as the secretariat does in the admin (revision, publish)."""
    flash = FlashNews.objects.create(title_fr=title, text_fr=f"Texte de {title}", **fields)
    flash.countries.set(Country.objects.filter(code__in=countries))
    flash.themes.set(Theme.objects.filter(slug__in=themes))
    with capture(execute=True):
        flash.save_revision().publish()
    return flash


def send():
    """The flash e-mails that left since the previous call: at publishing (the task queued with the
    delivery, run at once by the tests' task backend), then by the cron command (which finds nothing
    more to send, unless a test queued without running)."""
    call_command("send_flash_news", stdout=open("/dev/null", "w"))
    sent = {address: message for message in mail.outbox for address in message.to}
    mail.outbox.clear()
    return sent


def test_immediate_flash_reaches_matching_subscribers_only(django_capture_on_commit_callbacks):
    subscriber("all@example.org", Frequency.IMMEDIATE)
    subscriber("mali@example.org", Frequency.IMMEDIATE, countries=["ML"])
    subscriber("senegal@example.org", Frequency.IMMEDIATE, countries=["SN"])
    subscriber("finance@example.org", Frequency.IMMEDIATE, themes=["financing"])
    subscriber("governance-mali@example.org", Frequency.IMMEDIATE, countries=["ML"], themes=["governance"])
    subscriber("weekly@example.org", Frequency.WEEKLY)
    subscriber("never@example.org", Frequency.NEVER)
    publish(django_capture_on_commit_callbacks, "Grève des centres de santé à Bamako",
            countries=["ML"], themes=["financing"])
    sent = send()
    assert set(sent) == {"all@example.org", "mali@example.org", "finance@example.org"}
    assert "Grève des centres de santé à Bamako" in sent["mali@example.org"].subject
    # A flash about no country and no theme concerns everyone who wants flash news at once.
    publish(django_capture_on_commit_callbacks, "Pour tout le réseau")
    assert set(send()) == {"all@example.org", "mali@example.org", "senegal@example.org",
                           "finance@example.org", "governance-mali@example.org"}


def test_each_flash_at_most_once_even_when_published_again(django_capture_on_commit_callbacks):
    subscriber("once@example.org", Frequency.IMMEDIATE)
    flash = publish(django_capture_on_commit_callbacks, "Une seule fois")
    assert set(send()) == {"once@example.org"}
    flash.title_fr = "Une seule fois (corrigé)"
    with django_capture_on_commit_callbacks(execute=True):
        flash.save_revision().publish()
    assert send() == {}
    # Nor in a digest after switching to weekly.
    FlashNewsSubscription.objects.filter(user__email="once@example.org").update(frequency=Frequency.WEEKLY,
                                                                                  since=flash.created_at)
    flash_module.flash_digest_deliver()
    assert send() == {}
    assert FlashNewsReceipt.objects.filter(flash=flash).count() == 1


def test_weekly_digest_gathers_the_weeks_flashes_once(django_capture_on_commit_callbacks):
    reader = subscriber("digest@example.org", Frequency.WEEKLY, countries=["SN"], language="en")
    publish(django_capture_on_commit_callbacks, "Atelier à Dakar", countries=["SN"],
            title_en="Workshop in Dakar", text_en="Text in English")
    publish(django_capture_on_commit_callbacks, "Atelier à Bamako", countries=["ML"])
    publish(django_capture_on_commit_callbacks, "Tout le réseau")
    assert send() == {}  # weekly subscribers get nothing at once
    mail.outbox.clear()
    call_command("send_flash_news", "--digest", stdout=open("/dev/null", "w"))
    assert [m.to for m in mail.outbox] == [[reader.email]]
    digest = mail.outbox[0]
    assert "Workshop in Dakar" in digest.body and "Text in English" in digest.body
    assert "Tout le réseau" in digest.body and "Atelier à Bamako" not in digest.body
    assert digest.extra_headers["Content-Language"] == "en"
    # The same week again, or the next week with nothing new: nothing.
    call_command("send_flash_news", "--digest", stdout=open("/dev/null", "w"))
    next_week = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    call_command("send_flash_news", "--digest", "--date", next_week, stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1


def test_a_digest_leaves_out_flashes_published_before_subscribing(django_capture_on_commit_callbacks):
    publish(django_capture_on_commit_callbacks, "Avant l'abonnement")
    subscriber("late@example.org", Frequency.WEEKLY)
    publish(django_capture_on_commit_callbacks, "Après l'abonnement")
    flash_module.flash_digest_deliver()
    body = send()["late@example.org"].body
    assert "Après l'abonnement" in body and "Avant l'abonnement" not in body


def test_the_email_unsubscribe_link_turns_flash_news_off(client, django_capture_on_commit_callbacks):
    user = subscriber("stop@example.org", Frequency.IMMEDIATE)
    publish(django_capture_on_commit_callbacks, "Première alerte")
    message = send()["stop@example.org"]
    token = str(user.flash_news_subscription.token)
    link = next(word for word in message.body.split() if token in word)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = link.split("://", 1)[1].split("/", 1)[1]
    # Following the link (a mail scanner does) changes nothing; the page's button (or a one-click POST) does.
    assert client.get(f"/{path}").status_code == 200
    assert FlashNewsSubscription.objects.get(user=user).frequency == Frequency.IMMEDIATE
    assert client.post(f"/{path}").status_code == 200
    assert FlashNewsSubscription.objects.get(user=user).frequency == Frequency.NEVER
    publish(django_capture_on_commit_callbacks, "Deuxième alerte")
    assert send() == {}


def test_an_unknown_unsubscribe_token_is_a_404(client):
    assert client.post(reverse("news:flash_unsubscribe", args=["not-a-token"])).status_code == 404
    assert client.post(reverse("news:flash_unsubscribe",
                               args=["6f1c2b9a-0000-4000-8000-000000000000"])).status_code == 404


def test_someone_who_stops_before_the_send_is_skipped(django_capture_on_commit_callbacks, settings):
    # The sending waits in the queue (django-tasks' DummyBackend, a test double of the worker's queue).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    user = subscriber("changed-mind@example.org", Frequency.IMMEDIATE)
    publish(django_capture_on_commit_callbacks, "Alerte")
    FlashNewsSubscription.objects.filter(user=user).update(frequency=Frequency.NEVER)
    assert send() == {}


# --- the profile page -----------------------------------------------------------------------------------

def profile_post(user, **flash):
    data = {"first_name": user.first_name, "last_name": user.last_name, "organization": "", "country": "",
            "flash-frequency": Frequency.NEVER}
    data.update({f"flash-{key}": value for key, value in flash.items()})
    return data


def test_preferences_are_set_on_the_profile_page(client):
    user = UserFactory(roles=[Role.MEMBER])
    client.force_login(user)
    with translation.override("en"):
        page = client.get(reverse("accounts:profile")).content.decode()
    assert "Flash news" in page and 'name="flash-frequency"' in page
    financing = Theme.objects.get(slug="financing")
    response = client.post(reverse("accounts:profile"), profile_post(
        user, frequency=Frequency.WEEKLY, countries=["ML", "SN"], themes=[financing.pk]))
    assert response.status_code == 302
    subscription = FlashNewsSubscription.objects.get(user=user)
    assert subscription.frequency == Frequency.WEEKLY
    assert sorted(c.code for c in subscription.countries.all()) == ["ML", "SN"]
    assert list(subscription.themes.all()) == [financing]
    page = client.get(reverse("accounts:profile")).content.decode()
    assert re.search(r'<input type="radio" name="flash-frequency" value="weekly"[^>]*checked', page)


def test_a_bad_preference_is_named_and_nothing_is_saved(client):
    user = UserFactory(roles=[Role.MEMBER], first_name="Awa")
    client.force_login(user)
    response = client.post(reverse("accounts:profile"),
                           {**profile_post(user, frequency="hourly"), "first_name": "Aminata"})
    assert response.status_code == 200
    assert "hourly" in response.content.decode()
    user.refresh_from_db()
    assert user.first_name == "Awa"
    assert not FlashNewsSubscription.objects.filter(user=user).exists()


def test_the_secretariat_can_write_and_publish_flash_news_in_the_admin():
    secretariat = UserFactory(roles=[Role.SECRETARIAT])
    focal_point = UserFactory(roles=[Role.FOCAL_POINT])
    assert secretariat.has_perm("news.add_flashnews") and secretariat.has_perm("news.publish_flashnews")
    assert not focal_point.has_perm("news.publish_flashnews")
