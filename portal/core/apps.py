from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = _("Site")

    def ready(self):
        from . import converters

        converters.register()  # <id:…> and <year:…>, before any URLconf is read
        from . import audit, audit_accounts, contributions, personal_data

        audit.connect()
        audit_accounts.connect_accounts()  # roles, focal-point countries, rights, second factors
        contributions.connect()
        personal_data.register_holders()
        from . import private_documents

        private_documents.register_permission_policies()  # members' files awaiting publication stay hidden
        from . import spreadsheets

        spreadsheets.protect_wagtail_exports()  # admin CSV/XLSX exports never carry a live formula
        from . import page_cache

        page_cache.connect()  # anonymous pages stored until something they show changes
        from django.db.models.signals import post_migrate

        from portal import site_url  # its system check registers on import

        post_migrate.connect(site_url.sync_after_migrate, dispatch_uid="core-sync-default-site")
