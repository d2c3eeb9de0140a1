from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from inventory.models import Country
from portal.core.blocks import BodyBlock
from portal.core.models import BasePage


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
        return context
