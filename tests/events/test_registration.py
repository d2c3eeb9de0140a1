"""Registering to events: seats, the waiting list and its promotion, races for the last seat, e-mails,
the rate limit, and the participants list with who may download it."""

import csv
import io
import threading

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import translation

from portal.accounts.permissions import can
from portal.accounts.roles import Role
from portal.events import services
from portal.events.models import Registration, RegistrationStatus
from tests.factories import LOGIN_PAGES, CountryFactory, UserFactory

pytestmark = pytest.mark.django_db


def member(name, **kwargs):
    return UserFactory(username=name, first_name=name.capitalize(), roles=[Role.MEMBER], **kwargs)


@pytest.fixture
def full_event(make_event):
    return make_event("Formation à places limitées", kind="training", registration_open=True, capacity=2)


def _statuses(event):
    registrations = Registration.objects.filter(event=event).select_related("user")
    return {registration.user.username: registration.status for registration in registrations}


def test_first_come_get_the_seats_then_the_waiting_list(full_event, django_capture_on_commit_callbacks):
    people = [member(name) for name in ("awa", "binta", "cheikh", "dior")]
    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            services.registration_create(event=full_event, user=person)
    assert _statuses(full_event) == {
        "awa": "confirmed", "binta": "confirmed", "cheikh": "waiting", "dior": "waiting",
    }
    subjects = [message.subject for message in mail.outbox]
    assert sum("Inscription confirmée" in s or "You are registered" in s for s in subjects) == 2
    waiting = [s.lower().replace("’", "'") for s in subjects]
    assert sum("liste d'attente" in s or "waiting list" in s for s in waiting) == 2


def test_cancelling_promotes_the_first_waiting_person_who_is_emailed(
    full_event, django_capture_on_commit_callbacks
):
    awa, binta, cheikh, dior = (member(name) for name in ("awa", "binta", "cheikh", "dior"))
    for person in (awa, binta, cheikh, dior):
        services.registration_create(event=full_event, user=person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.registration_cancel(event=full_event, user=binta)
    assert result.promoted.user == cheikh
    assert _statuses(full_event) == {
        "awa": "confirmed", "binta": "cancelled", "cheikh": "confirmed", "dior": "waiting",
    }
    promoted = [message for message in mail.outbox if message.to == [cheikh.email]]
    assert len(promoted) == 1 and full_event.title in promoted[0].subject
    assert f"http://testserver{full_event.url}" in promoted[0].body
    assert [message.to for message in mail.outbox if message.to == [dior.email]] == []


def test_a_waiting_person_who_cancels_frees_no_seat(full_event):
    awa, binta, cheikh = (member(name) for name in ("awa", "binta", "cheikh"))
    for person in (awa, binta, cheikh):
        services.registration_create(event=full_event, user=person)
    result = services.registration_cancel(event=full_event, user=cheikh)
    assert result.promoted is None
    assert Registration.objects.filter(event=full_event).confirmed().count() == 2


def test_registering_twice_keeps_one_place_and_re_registering_after_cancelling_goes_to_the_end(full_event):
    awa, binta, cheikh = (member(name) for name in ("awa", "binta", "cheikh"))
    services.registration_create(event=full_event, user=awa)
    services.registration_create(event=full_event, user=awa)
    assert Registration.objects.filter(event=full_event, user=awa).count() == 1
    services.registration_create(event=full_event, user=binta)
    services.registration_create(event=full_event, user=cheikh)
    services.registration_cancel(event=full_event, user=awa)  # cheikh takes awa's seat
    services.registration_create(event=full_event, user=awa)
    assert _statuses(full_event) == {"awa": "waiting", "binta": "confirmed", "cheikh": "confirmed"}


def test_the_database_refuses_two_people_on_one_seat(full_event, monkeypatch):
    """The race for the last seat, played deterministically: both registrations see seat 2 free
    (as two requests reading at the same time would); the second insert is refused by the unique
    seat constraint, and that person joins the waiting list instead of overbooking."""
    awa, binta, cheikh = (member(name) for name in ("awa", "binta", "cheikh"))
    services.registration_create(event=full_event, user=awa)
    stale = {"calls": 0}
    real_free_seat = services._free_seat

    def free_seat_seen_by_both(event):
        stale["calls"] += 1
        return 2 if stale["calls"] <= 2 else real_free_seat(event)

    monkeypatch.setattr(services, "_free_seat", free_seat_seen_by_both)
    services.registration_create(event=full_event, user=binta)
    services.registration_create(event=full_event, user=cheikh)
    assert _statuses(full_event) == {"awa": "confirmed", "binta": "confirmed", "cheikh": "waiting"}
    assert Registration.objects.filter(event=full_event).confirmed().count() == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrent transactions need PostgreSQL (the SQLite test database is in memory)",
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_last_seat_registrations_never_both_get_it():
    """Two requests in two threads with their own connections, released together: the row lock
    makes them queue, first come first served."""
    import datetime

    from django.utils import timezone

    from portal.demo.loader import load_demo
    from portal.events.models import EventIndexPage, EventPage

    load_demo(with_inventory=False)  # a transactional test starts from a flushed database
    index = EventIndexPage.objects.get(locale__language_code="fr")
    event = EventPage(title="Dernière place", city="Dakar", registration_open=True, capacity=1,
                      start=timezone.now() + datetime.timedelta(days=3),
                      end=timezone.now() + datetime.timedelta(days=3, hours=8))
    index.add_child(instance=event)
    event.save_revision().publish()
    people = [member(name) for name in ("awa", "binta", "cheikh", "dior")]
    barrier = threading.Barrier(len(people))
    errors = []

    def register(person):
        from django.db import connections

        try:
            barrier.wait()
            services.registration_create(event=event, user=person)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = list(_statuses(event).values())
    assert statuses.count("confirmed") == 1 and statuses.count("waiting") == 3


def test_registration_closed_after_the_deadline_or_when_unchecked(make_event):
    import datetime

    from django.utils import timezone

    closed = make_event("Inscriptions fermées", registration_open=False)
    with pytest.raises(services.RegistrationError):
        services.registration_create(event=closed, user=member("awa"))
    late = make_event("Trop tard", registration_open=True,
                      registration_deadline=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(services.RegistrationError):
        services.registration_create(event=late, user=member("binta"))


def test_english_translation_shares_the_registrations_of_the_french_event(full_event):
    from wagtail.models import Locale

    english = full_event.copy_for_translation(Locale.objects.get(language_code="en"))
    english.save_revision().publish()
    awa = member("awa", languages=["en"])
    services.registration_create(event=english.specific, user=awa)
    assert Registration.objects.get(user=awa).event_id == full_event.pk


# --- Through the site -----------------------------------------------------------------------------

def test_member_registers_and_cancels_on_the_events_page(client, full_event):
    awa = member("awa")
    client.force_login(awa)
    response = client.post(f"/fr/agenda/{full_event.pk}/inscription/", follow=True)
    assert response.redirect_chain[-1][0] == full_event.url
    assert Registration.objects.get(user=awa).status == RegistrationStatus.CONFIRMED
    assert "Annuler mon inscription" in response.content.decode() or \
        "Cancel my registration" in response.content.decode()
    client.post(f"/fr/agenda/{full_event.pk}/annulation/")
    assert Registration.objects.get(user=awa).status == RegistrationStatus.CANCELLED


def test_anonymous_visitor_is_sent_to_log_in_and_a_get_is_refused(client, full_event):
    response = client.post(f"/fr/agenda/{full_event.pk}/inscription/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)
    client.force_login(member("awa"))
    assert client.get(f"/fr/agenda/{full_event.pk}/inscription/").status_code == 405


def test_account_without_a_role_group_cannot_register(client, full_event):
    client.force_login(UserFactory(username="horsreseau"))
    assert client.post(f"/fr/agenda/{full_event.pk}/inscription/").status_code == 403
    assert not Registration.objects.exists()


def test_unknown_or_unpublished_event_is_a_404(client, full_event):
    client.force_login(member("awa"))
    assert client.post("/fr/agenda/999999/inscription/").status_code == 404
    full_event.unpublish()
    assert client.post(f"/fr/agenda/{full_event.pk}/inscription/").status_code == 404


def test_registration_requests_are_rate_limited(client, make_event):
    event = make_event("Atelier ouvert", registration_open=True)
    client.force_login(member("awa"))
    codes = []
    for number in range(12):
        action = "inscription" if number % 2 == 0 else "annulation"
        codes.append(client.post(f"/fr/agenda/{event.pk}/{action}/").status_code)
    assert codes[:10] == [302] * 10
    assert codes[10:] == [429, 429]


# --- The participants list ------------------------------------------------------------------------

def _rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_organizer_downloads_the_participants_list(client, full_event):
    organizer = member("organisatrice")
    full_event.organizer_users.add(organizer)
    full_event.save_revision().publish()
    senegal = CountryFactory(code="SN")
    awa = member("awa", last_name="Ndiaye", organization="Mutuelle de Fandène", country=senegal)
    services.registration_create(event=full_event, user=awa)
    for name in ("binta", "cheikh"):
        services.registration_create(event=full_event, user=member(name))
    services.registration_cancel(event=full_event, user=UserFactory(username="nobody"))
    client.force_login(organizer)
    with translation.override("en"):
        rows = _rows(client.get(f"/en/calendar/{full_event.pk}/participants.csv"))
    assert rows[0] == ["Name", "Organization", "Country", "E-mail", "Status", "Registered at"]
    assert rows[1][:5] == ["Awa Ndiaye", "Mutuelle de Fandène", "Senegal", awa.email, "Registered"]
    assert rows[1][5].endswith("+00:00")  # in the event's zone (Dakar)
    assert [row[4] for row in rows[1:]] == ["Registered", "Registered", "On the waiting list"]


def test_secretariat_downloads_any_participants_list(client, full_event):
    client.force_login(UserFactory(username="secretariat", roles=[Role.SECRETARIAT]))
    assert client.get(f"/fr/agenda/{full_event.pk}/participants.csv").status_code == 200


def test_others_cannot_download_the_participants_list(client, full_event):
    url = f"/fr/agenda/{full_event.pk}/participants.csv"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)
    for role in (Role.MEMBER, Role.FOCAL_POINT, Role.SUPPORTING_ORGANIZATION):
        client.force_login(UserFactory(username=f"someone-{role}", roles=[role]))
        assert client.get(url).status_code == 403


def test_participant_cells_cannot_run_as_spreadsheet_formulas(client, full_event):
    services.registration_create(event=full_event, user=member("awa", organization="=HYPERLINK(\"x\")"))
    client.force_login(UserFactory(username="secretariat", roles=[Role.SECRETARIAT]))
    rows = _rows(client.get(f"/fr/agenda/{full_event.pk}/participants.csv"))
    assert rows[1][1] == "'=HYPERLINK(\"x\")"


@pytest.mark.parametrize("organization", ["+221 77 000 00 00", "-ONG", "@ong", "\tONG", "\r=1+1"])
def test_every_formula_start_is_neutralised_in_the_participants_list(client, full_event, organization):
    services.registration_create(event=full_event, user=member("awa", organization=organization))
    client.force_login(UserFactory(username="secretariat", roles=[Role.SECRETARIAT]))
    rows = _rows(client.get(f"/fr/agenda/{full_event.pk}/participants.csv"))
    assert len(rows) == 2 and rows[1][1] == "'" + organization


def test_a_line_break_in_a_name_cannot_start_a_row_of_the_participants_list(client, full_event):
    services.registration_create(event=full_event, user=member("awa", organization='ONG\r=HYPERLINK("x")'))
    client.force_login(UserFactory(username="secretariat", roles=[Role.SECRETARIAT]))
    rows = _rows(client.get(f"/fr/agenda/{full_event.pk}/participants.csv"))
    assert len(rows) == 2 and rows[1][1] == 'ONG\r=HYPERLINK("x")'


def test_an_editor_naming_themselves_on_an_unpublished_event_gets_no_participants_list(client, full_event):
    """Wagtail's "Save draft" on a page that is not live writes its form to the page at once; naming
    oneself a manager of an unpublished event (postponed, registrations kept) must not open the list."""
    services.registration_create(event=full_event, user=member("awa", email="awa@example.org"))
    full_event.unpublish()
    focal_point = UserFactory(username="pointfocal", roles=[Role.FOCAL_POINT])
    client.force_login(focal_point)
    url = f"/fr/agenda/{full_event.pk}/participants.csv"
    assert client.get(url).status_code == 403
    edit = reverse("wagtailadmin_pages:edit", args=[full_event.pk])
    data = _edit_form_data(client.get(edit).content.decode())
    data["organizer_users"] = [str(focal_point.pk)]
    assert client.post(edit, data).status_code == 302  # saved as a draft
    full_event.refresh_from_db()
    assert not full_event.live and full_event.organizer_users.filter(pk=focal_point.pk).exists()
    response = client.get(url)
    assert response.status_code == 403 and b"awa@example.org" not in response.content


def _edit_form_data(html):
    """The values a browser would send from Wagtail's page edit form."""
    form = BeautifulSoup(html, "html.parser").find("form", id="page-edit-form")
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name, kind = field.get("name"), field.get("type")
        if not name or kind in ("submit", "button", "file"):
            continue
        if kind in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.name == "select":
            options = field.find_all("option")
            chosen = [option.get("value") for option in options if option.has_attr("selected")]
            data[name] = chosen if field.has_attr("multiple") else (chosen[0] if chosen else "")
        else:
            data[name] = field.text if field.name == "textarea" else field.get("value", "")
    return data


def test_export_permission_is_scoped_to_the_events_managers(full_event, make_event):
    organizer = member("organisateur")
    full_event.organizer_users.add(organizer)
    full_event.save_revision().publish()
    other = make_event("Autre événement")
    assert can(organizer, "export_event_participants", event=full_event)
    assert not can(organizer, "export_event_participants", event=other)
    assert not can(organizer, "export_event_participants")
