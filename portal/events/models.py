"""The calendar: an index page per language tree, events (workshops, training seminars with their
modules, webinars, meetings), the Forum's editions, and registrations to events.

Dates are stored aware (UTC in the database) and shown in the event's own time zone (an IANA name
such as Africa/Dakar). In the admin the editor types wall-clock times of that zone (see
`forms.EventPageForm`). Registrations belong to the event in the source language (French): its
English translation shares them, its capacity and its deadline.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Locale, Orderable, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from portal.core.models import BasePage

DEFAULT_TIME_ZONE = "Africa/Dakar"
RICH_TEXT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Thematic workshop")
    TRAINING = "training", _("Training seminar")
    FORUM = "forum", _("Forum")
    WEBINAR = "webinar", _("Webinar")
    MEETING = "meeting", _("Meeting")


class DatePrecision(models.TextChoices):
    """How much of an event's dates is known: the early forums are known to the day (times lost), the
    month or the year. Only exact times are shown with hours; the others are all-day in calendars."""

    EXACT = "exact", _("Exact dates and times")
    DAY = "day", _("Days only (times unknown)")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")


EVENT_LANGUAGES = [("fr", _("French")), ("en", _("English")), ("pt", _("Portuguese"))]


def validate_time_zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            _("“%(value)s” is not a known time zone: give its IANA name, e.g. Africa/Dakar."),
            params={"value": value},
        ) from error


class EventIndexPage(BasePage):
    """The calendar in one language tree: upcoming and past events, filtered by the query string."""

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage", "events.ForumPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("calendar")

    def get_context(self, request, *args, **kwargs):
        from .selectors import event_list_context

        context = super().get_context(request, *args, **kwargs)
        context.update(event_list_context(request))
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # Bad filters: the page says which, with a 400 (a crawler must not index the error).
        if getattr(response, "context_data", {}).get("filter_errors"):
            response.status_code = 400
        return response


class EventQuerySet(PageQuerySet):
    def upcoming(self, now=None):
        """Events not over yet (ongoing ones included), soonest first."""
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now=None):
        """Events over, latest first."""
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def in_language(self, language_code):
        return self.filter(locale__language_code=language_code)


class EventPage(BasePage):
    """A workshop, training seminar, webinar or meeting (a Forum edition is a `ForumPage`)."""

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.WORKSHOP)
    start = models.DateTimeField(_("start"), help_text=_("In the event's time zone."))
    end = models.DateTimeField(_("end"), help_text=_("In the event's time zone."))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone],
        help_text=_("IANA name of the place's time zone, e.g. Africa/Dakar, Africa/Kinshasa, Europe/Paris."),
    )
    date_precision = models.CharField(
        _("dates known"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.EXACT,
        help_text=_("For past events whose exact dates or times are lost: only the days, the month or "
                    "the year are shown."),
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    country = models.ForeignKey(
        "reference.Country", verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("For a webinar or a hybrid event.")
    )
    organizer = models.CharField(_("organizer"), max_length=255, blank=True)
    organizations = ParentalManyToManyField(
        "inventory.SupportingOrganization", verbose_name=_("organizing organizations"), blank=True,
        related_name="+",
    )
    organizer_users = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("people managing the registrations"), blank=True,
        related_name="organized_events",
        help_text=_("They may download the participants list. Never shown on the public page."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    themes = ParentalManyToManyField(
        "reference.Theme", verbose_name=_("themes"), blank=True, related_name="+",
    )
    description = RichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)
    registration_open = models.BooleanField(
        _("registration open"), default=False,
        help_text=_("Members register on the event's page; uncheck to close the registration."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True,
        help_text=_("Seats available; beyond them people join a waiting list. Empty: no limit."),
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"), null=True, blank=True, help_text=_("In the event's time zone."),
    )

    objects = PageManager.from_queryset(EventQuerySet)()

    # base_form_class is `forms.EventPageForm` (set in apps.ready: importing Wagtail's admin forms
    # here, while models load, fails): the editor types wall-clock times of the event's time zone.
    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro"),
        FieldPanel("kind"),
        MultiFieldPanel([
            FieldPanel("time_zone"),
            FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
            FieldPanel("date_precision"),
        ], _("Dates")),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
            FieldPanel("venue"),
            FieldPanel("online_url"),
        ], _("Place")),
        MultiFieldPanel([
            FieldPanel("organizer"), FieldPanel("organizations"), FieldPanel("organizer_users"),
        ], _("Organizer")),
        FieldPanel("languages"),
        FieldPanel("themes"),
        FieldPanel("description"),
        InlinePanel("modules", label=_("Modules (training seminars)")),
        MultiFieldPanel([
            FieldPanel("registration_open"),
            FieldRowPanel([FieldPanel("capacity"), FieldPanel("registration_deadline")]),
        ], _("Registration")),
    ]
    search_fields = [
        *BasePage.search_fields, index.SearchField("description"), index.SearchField("city"),
        index.FilterField("kind"), index.FilterField("start"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)

    def local_start(self) -> datetime.datetime:
        return self.start.astimezone(self.zone)

    def local_end(self) -> datetime.datetime:
        return self.end.astimezone(self.zone)

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    @property
    def offers_calendar_file(self) -> bool:
        """Whether the page offers "add to my calendar": an event still to come whose days are known
        (with its times, or as all-day days)."""
        return not self.is_past and self.date_precision in (DatePrecision.EXACT, DatePrecision.DAY)

    def language_names(self) -> list[str]:
        names = dict(EVENT_LANGUAGES)
        return [names[code] for code in self.languages if code in names]

    def source_event(self) -> "EventPage":
        """The event in the default language, which holds the registrations."""
        if self.locale.language_code == Locale.get_default().language_code:
            return self
        source = self.get_translation_or_none(Locale.get_default())
        return source.specific if source is not None else self

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if not self.registration_open or self.start <= now:
            return False
        return self.registration_deadline is None or now <= self.registration_deadline

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end comes before the start.")
        if not (self.city or self.online_url):
            errors["city"] = _("Give the city where the event takes place, or its online link.")
        if self.registration_deadline and self.end and self.registration_deadline > self.end:
            errors["registration_deadline"] = _("The registration deadline is after the end of the event.")
        if self.capacity == 0:
            errors["capacity"] = _("A capacity of 0 leaves no seat: leave it empty for no limit.")
        if errors:
            raise ValidationError(errors)

    def json_ld(self) -> dict:
        """schema.org data of the page's head (portal/events/jsonld.py)."""
        from .jsonld import event

        return event(self)

    def get_context(self, request, *args, **kwargs):
        from .selectors import registration_context

        context = super().get_context(request, *args, **kwargs)
        context.update(registration_context(self, request.user))
        return context



class EventModule(Orderable):
    """A module of a training seminar: what it teaches, who teaches it, when."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(_("title"), max_length=255)
    objectives = models.TextField(_("objectives"), blank=True, help_text=_("One per line."))
    topics = models.TextField(_("themes covered"), blank=True, help_text=_("One per line."))
    speakers = models.TextField(
        _("speakers"), blank=True, help_text=_("One per line: name and organization.")
    )
    start_date = models.DateField(_("first day"), null=True, blank=True)
    end_date = models.DateField(_("last day"), null=True, blank=True)
    duration = models.CharField(_("duration"), max_length=60, blank=True, help_text=_("E.g. 2.5 days."))

    panels = [
        FieldPanel("title"), FieldPanel("objectives"), FieldPanel("topics"), FieldPanel("speakers"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date"), FieldPanel("duration")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day comes before the first day.")})

    @staticmethod
    def _lines(text):
        return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]

    def objective_list(self):
        return self._lines(self.objectives)

    def topic_list(self):
        return self._lines(self.topics)

    def speaker_list(self):
        return self._lines(self.speakers)


class ForumPage(EventPage):
    """An edition of the network's Forum: an event (dates, place, registration for a future one)
    with its questions, programme, participant figures and proceedings."""

    edition = models.PositiveSmallIntegerField(
        _("edition"), null=True, blank=True, help_text=_("1 for the first Forum.")
    )
    questions = models.TextField(_("questions debated"), blank=True, help_text=_("One per line."))
    programme = RichTextField(_("programme"), blank=True, features=RICH_TEXT_FEATURES)
    participants_count = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    participants_approximate = models.BooleanField(_("approximate count"), default=False)
    nationalities_count = models.PositiveIntegerField(_("nationalities"), null=True, blank=True)
    participation_note = models.TextField(_("about the participants"), blank=True)
    speaker_organizations = ParentalManyToManyField(
        "inventory.SupportingOrganization", verbose_name=_("speakers' organizations"), blank=True,
        related_name="+",
    )

    content_panels = [
        # The kind of a Forum edition is always "Forum".
        *[panel for panel in EventPage.content_panels if getattr(panel, "field_name", None) != "kind"],
        FieldPanel("edition"),
        FieldPanel("questions"),
        FieldPanel("programme"),
        MultiFieldPanel([
            FieldRowPanel([
                FieldPanel("participants_count"), FieldPanel("participants_approximate"),
                FieldPanel("nationalities_count"),
            ]),
            FieldPanel("participation_note"),
        ], _("Participants")),
        InlinePanel("proceedings", label=_("Proceedings (library documents)")),
        FieldPanel("speaker_organizations"),
    ]
    search_fields = [*EventPage.search_fields, index.SearchField("questions"), index.SearchField("programme")]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Forum edition")
        verbose_name_plural = _("Forum editions")

    def save(self, *args, **kwargs):
        self.kind = EventKind.FORUM
        super().save(*args, **kwargs)

    @property
    def year(self) -> int:
        return self.local_start().year

    def question_list(self):
        return EventModule._lines(self.questions)


class ForumProceeding(Orderable):
    """A record of the Forum's proceedings: a document of the library."""

    page = ParentalKey(ForumPage, on_delete=models.CASCADE, related_name="proceedings")
    resource = models.ForeignKey(
        "library.ResourcePage", verbose_name=_("library document"), on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    panels = [PageChooserPanel("resource", "library.ResourcePage"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("proceedings")
        verbose_name_plural = _("proceedings")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=RegistrationStatus.CANCELLED)

    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waiting(self):
        """The waiting list, first come first served."""
        return self.filter(status=RegistrationStatus.WAITING).order_by("registered_at", "pk")


class Registration(models.Model):
    """A person's place at an event (the event in the source language).

    A confirmed registration holds a seat number: with a capacity, seats run from 1 to the capacity
    and are unique per event, so two people taking the last seat at once cannot both get it — the
    database refuses the second, who joins the waiting list (see `services.registration_create`).
    """

    event = models.ForeignKey(EventPage, verbose_name=_("event"), on_delete=models.CASCADE,
                              related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                             related_name="event_registrations")
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    seat = models.PositiveIntegerField(_("seat"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="events_one_registration_per_person"),
            models.UniqueConstraint(fields=["event", "seat"], name="events_one_person_per_seat"),
            models.CheckConstraint(
                condition=models.Q(status="confirmed", seat__isnull=False) | ~models.Q(status="confirmed")
                & models.Q(seat__isnull=True),
                name="events_seat_only_when_confirmed",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.event} ({self.get_status_display()})"
