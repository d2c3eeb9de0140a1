"""Members propose resources from the site; the secretariat reviews them in Wagtail's moderation
workflow; the contributor is told by e-mail (portal/core/contributions.py, library/views.py)."""

import tracemalloc

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Collection, Locale, WorkflowState

from library.models import LibraryIndexPage, ResourcePage
from library.search import SearchQuery, get_engine
from library.views import PROPOSALS_PER_HOUR
from portal.accounts.roles import GROUP_NAMES, Role
from portal.core.pdf import pdf_bytes
from portal.core.private_documents import PROPOSALS_COLLECTION
from portal.reference.models import Theme
from tests.factories import CountryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("embedded_engine")]

TITLE = "Guide du calcul des cotisations à Kaolack"


@pytest.fixture
def embedded_engine():
    with override_settings(ELASTICSEARCH_URL=""):
        yield


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Runs the on-commit callbacks (e-mails, search indexing) of the block it wraps."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def member():
    return UserFactory(email="awa@example.org", first_name="Awa", last_name="Diop", roles=[Role.MEMBER],
                       languages=["fr"])


@pytest.fixture
def secretary():
    return UserFactory(email="secretariat@example.org", roles=[Role.SECRETARIAT])


def url(name, language="fr"):
    with translation.override(language):
        return reverse(name)


def form_data(**overrides):
    theme = Theme.objects.get(slug="financing")
    country = CountryFactory(code="SN", name_fr="Sénégal", name_en="Senegal")
    data = {
        "title": TITLE, "summary": "Comment fixer la cotisation d'une mutuelle communautaire.",
        "resource_type": "guide", "themes": [theme.pk], "countries": [country.pk], "language": "fr",
        "year": "2019", "authors": "Awa Diop; Union des mutuelles", "publisher": "UM Kaolack",
        "licence": "CC BY 4.0",
        "file": SimpleUploadedFile("guide-cotisations.pdf", pdf_bytes("Calcul des cotisations mutuelles"),
                                   content_type="application/pdf"),
        "external_url": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def propose(client, user, site_language="fr", **overrides):
    client.force_login(user)
    return client.post(url("library:propose", site_language), form_data(**overrides))


def proposal():
    return ResourcePage.objects.get(title=TITLE)


def library_search(q):
    return [hit.title for hit in get_engine().search(SearchQuery(q=q)).results]


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


# -- the review ------------------------------------------------------------------------------------

def reviewed(client, member, action, secretary, capture, **kwargs):
    with capture(execute=True):
        propose(client, member)
    mail.outbox.clear()
    page = proposal()
    with capture(execute=True):
        getattr(page.current_workflow_task_state.specific, action)(user=secretary, **kwargs)
    page.refresh_from_db()
    return page, [m for m in mail.outbox if m.to == [member.email]]


def test_approval_publishes_the_proposal_and_tells_the_contributor(
    client, member, secretary, capture
):
    page, messages = reviewed(client, member, "approve", secretary, capture)
    assert page.live
    assert len(messages) == 1  # ours, not Wagtail's admin notice as well
    message = messages[0]
    assert TITLE in message.subject and message.extra_headers["Content-Language"] == "fr"
    assert "http://testserver" + page.url in message.body
    client.logout()
    assert client.get(page.url).status_code == 200
    assert library_search("cotisations Kaolack") == [TITLE]
    assert page.document.collection == Collection.get_first_root_node()
    assert client.get(page.document.url).status_code == 200


def refused_to_visitors(client, address):
    """A visitor asking for the file is sent to log in; no file comes back."""
    client.logout()
    response = client.get(address)
    return response.status_code == 302 and "/login/?next=" in response["Location"]


def test_an_unpublished_proposal_takes_its_file_back_until_it_is_published_again(
    client, member, secretary, capture
):
    page, _ = reviewed(client, member, "approve", secretary, capture)
    address = page.document.url
    assert client.get(address).status_code == 200
    with capture(execute=True):
        page.unpublish(user=secretary)
    assert refused_to_visitors(client, address)
    with capture(execute=True):
        page.save_revision(user=secretary).publish(user=secretary)
    assert client.get(address).status_code == 200
    with capture(execute=True):
        page.delete()
    assert refused_to_visitors(client, address)


def test_a_file_another_live_page_uses_stays_served(client, member, secretary, capture):
    page, _ = reviewed(client, member, "approve", secretary, capture)
    address = page.document.url
    with capture(execute=True):
        english = page.copy_for_translation(Locale.objects.get(language_code="en")).specific
        english.save_revision(user=secretary).publish(user=secretary)
        page.unpublish(user=secretary)
    assert client.get(address).status_code == 200  # the English page still links to it
    english.refresh_from_db()
    with capture(execute=True):
        english.unpublish()
    assert refused_to_visitors(client, address)


def test_a_request_for_changes_sends_the_editors_comment(client, member, secretary, capture):
    member.languages = ["en"]
    member.save()
    page, messages = reviewed(client, member, "reject", secretary, capture,
                              comment="Please give the year of the second edition.")
    assert not page.live
    assert len(messages) == 1
    assert messages[0].subject.endswith(f"Changes requested on your proposal “{TITLE}”")
    assert "Please give the year of the second edition." in messages[0].body
    client.force_login(member)
    listing = client.get(url("library:my_proposals", "en")).content.decode()
    assert "Changes requested" in listing and "Please give the year of the second edition." in listing


def test_a_cancelled_review_tells_the_contributor_it_was_not_accepted(
    client, member, secretary, capture
):
    with capture(execute=True):
        propose(client, member)
    mail.outbox.clear()
    page = proposal()
    with capture(execute=True):
        page.current_workflow_state.cancel(user=secretary)
    messages = [m for m in mail.outbox if m.to == [member.email]]
    assert len(messages) == 1 and TITLE in messages[0].subject


def test_later_publications_send_no_new_e_mail(client, member, secretary, capture):
    page, _ = reviewed(client, member, "approve", secretary, capture)
    mail.outbox.clear()
    page.summary = "Édition revue."
    with capture(execute=True):
        page.save_revision(user=secretary).publish(user=secretary)
    assert [m for m in mail.outbox if m.to == [member.email]] == []


def test_the_secretariat_previews_a_proposal_in_review(client, member, secretary, capture):
    """The admin's previews render the proposal's revision, whose themes are held in memory."""
    with capture(execute=True):
        propose(client, member)
    page = proposal()
    client.force_login(secretary)
    for address in (
        reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, page.current_workflow_task.pk]),
        reverse("wagtailadmin_pages:view_draft", args=[page.pk]),
    ):
        response = client.get(address)
        assert response.status_code == 200, address
        assert TITLE in response.content.decode()


# -- my proposals -----------------------------------------------------------------------------------

def test_my_proposals_shows_each_state(client, member, secretary):
    titles = {"awaiting": "Étude A", "changes": "Étude B", "published": "Étude C", "rejected": "Étude D"}
    for title in titles.values():
        propose(client, member, title=title, file=None, external_url="https://example.org/" + title[-1])
    pages = {key: ResourcePage.objects.get(title=title) for key, title in titles.items()}
    pages["changes"].current_workflow_task_state.reject(user=secretary, comment="Ajoutez les auteurs.")
    pages["published"].current_workflow_task_state.approve(user=secretary)
    pages["rejected"].current_workflow_state.cancel(user=secretary)
    someone_else = Client()
    someone_else.force_login(UserFactory(roles=[Role.MEMBER]))
    assert "Étude A" not in someone_else.get(url("library:my_proposals")).content.decode()
    client.force_login(member)
    table = client.get(url("library:my_proposals", "en")).content.decode().split("<tbody>")[1]
    rows = table.split("</tbody>")[0].split("<tr>")
    states = {title: row for row in rows for key, title in titles.items() if title in row}
    assert "Awaiting review" in states["Étude A"]
    assert "Changes requested" in states["Étude B"] and "Ajoutez les auteurs." in states["Étude B"]
    assert "Published" in states["Étude C"]
    assert f'href="{pages["published"].specific.url}"' in states["Étude C"]
    assert "Not accepted" in states["Étude D"]
    assert "href=" not in states["Étude A"]  # no link to a page visitors cannot see


# -- changing a proposal sent back for changes ------------------------------------------------------

def edit_url(page, language="fr"):
    with translation.override(language):
        return reverse("library:edit", args=[page.pk])


def latest_title(page):
    page.refresh_from_db()
    return page.get_latest_revision_as_object().title


def sent_back(client, member, secretary, capture):
    """A proposal whose changes the secretariat requested."""
    page, _ = reviewed(client, member, "reject", secretary, capture, comment="Ajoutez l'année.")
    return page


def test_the_contributor_changes_a_proposal_sent_back_and_it_is_reviewed_again(
    client, member, secretary, capture
):
    page = sent_back(client, member, secretary, capture)
    listing = client.get(url("library:my_proposals", "en")).content.decode()
    assert f'href="{edit_url(page, "en")}">Change and send again</a>' in listing
    form = client.get(edit_url(page, "en"))
    assert form.status_code == 200
    html = form.content.decode()
    assert f'value="{TITLE}"' in html and "UM Kaolack" in html and "CC BY 4.0" in html
    assert "Ajoutez l&#x27;année." in html  # the secretariat's comment
    assert "Attachment already received: guide-cotisations" in html

    mail.outbox.clear()
    data = form_data(title="Guide révisé des cotisations", year="2021", file=None)
    with capture(execute=True):
        response = client.post(edit_url(page), data)
    assert response.status_code == 302 and response["Location"] == url("library:my_proposals")
    assert ResourcePage.objects.filter(contributor=member).count() == 1
    page.refresh_from_db()
    assert not page.live
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and state.requested_by == member
    latest = page.get_latest_revision_as_object()
    assert (latest.title, latest.year) == ("Guide révisé des cotisations", 2021)
    assert latest.document is not None and latest.document.filename.startswith("guide-cotisations")
    assert page.get_latest_revision().user == member
    # The same e-mail as for a first proposal, and nothing else.
    to_member = [m for m in mail.outbox if m.to == [member.email]]
    assert len(to_member) == 1 and "Guide révisé des cotisations" in to_member[0].subject
    # The secretariat sees it in its review queue and may publish it.
    client.force_login(secretary)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Guide révisé des cotisations" in dashboard
    with capture(execute=True):
        page.current_workflow_task_state.specific.approve(user=secretary)
    page.refresh_from_db()
    assert page.live and page.title == "Guide révisé des cotisations"
    # Once published, it cannot be changed from the site any more.
    client.force_login(member)
    assert "Change and send again" not in client.get(url("library:my_proposals", "en")).content.decode()


def test_a_new_file_or_a_link_replaces_the_file(client, member, secretary, capture):
    page = sent_back(client, member, secretary, capture)
    old_document = page.document
    response = client.post(edit_url(page), form_data(file=None, external_url="https://example.org/guide.pdf"))
    assert response.status_code == 302
    page.refresh_from_db()
    latest = page.get_latest_revision_as_object()
    assert latest.document is None and latest.external_url == "https://example.org/guide.pdf"
    page.current_workflow_task_state.specific.reject(user=secretary, comment="Plutôt le fichier.")
    new_file = SimpleUploadedFile("guide-2021.pdf", pdf_bytes("Seconde édition"),
                                  content_type="application/pdf")
    assert client.post(edit_url(page), form_data(file=new_file)).status_code == 302
    page.refresh_from_db()
    latest = page.get_latest_revision_as_object()
    assert latest.document not in (None, old_document) and latest.external_url == ""
    assert latest.document.collection.name == PROPOSALS_COLLECTION


def test_nobody_changes_another_members_proposal(client, member, secretary, capture):
    page = sent_back(client, member, secretary, capture)
    client.force_login(UserFactory(roles=[Role.MEMBER]))
    assert client.get(edit_url(page)).status_code == 404
    assert client.post(edit_url(page), form_data(title="Piraté")).status_code == 404
    client.force_login(secretary)  # not even the secretariat, from the site
    assert client.get(edit_url(page)).status_code == 404
    assert latest_title(page) == TITLE


@pytest.mark.parametrize("action", ["awaiting", "approve"])
def test_a_proposal_in_review_or_published_cannot_be_changed(client, member, secretary, capture, action):
    if action == "awaiting":
        with capture(execute=True):
            propose(client, member)
        page = proposal()
    else:
        page, _ = reviewed(client, member, action, secretary, capture)
    client.force_login(member)
    for response in (client.get(edit_url(page, "en"), follow=True),
                     client.post(edit_url(page, "en"), form_data(title="Autre titre"), follow=True)):
        assert response.redirect_chain[-1][0] == url("library:my_proposals", "en")
        assert "This proposal is being reviewed or is published" in response.content.decode()
    assert latest_title(page) == TITLE
    assert "Change and send again" not in client.get(url("library:my_proposals", "en")).content.decode()


def test_a_visitor_is_sent_to_log_in_to_change_a_proposal(client, member, secretary, capture):
    page = sent_back(client, member, secretary, capture)
    client.logout()
    for response in (client.get(edit_url(page)), client.post(edit_url(page), form_data(title="Piraté"))):
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert latest_title(page) == TITLE


def test_what_was_typed_stays_when_a_change_is_refused(client, member, secretary, capture):
    page = sent_back(client, member, secretary, capture)
    response = client.post(edit_url(page), form_data(title="Guide révisé", summary="", year="1812",
                                                     file=None))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_summary_error"' in html and 'id="id_year_error"' in html
    assert 'value="Guide révisé"' in html and "UM Kaolack" in html and 'value="1812"' in html
    assert "guide-cotisations" in html  # the file received is still named
    assert latest_title(page) == TITLE
    assert page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES


def test_changes_count_towards_the_rate_limit(client, member, secretary, capture):
    page = sent_back(client, member, secretary, capture)
    for number in range(PROPOSALS_PER_HOUR - 1):
        propose(client, member, title=f"Guide {number}", file=None, external_url=f"https://example.org/{number}")
    response = client.post(edit_url(page), form_data(title="Guide révisé", file=None))
    assert response.status_code == 429 and 'value="Guide révisé"' in response.content.decode()
    assert latest_title(page) == TITLE


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
