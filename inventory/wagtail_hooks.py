from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Country


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
