"""Members propose resources from the site (library/views.py): who may, what a proposal becomes (a
page unpublished, waiting in Wagtail's moderation workflow, its file private), the e-mail that
acknowledges it, and the input refused. The secretariat's review and the contributor's changes:
test_proposal_review.py."""

import tracemalloc

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import WorkflowState

from library.models import LibraryIndexPage, ResourcePage
from library.views import PROPOSALS_PER_HOUR
from portal.accounts.roles import GROUP_NAMES, Role
from portal.core.pdf import pdf_bytes
from portal.core.private_documents import PROPOSALS_COLLECTION
from tests.factories import UserFactory
from tests.library import proposals
from tests.library.proposals import TITLE, form_data, library_search, proposal, propose, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("embedded_engine")]
# The fixtures of the proposal tests (tests/library/proposals.py): the embedded search engine, the
# on-commit callbacks run on demand, a member.
embedded_engine, capture, member = proposals.embedded_engine, proposals.capture, proposals.member


# -- who may propose ------------------------------------------------------------------------------

def test_a_visitor_is_sent_to_the_login_page(client):
    for name in ("library:propose", "library:my_proposals"):
        response = client.get(url(name))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    response = client.post(url("library:propose"), form_data())
    assert response.status_code == 302
    assert not ResourcePage.objects.filter(title=TITLE).exists()


def test_a_registered_user_without_the_member_role_cannot_propose(client):
    client.force_login(UserFactory())  # logged in, in no role group
    assert client.get(url("library:propose")).status_code == 403
    assert client.get(url("library:my_proposals")).status_code == 403
    assert client.post(url("library:propose"), form_data()).status_code == 403
    assert not ResourcePage.objects.filter(title=TITLE).exists()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MUTUAL_MANAGER, Role.FOCAL_POINT, Role.SECRETARIAT])
def test_members_and_the_secretariat_may_propose(client, role):
    client.force_login(UserFactory(roles=[role]))
    response = client.get(url("library:propose"))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_the_form_sits_under_the_library_page_which_stays_a_wagtail_page(client, member):
    english_library = LibraryIndexPage.objects.get(locale__language_code="en")
    assert url("library:propose", "en") == english_library.url + "propose/"
    assert client.get(english_library.url).status_code == 200  # the Wagtail page, not shadowed
    client.force_login(member)
    assert client.get(english_library.url + "propose/").templates[0].name == "library/propose.html"


def test_the_library_page_and_the_profile_lead_to_proposing_and_to_ones_proposals(client, member):
    french_library = LibraryIndexPage.objects.get(locale__language_code="fr")
    html = client.get(french_library.url).content.decode()
    assert f'<a href="{url("library:propose")}">Proposer une ressource</a>' in html
    assert url("library:my_proposals") not in html  # a visitor has none
    client.force_login(member)
    assert url("library:my_proposals") in client.get(french_library.url).content.decode()
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert url("library:my_proposals") in profile and reverse("news:mine") in profile


# -- proposing ------------------------------------------------------------------------------------

def test_a_proposal_waits_unpublished_in_the_moderation_workflow(client, member, capture):
    with capture(execute=True):
        response = propose(client, member)
    assert response.status_code == 302
    assert response["Location"] == url("library:my_proposals")
    page = proposal()
    assert not page.live
    assert (page.owner, page.contributor) == (member, member)
    assert page.get_parent().specific == LibraryIndexPage.objects.get(locale__language_code="fr")
    assert page.theme_slugs() == ("financing",) and page.country_codes() == ("SN",)
    assert (page.year, page.publisher, page.licence, page.author_list) == (
        2019, "UM Kaolack", "CC BY 4.0", ["Awa Diop", "Union des mutuelles"])
    assert "Calcul des cotisations" in page.extracted_text
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and state.requested_by == member
    task = page.current_workflow_task
    assert list(task.specific.groups.values_list("name", flat=True)) == [GROUP_NAMES[Role.SECRETARIAT]]
    assert page.get_latest_revision().user == member


def test_an_unpublished_proposal_is_seen_by_nobody_else(client, member, capture):
    with capture(execute=True):
        propose(client, member)
    page = proposal()
    client.logout()
    assert page.url.startswith("/fr/")
    assert client.get(page.url).status_code == 404
    assert library_search("cotisations Kaolack") == []
    assert TITLE not in client.get(reverse("search"), {"q": "Kaolack"}).content.decode()
    library = client.get(LibraryIndexPage.objects.get(locale__language_code="fr").url).content.decode()
    assert TITLE not in library
    # Its file is kept in the secretariat's private collection: its address serves no file.
    assert page.document.collection.name == PROPOSALS_COLLECTION
    response = client.get(page.document.url)
    assert response.status_code != 200 and b"Calcul" not in response.content


def test_the_contributor_is_told_the_proposal_was_received(client, member, capture):
    with capture(execute=True):
        propose(client, member)
    to_member = [m for m in mail.outbox if m.to == [member.email]]
    assert len(to_member) == 1
    message = to_member[0]
    assert message.extra_headers["Content-Language"] == "fr"
    assert TITLE in message.subject
    assert "http://testserver" + url("library:my_proposals") in message.body


def test_the_e_mail_comes_in_the_contributors_language(client, capture):
    english = UserFactory(roles=[Role.MEMBER], languages=["en"])
    with capture(execute=True):
        propose(client, english)
    message = next(m for m in mail.outbox if m.to == [english.email])
    assert message.extra_headers["Content-Language"] == "en"
    assert message.subject.endswith(f"We received your proposal “{TITLE}”")
    assert "http://testserver/en/library/my-proposals/" in message.body


def test_a_link_instead_of_a_file(client, member):
    response = propose(client, member, file=None, external_url="https://example.org/guide.pdf")
    assert response.status_code == 302
    page = proposal()
    assert page.document is None and page.external_url == "https://example.org/guide.pdf"


def test_an_english_document_goes_to_the_english_library(client, member):
    propose(client, member, language="en")
    assert proposal().get_parent().specific == LibraryIndexPage.objects.get(locale__language_code="en")


# -- bad input ------------------------------------------------------------------------------------

def refused(response, field):
    """The form came back (400) with an error on `field`, nothing saved, what was typed kept."""
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert f'value="{TITLE}"' in page  # the title typed is still in the form
    assert "UM Kaolack" in page
    assert not ResourcePage.objects.filter(title=TITLE).exists()
    return page


def test_a_program_disguised_as_a_pdf_is_refused(client, member):
    fake = SimpleUploadedFile("guide.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200,
                              content_type="application/pdf")
    page = refused(propose(client, member, "en", file=fake), "file")
    assert "named .pdf but its content is not a PDF file" in page
    assert "choose the file again" in page


def test_a_file_type_the_library_does_not_take_is_refused(client, member):
    script = SimpleUploadedFile("guide.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    refused(propose(client, member, file=script), "file")


def test_a_file_over_the_size_limit_is_refused(client, member, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    big = SimpleUploadedFile("guide.pdf", pdf_bytes("x" * 50) + b"%" * 2000, content_type="application/pdf")
    page = refused(propose(client, member, "en", file=big), "file")
    assert "too large" in page


def test_neither_a_file_nor_a_link_is_refused(client, member):
    page = refused(propose(client, member, "en", file=None), "file")
    assert "Give the file or a link to the document." in page


def test_a_file_and_a_link_together_are_refused(client, member):
    refused(propose(client, member, external_url="https://example.org/guide.pdf"), "external_url")


def test_each_missing_or_wrong_field_is_named(client, member):
    response = propose(client, member, summary="", resource_type="", year="1812",
                       external_url="pas une adresse")
    assert response.status_code == 400
    page = response.content.decode()
    for field in ("summary", "resource_type", "year", "external_url"):
        assert f'id="id_{field}_error"' in page
    assert 'value="1812"' in page and "pas une adresse" in page
    assert not ResourcePage.objects.filter(title=TITLE).exists()


def test_proposals_are_rate_limited_per_person(client, member):
    for number in range(PROPOSALS_PER_HOUR):
        assert propose(client, member, title=f"Guide {number}", file=None,
                       external_url=f"https://example.org/{number}").status_code == 302
    response = propose(client, member)
    assert response.status_code == 429
    assert f'value="{TITLE}"' in response.content.decode()
    assert not ResourcePage.objects.filter(title=TITLE).exists()
    client.force_login(UserFactory(roles=[Role.MEMBER]))  # someone else is not held back
    assert client.post(url("library:propose"), form_data()).status_code == 302


def test_a_docx_bomb_is_refused_without_being_inflated(client, member):
    """A 200 KB DOCX whose text inflates to 200 MB: refused by the form with the limit it passes, the
    process's memory staying far under the inflated size (portal/core/archives.py)."""
    from tests.crafted_files import MB, docx_bomb

    bomb = SimpleUploadedFile("guide.docx", docx_bomb(200 * MB), content_type="application/octet-stream")
    tracemalloc.start()
    try:
        page = refused(propose(client, member, "en", file=bomb), "file")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "Once unpacked, the file would take more than 200.0\xa0MB: it is refused." in page
    assert peak < 20 * MB
