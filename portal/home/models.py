from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Locale

from portal.core.blocks import BodyBlock
from portal.core.models import BasePage
from portal.reference.models import Country


class HomePage(BasePage):
    """The portal's front page: what the network is, news, events and the inventory at a glance."""

    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*BasePage.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["core.StandardPage", "core.ContactPage", "library.LibraryIndexPage",
                     "news.NewsIndexPage", "events.EventIndexPage", "newsletter.NewsletterIndexPage"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["countries_in_network"] = Country.objects.in_network().count()
        context.update(home_sections(self.locale))
        return context


HOME_ITEMS = 3  # latest articles and upcoming events on the front page


def home_sections(locale) -> dict:
    """The front page's live panels: the inventory's latest key figures, the latest articles and
    the next events of the page's language, with the pages that list them all."""
    from django.utils import timezone

    from inventory.opendata import figures
    from inventory.opendata.synthesis import current_synthesis, synthesis_rows
    from portal.events.models import EventIndexPage
    from portal.events.selectors import events_in_language, with_specific
    from portal.news.selectors import news_index, published_articles

    # A language tree without its own news page or calendar (the Portuguese one, whose demo translates
    # only a few pages) shows the French ones: French is the fallback. Their lists are then marked
    # lang="fr" (`news_language`, `events_language`).
    default = Locale.get_default()
    news_page = news_index(locale=locale)
    news_locale = locale
    if news_page is None and locale.pk != default.pk:
        news_page, news_locale = news_index(locale=default), default
    calendar_page = EventIndexPage.objects.live().filter(locale=locale).first()
    events_locale = locale
    if calendar_page is None and locale.pk != default.pk:
        calendar_page = EventIndexPage.objects.live().filter(locale=default).first()
        events_locale = default
    events = events_in_language(events_locale.language_code).upcoming(timezone.now())[:HOME_ITEMS]
    return {
        "inventory_figures": figures.latest_key_figures(list(synthesis_rows(current_synthesis()))),
        "latest_news": list(published_articles(locale=news_locale)[:HOME_ITEMS]),
        "news_page": news_page,
        "news_language": news_locale.language_code if news_locale.pk != locale.pk else "",
        "upcoming_events": with_specific(list(events)),
        "calendar_page": calendar_page,
        "events_language": events_locale.language_code if events_locale.pk != locale.pk else "",
    }
