from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "portal.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from portal.accounts.profile_sections import register

        from . import delivery, personal_data, services
        from .profile import NewsletterSection

        personal_data.register_holders()
        delivery.register_kind(services.KIND, services.NewsletterKind())
        register("newsletter", NewsletterSection)
