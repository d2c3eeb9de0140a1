from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from . import throttle
from .blocks import BodyBlock
from .text import fold


class FoldedSearchMixin:
    """A page whose title and summary are also indexed folded (lowercase, no accents: `fold`), so that
    the site search finds "Sénégal" by "senegal" on PostgreSQL as on SQLite (whose full-text index
    ignores accents by itself); the site search asks for the folded words too."""

    FOLDED_FIELDS = ("title", "intro", "search_description")
    folded_search_field = index.SearchField("folded_search_text")

    def folded_search_text(self) -> str:
        return fold(" ".join(str(getattr(self, name, "") or "") for name in self.FOLDED_FIELDS))


class BasePage(FoldedSearchMixin, Page):
    """Fields every public page has: a short introduction used in listings and meta descriptions."""

    intro = models.TextField(
        _("introduction"), blank=True, max_length=400,
        help_text=_("One or two sentences, shown under the title and in search results."),
    )

    search_fields = [*Page.search_fields, index.SearchField("intro"), FoldedSearchMixin.folded_search_field]

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


# Contact messages within an hour: a person sends one, perhaps a correction or a follow-up, so five is
# room to spare; several people may write from one office's connection, so twenty from one address.
# Past either, a script: refused, nothing stored or sent.
CONTACT_PER_PERSON = (5, 3600)
CONTACT_PER_ADDRESS = (20, 3600)


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

    def serve(self, request, *args, **kwargs):
        """Wagtail's form view, with the rate limits between a valid message and its storing and
        sending: a refused message is neither stored nor e-mailed, and the form comes back with a 429,
        what was typed kept."""
        if request.method != "POST":
            return super().serve(request, *args, **kwargs)
        form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
        status = 200
        if form.is_valid():
            if self.message_allowed(request, form):
                return self.render_landing_page(request, self.process_form_submission(form), *args, **kwargs)
            status = 429
        context = {**self.get_context(request), "form": form, "throttled": status == 429}
        return TemplateResponse(request, self.get_template(request), context, status=status)

    def message_allowed(self, request, form) -> bool:
        """Count one message from this person (their account, else the e-mail address typed) and this
        client address; False once either is over its limit (CONTACT_PER_PERSON, CONTACT_PER_ADDRESS)."""
        if request.user.is_authenticated:
            person = f"user:{request.user.pk}"
        else:
            emails = [form.cleaned_data.get(field.clean_name) for field in self.get_form_fields()
                      if field.field_type == "email"]
            email = next((e.strip().lower() for e in emails if e), "")
            person = f"email:{email}" if email else ""  # a form without an address: the address limit only
        person_ok = not person or throttle.allow("contact-person", person, CONTACT_PER_PERSON)
        address_ok = throttle.allow("contact-address", throttle.client_address(request), CONTACT_PER_ADDRESS)
        return person_ok and address_ok


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


class PeriodicClaim(models.Model):
    """A periodic task's slot taken by one worker (portal/core/tasks.py): the unique pair keeps two
    workers from running the same slot twice."""

    name = models.CharField(max_length=200)
    slot = models.BigIntegerField()
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="periodic_claim_once")]

    def __str__(self):
        return f"{self.name} #{self.slot}"
