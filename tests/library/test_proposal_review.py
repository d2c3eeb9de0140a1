"""The secretariat reviews members' proposals in Wagtail's moderation workflow and the contributor is
told by e-mail (portal/core/contributions.py); the contributor follows them on "my proposals" and
changes one sent back for changes (library/views.py). Proposing: test_proposals.py."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Collection, Locale, WorkflowState

from library.models import ResourcePage
from library.views import PROPOSALS_PER_HOUR
from portal.accounts.roles import Role
from portal.core.pdf import pdf_bytes
from portal.core.private_documents import PROPOSALS_COLLECTION
from portal.reference.models import Country
from tests.factories import UserFactory
from tests.library import proposals
from tests.library.proposals import TITLE, form_data, library_search, proposal, propose, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("embedded_engine")]
# The fixtures of the proposal tests (tests/library/proposals.py): the embedded search engine, the
# on-commit callbacks run on demand, a member.
embedded_engine, capture, member = proposals.embedded_engine, proposals.capture, proposals.member


@pytest.fixture
def secretary():
    return UserFactory(email="secretariat@example.org", roles=[Role.SECRETARIAT])


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



def test_a_country_outside_the_network_stays_when_the_proposal_is_sent_again(
    client, member, secretary, capture
):
    # The secretariat adds Cape Verde (outside the network) to a proposal it sends back for changes.
    page = sent_back(client, member, secretary, capture)
    latest = page.get_latest_revision_as_object()
    latest.countries = list(Country.objects.filter(code__in=["SN", "CV"]))
    latest.save_revision(user=secretary)
    assert not Country.objects.get(code="CV").in_network

    html = client.get(edit_url(page, "en")).content.decode()
    assert re.search(r'value="CV"[^>]*\bchecked\b', html) and "Cabo Verde" in html
    assert re.search(r'value="SN"[^>]*\bchecked\b', html)

    with capture(execute=True):  # the member changes the title; the boxes stay as they were shown
        response = client.post(edit_url(page), form_data(title="Guide révisé", countries=["SN", "CV"],
                                                         file=None))
    assert response.status_code == 302
    page.refresh_from_db()
    latest = page.get_latest_revision_as_object()
    assert latest.title == "Guide révisé"
    assert sorted(c.code for c in latest.countries.all()) == ["CV", "SN"]
