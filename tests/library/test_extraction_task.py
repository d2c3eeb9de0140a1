"""The text of a library file is extracted by a task in the worker, not in the editor's request: the
save queues it and records that it is pending, the task fills the text and indexes it."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django_tasks import default_task_backend

from library.models import ResourcePage
from library.search import SearchQuery, get_engine
from library.services import library_index_get_or_create
from library.tasks import extract_pending_texts, extract_resource_text
from portal.core.pdf import pdf_bytes
from tests.library.helpers import document, resource

pytestmark = pytest.mark.django_db

WORD = "Zanzibarique"


@pytest.fixture
def tasks_wait_in_queue(settings):
    """Tasks are queued and NOT run (django-tasks' DummyBackend, a test double of the worker's queue)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def found(word: str) -> list[str]:
    return [hit.ref for hit in get_engine().search(SearchQuery(q=word)).results]


def queued(backend):
    """The extractions waiting in the queue (Wagtail queues its own search tasks beside them)."""
    return [(result.task.name, result.args) for result in backend.results
            if result.task.name == "extract_resource_text"]


@override_settings(ELASTICSEARCH_URL="")
def test_saving_a_resource_with_a_pdf_queues_the_extraction_and_the_task_makes_it_findable(
        tasks_wait_in_queue, django_capture_on_commit_callbacks):
    index = library_index_get_or_create(language="fr")
    pdf = document("guide.pdf", pdf_bytes(f"Le financement {WORD} des mutuelles"))
    with django_capture_on_commit_callbacks(execute=True):
        page = resource(index, ref="queued-pdf", external_url="", document=pdf)

    # The request is over: nothing was extracted in it, the resource says its text is pending.
    page = ResourcePage.objects.get(pk=page.pk)
    assert page.live and page.extracted_text == "" and page.extraction_pending
    assert ("extract_resource_text", [page.pk, pdf.pk]) in queued(tasks_wait_in_queue)
    assert found(WORD) == []

    # The worker runs the task (twice, as a queued duplicate would: the second does nothing).
    assert extract_resource_text.call(page.pk, pdf.pk) == "extracted"
    assert extract_resource_text.call(page.pk, pdf.pk) == "done already"
    page.refresh_from_db()
    assert WORD in page.extracted_text and not page.extraction_pending
    assert found(WORD) == ["queued-pdf"]


@override_settings(ELASTICSEARCH_URL="")
def test_a_new_revision_keeps_the_text_the_task_wrote(tasks_wait_in_queue,
                                                      django_capture_on_commit_callbacks):
    index = library_index_get_or_create(language="fr")
    pdf = document("guide.pdf", pdf_bytes(f"Texte {WORD}"))
    with django_capture_on_commit_callbacks(execute=True):
        page = resource(index, ref="kept-text", external_url="", document=pdf)
    extract_resource_text.call(page.pk, pdf.pk)
    tasks_wait_in_queue.clear()

    # An editor changes the title (the revision was written before the text arrived).
    page = ResourcePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    page.title = "Nouveau titre"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    page = ResourcePage.objects.get(pk=page.pk)
    assert page.title == "Nouveau titre" and WORD in page.extracted_text
    assert queued(tasks_wait_in_queue) == []  # the same file: nothing to extract again
    assert found(WORD) == ["kept-text"]


def test_a_task_for_a_replaced_file_does_nothing(tasks_wait_in_queue, django_capture_on_commit_callbacks):
    index = library_index_get_or_create(language="fr")
    first = document("a.pdf", pdf_bytes("premier"))
    with django_capture_on_commit_callbacks(execute=True):
        page = resource(index, ref="replaced", external_url="", document=first)
        page = ResourcePage.objects.get(pk=page.pk)
        page.document = document("b.pdf", pdf_bytes("second"))
        page.save()
    assert extract_resource_text.call(page.pk, first.pk) == "stale"
    assert extract_resource_text.call(page.pk, page.document_id) == "extracted"
    page.refresh_from_db()
    assert "second" in page.extracted_text


@override_settings(ELASTICSEARCH_URL="")
def test_the_schedule_catches_up_on_a_lost_extraction(tasks_wait_in_queue,
                                                      django_capture_on_commit_callbacks):
    index = library_index_get_or_create(language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        page = resource(index, ref="lost-task", external_url="",
                        document=document("c.pdf", pdf_bytes(f"Perdu {WORD}")))
    tasks_wait_in_queue.clear()  # the queue lost it
    assert extract_pending_texts.call() == 1
    assert extract_pending_texts.call() == 0
    page.refresh_from_db()
    assert WORD in page.extracted_text and found(WORD) == ["lost-task"]


@override_settings(ELASTICSEARCH_URL="")
def test_the_editor_sees_that_the_text_is_pending_then_extracted(client, tasks_wait_in_queue,
                                                                 django_capture_on_commit_callbacks):
    from django.urls import reverse
    from django.utils import translation

    from portal.accounts.roles import Role
    from tests.factories import UserFactory

    index = library_index_get_or_create(language="fr")
    pdf = document("d.pdf", pdf_bytes(f"Admin {WORD}"))
    with django_capture_on_commit_callbacks(execute=True):
        page = resource(index, ref="admin-status", external_url="", document=pdf)
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    with translation.override("en"):
        html = client.get(edit, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "being extracted" in html
    extract_resource_text.call(page.pk, pdf.pk)
    html = client.get(edit, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "being extracted" not in html and "characters of the file" in html


def test_editing_a_resource_does_not_read_its_file_again(django_capture_on_commit_callbacks):
    """The file was checked (a bounded but full read) when attached; a later edit of the title does
    not pay that read again — it goes through even when the stored file is gone."""
    index = library_index_get_or_create(language="fr")
    pdf = document("e.pdf", pdf_bytes("Lu une fois"))
    with django_capture_on_commit_callbacks(execute=True):
        page = resource(index, ref="read-once", external_url="", document=pdf)
    pdf.file.storage.delete(pdf.file.name)
    page = ResourcePage.objects.get(pk=page.pk)
    page.title = "Titre corrigé"
    page.full_clean()  # the old code read the file here: "The file cannot be read."
    page.document = document("f.pdf", b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(ValidationError):
        page.full_clean()  # a new file is checked
