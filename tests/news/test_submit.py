"""Members send articles from the site: who may, what is refused, the moderation workflow and the
author's e-mails."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Page, WorkflowState

from portal.accounts.roles import Role
from portal.core.pdf import pdf_bytes
from portal.news import views
from portal.news.models import ArticlePage, reserved_slugs
from portal.reference.models import Country
from tests.factories import LOGIN_PAGES, UserFactory
from tests.news.helpers import article_post, old_stamp, png_bytes, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return UserFactory(roles=[Role.SECRETARIAT], email="moderator@example.org")


def submit(client, capture, data=None, name="news:submit", args=(), files=None):
    payload = {**(data or article_post()), **(files or {})}
    with capture(execute=True):
        return client.post(url(name, *args), payload)


def articles_of(user):
    return ArticlePage.objects.filter(contributor=user)


# --- who may ------------------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_log_in(client, django_capture_on_commit_callbacks):
    for name in ("news:submit", "news:mine"):
        response = client.get(url(name))
        assert response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)
    response = submit(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)
    assert not ArticlePage.objects.filter(title=article_post()["title"]).exists()


def test_a_registered_user_outside_the_member_groups_gets_403(client, django_capture_on_commit_callbacks):
    user = UserFactory()  # logged in, in no group
    client.force_login(user)
    assert client.get(url("news:submit")).status_code == 403
    assert submit(client, django_capture_on_commit_callbacks).status_code == 403
    assert not articles_of(user).exists()


def test_nobody_changes_another_members_article(client, member, django_capture_on_commit_callbacks):
    submit(client, django_capture_on_commit_callbacks)
    page = articles_of(member).get()
    intruder = UserFactory(roles=[Role.MEMBER])
    client.force_login(intruder)
    assert client.get(url("news:edit", page.pk)).status_code == 404
    response = submit(client, django_capture_on_commit_callbacks, article_post(title="Piraté"),
                      name="news:edit", args=(page.pk,))
    assert response.status_code == 404
    assert page.get_latest_revision_as_object().title != "Piraté"


# --- the journey ----------------------------------------------------------------------------------

def test_a_submission_waits_for_moderation_and_the_author_is_told(
    client, member, django_capture_on_commit_callbacks
):
    response = submit(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == url("news:mine")
    page = articles_of(member).get()
    assert not page.live
    assert page.author == member and page.locale.language_code == "fr"
    assert page.get_parent().specific_class.__name__ == "NewsIndexPage"
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    # Not visible to visitors before publication, nor in the feed.
    client.logout()
    assert client.get(page.url).status_code == 404
    assert page.title not in client.get(url("news:feed_rss")).content.decode()
    # The author's e-mail, in their language.
    to_author = [m for m in mail.outbox if member.email in m.to]
    assert len(to_author) == 1 and to_author[0].extra_headers["Content-Language"] == "en"


def test_the_body_is_stored_as_escaped_paragraphs(client, member, django_capture_on_commit_callbacks):
    body = "Bonjour <script>alert('x')</script> <b onclick=x>gras</b>\n\nSecond paragraphe."
    submit(client, django_capture_on_commit_callbacks, article_post(body=body))
    stored = articles_of(member).get().get_latest_revision_as_object().body
    assert "<script" not in stored and "<b " not in stored and "&lt;b onclick=x&gt;gras" in stored
    assert stored.startswith("<p>Bonjour &lt;script&gt;") and "<p>Second paragraphe.</p>" in stored


def test_changes_requested_then_resubmitted_then_published(
    client, member, moderator, django_capture_on_commit_callbacks
):
    submit(client, django_capture_on_commit_callbacks, article_post(countries=["ML"], themes=[]))
    page = articles_of(member).get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.current_workflow_task_state.reject(user=moderator, comment="Précisez la date de la réunion.")
    to_author = [m for m in mail.outbox if member.email in m.to]
    assert len(to_author) == 1 and "Précisez la date de la réunion." in to_author[0].body

    mine = client.get(url("news:mine")).content.decode()
    assert "Précisez la date de la réunion." in mine and url("news:edit", page.pk) in mine
    form = client.get(url("news:edit", page.pk)).content.decode()
    assert article_post()["title"] in form and "Second paragraphe." in form

    corrected = article_post(title="Titre corrigé", countries=["ML"])
    response = submit(client, django_capture_on_commit_callbacks, corrected, "news:edit", (page.pk,))
    assert response.status_code == 302
    page.refresh_from_db()
    assert articles_of(member).count() == 1
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert page.get_latest_revision_as_object().title == "Titre corrigé"
    # While it is reviewed, the author cannot change it.
    assert client.get(url("news:edit", page.pk)).status_code == 302

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.current_workflow_task_state.approve(user=moderator)
    page.refresh_from_db()
    assert page.live and page.title == "Titre corrigé"
    assert [c.code for c in page.specific.countries.all()] == ["ML"]
    to_author = [m for m in mail.outbox if member.email in m.to]
    assert len(to_author) == 1 and page.url in to_author[0].body
    client.logout()
    assert client.get(page.url).status_code == 200
    assert "Titre corrigé" in client.get(url("news:feed_rss", language="fr")).content.decode()


def test_an_english_article_goes_to_the_english_news_page(client, member, django_capture_on_commit_callbacks):
    submit(client, django_capture_on_commit_callbacks, article_post(language="en", title="Mutuals in Ghana"))
    assert articles_of(member).get().locale.language_code == "en"


# --- bad input --------------------------------------------------------------------------------------

def test_missing_fields_are_named_and_nothing_typed_is_lost(
    client, member, django_capture_on_commit_callbacks
):
    data = article_post(title="", summary="Un résumé que je ne veux pas retaper.",
                        body="Un long texte que je ne veux surtout pas retaper.")
    response = submit(client, django_capture_on_commit_callbacks, data)
    text = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_title"' in text
    assert "Un résumé que je ne veux pas retaper." in text
    assert "Un long texte que je ne veux surtout pas retaper." in text
    assert not articles_of(member).exists()


def test_a_disguised_file_is_refused(client, member, django_capture_on_commit_callbacks):
    fake_pdf = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00 this is an executable", "application/pdf")
    response = submit(client, django_capture_on_commit_callbacks, files={"attachment": fake_pdf})
    assert response.status_code == 400
    assert "not a PDF file" in response.content.decode()
    fake_image = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>", "image/png")
    response = submit(client, django_capture_on_commit_callbacks, files={"image": fake_image})
    assert response.status_code == 400 and 'href="#id_image"' in response.content.decode()
    assert not articles_of(member).exists()


def test_a_too_large_attachment_is_refused(client, member, settings, django_capture_on_commit_callbacks):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1000
    big = SimpleUploadedFile("gros.pdf", pdf_bytes("x" * 50) + b"%" * 2000, "application/pdf")
    response = submit(client, django_capture_on_commit_callbacks, files={"attachment": big})
    assert response.status_code == 400 and "too large" in response.content.decode()


def test_image_and_attachment_are_stored_with_the_article(
    client, member, django_capture_on_commit_callbacks
):
    submit(client, django_capture_on_commit_callbacks, article_post(image_caption="Assemblée"), files={
        "image": SimpleUploadedFile("photo.png", png_bytes(), "image/png"),
        "attachment": SimpleUploadedFile("compte-rendu.pdf", pdf_bytes("Compte rendu"), "application/pdf"),
    })
    draft = articles_of(member).get().get_latest_revision_as_object()
    assert draft.image is not None and draft.image.width == 8
    # Images are public files: the name of a photo under review cannot be guessed from what was sent.
    stored_name = draft.image.file.name.rsplit("/", 1)[-1]
    assert "photo" not in stored_name and stored_name.endswith(".png") and len(stored_name) >= 20
    assert [a.document.title for a in draft.attachments.all()] == ["compte-rendu.pdf"]


def test_files_accepted_before_an_error_are_kept_for_the_next_try(
    client, member, django_capture_on_commit_callbacks
):
    response = submit(client, django_capture_on_commit_callbacks, article_post(title=""), files={
        "attachment": SimpleUploadedFile("compte-rendu.pdf", pdf_bytes("Compte rendu"), "application/pdf"),
    })
    assert response.status_code == 400
    assert "compte-rendu.pdf" in response.content.decode()
    token = response.context["form"]["attachment_kept"].value()
    assert token
    submit(client, django_capture_on_commit_callbacks, article_post(attachment_kept=token))
    draft = articles_of(member).get().get_latest_revision_as_object()
    assert [a.document.title for a in draft.attachments.all()] == ["compte-rendu.pdf"]


def test_a_kept_file_token_of_another_session_is_ignored(client, member, django_capture_on_commit_callbacks):
    submit(client, django_capture_on_commit_callbacks, article_post(attachment_kept="0" * 32))
    assert not articles_of(member).get().get_latest_revision_as_object().attachments.exists()


def test_bots_are_refused(client, member, django_capture_on_commit_callbacks):
    for data in (article_post(website="http://spam.example"), article_post(stamp=""),
                 article_post(stamp="forged"), article_post(stamp=old_stamp(seconds=0))):
        response = submit(client, django_capture_on_commit_callbacks, data)
        assert response.status_code == 400
    assert not articles_of(member).exists()


def test_a_form_shown_again_after_an_error_can_be_sent_again_at_once(
    client, member, django_capture_on_commit_callbacks
):
    stamp = old_stamp(seconds=60)
    wrong = submit(client, django_capture_on_commit_callbacks, article_post(body="Trop court.", stamp=stamp))
    assert wrong.status_code == 400
    kept = wrong.context["form"]["stamp"].value()
    assert kept == stamp  # the time the form was first shown: the clock does not start again
    response = submit(client, django_capture_on_commit_callbacks, article_post(stamp=kept))  # at once
    assert response.status_code == 302
    assert articles_of(member).count() == 1


def test_an_article_sent_at_once_from_a_browser_is_accepted(
    client, member, django_capture_on_commit_callbacks
):
    headers = {"HTTP_ACCEPT_LANGUAGE": "fr-FR", "HTTP_USER_AGENT": "Mozilla/5.0"}
    with django_capture_on_commit_callbacks(execute=True):  # a text pasted in, sent within the second
        response = client.post(url("news:submit"), article_post(stamp=old_stamp(seconds=0)), **headers)
    assert response.status_code == 302
    assert articles_of(member).count() == 1


def test_submissions_are_rate_limited(client, member, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(views, "SUBMISSIONS_PER_DAY", 2)
    for n in range(2):
        assert submit(client, django_capture_on_commit_callbacks,
                      article_post(title=f"Article {n}")).status_code == 302
    response = submit(client, django_capture_on_commit_callbacks, article_post(title="Un de trop"))
    assert response.status_code == 429
    assert "Un de trop" in response.content.decode()
    assert articles_of(member).count() == 2


def test_my_articles_lists_only_mine_with_their_state(client, member, django_capture_on_commit_callbacks):
    submit(client, django_capture_on_commit_callbacks)
    other = UserFactory(roles=[Role.MEMBER])
    ArticlePage.objects.filter(contributor=member).update(contributor=other)
    submit(client, django_capture_on_commit_callbacks, article_post(title="Le mien"))
    text = client.get(url("news:mine")).content.decode()
    assert "Le mien" in text and article_post()["title"] not in text
    assert "Awaiting review" in text


def test_submit_form_page_renders_for_a_member(client, member):
    response = client.get(url("news:submit", language="fr"))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert Page.objects.count()  # the page tree is there


def test_a_translation_of_a_members_article_is_not_theirs_to_be_told_about(
    client, member, moderator, django_capture_on_commit_callbacks
):
    from wagtail.models import Locale

    submit(client, django_capture_on_commit_callbacks)
    page = articles_of(member).get()
    with django_capture_on_commit_callbacks(execute=True):
        page.current_workflow_task_state.approve(user=moderator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        english = page.copy_for_translation(Locale.objects.get(language_code="en")).specific
        english.save_revision().publish()
    assert english.contributor is None and english.author == member
    assert not [m for m in mail.outbox if member.email in m.to]
    assert articles_of(member).count() == 1


def _submitted_with_attachment(client, member, capture):
    """(article, its attachment's document) of a member's submission with a PDF attached."""
    submit(client, capture, files={
        "attachment": SimpleUploadedFile("compte-rendu.pdf", pdf_bytes("Compte rendu"), "application/pdf"),
    })
    page = articles_of(member).get()
    return page, page.get_latest_revision_as_object().attachments.get().document


def test_an_attachment_is_private_until_the_article_is_published(
    client, member, moderator, django_capture_on_commit_callbacks
):
    page, document = _submitted_with_attachment(client, member, django_capture_on_commit_callbacks)
    client.logout()
    assert client.get(document.url).status_code != 200
    with django_capture_on_commit_callbacks(execute=True):
        page.current_workflow_task_state.approve(user=moderator)
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_an_attachment_is_private_again_once_the_article_is_unpublished_or_deleted(
    client, member, moderator, django_capture_on_commit_callbacks
):
    page, document = _submitted_with_attachment(client, member, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        page.current_workflow_task_state.approve(user=moderator)
    page.refresh_from_db()
    client.logout()
    assert client.get(document.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish(user=moderator)
    response = client.get(document.url)
    assert response.status_code == 302 and "/login/?next=" in response["Location"]  # no file
    with django_capture_on_commit_callbacks(execute=True):
        page.get_latest_revision().publish(user=moderator)
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    response = client.get(document.url)
    assert response.status_code == 302 and "/login/?next=" in response["Location"]  # no file


def test_two_articles_with_one_title_have_two_addresses(client, member, django_capture_on_commit_callbacks):
    submit(client, django_capture_on_commit_callbacks)
    submit(client, django_capture_on_commit_callbacks)
    slugs = [page.slug for page in articles_of(member)]
    assert len(slugs) == 2 and len(set(slugs)) == 2


def test_a_country_outside_the_network_stays_when_the_article_is_sent_again(
    client, member, moderator, django_capture_on_commit_callbacks
):
    submit(client, django_capture_on_commit_callbacks, article_post(countries=["SN"]))
    page = articles_of(member).get()
    with django_capture_on_commit_callbacks(execute=True):
        page.current_workflow_task_state.reject(user=moderator, comment="Précisez la date.")
    # The secretariat adds Cape Verde (outside the network) to the article it sent back.
    latest = page.get_latest_revision_as_object()
    latest.countries = list(Country.objects.filter(code__in=["SN", "CV"]))
    latest.save_revision(user=moderator)
    assert not Country.objects.get(code="CV").in_network

    html = client.get(url("news:edit", page.pk)).content.decode()
    assert re.search(r'value="CV"[^>]*\bchecked\b', html)
    assert re.search(r'value="SN"[^>]*\bchecked\b', html)

    response = submit(client, django_capture_on_commit_callbacks,
                      article_post(title="Titre corrigé", countries=["SN", "CV"]), "news:edit", (page.pk,))
    assert response.status_code == 302
    latest = articles_of(member).get().get_latest_revision_as_object()
    assert latest.title == "Titre corrigé"
    assert sorted(c.code for c in latest.countries.all()) == ["CV", "SN"]


@pytest.mark.parametrize(("title", "language"), [("Proposer", "fr"), ("Feed", "en"), ("Auteurs", "fr")])
def test_an_article_titled_like_a_news_path_gets_another_address(
    client, member, moderator, django_capture_on_commit_callbacks, title, language
):
    # "Proposer" is the French path of the form that sends an article, "Feed" the English feeds'.
    submit(client, django_capture_on_commit_callbacks, article_post(title=title, language=language))
    page = articles_of(member).get()
    assert page.slug not in reserved_slugs() and page.slug.startswith(title.lower())
    page.get_latest_revision_as_object().full_clean()  # what publishing it from the admin checks
    with django_capture_on_commit_callbacks(execute=True):
        page.current_workflow_task_state.approve(user=moderator)
    page.refresh_from_db()
    client.logout()
    response = client.get(page.url)
    assert response.status_code == 200 and "<h1>" + title in response.content.decode()
