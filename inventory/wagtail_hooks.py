from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Country, ExchangeRate, Mutual, SupportingOrganization, Union


class CountryViewSet(SnippetViewSet):
    model = Country
    icon = "site"
    menu_label = _("Countries")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["code", "name_fr", "name_en", "currency", "focal_point", "in_network"]
    list_filter = ["in_network", "currency"]
    list_export = ["code", "name_fr", "name_en", "currency", "focal_point", "in_network"]
    search_fields = ["code", "name_fr", "name_en"]


register_snippet(CountryViewSet)


class MutualViewSet(SnippetViewSet):
    model = Mutual
    icon = "group"
    menu_label = _("Mutuals")
    add_to_admin_menu = True
    menu_order = 290
    list_display = ["mutual_id", "name", "country", "mutual_type", "registration_state", "is_public"]
    list_filter = ["country", "mutual_type", "registration_state", "is_public"]
    list_export = [
        "mutual_id", "name", "acronym", "country", "region", "locality", "year_created",
        "mutual_type", "legal_status", "registration_state",
    ]
    search_fields = ["mutual_id", "name", "acronym", "locality"]
    panels = [
        MultiFieldPanel([
            FieldPanel("name"), FieldPanel("acronym"),
            FieldRowPanel([FieldPanel("country"), FieldPanel("region"), FieldPanel("locality")]),
            FieldRowPanel([
                FieldPanel("year_created"), FieldPanel("mutual_type"), FieldPanel("legal_status"),
            ]),
            FieldPanel("union"), FieldPanel("supporting_organizations"),
        ], heading=_("Identity")),
        MultiFieldPanel([
            FieldPanel("address"), FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
        ], heading=_("Contact (office, public)")),
        MultiFieldPanel([
            FieldPanel("contact_name"),
            FieldRowPanel([FieldPanel("contact_phone"), FieldPanel("contact_email")]),
        ], heading=_("Contact person (never public)")),
        MultiFieldPanel([
            FieldPanel("managers"),
            FieldPanel("registration_state"), FieldPanel("is_public"),
            FieldPanel("registered_by", read_only=True), FieldPanel("reviewed_by", read_only=True),
            FieldPanel("reviewed_at", read_only=True), FieldPanel("review_comment", read_only=True),
        ], heading=_("Reporting and registration")),
    ]


class UnionViewSet(SnippetViewSet):
    model = Union
    icon = "group"
    menu_label = _("Unions and networks")
    list_display = ["name", "acronym", "country"]
    search_fields = ["name", "acronym"]


class SupportingOrganizationViewSet(SnippetViewSet):
    model = SupportingOrganization
    icon = "group"
    menu_label = _("Supporting organizations")
    list_display = ["name", "acronym", "website"]
    search_fields = ["name", "acronym"]


register_snippet(MutualViewSet)
register_snippet(UnionViewSet)
register_snippet(SupportingOrganizationViewSet)


class ExchangeRateViewSet(SnippetViewSet):
    """The secretariat's exchange rates to the euro (the datasets' EUR columns): XOF and XAF are
    seeded at their fixed parity; a floating currency converts only for the years entered here."""

    model = ExchangeRate
    icon = "table"
    menu_label = _("Exchange rates")
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["currency", "year", "rate", "source", "updated_at"]
    list_filter = ["currency", "year"]
    list_export = ["currency", "year", "rate", "source"]
    search_fields = ["currency", "source"]
    panels = [
        FieldRowPanel([FieldPanel("currency"), FieldPanel("year"), FieldPanel("rate")]),
        FieldPanel("source"),
    ]


register_snippet(ExchangeRateViewSet)
