from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "portal.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from portal.accounts.profile_sections import register

        from . import delivery, services
        from .profile import NewsletterSection

        delivery.register_kind(services.KIND, services.NewsletterKind())
        register("newsletter", NewsletterSection)
