"""The "to do" home (portal/core/todo.py, issue #14): every role lands there after logging in and
finds what waits for it, each item a link to act, only what it may act on, in a fixed number of
queries whatever the data's size."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from inventory.models import Campaign
from portal.accounts.roles import Role
from tests.core.test_admin_contributions import propose, write
from tests.factories import MutualFactory, ReturnFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def fr(name, *args):
    with translation.override("fr"):
        return reverse(name, args=args)


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def todo_page(client, user, language="en"):
    client.force_login(user)
    response = client.get(en("todo") if language == "en" else fr("todo"))
    assert response.status_code == 200
    return response.content.decode()


def section(html, key):
    """The HTML of one section of the page ('' when it is not shown)."""
    found = re.search(rf'<section class="todo-section" id="todo-{key}".*?</section>', html, re.S)
    return found.group(0) if found else ""


@pytest.fixture
def campaign():
    year = timezone.localdate().year - 1
    return Campaign.objects.create(year=year, deadline=timezone.localdate() + datetime.timedelta(days=20))


def test_a_manager_finds_each_return_to_fill_with_its_deadline(client, campaign):
    manager = UserFactory(roles=[Role.MUTUAL_MANAGER])
    draft = MutualFactory(managers=[manager], name="Mutuelle de Ndiamaguène")
    sent_back = MutualFactory(managers=[manager], name="Mutuelle de Fandène")
    done = MutualFactory(managers=[manager], name="Mutuelle de Thiès")
    MutualFactory(name="Mutuelle d'un autre")  # not theirs
    ReturnFactory(mutual=sent_back, year=campaign.year, state="returned")
    ReturnFactory(mutual=done, year=campaign.year, state="submitted")
    html = section(todo_page(client, manager), "inventory_returns_to_fill")
    assert "Mutuelle d&#x27;un autre" not in html
    edit = en("inventory:return_edit", draft.mutual_id, str(campaign.year))
    assert f'href="{edit}"' in html
    assert f"Fill in the {campaign.year} return of Mutuelle de Ndiamaguène" in html
    # what was sent back comes first, marked; the submitted one is there to follow, without a deadline
    assert html.index("Fandène") < html.index("Ndiamaguène") < html.index("Thiès")
    assert re.search(r'todo-urgent">\s*<a href="[^"]+">Correct the \d+ return of Mutuelle de Fandène', html)
    with translation.override("en"):
        deadline = date_format(campaign.deadline, "DATE_FORMAT")
    assert html.count(f"due {deadline}") == 2
    assert "awaiting validation" in html


def test_a_manager_without_mutual_is_told_what_to_do(client):
    manager = UserFactory(roles=[Role.MUTUAL_MANAGER])
    html = section(todo_page(client, manager), "inventory_returns_to_fill")
    assert "You do not report for any mutual yet" in html
    assert en("inventory:mutual_register") in html


def test_a_supporting_organization_finds_the_returns_of_the_mutuals_it_supports(client, campaign):
    from inventory.models import SupportingOrganization

    staff = UserFactory(roles=[Role.SUPPORTING_ORGANIZATION])
    organization = SupportingOrganization.objects.create(name="ONG Santé Pour Tous")
    organization.staff.add(staff)
    supported = MutualFactory(name="Mutuelle de Kaolack")
    supported.supporting_organizations.add(organization)
    html = section(todo_page(client, staff), "inventory_returns_to_fill")
    assert f"Fill in the {campaign.year} return of Mutuelle de Kaolack" in html


def test_a_focal_point_finds_the_returns_and_sign_ups_of_their_countries_only(client, campaign):
    focal_point = UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"])
    here = ReturnFactory(mutual=MutualFactory(name="Mutuelle de Rufisque"), year=campaign.year,
                         state="submitted")
    ReturnFactory(mutual=MutualFactory(name="Mutuelle de Bamako", country__code="ML"), year=campaign.year,
                  state="submitted")
    ReturnFactory(mutual=MutualFactory(name="Mutuelle de Mbour"), year=campaign.year, state="draft")
    sign_up = MutualFactory(name="Mutuelle de Pikine", registration_state="pending", mutual_id=None)
    MutualFactory(name="Mutuelle de Ségou", country__code="ML", registration_state="pending", mutual_id=None)
    html = todo_page(client, focal_point)
    review = section(html, "inventory_returns_to_review")
    assert f"Review the {campaign.year} return of Mutuelle de Rufisque" in review
    assert en("inventory:return_detail", here.mutual.mutual_id, str(campaign.year)) in review
    assert "Bamako" not in review and "Mbour" not in review
    sign_ups = section(html, "inventory_sign_ups")
    assert "Approve or reject the sign-up of Mutuelle de Pikine" in sign_ups
    assert en("inventory:registration_review", sign_up.pk) in sign_ups and "Ségou" not in sign_ups
    # not theirs: the reporters', the secretariat's
    for key in ("inventory_returns_to_fill", "inventory_campaign", "library_moderate", "news_moderate"):
        assert not section(html, key), key


def test_a_focal_point_with_nothing_to_review_is_told_where_to_look(client):
    focal_point = UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"])
    html = todo_page(client, focal_point)
    assert "No return waits for your review" in section(html, "inventory_returns_to_review")
    assert "No mutual waits to be listed." in section(html, "inventory_sign_ups")


def test_a_focal_point_without_second_factor_is_sent_to_set_it_up(client):
    focal_point = UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"], mfa=False)
    ReturnFactory(mutual=MutualFactory(name="Mutuelle de Rufisque"), state="submitted")
    html = todo_page(client, focal_point)
    assert not section(html, "inventory_returns_to_review") and "Rufisque" not in html
    assert en("mfa_index") in html


def test_the_secretariat_finds_the_campaign_progress_and_the_moderation_queue(client, campaign):
    secretariat = UserFactory(roles=[Role.SECRETARIAT])
    member = UserFactory(roles=[Role.MEMBER])
    proposal = propose(member)
    article = write(member)
    ReturnFactory(mutual=MutualFactory(), year=campaign.year, state="submitted")
    MutualFactory()
    html = todo_page(client, secretariat)
    progress = section(html, "inventory_campaign")
    assert f"{campaign.year} campaign" in progress and "1 of 2 expected mutuals" in progress
    assert "(50 %)" in progress
    library = section(html, "library_moderate")
    assert "Review the proposal “Cotisations de la mutuelle de Kaolack" in library
    assert reverse("wagtailadmin_pages:edit", args=[proposal.pk]) in library
    assert reverse("wagtailadmin_pages:edit", args=[article.pk]) in section(html, "news_moderate")
    # the secretariat reviews every country's returns
    assert "Review the" in section(html, "inventory_returns_to_review")


def test_the_secretariat_without_open_campaign_is_told_to_open_one(client):
    html = todo_page(client, UserFactory(roles=[Role.SECRETARIAT]))
    progress = section(html, "inventory_campaign")
    assert "No campaign is open" in progress and en("inventory:campaigns") in progress
    assert "No library proposal waits for review." in section(html, "library_moderate")


def test_a_member_follows_their_proposals_and_nobody_elses(client):
    member = UserFactory(roles=[Role.MEMBER])
    other = UserFactory(roles=[Role.MEMBER])
    propose(member)
    write(other)
    html = todo_page(client, member)
    mine = section(html, "library_mine")
    assert "Cotisations de la mutuelle de Kaolack" in mine and "Awaiting review" in mine
    assert en("library:my_proposals") in mine and en("library:propose") in mine
    articles = section(html, "news_mine")
    assert "You have not written any article yet" in articles and en("news:submit") in articles
    for key in ("library_moderate", "news_moderate", "inventory_returns_to_review", "inventory_campaign",
                "inventory_returns_to_fill"):
        assert not section(html, key), key


def test_the_page_is_in_french(client):
    member = UserFactory(roles=[Role.MEMBER])
    html = todo_page(client, member, language="fr")
    assert fr("library:propose") in html


def test_visitors_are_sent_to_log_in(client):
    response = client.get(fr("todo"))
    assert response.status_code == 302 and response["Location"].startswith(fr("account_login"))


def queries(client, user):
    client.get(en("todo"))  # content types and the like, cached once per process
    with CaptureQueriesContext(connection) as captured:
        assert client.get(en("todo")).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", [Role.MUTUAL_MANAGER, Role.FOCAL_POINT, Role.SECRETARIAT, Role.MEMBER])
def test_the_number_of_queries_does_not_grow_with_the_data(client, campaign, role):
    user = UserFactory(roles=[role], focal_countries=["SN"])
    client.force_login(user)

    def add(n):
        for _i in range(n):
            mutual = MutualFactory(managers=[user])
            ReturnFactory(mutual=mutual, year=campaign.year, state="submitted")
            MutualFactory(registration_state="pending", mutual_id=None)
        for _i in range(n):
            propose(user)

    add(1)
    few = queries(client, user)
    add(4)
    assert queries(client, user) == few


def verified(user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def log_in(client, user, **query):
    login = fr("account_login")
    if query:
        from urllib.parse import urlencode

        login += "?" + urlencode(query)
    return client.post(login, {"login": user.email, "password": PASSWORD, **query})


def test_every_role_lands_on_the_to_do_page_after_logging_in(client):
    for role in (Role.MEMBER, Role.MUTUAL_MANAGER, Role.SUPPORTING_ORGANIZATION):
        client.logout()
        response = log_in(client, verified(UserFactory(roles=[role])))
        assert response.status_code == 302 and response["Location"] == fr("todo"), role


def test_a_safe_next_still_wins_and_an_unsafe_one_is_ignored(client):
    user = verified(UserFactory(roles=[Role.MEMBER]))
    response = log_in(client, user, next=fr("inventory:overview"))
    assert response["Location"] == fr("inventory:overview")
    client.logout()
    response = log_in(client, user, next="//evil.example/fr/")
    assert response["Location"] == fr("todo")


def test_a_long_list_is_cut_and_says_how_many_more(client, campaign):
    manager = UserFactory(roles=[Role.MUTUAL_MANAGER])
    for _i in range(23):
        MutualFactory(managers=[manager])
    html = section(todo_page(client, manager), "inventory_returns_to_fill")
    assert html.count('class="todo-item') == 20
    assert "And 3 more." in html and en("inventory:my_mutuals") in html
