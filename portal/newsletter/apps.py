from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "portal.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from . import delivery, services

        delivery.register_kind(services.KIND, services.NewsletterKind())
