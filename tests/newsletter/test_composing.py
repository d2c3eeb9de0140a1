"""Composing an issue without traps (issue #14): the "new issue" button with the next number, the number
field's French label, an abandoned draft that blocks no number, the send screen that says who receives
which language, the "published since the previous issue" panel that lists content only, and the
moderation workflow's name in French."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Task, Workflow
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from portal.accounts.roles import Role, ensure_role_groups
from portal.newsletter import services
from portal.newsletter.models import NewsletterIndexPage, NewsletterIssuePage
from portal.newsletter.panels import published_since
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return UserFactory(email="secretariat@example.org", roles=[Role.SECRETARIAT])


def add_url():
    archive = NewsletterIndexPage.objects.get(locale__language_code="fr")
    return reverse("wagtailadmin_pages:add", args=["newsletter", "newsletterissuepage", archive.pk])


def abandoned_draft(number: int) -> NewsletterIssuePage:
    """What Wagtail's autosave leaves of an attempt nobody finished: a draft, never published."""
    archive = NewsletterIndexPage.objects.get(locale__language_code="fr")
    draft = NewsletterIssuePage(title=f"Essai n° {number}", slug=f"essai-{number}", number=number,
                                locale=archive.locale, live=False)
    archive.add_child(instance=draft)
    draft.save_revision()
    return draft


def new_issue_form(number: int, **fields) -> dict:
    """The issue editor's form as the browser posts it, with the "Publish" button."""
    return nested_form_data({
        "title": f"La Lettre n° {number}", "slug": f"lettre-{number}", "number": number,
        "issue_date": timezone.localdate().isoformat(), "intro": "", "editorial": rich_text(""),
        "sections": streamfield([]), "comments": inline_formset([]), "action-publish": "action-publish",
        **fields,
    })


# The "new issue" button and the number ------------------------------------------------------------

def test_the_newsletter_page_offers_a_new_issue_with_the_next_number(client, issues, secretariat):
    client.force_login(secretariat)
    page = client.get(reverse("newsletter_admin:index")).content.decode()
    assert "Nouveau numéro (n° 42)" in page
    assert f'href="{add_url()}"' in page
    editor = client.get(add_url())
    assert editor.context["form"]["number"].value() == 42  # prefilled
    label = re.search(r'<label[^>]*for="id_number"[^>]*>\s*([^<]+?)\s*<', editor.content.decode())
    assert label and label.group(1) == "Numéro"  # not "Nombre", a quantity


def test_the_archive_page_in_pages_has_the_button_too(client, issues, secretariat):
    archive = NewsletterIndexPage.objects.get(locale__language_code="fr")
    client.force_login(secretariat)
    for url in (reverse("wagtailadmin_explore", args=[archive.pk]),
                reverse("wagtailadmin_pages:edit", args=[archive.pk])):
        content = client.get(url).content.decode()
        assert "Nouveau numéro (n° 42)" in content and add_url() in content, url


def test_the_first_issue_is_number_one(client, secretariat, db):
    from tests.factories import site_skeleton

    site_skeleton()
    client.force_login(secretariat)
    assert "Nouveau numéro (n° 1)" in client.get(reverse("newsletter_admin:index")).content.decode()
    assert client.get(add_url()).context["form"]["number"].value() == 1


# An abandoned draft -------------------------------------------------------------------------------

def test_an_abandoned_draft_blocks_neither_the_number_nor_the_next_issue(client, issues, secretariat):
    draft = abandoned_draft(42)
    client.force_login(secretariat)
    # The number is still proposed, and the new issue takes it.
    assert client.get(add_url()).context["form"]["number"].value() == 42
    response = client.post(add_url(), new_issue_form(42))
    assert response.status_code == 302, response.context["form"].errors
    issue = NewsletterIssuePage.objects.get(slug="lettre-42")
    assert issue.live and issue.number == 42
    # The index tells the draft for what it is, with no send report of the other issue's.
    index = client.get(reverse("newsletter_admin:index"))
    row = next(r for r in index.context["rows"] if r["issue"].pk == draft.pk)
    assert row["abandoned"] and row["delivery"] is None
    assert "brouillon abandonné" in index.content.decode()
    # Once No 42 is published, the draft may not be published with it, and No 43 comes next.
    with pytest.raises(ValidationError):
        draft.full_clean()
    assert client.get(add_url()).context["form"]["number"].value() == 43


def test_a_published_number_cannot_be_given_twice(client, issues, secretariat):
    client.force_login(secretariat)
    response = client.post(add_url(), new_issue_form(41, slug="autre-41"))
    assert response.status_code == 200
    assert "Le numéro 41 a déjà été publié" in response.content.decode()
    assert not NewsletterIssuePage.objects.filter(slug="autre-41").exists()


def test_the_draft_of_a_sent_number_shows_no_send_report(client, issues, readers, secretariat):
    issue = issues[41]
    services.issue_send_to_subscribers(issue=issue, user=secretariat)
    issue.unpublish()  # withdrawn from the site; its number stays taken
    draft = abandoned_draft(99)  # an attempt at No 41 left before No 41 was published
    NewsletterIssuePage.objects.filter(pk=draft.pk).update(number=41)
    client.force_login(secretariat)
    screen = client.get(reverse("newsletter_admin:issue", args=[draft.pk]))
    assert screen.context["delivery"] is None and "report" not in screen.context
    assert client.get(reverse("newsletter_admin:issue", args=[issue.pk])).context["delivery"] is not None


# Who receives which language ----------------------------------------------------------------------

def test_the_send_screen_counts_the_subscribers_of_each_language(client, issues, readers, secretariat):
    client.force_login(secretariat)
    screen = client.get(reverse("newsletter_admin:issue", args=[issues[41].pk]))
    plan = {row["language"]: (row["count"], row["receives"]) for row in screen.context["plan"]}
    assert plan == {"fr": (3, "fr"), "en": (2, "en")}
    assert not screen.context["missing"]
    assert "n’est pas publié" not in screen.content.decode()


def test_an_issue_only_in_french_says_before_sending_that_english_readers_get_french(
        client, issues, readers, secretariat):
    issue = issues[41]
    issue.get_translation(Locale.objects.get(language_code="en")).unpublish()
    client.force_login(secretariat)
    screen = client.get(reverse("newsletter_admin:issue", args=[issue.pk]))
    content = re.sub(r"[ \t\n]+", " ", screen.content.decode())
    assert ("Le numéro n’est pas publié en anglais\u00a0: les 2 abonnés qui lisent en anglais le "
            "recevront en français.") in content
    assert "chacun, dans leur langue" not in content  # the old promise, which the sending did not keep
    # What the screen said is what the sending does.
    client.post(reverse("newsletter_admin:issue", args=[issue.pk]), {"action": "send", "confirm": "1"})
    english_readers = [m for m in mail.outbox if m.to[0] in ("reader.accra@example.org",
                                                             "partner.geneva@example.org")]
    assert len(english_readers) == 2
    assert all(m.extra_headers["Content-Language"] == "fr" and "n° 41" in m.subject for m in english_readers)


def test_an_interrupted_sending_is_explained_in_french_in_the_report(client, issues, readers, secretariat,
                                                                     tasks_wait_in_queue):
    from portal.newsletter import delivery

    issue = issues[41]
    sent, _ = services.issue_send_to_subscribers(issue=issue, user=secretariat)
    sent.recipients.filter(address="abonnee.dakar@example.org").update(state=delivery.RecipientState.SENDING,
                                                                       claimed_by="gone:1:x", claimed_at=None)
    delivery.release_stale_claims()  # a worker that died while handing the message over
    client.force_login(secretariat)
    content = client.get(reverse("newsletter_admin:issue", args=[issue.pk])).content.decode()
    assert "abonnee.dakar@example.org" in content
    assert "il n’est pas renvoyé, pour éviter un doublon" in content
    assert "The sending process stopped" not in content


# The "published since the previous issue" panel ---------------------------------------------------

def test_the_panel_lists_content_not_the_sites_structure(issues, guide):
    from portal.core.models import ContactPage, StandardPage
    from portal.home.models import HomePage

    home = HomePage.objects.get(locale=guide.locale)
    legal = StandardPage(title="Mentions légales", slug="mentions-legales", locale=home.locale)
    home.add_child(instance=legal)
    legal.save_revision().publish()
    contact = ContactPage(title="Contact", slug="contact", locale=home.locale)
    home.add_child(instance=contact)
    contact.save_revision().publish()

    since, previous, pages = published_since(issues[41])
    kinds = {type(page.specific) for page in pages}
    assert guide.pk in {page.pk for page in pages}
    assert not kinds & {HomePage, StandardPage, ContactPage, NewsletterIndexPage, NewsletterIssuePage}
    assert all(p.content_type.model in ("resourcepage", "articlepage", "eventpage", "forumpage",
                                        "projectprofilepage") for p in pages)


def test_an_abandoned_draft_is_not_the_previous_issue(issues):
    abandoned_draft(42)  # abandoned; the next issue took 43
    new = NewsletterIssuePage(number=43, locale=issues[41].locale,
                              issue_date=timezone.localdate() + datetime.timedelta(days=1))
    assert new.previous_issue().number == 41


# The moderation workflow in French ----------------------------------------------------------------

def test_wagtails_default_workflow_takes_the_secretariats_name(db):
    workflow = Workflow.objects.create(name="Moderators approval")
    task = Task.objects.create(name="Moderators approval")
    ensure_role_groups()  # after every migrate
    workflow.refresh_from_db()
    task.refresh_from_db()
    assert workflow.name == task.name == "Validation du secrétariat"


def test_the_submit_button_speaks_french(client, secretariat):
    from portal.core.models import StandardPage
    from tests.factories import site_skeleton

    home = site_skeleton()
    assert Workflow.objects.filter(active=True, name="Validation du secrétariat").exists()  # the migrated one
    page = StandardPage(title="Notre histoire", slug="histoire", locale=home.locale)
    home.add_child(instance=page)
    page.save_revision()
    client.force_login(secretariat)
    content = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "Soumettre au secrétariat" in content
    assert "Moderators approval" not in content
