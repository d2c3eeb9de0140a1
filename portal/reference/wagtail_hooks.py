"""The admin's screens for the reference data: countries and themes (the secretariat's), and the
permanent redirects from their addresses of before the move to portal.reference."""

from django.http import HttpResponsePermanentRedirect
from django.urls import re_path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Country, Theme


class CountryViewSet(SnippetViewSet):
    model = Country
    copy_view_enabled = False  # Wagtail's copy screen saves over the original (issue #11)
    icon = "site"
    menu_label = _("Countries")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["code", "name_fr", "name_en", "currency", "focal_point", "in_network"]
    list_filter = ["in_network", "currency"]
    list_export = ["code", "name_fr", "name_en", "currency", "focal_point", "in_network"]
    search_fields = ["code", "name_fr", "name_en"]
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("currency"), FieldPanel("in_network")]),
        FieldRowPanel([FieldPanel("name_fr"), FieldPanel("name_en")]),
        # Derived from the organizations' roles: edited there.
        FieldPanel("focal_point", read_only=True),
    ]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    copy_view_enabled = False  # Wagtail's copy screen saves over the original (issue #11)
    icon = "tag"
    menu_label = _("Themes")
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["name_fr", "name_en", "slug"]
    list_export = ["slug", "name_fr", "name_en"]
    search_fields = ["name_fr", "name_en"]


register_snippet(CountryViewSet)
register_snippet(ThemeViewSet)


# The screens' addresses when the models were inventory's and library's (the tables kept their rows,
# so the keys in the old addresses are still right): old prefix under /admin/ -> the model.
MOVED_SCREENS = {
    "snippets/inventory/country/": Country,
    "snippets/library/theme/": Theme,
}


def moved_screen(list_url_name):
    """A view sending an old address to the same screen at the new prefix (the rest of the path and
    the query string kept), permanently. It checks nothing itself: the screen it leads to does."""

    def redirect_view(request, rest=""):
        target = reverse(list_url_name) + rest
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)

    return redirect_view


@hooks.register("register_admin_urls")
def register_moved_screens():
    return [
        re_path(rf"^{old}(?P<rest>.*)$", moved_screen(model.snippet_viewset.get_url_name("list")))
        for old, model in MOVED_SCREENS.items()
    ]
