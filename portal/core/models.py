from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock


class BasePage(Page):
    """Fields every public page has: a short introduction used in listings and meta descriptions."""

    intro = models.TextField(
        _("introduction"), blank=True, max_length=400,
        help_text=_("One or two sentences, shown under the title and in search results."),
    )

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        abstract = True


class StandardPage(BasePage):
    """A content page: the network's presentation, history, organs, legal notice, privacy…"""

    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    parent_page_types = ["home.HomePage", "core.StandardPage"]
    subpage_types = ["core.StandardPage", "core.ContactPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class ContactFormField(AbstractFormField):
    page = ParentalKey("ContactPage", on_delete=models.CASCADE, related_name="form_fields")


class ContactPage(AbstractEmailForm):
    """Contact form: every message is stored (see the submissions) and e-mailed to the secretariat."""

    intro = models.TextField(_("introduction"), blank=True)
    address = RichTextField(_("address"), blank=True, features=["bold", "italic", "link"])
    thank_you_text = models.TextField(_("thank-you text"), blank=True)

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        FieldPanel("address"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            _("E-mail"),
        ),
    ]
    parent_page_types = ["home.HomePage", "core.StandardPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("contact page")
        verbose_name_plural = _("contact pages")


@register_setting(icon="link")
class SiteLinks(BaseSiteSetting):
    """Pages the header and footer link to on every page (their translation is followed)."""

    network_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("the network"),
    )
    contact_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("contact"),
    )
    legal_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("legal notice"),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("privacy"),
    )

    panels = [
        FieldPanel("network_page"),
        FieldPanel("contact_page"),
        FieldPanel("legal_page"),
        FieldPanel("privacy_page"),
    ]

    class Meta:
        verbose_name = _("site links")


def public_target(page):
    """`page` in the active language when anyone may read it (live, under no view restriction on it or
    an ancestor), else None: what a page, an e-mail or a feed may link to. Templates: the filter of the
    same name in portal_tags."""
    if page is None:
        return None
    page = page.localized
    if not page.live or page.get_view_restrictions().exists():
        return None
    return page
