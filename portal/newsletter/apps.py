from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "portal.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from wagtail.signals import init_new_page

        from portal.accounts.profile_sections import register

        from . import admin_views, delivery, personal_data, services
        from .profile import NewsletterSection

        init_new_page.connect(admin_views.prefill_issue_number, dispatch_uid="newsletter-issue-number")
        personal_data.register_holders()
        delivery.register_kind(services.KIND, services.NewsletterKind())
        register("newsletter", NewsletterSection)
