"""The files of a refused article form, kept so that the member need not choose them again: only for
a person's post, only for their own field, one per field, never for long, and not without limit."""

import os
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.accounts.roles import Role
from portal.core import antispam
from portal.core.pdf import pdf_bytes
from portal.news import views
from portal.news.models import ArticlePage
from tests.factories import UserFactory
from tests.news.helpers import article_post, old_stamp, png_bytes, url

pytestmark = pytest.mark.django_db


def submit(client, capture, data=None, **files):
    with capture(execute=True):
        return client.post(url("news:submit"), {**(data or article_post()), **files})


def pdf(name="compte-rendu.pdf"):
    return SimpleUploadedFile(name, pdf_bytes("Compte rendu"), "application/pdf")


def png(name="photo.png"):
    return SimpleUploadedFile(name, png_bytes(), "image/png")


def kept_root(settings) -> Path:
    return Path(settings.MEDIA_ROOT) / "news" / "kept"


def kept_on_disk(settings) -> list[str]:
    """The names of the kept files on disk."""
    root = kept_root(settings)
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def expired_stamp() -> str:
    """A stamp signed two days ago (past the form's day)."""
    past = time.time() - 2 * 86400
    with mock.patch("time.time", return_value=past):
        return signing.dumps(past, salt=antispam.SALT)


def tokens(response) -> tuple[str, str]:
    form = response.context["form"]
    return form["image_kept"].value() or "", form["attachment_kept"].value() or ""


def draft_of(user):
    return ArticlePage.objects.get(contributor=user).get_latest_revision_as_object()


# --- bots -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("bot", [
    lambda: {"website": "http://spam.example"}, lambda: {"stamp": ""}, lambda: {"stamp": "forged"},
    lambda: {"stamp": old_stamp(seconds=0)}, lambda: {"stamp": expired_stamp()},
], ids=["honeypot", "no-stamp", "forged-stamp", "too-fast", "expired-stamp"])
def test_a_post_failing_the_anti_bot_checks_leaves_no_file_on_disk(
    client, member, settings, django_capture_on_commit_callbacks, bot
):
    for n in range(3):
        response = submit(client, django_capture_on_commit_callbacks, article_post(**bot()),
                          image=png(), attachment=pdf(f"rapport-{n}.pdf"))
        assert response.status_code == 400
        assert tokens(response) == ("", "")
        assert "already received" not in response.content.decode()
    assert kept_on_disk(settings) == []
    assert not ArticlePage.objects.filter(contributor=member).exists()


# --- tokens belong to their field -----------------------------------------------------------------

def test_an_image_token_sent_as_the_attachment_attaches_nothing(
    client, member, settings, django_capture_on_commit_callbacks
):
    response = submit(client, django_capture_on_commit_callbacks, article_post(title=""), image=png())
    image_token, _ = tokens(response)
    assert image_token
    response = submit(client, django_capture_on_commit_callbacks, article_post(attachment_kept=image_token))
    assert response.status_code == 302
    draft = draft_of(member)
    assert not draft.attachments.exists() and draft.image is None


def test_an_attachment_token_sent_as_the_image_is_ignored_not_an_error(
    client, member, django_capture_on_commit_callbacks
):
    response = submit(client, django_capture_on_commit_callbacks, article_post(title=""), attachment=pdf())
    _, attachment_token = tokens(response)
    # Shown again with another error: the wrong token is not taken for an image received.
    response = submit(client, django_capture_on_commit_callbacks,
                      article_post(title="", image_kept=attachment_token))
    assert response.status_code == 400
    assert tokens(response)[0] == ""
    assert "Image already received" not in response.content.decode()
    response = submit(client, django_capture_on_commit_callbacks, article_post(image_kept=attachment_token))
    assert response.status_code == 302
    assert draft_of(member).image is None


def test_a_session_of_the_former_format_is_ignored_not_an_error(
    client, member, settings, django_capture_on_commit_callbacks
):
    session = client.session
    session[views.KEPT_UPLOADS] = {"a" * 32: f"news/kept/{'a' * 32}/rapport.pdf", "b": ["attachment"], "c": 3}
    session.save()
    response = submit(client, django_capture_on_commit_callbacks,
                      article_post(attachment_kept="a" * 32, image_kept="b"))
    assert response.status_code == 302
    draft = draft_of(member)
    assert not draft.attachments.exists() and draft.image is None


# --- a member correcting the form -----------------------------------------------------------------

def test_a_member_correcting_errors_keeps_one_file_per_field_and_none_after_sending(
    client, member, settings, django_capture_on_commit_callbacks
):
    response = submit(client, django_capture_on_commit_callbacks, article_post(title=""),
                      image=png(), attachment=pdf("premier.pdf"))
    assert response.status_code == 400
    image_token, attachment_token = tokens(response)
    assert kept_on_disk(settings) == ["photo.png", "premier.pdf"]
    assert "Attachment already received: premier.pdf" in response.content.decode()

    # Another error, files not chosen again: the same files, nothing more on disk.
    response = submit(client, django_capture_on_commit_callbacks,
                      article_post(summary="", image_kept=image_token, attachment_kept=attachment_token))
    assert response.status_code == 400
    assert tokens(response) == (image_token, attachment_token)
    assert kept_on_disk(settings) == ["photo.png", "premier.pdf"]

    # A new attachment replaces the one kept: the first is deleted.
    response = submit(client, django_capture_on_commit_callbacks,
                      article_post(summary="", image_kept=image_token, attachment_kept=attachment_token),
                      attachment=pdf("second.pdf"))
    assert response.status_code == 400
    assert tokens(response)[0] == image_token and tokens(response)[1] not in ("", attachment_token)
    assert kept_on_disk(settings) == ["photo.png", "second.pdf"]
    assert "Attachment already received: second.pdf" in response.content.decode()
    assert len(list(kept_root(settings).iterdir())) == 2  # no empty folder left behind

    image_token, attachment_token = tokens(response)
    response = submit(client, django_capture_on_commit_callbacks,
                      article_post(image_kept=image_token, attachment_kept=attachment_token))
    assert response.status_code == 302
    draft = draft_of(member)
    assert draft.image is not None and draft.image.width == 8
    assert [a.document.title for a in draft.attachments.all()] == ["second.pdf"]
    assert kept_on_disk(settings) == [] and list(kept_root(settings).iterdir()) == []
    assert client.session.get(views.KEPT_UPLOADS) is None


def test_files_kept_but_not_used_are_deleted_once_the_article_is_sent(
    client, member, settings, django_capture_on_commit_callbacks
):
    response = submit(client, django_capture_on_commit_callbacks, article_post(title=""),
                      image=png("ancienne.png"), attachment=pdf())
    assert len(kept_on_disk(settings)) == 2
    # The member sends a new image and drops the attachment (the form kept it: they send no token).
    response = submit(client, django_capture_on_commit_callbacks, article_post(), image=png("nouvelle.png"))
    assert response.status_code == 302
    draft = draft_of(member)
    assert draft.image is not None and not draft.attachments.exists()
    assert kept_on_disk(settings) == []


def test_a_bot_like_post_does_not_lose_a_file_kept_before(
    client, member, settings, django_capture_on_commit_callbacks
):
    """A member who sends the corrected form a bit too fast still has the file received earlier."""
    response = submit(client, django_capture_on_commit_callbacks, article_post(title=""), attachment=pdf())
    _, attachment_token = tokens(response)
    response = submit(client, django_capture_on_commit_callbacks,
                      article_post(stamp=old_stamp(seconds=0), attachment_kept=attachment_token))
    assert response.status_code == 400
    assert tokens(response)[1] == attachment_token
    assert "Attachment already received: compte-rendu.pdf" in response.content.decode()
    response = submit(client, django_capture_on_commit_callbacks,
                      article_post(attachment_kept=attachment_token))
    assert response.status_code == 302
    assert [a.document.title for a in draft_of(member).attachments.all()] == ["compte-rendu.pdf"]


# --- limits ---------------------------------------------------------------------------------------

def test_past_the_daily_limit_files_are_no_longer_kept_but_nothing_typed_is_lost(
    client, member, settings, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(views, "KEPTS_PER_DAY", 2)
    for n in range(2):  # each in a new session: one file per session would not stop this alone
        client.force_login(member)
        response = submit(client, django_capture_on_commit_callbacks, article_post(title=""),
                          attachment=pdf(f"rapport-{n}.pdf"))
        assert tokens(response)[1]
        client.logout()
    client.force_login(member)
    data = article_post(title="", body="Un long texte que je ne veux surtout pas retaper.")
    response = submit(client, django_capture_on_commit_callbacks, data, attachment=pdf("de-trop.pdf"))
    text = response.content.decode()
    assert response.status_code == 400
    assert "Un long texte que je ne veux surtout pas retaper." in text
    assert tokens(response) == ("", "") and "already received" not in text
    assert kept_on_disk(settings) == ["rapport-0.pdf", "rapport-1.pdf"]
    # The member chooses the file again and sends the corrected form.
    response = submit(client, django_capture_on_commit_callbacks, article_post(),
                      attachment=pdf("de-trop.pdf"))
    assert response.status_code == 302
    assert [a.document.title for a in draft_of(member).attachments.all()] == ["de-trop.pdf"]


def test_kept_files_older_than_a_day_are_deleted(
    client, member, settings, django_capture_on_commit_callbacks
):
    response = submit(client, django_capture_on_commit_callbacks, article_post(title=""), attachment=pdf())
    _, old_token = tokens(response)
    (old_file,) = [p for p in kept_root(settings).rglob("*") if p.is_file()]
    two_days_ago = time.time() - 2 * 86400
    os.utime(old_file, (two_days_ago, two_days_ago))
    os.utime(old_file.parent, (two_days_ago, two_days_ago))

    other = UserFactory(roles=[Role.MEMBER])
    client.force_login(other)
    submit(client, django_capture_on_commit_callbacks, article_post(title=""), attachment=pdf("recent.pdf"))
    assert kept_on_disk(settings) == ["recent.pdf"]
    assert len(list(kept_root(settings).iterdir())) == 1

    # The first member, back after two days: the file is to be chosen again, the form still works.
    client.force_login(member)
    session = client.session
    session[views.KEPT_UPLOADS] = {old_token: ["attachment", f"news/kept/{old_token}/compte-rendu.pdf"]}
    session.save()
    response = submit(client, django_capture_on_commit_callbacks,
                      article_post(title="", attachment_kept=old_token))
    assert response.status_code == 400 and "already received" not in response.content.decode()
    assert tokens(response)[1] == ""
