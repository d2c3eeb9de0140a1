from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True  # this module also defines the Wagtail users config below
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth import get_user_model

        from . import personal_data, signals  # noqa: F401  (signals: connects the sign-up receiver)
        from .roles import ensure_role_groups

        personal_data.register_account_holders()
        personal_data.connect(get_user_model())

        # After every migrate (a fresh database included) the role groups exist with their
        # Wagtail permissions; the function is idempotent.
        post_migrate.connect(_ensure_groups, sender=self, dispatch_uid="accounts-role-groups")
        self._ensure_role_groups = ensure_role_groups


def _ensure_groups(sender, using="default", **kwargs):
    sender._ensure_role_groups(using=using)


class PortalUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with the portal's profile fields and focal-point countries, and its
    group admin, both through the portal's guard (`viewsets.py`)."""

    default = False
    user_viewset = "portal.accounts.viewsets.PortalUserViewSet"
    group_viewset = "portal.accounts.viewsets.PortalGroupViewSet"
