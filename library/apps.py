from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Library")

    def ready(self):
        from portal.core import studies

        from . import personal_data, services, signals, todo

        signals.connect()
        todo.connect()
        studies.provide_studies(services.published_studies)  # listed on the open-data pages
        personal_data.register_holders()
