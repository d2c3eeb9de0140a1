"""The newsletter (the network's "Mail"): the archive page, numbered issues composed in the CMS, and the
subscribers (no account needed, double opt-in). Sending goes through `delivery.py`."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from portal.core.models import BasePage

from .blocks import RICH_TEXT_FEATURES, IssueSectionsBlock
from .delivery import Delivery, DeliveryRecipient  # noqa: F401  (models of this app)
from .panels import PublishedSincePanel

LANGUAGES = [("fr", _("French")), ("en", _("English"))]


class NewsletterIndexPage(BasePage):
    """The archive, one per language tree: every issue, newest first, and the subscription form."""

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["newsletter.NewsletterIssuePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("newsletter archive")

    def get_context(self, request, *args, **kwargs):
        from .forms import SubscribeForm

        context = super().get_context(request, *args, **kwargs)
        context["issues"] = (NewsletterIssuePage.objects.child_of(self).live().public()
                             .order_by("-number"))
        context["form"] = SubscribeForm(initial={"language": self.locale.language_code})
        return context


class NewsletterIssuePage(BasePage):
    """A numbered issue: its web page in the archive, and the e-mail the secretariat sends."""

    # "number" alone is the catalogue's quantity ("nombre"): an issue's number has its own context.
    number = models.PositiveIntegerField(pgettext_lazy("newsletter issue", "number"),
                                         help_text=_("The issue's number, e.g. 41."))
    issue_date = models.DateField(_("date"), default=timezone.localdate)
    editorial = RichTextField(_("editorial"), blank=True, features=RICH_TEXT_FEATURES)
    sections = StreamField(IssueSectionsBlock(), blank=True, verbose_name=_("sections"))

    content_panels = [
        *BasePage.content_panels,
        FieldRowPanel([FieldPanel("number"), FieldPanel("issue_date")]),
        FieldPanel("intro"),
        FieldPanel("editorial"),
        PublishedSincePanel(heading=_("Published since the previous issue")),
        FieldPanel("sections"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("editorial"), index.SearchField("sections")]
    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")

    def clean(self):
        super().clean()
        same = numbered_issues(self.locale_id).filter(number=self.number)
        if self.pk:
            same = same.exclude(pk=self.pk)
        if self.number is not None and same.exists():
            raise ValidationError({"number": _(
                "Issue No %(number)s was published already: give this issue another number.")
                % {"number": self.number}})

    @property
    def delivery_reference(self) -> str:
        return f"newsletter-issue-{self.number}"

    def delivery(self):
        """The delivery that sent this issue, or None (not the one of another page that has the same
        number: an abandoned draft)."""
        delivery = Delivery.objects.filter(reference=self.delivery_reference).first()
        return delivery if delivery is not None and self.sent_by(delivery) else None

    def sent_by(self, delivery) -> bool:
        pages = (delivery.payload or {}).get("pages")
        return not pages or self.pk in pages.values()

    def previous_issue(self):
        """The issue before this one in the same language (by number, published ones only), or None."""
        issues = numbered_issues(self.locale_id)
        if self.number is not None:
            issues = issues.filter(number__lt=self.number)
        if self.pk:
            issues = issues.exclude(pk=self.pk)
        return issues.order_by("-number").first()

    def get_context(self, request, *args, **kwargs):
        from .composing import figures_for

        context = super().get_context(request, *args, **kwargs)
        context["inventory_figures"] = figures_for(self)
        return context


def numbered_issues(locale_id):
    """The issues of a language that hold their number: those published at least once (live, or
    published then unpublished; a sent issue was published). A draft never published holds none: an
    abandoned attempt (Wagtail autosaves one as soon as the form is touched) must not block its number
    for the issue written next, which may reuse it; the draft is then refused if someone publishes it."""
    return NewsletterIssuePage.objects.filter(locale_id=locale_id, first_published_at__isnull=False)


def next_issue_number(locale_id) -> int:
    """The number proposed for a new issue of this language: one more than the highest published."""
    highest = numbered_issues(locale_id).aggregate(highest=models.Max("number"))["highest"]
    return (highest or 0) + 1


class SubscriberState(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
    BOUNCED = "bounced", _("bounced")


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        """Addresses that get the next issue."""
        return self.filter(state=SubscriberState.CONFIRMED)


class Subscriber(models.Model):
    """An address that confirmed its subscription (an unconfirmed request is only a signed link in an
    e-mail: nothing is stored until it is followed)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="fr")
    state = models.CharField(_("state"), max_length=12, choices=SubscriberState.choices,
                             default=SubscriberState.CONFIRMED)
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    # Consecutive permanent refusals by the mail server; BOUNCE_LIMIT of them make the address bounced.
    failures = models.PositiveSmallIntegerField(_("consecutive failures"), default=0)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email

