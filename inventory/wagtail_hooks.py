from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ExchangeRate, Mutual, SupportingOrganization, Union
from .registry.organizations import organization_sync


class MutualViewSet(SnippetViewSet):
    model = Mutual
    copy_view_enabled = False  # Wagtail's copy screen saves over the original (issue #11)
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
    copy_view_enabled = False  # Wagtail's copy screen saves over the original (issue #11)
    icon = "group"
    menu_label = _("Unions and networks")
    list_display = ["name", "acronym", "country"]
    list_filter = ["country"]
    list_export = ["name", "acronym", "country"]
    search_fields = ["name", "acronym"]


class OrganizationForm(WagtailAdminModelForm):
    """Saving also adds the countries of the organization's roles to its countries and rewrites the
    focal point text of their countries (after the many-to-many fields are saved)."""

    def save(self, commit=True):
        organization = super().save(commit=commit)
        if commit:
            organization_sync(organization=organization)
        return organization


class SupportingOrganizationViewSet(SnippetViewSet):
    """The network's organizations: the directory's records, and who reports for which mutual."""

    model = SupportingOrganization
    copy_view_enabled = False  # Wagtail's copy screen saves over the original (issue #11)
    icon = "group"
    menu_label = _("Organizations")
    add_to_admin_menu = True
    menu_order = 295
    list_display = ["name", "acronym", "website", "in_directory"]
    list_filter = ["roles__role", "countries", "in_directory"]
    list_export = ["name", "acronym", "website", "email", "address", "in_directory"]
    search_fields = ["name", "acronym"]
    edit_handler = ObjectList([
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("name"), FieldPanel("acronym")]),
            FieldPanel("logo"), FieldPanel("description_fr"), FieldPanel("description_en"),
            FieldPanel("countries", widget=forms.CheckboxSelectMultiple),
            FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
            FieldPanel("in_directory"),
        ], heading=_("Identity")),
        InlinePanel("roles", heading=_("Roles in the network"), label=_("Role")),
        MultiFieldPanel([
            FieldPanel("website"), FieldPanel("address"),
            FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
        ], heading=_("Contact (office, public)")),
        FieldPanel("staff", heading=_("Staff reporting for its mutuals (never public)")),
    ], base_form_class=OrganizationForm)


register_snippet(MutualViewSet)
register_snippet(UnionViewSet)
register_snippet(SupportingOrganizationViewSet)


class ExchangeRateViewSet(SnippetViewSet):
    """The secretariat's exchange rates to the euro (the datasets' EUR columns): XOF and XAF are
    seeded at their fixed parity; a floating currency converts only for the years entered here."""

    model = ExchangeRate
    copy_view_enabled = False  # Wagtail's copy screen saves over the original (issue #11)
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
