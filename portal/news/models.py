"""The network's news: articles and news items written by members (Wagtail pages under the news index),
and flash news, short alerts the secretariat e-mails to the registered users who asked for them."""

import datetime
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, Orderable, Page, RevisionMixin
from wagtail.search import index

from portal.core.contributions import ContributionMixin
from portal.core.models import FoldedSearchMixin
from portal.reference.models import Language, Theme

from .richtext import BODY_FEATURES, sanitize_html


class Kind(models.TextChoices):
    ARTICLE = "article", _("Article")
    NEWS = "news", _("News")


def reserved_slugs() -> set[str]:
    """The first path segments of the news app's own URLs, in every language (/fr/actualites/<this>/):
    an article with one of them as its slug would be hidden behind them."""
    from django.urls import reverse
    from django.utils import translation

    slugs = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for path in (reverse("news:submit"), reverse("news:mine"), reverse("news:feed_rss"),
                         reverse("news:author", args=[1]), reverse("news:flash_unsubscribe", args=["x"])):
                slugs.add(path.strip("/").split("/")[2])
    return slugs


class NewsIndexPage(Page):
    """The news page, one per language tree: recent articles and news, filtered by country, theme and
    kind, with links to the feeds."""

    intro = models.TextField(_("introduction"), blank=True, max_length=400)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.ArticlePage"]
    max_count_per_parent = 1
    PER_PAGE = 12

    class Meta:
        verbose_name = _("news index")

    def serve(self, request, *args, **kwargs):
        from .filters import NewsFilter

        self.news_filter = NewsFilter(request.GET)
        response = super().serve(request, *args, **kwargs)
        if self.news_filter.errors:
            response.status_code = 400
        return response

    def get_context(self, request, *args, **kwargs):
        from .filters import NewsFilter
        from .selectors import published_articles

        context = super().get_context(request, *args, **kwargs)
        news_filter = getattr(self, "news_filter", None) or NewsFilter(request.GET)
        articles = news_filter.apply(published_articles(locale=self.locale))
        paginator = Paginator(articles, self.PER_PAGE)
        context.update({
            "news_filter": news_filter,
            "articles": paginator.get_page(request.GET.get("page")),
            "feed_query": news_filter.feed_query(),
            "page_query": news_filter.valid_query(),  # the page links keep the valid filters only
        })
        return context


class ArticlePage(FoldedSearchMixin, ContributionMixin, Page):
    """An article or a news item by a member: submitted from the site (or written in the admin),
    published by the secretariat through the moderation workflow (portal.core.contributions)."""

    contributions_url_name = "news:mine"
    # A translation is the secretariat's work: its publication does not e-mail the member again, and it
    # is not listed twice among "my articles".
    exclude_fields_in_copy = ["contributor"]

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ARTICLE)
    date = models.DateField(_("date"), default=datetime.date.today)
    summary = models.TextField(_("summary"), max_length=500,
                               help_text=_("Two or three sentences, shown in lists and feeds."))
    body = RichTextField(_("body"), features=BODY_FEATURES)
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("image"),
    )
    image_caption = models.CharField(_("image caption"), max_length=255, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default="fr")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="news_articles", verbose_name=_("author"),
        help_text=_("The member who wrote it: their name and organization are shown, nothing else."),
    )
    # Set when the author deleted their account: the article stays, signed "former member".
    by_former_member = models.BooleanField(_("written by a former member"), default=False, editable=False)
    co_authors = models.CharField(_("co-authors"), max_length=255, blank=True,
                                  help_text=_("Names of the other authors, if any, separated by commas."))
    countries = ParentalManyToManyField(
        "reference.Country", blank=True, related_name="+", verbose_name=_("countries")
    )
    themes = ParentalManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date"), FieldPanel("language")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_caption")], _("Image")),
        InlinePanel("attachments", label=_("Attachments")),
        MultiFieldPanel([FieldPanel("author"), FieldPanel("co_authors")], _("Authors")),
        FieldPanel("countries"),
        FieldPanel("themes"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body"),
                     FoldedSearchMixin.folded_search_field]
    FOLDED_FIELDS = ("title", "summary", "search_description")
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def clean(self):
        super().clean()
        self.body = sanitize_html(self.body)
        if self.slug in reserved_slugs():
            raise ValidationError({"slug": _("This address is used by the news pages: choose another slug.")})

    def save(self, *args, **kwargs):
        # Also for pages written by code (the site's form, imports): nothing unsafe is ever stored.
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    @property
    def author_name(self) -> str:
        names = [self.author.get_full_name()] if self.author_id and self.author.get_full_name() else []
        if not self.author_id and self.by_former_member:
            names = [str(_("former member"))]
        names += [name.strip() for name in self.co_authors.split(",") if name.strip()]
        return ", ".join(names)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["attachment_list"] = [a for a in self.attachments.select_related("document") if a.document]
        return context


class ArticleAttachment(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("file"),
    )

    panels = [FieldPanel("document")]

    def clean(self):
        super().clean()
        if self.document_id:
            from .uploads import document_problem

            problem = document_problem(self.document)
            if problem:
                raise ValidationError({"document": problem})


# --- Flash news --------------------------------------------------------------------------------

class FlashNewsQuerySet(models.QuerySet):
    def published(self):
        """Flash news that went out (published at least once), newest first."""
        return self.filter(first_published_at__isnull=False).order_by("-first_published_at")


class FlashNews(DraftStateMixin, RevisionMixin, models.Model):
    """A short alert from the secretariat, e-mailed on publication to those who asked for flash news at
    once, and in the weekly digest to the others (each person gets it once, filtered by their countries
    and themes)."""

    title_fr = models.CharField(_("title in French"), max_length=150)
    title_en = models.CharField(_("title in English"), max_length=150, blank=True,
                                help_text=_("Empty: English readers get the French title."))
    text_fr = models.TextField(_("text in French"), max_length=1000)
    text_en = models.TextField(_("text in English"), max_length=1000, blank=True,
                               help_text=_("Empty: English readers get the French text."))
    link = models.URLField(_("link"), max_length=500, blank=True,
                           help_text=_("Optional: the page to read more."))
    countries = models.ManyToManyField("reference.Country", blank=True, related_name="+",
                                       verbose_name=_("countries"),
                                       help_text=_("Empty: about the whole network."))
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    created_at = models.DateTimeField(auto_now_add=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="flashnews")

    objects = FlashNewsQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("title_fr"), FieldPanel("title_en")]),
        FieldPanel("text_fr"), FieldPanel("text_en"), FieldPanel("link"),
        FieldPanel("countries"), FieldPanel("themes"),
    ]

    class Meta:
        verbose_name = _("flash news")
        verbose_name_plural = _("flash news")
        # Declared here (Wagtail would add it too, but after the role groups get their rights on migrate).
        permissions = [("publish_flashnews", "Can publish flash news")]

    def __str__(self):
        return self.title_fr

    @property
    def revisions(self):
        return self._revisions

    def title_in(self, language: str) -> str:
        return self.title_en if language == "en" and self.title_en else self.title_fr

    def text_in(self, language: str) -> str:
        return self.text_en if language == "en" and self.text_en else self.text_fr


class Frequency(models.TextChoices):
    NEVER = "never", _("Never")
    IMMEDIATE = "immediate", _("As soon as they are published")
    WEEKLY = "weekly", _("In a weekly digest")


class FlashNewsSubscription(models.Model):
    """What a registered person asked for: flash news or not, how often, about which countries and
    themes (none chosen: all of them). The token signs the one-click unsubscribe link."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="flash_news_subscription")
    frequency = models.CharField(_("flash news by e-mail"), max_length=10, choices=Frequency.choices,
                                 default=Frequency.NEVER)
    countries = models.ManyToManyField("reference.Country", blank=True, related_name="+",
                                       verbose_name=_("countries"))
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Flash news published before a person subscribed are not sent to them in a digest.
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("flash news subscription")
        verbose_name_plural = _("flash news subscriptions")

    def __str__(self):
        return f"{self.user} ({self.get_frequency_display()})"

    def wants(self, flash: FlashNews) -> bool:
        """Whether `flash` matches this person's countries and themes (an empty choice matches all;
        a flash about no country or no theme concerns everyone on that axis)."""
        countries = {c.pk for c in self.countries.all()}
        themes = {t.pk for t in self.themes.all()}
        flash_countries = {c.pk for c in flash.countries.all()}
        flash_themes = {t.pk for t in flash.themes.all()}
        return (not countries or not flash_countries or bool(countries & flash_countries)) and \
            (not themes or not flash_themes or bool(themes & flash_themes))


class FlashNewsReceipt(models.Model):
    """One flash news given to one person, at once or in a digest: written before the e-mail goes, so
    that nobody gets the same flash twice."""

    flash = models.ForeignKey(FlashNews, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    via = models.CharField(max_length=10, choices=[(Frequency.IMMEDIATE, _("at once")),
                                                   (Frequency.WEEKLY, _("weekly digest"))])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["flash", "user"], name="news_flash_once_per_user")]

    def __str__(self):
        return f"{self.flash} → {self.user}"
