"""Accounts' own receivers: whoever signs up joins the *Member* group. (What the audit log records
about accounts, roles and second factors is portal.core's: `portal/core/audit_accounts.py`.)"""

from allauth.account.signals import user_signed_up
from django.contrib.auth.models import Group
from django.dispatch import receiver

from .roles import GROUP_NAMES, Role


@receiver(user_signed_up, dispatch_uid="accounts-join-member-group")
def join_member_group(sender, request, user, **kwargs):
    """Everyone who registers is a network member; other roles are granted by the secretariat."""
    group, _ = Group.objects.get_or_create(name=GROUP_NAMES[Role.MEMBER])
    user.groups.add(group)
