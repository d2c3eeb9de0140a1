from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import FlashNews


class FlashNewsViewSet(SnippetViewSet):
    """Flash news: the secretariat writes a draft, and publishing it e-mails it (see portal.news.flash)."""

    model = FlashNews
    copy_view_enabled = False  # Wagtail's copy screen saves over the original (issue #11)
    icon = "warning"
    menu_label = _("Flash news")
    add_to_admin_menu = True
    menu_order = 320
    list_display = ["title_fr", "live", "first_published_at"]
    list_export = ["title_fr", "title_en", "first_published_at", "link"]
    search_fields = ["title_fr", "title_en", "text_fr", "text_en"]


register_snippet(FlashNewsViewSet)
