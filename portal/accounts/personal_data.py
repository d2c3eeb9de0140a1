"""What the portal holds about a person: their own copy of it, and what deleting their account does.

Every app that stores something about a registered person registers a `Holder` in its
AppConfig.ready() (accounts sits at the bottom, so the apps above come to it, as for the profile's
sections)::

    from portal.accounts import personal_data
    personal_data.register(personal_data.Holder(
        "registrations", _("Event registrations"),
        columns={"event": _("Event"), "status": _("Status")},
        collect=lambda user: [{"event": r.event.title, "status": r.status} for r in ...],
        erase=cancel_registrations,
    ))

- `collect(user)` returns the person's records as plain dicts (strings, numbers, booleans, None),
  keyed by `columns`; the profile's "My data" page shows them as tables with the translated column
  names, and the JSON download gives them as they are.
- `erase(user)` (optional) runs inside the deletion's transaction, just before the account row goes,
  for what Django's cascade would do wrongly: give a freed seat to the next person waiting, sign an
  article "former member" rather than leaving it unsigned.
- `optional_erase` with `optional_erase_label`: something the person may also ask to delete, such as
  their newsletter subscription, which lives without an account; the deletion page offers it as a
  ticked box.

`delete_account(user, options)` is the one way an account is deleted from the site; the secretariat's
deletion in the admin goes through the same `erase` steps (a `pre_delete` receiver below).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models.signals import pre_delete
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

HOLDERS: dict[str, Holder] = {}


@dataclass(frozen=True)
class Holder:
    name: str
    label: str
    columns: dict
    collect: Callable
    erase: Callable | None = None
    optional_erase: Callable | None = None
    optional_erase_label: str = ""
    # What stays after the account is deleted, said on the deletion page (empty: nothing stays).
    kept_after_deletion: str = ""
    order: int = 50  # the page's order: the account first (apps get ready in INSTALLED_APPS order)


def register(holder: Holder) -> None:
    HOLDERS[holder.name] = holder


def _plain(value):
    if isinstance(value, datetime.datetime):
        value = value.replace(microsecond=0)
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def collect(user) -> list[dict]:
    """Everything held about `user`, one entry per holder: its name, label, columns and records."""
    sections = []
    for holder in sorted(HOLDERS.values(), key=lambda h: h.order):
        records = [{key: _plain(record.get(key)) for key in holder.columns}
                   for record in holder.collect(user)]
        sections.append({"name": holder.name, "label": str(holder.label),
                         "columns": {key: str(label) for key, label in holder.columns.items()},
                         "records": records, "kept_after_deletion": str(holder.kept_after_deletion)})
    return sections


def as_json(user) -> dict:
    """The JSON download: when it was made, and every holder's records under its name."""
    return {
        "generated_at": timezone.now().isoformat(),
        "account": user.email,
        "data": {section["name"]: section["records"] for section in collect(user)},
    }


def optional_erasures() -> list[Holder]:
    return [h for h in HOLDERS.values() if h.optional_erase]


class AccountDeletionRefused(Exception):
    pass


def delete_account(user, *, options: set[str] = frozenset()) -> None:
    """Delete `user`'s account and what hangs on it; `options` names the holders whose optional
    erasure the person asked for (e.g. "newsletter"). An administrator's account is deleted by
    another administrator, never by itself from the site (the portal must keep one)."""
    if user.is_superuser:
        raise AccountDeletionRefused
    with transaction.atomic():
        for holder in HOLDERS.values():
            if holder.optional_erase and holder.name in options:
                holder.optional_erase(user)
        user.delete()  # the pre_delete receiver runs every holder's `erase`


def _erase_before_delete(sender, instance, **kwargs):
    for holder in HOLDERS.values():
        if holder.erase:
            holder.erase(instance)


def connect(user_model) -> None:
    pre_delete.connect(_erase_before_delete, sender=user_model, dispatch_uid="accounts-personal-data-erase")


# The account's own records ------------------------------------------------------------------------


def _account(user):
    from .roles import ROLE_LABELS, Role, roles_of

    return [{
        "email": user.email, "first_name": user.first_name, "last_name": user.last_name,
        "organization": user.organization, "country": user.country.name if user.country_id else None,
        "languages": list(user.languages or []),
        "interests": [theme.name for theme in user.interests.all()],
        "roles": [str(ROLE_LABELS[r]) for r in Role if r in roles_of(user)],
        "focal_point_for": [c.code for c in user.focal_point_countries.all()],
        "date_joined": user.date_joined, "last_login": user.last_login,
    }]


def _email_addresses(user):
    from allauth.account.models import EmailAddress

    return [{"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")]


def _authenticators(user):
    if not apps.is_installed("allauth.mfa"):
        return []
    from allauth.mfa.models import Authenticator

    # The kind and dates only: secrets and recovery codes never leave the server, even to their owner.
    return [{"type": a.get_type_display(), "created_at": a.created_at, "last_used_at": a.last_used_at}
            for a in Authenticator.objects.filter(user=user).order_by("created_at")]


def register_account_holders() -> None:
    register(Holder(
        "account", _("Your account"),
        columns={"email": _("E-mail address"), "first_name": _("First name"), "last_name": _("Last name"),
                 "organization": _("Organization"), "country": _("Country"),
                 "languages": _("Languages you read"), "interests": _("Themes of interest"),
                 "roles": _("Roles"), "focal_point_for": _("Focal point for"),
                 "date_joined": _("Registered on"), "last_login": _("Last login")},
        collect=_account, order=0,
    ))
    register(Holder(
        "email_addresses", _("E-mail addresses"),
        columns={"email": _("E-mail address"), "verified": _("Confirmed"), "primary": _("Primary")},
        collect=_email_addresses, order=1,
    ))
    register(Holder(
        "authenticators", _("Two-factor authentication"),
        columns={"type": _("Type"), "created_at": _("Set up on"), "last_used_at": _("Last used")},
        collect=_authenticators, order=2,
    ))
