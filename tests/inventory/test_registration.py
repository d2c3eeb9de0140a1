"""Mutuals asking to be listed: the sign-up and its checks, the pending state, the focal points'
decisions (with crafted POSTs from the wrong people), the e-mails and the role given on approval."""

import html
import logging

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from inventory.contract.choices import RegistrationState
from inventory.models import Mutual, SupportingOrganization, Union
from inventory.registry.registration import my_registrations_context, normalized_name, similar_mutuals
from portal.accounts.permissions import can
from portal.accounts.roles import GROUP_NAMES, Role
from tests.factories import CountryFactory, MutualFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name, *args, language="fr"):
    with translation.override(language):
        return reverse(f"inventory:{name}", args=args)


@pytest.fixture
def senegal():
    return CountryFactory(code="SN", name_fr="Sénégal", name_en="Senegal")


@pytest.fixture
def mali():
    return CountryFactory(code="ML", name_fr="Mali", name_en="Mali")


@pytest.fixture
def focal_point(senegal):
    return UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"], email="fp.sn@example.org",
                       languages=["en"])


@pytest.fixture
def registrant():
    return UserFactory(roles=[Role.MEMBER], email="awa@example.org", first_name="Awa", last_name="Ndiaye")


def sign_up(**overrides):
    data = {
        "name": "Mutuelle de santé de Fandène", "acronym": "MSF", "country": "SN", "region": "Thiès",
        "locality": "Fandène", "year_created": "2004", "mutual_type": "community",
        "legal_status": "registered", "union": "", "address": "BP 12, Thiès", "phone": "+221 33 951 00 00",
        "email": "", "contact_name": "Awa Ndiaye", "contact_phone": "+221 77 123 45 67",
        "contact_email": "awa@example.org",
    }
    data.update(overrides)
    return data


def post_sign_up(client, user, data, capture):
    client.force_login(user)
    with capture(execute=True):
        return client.post(url("mutual_register"), data)


# The sign-up -------------------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_log_in(client, senegal):
    response = client.get(url("mutual_register"))
    assert response.status_code == 302 and "/connexion/" in response["Location"]
    assert client.post(url("mutual_register"), sign_up()).status_code == 302
    assert not Mutual.objects.exists()


def test_a_sign_up_creates_a_pending_mutual_and_tells_the_focal_point(
    client, registrant, focal_point, django_capture_on_commit_callbacks
):
    CountryFactory(code="ML")
    UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["ML"], email="fp.ml@example.org")
    response = post_sign_up(client, registrant, sign_up(), django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == url("my_registrations")
    mutual = Mutual.objects.get()
    assert mutual.registration_state == RegistrationState.PENDING
    assert mutual.registered_by == registrant
    assert list(mutual.managers.all()) == [registrant]
    assert mutual.mutual_id is None and mutual.contact_phone == "+221 77 123 45 67"  # given on approval
    # One e-mail for the sign-up, to Senegal's focal point only, in the language they read.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fp.sn@example.org"]
    assert "Mutuelle de santé de Fandène" in message.subject and "Senegal" in message.subject
    assert "http://testserver/en/" in message.body
    assert url("registration_review", mutual.pk, language="en") in message.body
    assert "awa@example.org" in message.body
    # The registrant sees it on their page.
    page = html.unescape(client.get(response["Location"]).content.decode())
    with translation.override("fr"):
        pending_label = str(RegistrationState.PENDING.label)
    assert "Mutuelle de santé de Fandène" in page and pending_label in page


def test_without_a_focal_point_the_secretariat_is_told(
    client, registrant, senegal, django_capture_on_commit_callbacks
):
    UserFactory(roles=[Role.SECRETARIAT], email="secretariat@example.org")
    post_sign_up(client, registrant, sign_up(), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1 and "secretariat@example.org" in mail.outbox[0].to
    assert "Mutuelle de santé de Fandène" in mail.outbox[0].subject


@pytest.mark.parametrize("overrides,field,message", [
    ({"year_created": str(timezone.localdate().year + 1)}, "year_created", "cannot be in the future"),
    ({"year_created": "1850"}, "year_created", "1900 or later"),
    ({"year_created": "deux mille"}, "year_created", "Enter a year"),
    ({"name": ""}, "name", "This field is required"),
    ({"country": "ZZ"}, "country", "Select a valid choice"),
    ({"mutual_type": "cooperative"}, "mutual_type", "Select a valid choice"),
    ({"contact_phone": "", "contact_email": ""}, "contact_phone", "telephone or e-mail"),
    ({"contact_phone": "call me"}, "contact_phone", "Enter a telephone number"),
    ({"contact_email": "awa@"}, "contact_email", "valid email"),
])
def test_bad_input_is_refused_with_the_field_named_and_nothing_typed_lost(
    client, registrant, senegal, overrides, field, message
):
    client.force_login(registrant)
    with translation.override("en"):
        response = client.post(url("mutual_register", language="en"), sign_up(**overrides))
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert field in errors and message in " ".join(errors[field])
    html = response.content.decode()
    assert 'value="Mutuelle de santé de Fandène"' in html or field == "name"
    assert "BP 12, Thiès" in html and 'value="Awa Ndiaye"' in html
    assert not Mutual.objects.exists()


def test_the_union_must_be_one_of_the_mutuals_country(client, registrant, senegal, mali):
    malian_union = Union.objects.create(name="Union des mutuelles du Mali", country=mali)
    senegalese_union = Union.objects.create(name="Union régionale de Thiès", country=senegal)
    client.force_login(registrant)
    response = client.post(url("mutual_register"), sign_up(union=str(malian_union.pk)))
    assert response.status_code == 400
    assert "union" in response.context["form"].errors
    assert not Mutual.objects.exists()
    response = client.post(url("mutual_register"), sign_up(union=str(senegalese_union.pk)))
    assert response.status_code == 302
    assert Mutual.objects.get().union == senegalese_union


def test_a_very_similar_name_in_the_same_country_asks_to_confirm(
    client, registrant, senegal, django_capture_on_commit_callbacks
):
    existing = MutualFactory(name="Mutuelle de santé de Fandène", country=senegal, acronym="")
    client.force_login(registrant)
    response = client.post(url("mutual_register"), sign_up(name="MUTUELLE DE SANTE DE FANDENE", acronym=""))
    assert response.status_code == 200
    assert response.context["similar"] == [existing]
    html = response.content.decode()
    assert existing.mutual_id in html and 'name="confirm_distinct"' in html
    assert 'value="MUTUELLE DE SANTE DE FANDENE"' in html
    assert Mutual.objects.count() == 1
    confirmed = sign_up(name="MUTUELLE DE SANTE DE FANDENE", acronym="", confirm_distinct="1")
    response = post_sign_up(client, registrant, confirmed, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and Mutual.objects.count() == 2


def test_similar_names_ignore_case_accents_and_the_usual_words(senegal, mali):
    fandene = MutualFactory(name="Mutuelle de santé de Fandène", country=senegal)
    MutualFactory(name="Mutuelle de Fandène", country=mali)  # another country
    MutualFactory(name="Mutuelle rejetée de Fandène", country=senegal,
                  registration_state=RegistrationState.REJECTED)
    assert normalized_name("Mutuelle de Santé de FANDÈNE") == "fandene"
    assert similar_mutuals(country=senegal, name="Mutuelle Fandenne") == [fandene]
    assert similar_mutuals(country=senegal, name="Mutuelle de santé de Thiès") == []
    assert similar_mutuals(country=senegal, name="Mutuelle de santé n° 2") == []


def test_supporting_organization_staff_register_for_their_organization(
    client, senegal, focal_point, django_capture_on_commit_callbacks
):
    staff = UserFactory(roles=[Role.SUPPORTING_ORGANIZATION])
    ngo = SupportingOrganization.objects.create(name="Appui Santé", acronym="AS")
    ngo.staff.add(staff)
    other = SupportingOrganization.objects.create(name="Autre ONG")
    client.force_login(staff)
    form_page = client.get(url("mutual_register")).content.decode()
    assert 'name="supporting_organization"' in form_page and "Autre ONG" not in form_page
    # A crafted POST naming an organization they are not staff of.
    response = client.post(url("mutual_register"), sign_up(supporting_organization=str(other.pk)))
    assert response.status_code == 400 and "supporting_organization" in response.context["form"].errors
    response = post_sign_up(client, staff, sign_up(supporting_organization=str(ngo.pk)),
                            django_capture_on_commit_callbacks)
    assert response.status_code == 302
    mutual = Mutual.objects.get()
    assert list(mutual.supporting_organizations.all()) == [ngo]
    assert not mutual.managers.exists()
    assert "Appui Santé" in mail.outbox[0].body


# Pending: not public, nobody reports -------------------------------------------------------------

def test_a_pending_mutual_is_not_public_and_nobody_reports_for_it(client, registrant, senegal):
    # Signed up before identifiers waited for approval: it has one, and its pages are still closed.
    mutual = MutualFactory(name="Mutuelle en attente", registration_state=RegistrationState.PENDING,
                           managers=[registrant], registered_by=registrant, mutual_id="SN-0099")
    registrant.groups.add(Group.objects.get(name=GROUP_NAMES[Role.MUTUAL_MANAGER]))
    assert client.get(url("mutual_detail", mutual.mutual_id)).status_code == 404
    assert "Mutuelle en attente" not in client.get(url("mutual_list")).content.decode()
    for action in ("edit_return", "submit_return", "view_return_history"):
        assert not can(registrant, action, mutual=mutual)
    client.force_login(registrant)
    assert client.get(url("return_xlsx", mutual.mutual_id, 2025)).status_code == 403
    assert client.get(url("return_edit", mutual.mutual_id, 2025)).status_code in (403, 404)
    mutual.registration_state = RegistrationState.APPROVED
    mutual.save()
    assert can(registrant, "edit_return", mutual=mutual)


# The focal points' queue and decisions -----------------------------------------------------------

@pytest.fixture
def pending(registrant, senegal, mali):
    """A Senegalese and a Malian sign-up by the same registrant, as the form makes them."""
    sn = MutualFactory(name="Mutuelle de Keur Massar", country=senegal, registered_by=registrant,
                       registration_state=RegistrationState.PENDING, managers=[registrant],
                       contact_name="Awa Ndiaye", contact_phone="+221 77 000 00 00")
    ml = MutualFactory(name="Mutuelle de Kayes", country=mali, registered_by=registrant,
                       registration_state=RegistrationState.PENDING, managers=[registrant])
    return {"SN": sn, "ML": ml}


def test_a_focal_point_sees_the_pending_sign_ups_of_their_countries_only(client, focal_point, pending):
    client.force_login(focal_point)
    response = client.get(url("registration_queue"))
    assert response.status_code == 200
    assert [e["mutual"] for e in response.context["entries"]] == [pending["SN"]]
    html = response.content.decode()
    assert "Mutuelle de Keur Massar" in html and "Mutuelle de Kayes" not in html
    assert "+221 77 000 00 00" in html  # the focal point needs the contact person to check


def test_the_secretariat_sees_every_pending_sign_up(client, pending):
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    entries = client.get(url("registration_queue")).context["entries"]
    assert {e["mutual"] for e in entries} == {pending["SN"], pending["ML"]}


@pytest.mark.parametrize("role", [Role.AUTHENTICATED, Role.MEMBER, Role.MUTUAL_MANAGER,
                                  Role.SUPPORTING_ORGANIZATION])
def test_other_roles_get_403_on_the_queue_and_on_crafted_decisions(client, pending, role):
    client.force_login(UserFactory(roles=[] if role == Role.AUTHENTICATED else [role]))
    assert client.get(url("registration_queue")).status_code == 403
    response = client.post(url("registration_review", pending["SN"].pk),
                           {f"signup-{pending['SN'].pk}-decision": "approve"})
    assert response.status_code == 403
    pending["SN"].refresh_from_db()
    assert pending["SN"].registration_state == RegistrationState.PENDING


def test_anonymous_visitors_are_sent_to_log_in_from_the_queue(client, pending):
    assert client.get(url("registration_queue")).status_code == 302
    response = client.post(url("registration_review", pending["SN"].pk),
                           {f"signup-{pending['SN'].pk}-decision": "approve"})
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def decide(client, user, mutual, decision, comment="", capture=None):
    client.force_login(user)
    data = {f"signup-{mutual.pk}-decision": decision, f"signup-{mutual.pk}-comment": comment}
    with capture(execute=True):
        return client.post(url("registration_review", mutual.pk), data)


def test_a_focal_point_of_another_country_cannot_decide_by_a_crafted_post(
    client, focal_point, pending, django_capture_on_commit_callbacks
):
    for decision in ("approve", "reject"):
        response = decide(client, focal_point, pending["ML"], decision, "Non",
                          django_capture_on_commit_callbacks)
        assert response.status_code == 403
    assert client.get(url("registration_review", pending["ML"].pk)).status_code == 403
    pending["ML"].refresh_from_db()
    assert pending["ML"].registration_state == RegistrationState.PENDING
    assert not mail.outbox


def test_approval_lists_the_mutual_makes_the_registrant_a_manager_and_tells_them(
    client, focal_point, registrant, pending, django_capture_on_commit_callbacks, caplog
):
    registrant.languages = ["en", "fr"]
    registrant.save()
    manager_group = Group.objects.get(name=GROUP_NAMES[Role.MUTUAL_MANAGER])
    assert not registrant.groups.filter(pk=manager_group.pk).exists()
    with caplog.at_level(logging.INFO, logger="inventory.registry.registration"):
        response = decide(client, focal_point, pending["SN"], "approve", "Bienvenue",
                          django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == url("registration_queue")
    mutual = Mutual.objects.get(pk=pending["SN"].pk)
    assert mutual.registration_state == RegistrationState.APPROVED
    assert mutual.reviewed_by == focal_point and mutual.reviewed_at is not None
    assert mutual.review_comment == "Bienvenue"
    assert registrant.groups.filter(pk=manager_group.pk).exists()
    assert can(UserFactory._meta.model.objects.get(pk=registrant.pk), "edit_return", mutual=mutual)
    assert client.get(url("mutual_detail", mutual.mutual_id)).status_code == 200
    assert [m.to for m in mail.outbox] == [["awa@example.org"]]
    message = mail.outbox[0]
    assert "is now listed" in message.subject  # English: their first language
    assert mutual.mutual_id in message.body and "Bienvenue" in message.body
    assert "http://testserver/en/" in message.body
    assert f"Sign-up {mutual.mutual_id} approved" in caplog.text
    # The queue no longer shows it.
    assert client.get(url("registration_queue")).context["entries"] == []


def test_rejection_needs_a_comment_and_the_registrant_reads_it_in_french_by_default(
    client, focal_point, registrant, pending, django_capture_on_commit_callbacks
):
    response = decide(client, focal_point, pending["SN"], "reject", "  ", django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "comment" in response.context["entry"]["form"].errors
    pending["SN"].refresh_from_db()
    assert pending["SN"].registration_state == RegistrationState.PENDING and not mail.outbox

    registrant.languages = ["es"]  # a language the portal does not write in
    registrant.save()
    response = decide(client, focal_point, pending["SN"], "reject", "Cette mutuelle est déjà inscrite.",
                      django_capture_on_commit_callbacks)
    assert response.status_code == 302
    mutual = Mutual.objects.get(pk=pending["SN"].pk)
    assert mutual.registration_state == RegistrationState.REJECTED
    assert mutual.review_comment == "Cette mutuelle est déjà inscrite."
    assert not registrant.groups.filter(name=GROUP_NAMES[Role.MUTUAL_MANAGER]).exists()
    assert not can(registrant, "edit_return", mutual=mutual)
    message = mail.outbox[0]
    assert message.to == ["awa@example.org"] and "déjà inscrite" in message.body
    assert "http://testserver/fr/" in message.body  # French, the default
    # The registrant sees the decision and the comment on their page.
    client.force_login(registrant)
    html = client.get(url("my_registrations")).content.decode()
    assert "Cette mutuelle est déjà inscrite." in html and "Mutuelle de Kayes" in html


def test_a_decided_sign_up_cannot_be_decided_again(
    client, focal_point, pending, django_capture_on_commit_callbacks
):
    decide(client, focal_point, pending["SN"], "approve", "", django_capture_on_commit_callbacks)
    response = decide(client, focal_point, pending["SN"], "reject", "Finalement non",
                      django_capture_on_commit_callbacks)
    assert response.status_code == 400
    pending["SN"].refresh_from_db()
    assert pending["SN"].registration_state == RegistrationState.APPROVED
    assert len(mail.outbox) == 1


def test_the_secretariat_decides_in_any_country(client, pending, django_capture_on_commit_callbacks):
    secretariat = UserFactory(roles=[Role.SECRETARIAT])
    response = decide(client, secretariat, pending["ML"], "approve", "", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    pending["ML"].refresh_from_db()
    assert pending["ML"].registration_state == RegistrationState.APPROVED


def test_staff_who_registered_for_their_organization_get_no_manager_role(
    client, focal_point, senegal, django_capture_on_commit_callbacks
):
    staff = UserFactory(roles=[Role.SUPPORTING_ORGANIZATION], email="ngo@example.org")
    ngo = SupportingOrganization.objects.create(name="Appui Santé")
    ngo.staff.add(staff)
    mutual = MutualFactory(registration_state=RegistrationState.PENDING, registered_by=staff)
    mutual.supporting_organizations.add(ngo)
    decide(client, focal_point, mutual, "approve", "", django_capture_on_commit_callbacks)
    mutual.refresh_from_db()
    assert mutual.registration_state == RegistrationState.APPROVED
    assert not staff.groups.filter(name=GROUP_NAMES[Role.MUTUAL_MANAGER]).exists()
    assert can(UserFactory._meta.model.objects.get(pk=staff.pk), "edit_return", mutual=mutual)
    with translation.override("fr"):
        expected = gettext("Your organization's staff can now fill in the mutual's yearly return on the "
                           "portal.")
    assert expected in mail.outbox[0].body


def test_the_registrants_list_is_a_fragment_with_its_own_context(registrant, pending):
    other = MutualFactory(name="Pas à moi", registered_by=UserFactory())
    context = my_registrations_context(registrant)
    assert set(context["my_registrations"]) == {pending["SN"], pending["ML"]}
    assert other not in context["my_registrations"]


# Identifiers on approval only --------------------------------------------------------------------

def test_identifiers_are_given_on_approval_and_a_rejected_sign_up_consumes_none(
    client, registrant, focal_point, django_capture_on_commit_callbacks
):
    for name in ("Mutuelle de Keur Massar", "Mutuelle de Rufisque", "Mutuelle de Pikine"):
        post_sign_up(client, registrant, sign_up(name=name, acronym="", confirm_distinct="1"),
                     django_capture_on_commit_callbacks)
    keur_massar, rufisque, pikine = Mutual.objects.order_by("pk")
    assert [m.mutual_id for m in (keur_massar, rufisque, pikine)] == [None, None, None]
    decide(client, focal_point, keur_massar, "reject", "Doublon", django_capture_on_commit_callbacks)
    decide(client, focal_point, pikine, "approve", "", django_capture_on_commit_callbacks)
    decide(client, focal_point, rufisque, "approve", "", django_capture_on_commit_callbacks)
    for mutual in (keur_massar, rufisque, pikine):
        mutual.refresh_from_db()
    assert (keur_massar.mutual_id, pikine.mutual_id, rufisque.mutual_id) == (None, "SN-0001", "SN-0002")
    # The approval e-mail gives the identifier; it is never given again.
    assert "SN-0001" in mail.outbox[-2].body
    Mutual.objects.filter(pk=rufisque.pk).delete()  # e.g. a duplicate removed by the secretariat
    assert MutualFactory(country=CountryFactory(code="SN")).mutual_id == "SN-0003"


def test_an_approved_mutual_always_has_an_identifier():
    from django.db import IntegrityError, transaction

    mutual = MutualFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Mutual.objects.filter(pk=mutual.pk).update(mutual_id=None)


# Rate limits -------------------------------------------------------------------------------------

def test_a_person_sending_sign_ups_in_a_burst_is_stopped_with_the_form_kept(
    client, registrant, focal_point, django_capture_on_commit_callbacks
):
    from inventory.registry.registration import SIGN_UPS_PER_USER

    limit = SIGN_UPS_PER_USER[0]
    statuses = []
    client.force_login(registrant)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(30):
            data = sign_up(name=f"Mutuelle numéro {n}", acronym="", confirm_distinct="1")
            statuses.append(client.post(url("mutual_register", language="en"), data).status_code)
    assert statuses == [302] * limit + [429] * (30 - limit)
    assert Mutual.objects.count() == limit and len(mail.outbox) == limit
    with translation.override("en"):
        response = client.post(url("mutual_register", language="en"),
                               sign_up(name="Mutuelle de Fandène", confirm_distinct="1"))
    page = html.unescape(response.content.decode())
    assert response.status_code == 429 and "Too many sign-ups" in page
    assert 'value="Mutuelle de Fandène"' in page and 'value="Awa Ndiaye"' in page
    # Someone else is not held up by this person's burst.
    post_sign_up(client, UserFactory(roles=[Role.MEMBER]), sign_up(name="Mutuelle de Thiès", acronym=""),
                 django_capture_on_commit_callbacks)
    assert Mutual.objects.count() == limit + 1


def test_many_accounts_from_one_address_are_stopped_and_a_forged_forwarded_for_does_not_help(
    client, senegal, settings, monkeypatch
):
    from inventory.registry import registration

    monkeypatch.setattr(registration, "SIGN_UPS_PER_ADDRESS", (3, 3600))  # a lower limit, same counter
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0  # no proxy: X-Forwarded-For is the client's own text

    def attempt(n, **headers):
        client.force_login(UserFactory(roles=[Role.MEMBER]))
        data = sign_up(name=f"Mutuelle numéro {n}", acronym="", confirm_distinct="1")
        return client.post(url("mutual_register"), data, REMOTE_ADDR="203.0.113.7", **headers).status_code

    statuses = [attempt(n, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") for n in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    # Behind one trusted proxy, the address the proxy saw counts: other clients go through.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert attempt(10, HTTP_X_FORWARDED_FOR="198.51.100.10") == 302
    assert Mutual.objects.count() == 4
