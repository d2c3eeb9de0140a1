from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "portal.news"
    label = "news"
    verbose_name = _("News")

    def ready(self):
        from portal.accounts.profile_sections import register
        from portal.core import country_sections

        from . import personal_data, selectors, signals, todo
        from .profile import FlashNewsSection

        personal_data.register_holders()
        register("flash_news", FlashNewsSection)
        signals.connect()
        todo.connect()
        country_sections.register(
            "recent_news", order=30, title=_("Recent news"), template="news/_country_section.html",
            context=selectors.country_section,
        )
