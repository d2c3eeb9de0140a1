from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Theme


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


register_snippet(ThemeViewSet)
