"""Members' contributions awaiting review (library proposals, articles) are opened in the Wagtail
admin only by whoever moderates them, the secretariat: a focal point, who edits every other page,
neither opens them through any admin URL that names a page nor finds them in the admin's lists
(issue #11, portal/core/contributions.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from library.models import LibraryIndexPage
from library.services import resource_propose
from portal.accounts.roles import Role
from portal.core.pdf import pdf_bytes
from portal.news.models import NewsIndexPage
from portal.news.services import article_submit
from portal.reference.models import Theme
from tests.factories import CountryFactory, UserFactory

from .admin_urls import DENIED, NOT_FOUND, REDIRECT, admin_routes, make_objects, outcome, url_for

pytestmark = pytest.mark.django_db

# ASCII only: the choosers answer JSON, where accented letters are escaped.
TITLE = "Cotisations de la mutuelle de Kaolack, version de travail"

# URL parameters that name the page a screen is about.
PAGE_PARAMETERS = ("<int:page_id>", "<int:page_to_move_id>", "(?P<pk>", "<int:page_pk>")
# Screens naming a page that are not about a page's content: the contact messages and the newsletter's
# sending (the secretariat's, tested elsewhere), and the modal asking whether publishing may cancel
# the page's workflow (it shows the workflow's task names, nothing of the page).
NOT_ABOUT_THE_PAGE = ("admin/forms/", "admin/newsletter/", "admin/pages/workflow/confirm_cancellation/")


def pdf():
    return SimpleUploadedFile("cotisations.pdf", pdf_bytes("cotisations"), content_type="application/pdf")


def propose(member):
    return resource_propose(
        user=member, title=TITLE, summary="Comment fixer la cotisation.", resource_type="guide",
        themes=[Theme.objects.first()], countries=[CountryFactory(code="SN")], language="fr",
        year=2019, authors="Awa Diop", publisher="", licence="", file=pdf(),
    )


def write(member):
    return article_submit(author=member, data={
        "title": TITLE, "kind": "article", "summary": "Résumé.", "body": "Texte de l'article.",
        "language": "fr",
    }, attachment=pdf())


@pytest.fixture(params=["proposal", "article"])
def contribution(request):
    member = UserFactory(roles=[Role.MEMBER])
    return (propose if request.param == "proposal" else write)(member)


def page_routes():
    return [
        route for route in admin_routes()
        if any(parameter in route for parameter in PAGE_PARAMETERS)
        and not route.startswith(NOT_ABOUT_THE_PAGE)
    ]


def walk(client, user, contribution):
    """What `user` gets on every admin URL naming a page, for the contribution: {url: (outcome, body)}."""
    objects = make_objects(user)
    state = contribution.current_workflow_state
    objects.page = objects.reviewed = objects.alias = contribution
    objects.revision = contribution.latest_revision
    objects.workflow_state, objects.task_state = state, state.current_task_state
    client.raise_request_exception = False
    seen = {}
    for route in page_routes():
        url = url_for(route, objects)
        client.force_login(user)
        with transaction.atomic():
            response = client.get(url)
            if response.status_code == 405:
                client.force_login(user)
                response = client.post(url)
            if outcome(response) == REDIRECT:  # e.g. revisions/ → history/: where it leads
                response = client.get(response["Location"])
            transaction.set_rollback(True)
        seen[url] = (outcome(response), response.content.decode(errors="replace"))
    return seen


def test_a_focal_point_opens_no_admin_screen_of_an_unpublished_contribution(client, contribution):
    seen = walk(client, UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"]), contribution)
    assert len(seen) > 30  # edit, preview, revisions, history, move, copy, delete, workflow, API…
    opened = {url: result for url, (result, _body) in seen.items() if result not in (DENIED, NOT_FOUND)}
    leaked = [url for url, (_result, body) in seen.items() if TITLE in body]
    assert opened == {}
    assert leaked == []


def test_the_secretariat_reviews_it_in_the_admin(client, contribution):
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[contribution.pk]))
    assert response.status_code == 200
    assert TITLE in response.content.decode()


def parent_index(contribution):
    model = LibraryIndexPage if contribution.__class__.__name__ == "ResourcePage" else NewsIndexPage
    return model.objects.get(pk=contribution.get_parent().pk)


def listings(contribution):
    parent = parent_index(contribution)
    return [
        reverse("wagtailadmin_explore", args=[parent.pk]),
        reverse("wagtailadmin_pages:search") + "?q=Kaolack",
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_choose_page_child", args=[parent.pk]),
        reverse("wagtailadmin_choose_page_search") + "?q=Kaolack",
        f"/admin/api/main/pages/?child_of={parent.pk}&for_explorer=1",
        "/admin/api/main/pages/?search=Kaolack",
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailadmin_reports:workflow_tasks"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:aging_pages"),
    ]


def test_a_focal_point_does_not_find_it_in_the_admin_lists(client, contribution):
    client.force_login(UserFactory(roles=[Role.FOCAL_POINT]))
    for url in listings(contribution):
        response = client.get(url)
        assert response.status_code == 200, url
        assert TITLE not in response.content.decode(), url


def test_the_secretariat_finds_it_in_the_explorer_and_the_search(client, contribution):
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    for url in listings(contribution)[:2]:
        assert TITLE in client.get(url).content.decode(), url


def test_once_published_it_is_a_page_like_the_others(client, contribution):
    revision = contribution.get_latest_revision()
    revision.publish()
    client.force_login(UserFactory(roles=[Role.FOCAL_POINT]))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[contribution.pk]))
    assert response.status_code == 200



def test_an_article_image_under_review_is_not_in_a_focal_points_image_chooser(client):
    from wagtail.models import Collection

    from tests.news.helpers import png_bytes

    article = article_submit(author=UserFactory(roles=[Role.MEMBER]), data={
        "title": TITLE, "kind": "article", "summary": "Résumé.", "body": "Texte.", "language": "fr",
    }, image=SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png"))
    client.force_login(UserFactory(roles=[Role.FOCAL_POINT]))
    for url in (reverse("wagtailimages_chooser:choose"), reverse("wagtailimages:index")):
        assert TITLE not in client.get(url).content.decode(), url
    article.get_latest_revision().publish()
    article.image.refresh_from_db()
    assert article.image.collection == Collection.get_first_root_node()
    assert TITLE in client.get(reverse("wagtailimages_chooser:choose")).content.decode()
