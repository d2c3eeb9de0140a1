"""Demo content of the calendar from `data/events.yaml`: the calendar page in both trees, the four
Forums, the training seminar as an upcoming seminar (next month, relative to the day the demo is
loaded) and a few upcoming workshops, webinars and meetings.

Idempotent: a page whose slug exists already is left as it is (its missing translation is added).
"""

import datetime
import zoneinfo

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale

from inventory.models import SupportingOrganization
from library.models import ResourcePage
from portal.events.models import (
    DatePrecision,
    EventIndexPage,
    EventKind,
    EventModule,
    EventPage,
    ForumPage,
    ForumProceeding,
)
from portal.reference.models import Country, Theme

from .content import read

_DATA = read("events")
INDEX: dict = _DATA["index"]
ORGANIZATIONS: dict = _DATA["organizations"]  # acronym -> name
FORUM_QUESTIONS_2007: dict = _DATA["forum_questions_2007"]


def _at(day: datetime.date, time: str, zone: str) -> datetime.datetime:
    hour, minute = (int(part) for part in time.split(":"))
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))


def _first_monday_of_next_month(today: datetime.date) -> datetime.date:
    first = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first + datetime.timedelta(days=(7 - first.weekday()) % 7)


def _forums() -> list[dict]:
    """The forums of the data file, their `start` an aware datetime."""
    return [{**forum, "start": _at(forum["start"]["date"], forum["start"]["time"], forum["start"]["zone"])}
            for forum in _DATA["forums"]]


def _upcoming(today: datetime.date) -> list[dict]:
    """The upcoming events of the data file, their `start` and `end` aware datetimes counted from
    `today` (or from the first Monday of next month)."""
    origins = {None: today, "first_monday_of_next_month": _first_monday_of_next_month(today)}

    def moment(when, zone):
        return _at(origins[when.get("from")] + datetime.timedelta(days=when["days"]), when["time"], zone)

    return [{**event, "kind": EventKind(event["kind"]),
             "start": moment(event["start"], event["time_zone"]),
             "end": moment(event["end"], event["time_zone"])}
            for event in _DATA["upcoming"]]


def _organization(acronym: str) -> SupportingOrganization:
    name = ORGANIZATIONS[acronym]
    found = SupportingOrganization.objects.filter(
        Q(acronym__iexact=acronym) | Q(name__iexact=name) | Q(name__iexact=acronym)
    ).first()
    return found or SupportingOrganization.objects.create(name=name, acronym=acronym)


def _index(language: str) -> EventIndexPage:
    locale = Locale.objects.get(language_code=language)
    existing = EventIndexPage.objects.filter(locale=locale).first()
    if existing is not None:
        return existing
    if language == "fr":
        from portal.home.models import HomePage

        home = HomePage.objects.get(locale=locale)
        page = EventIndexPage(locale=locale, show_in_menus=True, **INDEX["fr"])
        home.add_child(instance=page)
    else:
        page = _index("fr").copy_for_translation(locale, copy_parents=True).specific
        for key, value in INDEX[language].items():
            setattr(page, key, value)
        page.save()
    page.save_revision().publish()
    return page


def _modules(data, language):
    monday = data["start"].date()  # modules are counted from the event's first day
    return [
        EventModule(
            sort_order=order, duration=module["duration"][language],
            start_date=monday + datetime.timedelta(days=module["days"][0]),
            end_date=monday + datetime.timedelta(days=module["days"][1]),
            **module[language],
        )
        for order, module in enumerate(data.get("modules", []))
    ]


def _set_text(page, data, language):
    text = data[language]
    page.title = text["title"]
    page.intro = text["intro"]
    page.description = text.get("description", "")
    if isinstance(page, ForumPage):
        page.participation_note = text.get("note", "")
        page.questions = FORUM_QUESTIONS_2007[language] if page.edition == 4 else ""
    if data.get("modules"):
        page.modules = _modules(data, language)


def _event(parent_fr, parent_en, model, data, **fields) -> int:
    """The event in French under `parent_fr` and its English translation; returns how many pages were made."""
    created = 0
    page = parent_fr.get_children().filter(slug=data["slug"]).first()
    if page is None:
        page = model(locale=parent_fr.locale, slug=data["slug"], **fields)
        _set_text(page, data, "fr")
        page.themes = list(Theme.objects.filter(slug__in=data.get("themes", [])))
        if model is ForumPage:
            page.speaker_organizations = [_organization(acronym) for acronym in data.get("organizations", [])]
            page.proceedings = [
                ForumProceeding(resource=resource)
                for resource in ResourcePage.objects.filter(ref__in=data.get("proceedings", []))
            ]
        else:
            page.organizations = [_organization(acronym) for acronym in data.get("organizations", [])]
        parent_fr.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    else:
        page = page.specific
    if page.get_translation_or_none(parent_en.locale) is None:
        translation = page.copy_for_translation(parent_en.locale).specific
        _set_text(translation, data, "en")
        translation.slug = page.slug
        translation.save()
        translation.save_revision().publish()
        created += 1
    return created


def load(report) -> None:
    countries = {country.code: country for country in Country.objects.all()}
    index_fr, index_en = _index("fr"), _index("en")
    created = 0
    for forum in _forums():
        end = forum["start"] + datetime.timedelta(days=forum["days"] - 1, hours=8)
        created += _event(
            index_fr, index_en, ForumPage, forum,
            edition=forum["edition"], start=forum["start"], end=end, time_zone=str(forum["start"].tzinfo),
            date_precision=DatePrecision(forum["precision"]), city=forum["city"],
            country=countries.get(forum["country"]),
            participants_count=forum["participants"],
            participants_approximate=forum.get("approximate", False),
            nationalities_count=forum.get("nationalities"), organizer="La Concertation", languages=["fr"],
        )
    today = timezone.localdate()
    for event in _upcoming(today):
        deadline = None
        if event.get("deadline_days"):
            deadline = event["start"] - datetime.timedelta(days=event["deadline_days"])
        created += _event(
            index_fr, index_en, EventPage, event,
            kind=event["kind"], start=event["start"], end=event["end"], time_zone=event["time_zone"],
            city=event.get("city", ""), venue=event.get("venue", ""),
            country=countries.get(event["country"]), online_url=event.get("online_url", ""),
            organizer=event["organizer"], languages=event["languages"],
            registration_open=True, capacity=event.get("capacity"), registration_deadline=deadline,
        )
    report.add(f"Calendar: {created} event pages created (French and English).")

