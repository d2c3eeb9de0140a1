"""The audit log (portal/core/audit.py): each administrative action leaves one entry in Wagtail's log
with who, what, on which object and from which address; the secretariat reads and filters it in the
*Audit log* report; nobody else reads the accounts' entries."""

import datetime
import io
import json

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.log_actions import registry
from wagtail.models import Locale, ModelLogEntry, PageLogEntry

from inventory.models import Campaign, ExchangeRate, Release, YearlyReturn
from inventory.returns.services import (
    return_restore,
    return_save_draft,
    return_send_back,
    return_submit,
    return_validate,
)
from portal.accounts.roles import GROUP_NAMES, Role
from portal.core.audit import COMMAND_LINE, AuditMiddleware, _os_user
from tests.factories import CountryFactory, MutualFactory, ReturnFactory, UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"
PASSWORD = "Secret-Passw0rd-2026"
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPAUDITLOG"
COMPLETE = {
    "status": "functional", "target_population": 20000, "members": 1500, "beneficiaries": 6000,
    "contributions_due": 9_000_000, "contributions_collected": 7_200_000, "currency": "XOF",
}


@pytest.fixture
def secretary(client):
    user = UserFactory(username="secretary", roles=[Role.SECRETARIAT])
    client.force_login(user)
    client.defaults["REMOTE_ADDR"] = ADDRESS
    return user


def entries(instance, action):
    return list(registry.get_logs_for_instance(instance).filter(action=action).order_by("pk"))


def entry(instance, action):
    found = entries(instance, action)
    assert len(found) == 1, (action, [e.action for e in registry.get_logs_for_instance(instance)])
    return found[0]


def through_request(user, action, address=ADDRESS):
    """Run `action` inside a request from `address`, through the portal's real audit middleware (for
    services whose views are tested elsewhere)."""
    request = RequestFactory().post("/", REMOTE_ADDR=address)
    request.user = user
    return AuditMiddleware(lambda request: action())(request)


def everything_logged() -> str:
    return json.dumps([[e.label, e.data] for e in ModelLogEntry.objects.all()] +
                      [[e.label, e.data] for e in PageLogEntry.objects.all()], default=str)


# Accounts and roles ------------------------------------------------------------------------------

def test_the_user_admin_logs_creation_roles_countries_deactivation_and_deletion(client, secretary):
    CountryFactory(code="SN"), CountryFactory(code="ML")
    focal, member = (Group.objects.get(name=GROUP_NAMES[r]) for r in (Role.FOCAL_POINT, Role.MEMBER))
    response = client.post(reverse("wagtailusers_users:add"), {
        "username": "newcomer", "email": "newcomer@example.org", "first_name": "Ama", "last_name": "Owusu",
        "password1": PASSWORD, "password2": PASSWORD, "is_active": "on", "groups": [focal.pk],
        "focal_point_countries": ["SN"],
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    user = secretary.__class__.objects.get(username="newcomer")
    created = entry(user, "wagtail.create")
    assert (created.user, created.data["origin"]) == (secretary, {"address": ADDRESS})
    added = entry(user, "portal.user.roles_added")
    assert (added.user, added.data["groups"], added.data["origin"]["address"]) == (
        secretary, ["Focal point"], ADDRESS)
    assert entry(user, "portal.user.focal_point_countries_added").data["countries"] == ["SN"]

    response = client.post(reverse("wagtailusers_users:edit", args=[user.pk]), {
        "username": "newcomer", "email": "newcomer@example.org", "first_name": "Ama", "last_name": "Owusu",
        "groups": [member.pk], "focal_point_countries": ["ML"],  # and "is_active" unticked
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert entry(user, "portal.user.roles_removed").data["groups"] == ["Focal point"]
    roles_added = entries(user, "portal.user.roles_added")
    assert [e.data["groups"] for e in roles_added] == [["Focal point"], ["Member"]]
    assert entry(user, "portal.user.focal_point_countries_removed").data["countries"] == ["SN"]
    assert [e.data["countries"] for e in entries(user, "portal.user.focal_point_countries_added")] == [
        ["SN"], ["ML"]]
    deactivated = entry(user, "portal.user.deactivated")
    assert (deactivated.user, deactivated.data["origin"]["address"]) == (secretary, ADDRESS)
    assert entry(user, "wagtail.edit").user == secretary

    pk = user.pk
    administrator = UserFactory(is_superuser=True)  # the secretariat holds no right to delete accounts
    client.force_login(administrator)
    assert client.post(reverse("wagtailusers_users:delete", args=[pk])).status_code == 302
    deleted = ModelLogEntry.objects.get(action="wagtail.delete", object_id=str(pk),
                                        content_type=ContentType.objects.get_for_model(user))
    assert (deleted.user, deleted.data["origin"]["address"]) == (administrator, ADDRESS)
    assert PASSWORD not in everything_logged()


def test_a_role_given_outside_a_request_is_logged_from_the_command_line():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.SECRETARIAT]))
    logged = entry(user, "portal.user.roles_added")
    assert logged.user is None
    assert logged.data["origin"] == {"address": COMMAND_LINE, "os_user": _os_user()}


@pytest.mark.skipif(not apps.is_installed("allauth.mfa"), reason="two-factor authentication not installed")
def test_adding_and_removing_a_second_factor_is_logged(secretary):
    from allauth.mfa.totp.internal.auth import TOTP

    person = UserFactory(roles=[Role.MEMBER])
    through_request(person, lambda: TOTP.activate(person, TEST_TOTP_SECRET))
    added = entry(person, "portal.mfa.added")
    assert (added.user, added.data["type"], added.data["origin"]["address"]) == (person, "totp", ADDRESS)
    through_request(secretary, lambda: person.authenticator_set.all().delete())
    removed = entry(person, "portal.mfa.removed")
    assert (removed.user, removed.data["type"], removed.data["origin"]["address"]) == (
        secretary, "totp", ADDRESS)
    assert TEST_TOTP_SECRET not in everything_logged()


def test_the_address_is_the_client_s_behind_the_trusted_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9")
    request.user = UserFactory(roles=[Role.SECRETARIAT])
    person = UserFactory()
    AuditMiddleware(lambda r: person.groups.add(Group.objects.get(name=GROUP_NAMES[Role.MEMBER])))(request)
    assert entry(person, "portal.user.roles_added").data["origin"]["address"] == "198.51.100.9"


# The inventory -----------------------------------------------------------------------------------

def test_validations_send_backs_and_restores_are_logged_without_the_comment(secretary):
    manager = UserFactory(roles=[Role.MUTUAL_MANAGER])
    ret = ReturnFactory(mutual=MutualFactory(managers=[manager]))
    focal_point = UserFactory(roles=[Role.FOCAL_POINT], focal_countries=[ret.mutual.country_id])
    ret = return_save_draft(ret=ret, data=COMPLETE, user=manager, base_version=1)
    ret = return_submit(ret=ret, user=manager)
    comment = "Les cotisations dues semblent trop élevées."
    ret = through_request(focal_point, lambda: return_send_back(ret=ret, user=focal_point, comment=comment))
    sent_back = entry(ret, "portal.return.sent_back")
    assert (sent_back.user, sent_back.data["origin"]["address"], sent_back.label) == (
        focal_point, ADDRESS, str(ret))
    ret = return_save_draft(ret=ret, data={"members": 1400}, user=manager, base_version=ret.version)
    ret = return_submit(ret=ret, user=manager)
    ret = through_request(focal_point, lambda: return_validate(ret=ret, user=focal_point))
    assert entry(ret, "portal.return.validated").user == focal_point
    first = ret.revisions.get(number=1)
    with translation.override("fr"):
        through_request(secretary, lambda: return_restore(revision=first, user=secretary))
    restored = entry(YearlyReturn.objects.get(pk=ret.pk), "portal.return.restored")
    assert (restored.user, restored.data["restored_version"], restored.data["origin"]["address"]) == (
        secretary, 1, ADDRESS)
    assert comment not in everything_logged()


def inventory_csv(name="inventory.csv"):
    rows = ("mutual_id,mutual_name,country,mutual_type,year,status,members,beneficiaries,currency,"
            "validation_status\nSN-0100,Mutuelle de Thiès,SN,community,2024,functional,1000,4000,XOF,"
            "validated\n")
    return SimpleUploadedFile(name, rows.encode(), content_type="text/csv")


def test_an_inventory_import_on_the_site_is_one_entry_with_its_counts(client, secretary):
    with translation.override("en"):
        url = reverse("inventory:import_upload")
    assert client.post(url, {"file": inventory_csv()}).status_code == 302  # to the import's page
    imported = entry(ContentType.objects.get_for_model(YearlyReturn), "portal.inventory.imported")
    assert (imported.user, imported.label, imported.data["returns_created"], imported.data["origin"]) == (
        secretary, "inventory.csv", 1, {"address": ADDRESS})
    assert not entries(YearlyReturn.objects.get(), "portal.return.validated")  # the import's own entry only
    client.post(url, {"file": inventory_csv("checked.csv"), "check_only": "on"})
    assert len(entries(ContentType.objects.get_for_model(YearlyReturn), "portal.inventory.imported")) == 1


def test_an_inventory_import_from_the_command_line_names_the_os_user(tmp_path):
    path = tmp_path / "inventory.csv"
    path.write_bytes(inventory_csv().read())
    call_command("import_inventory", str(path), stdout=io.StringIO())
    imported = entry(ContentType.objects.get_for_model(YearlyReturn), "portal.inventory.imported")
    assert imported.user is None
    assert imported.data["origin"] == {"address": COMMAND_LINE, "os_user": _os_user()}


def test_a_library_import_is_logged(tmp_path):
    from library.models import ResourcePage

    path = tmp_path / "library.csv"
    path.write_text("ref,title,summary,resource_type,themes,countries,language,year,authors,publisher,url,"
                    "file\naudit-1,Insurance for migrants,,case_study,,SN,en,2012,,,https://example.org/m,\n")
    call_command("import_library", str(path), stdout=io.StringIO())
    imported = entry(ContentType.objects.get_for_model(ResourcePage), "portal.library.imported")
    assert (imported.data["file"], imported.data["created"], imported.data["origin"]["address"]) == (
        "library.csv", 1, COMMAND_LINE)


def test_a_release_is_logged(secretary):
    release = through_request(secretary, lambda: Release.objects.create(
        name="Inventaire 2025", slug="inventaire-2025", version="1.0", published_at=timezone.now(),
        published_by=secretary, inventory_version=1, returns_count=12, synthesis_count=3))
    published = entry(release, "portal.release.published")
    assert (published.user, published.data["returns"], published.data["origin"]["address"]) == (
        secretary, 12, ADDRESS)


def test_campaign_opening_sending_now_and_closing_are_logged(client, secretary):
    with translation.override("en"):
        urls = [reverse("inventory:campaigns"), reverse("inventory:campaign_send", args=[2025]),
                reverse("inventory:campaign_close", args=[2025])]
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    client.post(urls[0], {"year": 2025, "deadline": deadline.isoformat(), "message": "Bonjour"})
    campaign = Campaign.objects.get(year=2025)
    client.post(urls[1])
    client.post(urls[2])
    for action in ("portal.campaign.opened", "portal.campaign.emails_sent", "portal.campaign.closed"):
        logged = entry(campaign, action)
        assert (logged.user, logged.data["origin"]["address"]) == (secretary, ADDRESS), action
    assert "Bonjour" not in everything_logged()


def test_exchange_rate_changes_in_the_admin_are_logged_with_the_address(client, secretary):
    add = reverse("wagtailsnippets_inventory_exchangerate:add")
    client.post(add, {"currency": "GHS", "year": 2024, "rate": "15.5", "source": "BCEAO"})
    rate = ExchangeRate.objects.get(currency="GHS")
    client.post(reverse("wagtailsnippets_inventory_exchangerate:edit", args=[rate.pk]),
                {"currency": "GHS", "year": 2024, "rate": "16", "source": "BCEAO"})
    client.post(reverse("wagtailsnippets_inventory_exchangerate:delete", args=[rate.pk]))
    logged = ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(ExchangeRate),
                                          object_id=str(rate.pk)).order_by("pk")
    assert [(e.action, e.user, e.data["origin"]["address"]) for e in logged] == [
        ("wagtail.create", secretary, ADDRESS), ("wagtail.edit", secretary, ADDRESS),
        ("wagtail.delete", secretary, ADDRESS),
    ]
    # The label keeps the rate as it was set: what changed, when and by whom.
    assert [e.label.split(": ")[1].rstrip("0").rstrip(".") for e in logged] == ["15.5", "16", "16"]


# The site and the newsletter ---------------------------------------------------------------------

def test_a_contact_message_deleted_is_logged_without_its_text(client, secretary, contact_page):
    from wagtail.contrib.forms.models import FormSubmission

    contact = contact_page.get_translation(Locale.objects.get(language_code="en"))
    message = FormSubmission.objects.create(page=contact, form_data={
        "your_name": "John Mensah", "your_e_mail_address": "john@example.org", "your_message": "Bonjour"})
    url = reverse("wagtailforms:delete_submissions", args=[contact.pk])
    response = client.post(f"{url}?selected-submissions={message.pk}")
    assert response.status_code == 302
    deleted = ModelLogEntry.objects.get(action="portal.form_submission.deleted", object_id=str(message.pk))
    assert (deleted.user, deleted.label, deleted.data["origin"]["address"]) == (
        secretary, f"#{message.pk}", ADDRESS)
    assert "john@example.org" not in everything_logged() and "Mensah" not in everything_logged()


@pytest.mark.usefixtures("newsletter_readers")
def test_newsletter_sending_unsubscribing_and_deleting_are_logged(client, secretary):
    from portal.newsletter.models import Subscriber
    from tests.factories import newsletter_issue

    issue = newsletter_issue(41)
    client.post(reverse("newsletter_admin:issue", args=[issue.pk]), {"action": "send", "confirm": "1"})
    sent = entry(issue, "portal.newsletter.sent")
    assert (sent.user, sent.data["issue"], sent.data["origin"]["address"]) == (secretary, 41, ADDRESS)
    assert sent.data["recipients"] == Subscriber.objects.confirmed().count()

    subscriber = Subscriber.objects.get(email="reader.accra@example.org")
    client.post(reverse("newsletter_subscribers:unsubscribe", args=[subscriber.pk]))
    unsubscribed = entry(subscriber, "portal.newsletter.unsubscribed")
    assert (unsubscribed.user, unsubscribed.label, unsubscribed.data["origin"]["address"]) == (
        secretary, f"#{subscriber.pk}", ADDRESS)
    client.post(reverse("newsletter_subscribers:delete", args=[subscriber.pk]))
    assert entry(subscriber, "wagtail.delete").data["origin"]["address"] == ADDRESS
    assert "reader.accra@example.org" not in everything_logged()


# Who reads the log -------------------------------------------------------------------------------

AUDIT_LOG = "/admin/reports/audit-log/"


def test_the_secretariat_reads_and_filters_the_audit_log(client, secretary):
    someone = UserFactory(username="someone")
    through_request(secretary, lambda: someone.groups.add(Group.objects.get(name=GROUP_NAMES[Role.MEMBER])),
                    address="192.0.2.44")
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    with translation.override("en"):
        client.post(reverse("inventory:campaigns"), {"year": 2025, "deadline": deadline.isoformat()})
    page = client.get(AUDIT_LOG, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Roles added: Member" in text and "192.0.2.44" in text
    assert "Campaign 2025 opened" in text and ADDRESS in text

    by_address = client.get(AUDIT_LOG, {"address": "192.0.2"}).context["object_list"]
    assert {e.action for e in by_address} == {"portal.user.roles_added"}
    by_action = client.get(AUDIT_LOG, {"action": "portal.campaign.opened"}).context["object_list"]
    assert [e.label for e in by_action] == [str(Campaign.objects.get(year=2025))]
    by_user = client.get(AUDIT_LOG, {"user": secretary.pk, "address": ADDRESS}).context["object_list"]
    assert by_user and all(e.user_id == secretary.pk for e in by_user)
    export = client.get(AUDIT_LOG, {"export": "csv", "address": "192.0.2"})
    content = export.streaming_content if export.streaming else [export.content]
    assert "192.0.2.44" in b"".join(content).decode()
    assert AUDIT_LOG in client.get("/admin/").content.decode()  # in the Reports menu


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.MEMBER])
def test_focal_points_and_members_do_not_read_the_accounts_entries(client, role):
    person = UserFactory(username="watched", last_name="Watched")
    person.groups.add(Group.objects.get(name=GROUP_NAMES[Role.FOCAL_POINT]))
    client.force_login(UserFactory(roles=[role]))
    response = client.get(AUDIT_LOG)
    assert response.status_code in (302, 403) and "Watched" not in response.content.decode()
    for query in ({}, {"label": "Watched"}, {"q": "Watched"}):
        history = client.get("/admin/reports/site-history/", query).content.decode()
        at = history.find("Roles added")
        assert at == -1, (query, history[max(0, at - 800):at + 100])
        assert "Awa Watched" not in history
    assert AUDIT_LOG not in client.get("/admin/").content.decode()
