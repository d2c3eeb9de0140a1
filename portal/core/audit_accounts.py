"""The audit log's watch on accounts: roles given or taken, focal-point countries, an account
deactivated or given administrator rights, a second factor added or removed.

It lives in `portal.core`, above `portal.accounts` in the kernel's layers (pyproject.toml's
[tool.importlinter]): accounts says who is who and who may do what, and imports nothing of the site;
the audit log, part of the site's kernel, watches the user model's relations and flags through
Django's signals. `connect_accounts()` is called once, by portal.core's AppConfig.ready.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy as _

from . import audit

audit.register("portal.user.roles_added", _("Add roles"), _("Roles added: %(groups)s"))
audit.register("portal.user.roles_removed", _("Remove roles"), _("Roles removed: %(groups)s"))
audit.register("portal.user.focal_point_countries_added", _("Add focal-point countries"),
               _("Focal point for: %(countries)s added"))
audit.register("portal.user.focal_point_countries_removed", _("Remove focal-point countries"),
               _("Focal point for: %(countries)s removed"))
audit.register("portal.user.deactivated", _("Deactivate account"), _("Account deactivated"))
audit.register("portal.user.reactivated", _("Reactivate account"), _("Account reactivated"))
audit.register("portal.user.superuser_granted", _("Grant administrator rights"),
               _("Administrator rights granted"))
audit.register("portal.user.superuser_revoked", _("Revoke administrator rights"),
               _("Administrator rights revoked"))
audit.register("portal.mfa.added", _("Add a two-factor method"), _("Two-factor method added: %(type)s"))
audit.register("portal.mfa.removed", _("Remove a two-factor method"),
               _("Two-factor method removed: %(type)s"))

_WATCHED_FLAGS = {"is_active": ("portal.user.reactivated", "portal.user.deactivated"),
                  "is_superuser": ("portal.user.superuser_granted", "portal.user.superuser_revoked")}


def _m2m_audit(actions, key, describe):
    """A receiver of m2m_changed on a user's relation: one entry per user whose set changed, naming
    what was added or removed (`describe` turns the related objects' ids into names or codes)."""
    added, removed = actions

    def receiver(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action == "pre_clear":
            own, other = sender._audit_fields if not reverse else sender._audit_fields[::-1]
            instance._audit_clearing = set(
                sender.objects.filter(**{own: instance.pk}).values_list(other, flat=True))
            return
        if action == "post_clear":
            pk_set = getattr(instance, "_audit_clearing", set())
        elif action not in ("post_add", "post_remove"):
            return
        if not pk_set:
            return
        name = added if action == "post_add" else removed
        User = get_user_model()
        if reverse:  # country.focal_point_users.add(...), group.user_set.remove(...)
            for user in User.objects.filter(pk__in=pk_set):
                audit.log(user, name, data={key: describe([instance.pk])})
        else:
            audit.log(instance, name, data={key: describe(pk_set)})

    return receiver


def _group_names(pks):
    return sorted(Group.objects.filter(pk__in=pks).values_list("name", flat=True))


def _country_codes(pks):
    return sorted(str(pk) for pk in pks)


def _remember_flags(sender, instance, raw=False, update_fields=None, **kwargs):
    untouched = update_fields is not None and not set(update_fields) & set(_WATCHED_FLAGS)
    if raw or instance._state.adding or untouched:
        instance._audit_flags = None
        return
    instance._audit_flags = sender.objects.filter(pk=instance.pk).values(*_WATCHED_FLAGS).first()


def _log_flag_changes(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_audit_flags", None)
    instance._audit_flags = None
    if created or raw or not before:
        return
    for flag, (turned_on, turned_off) in _WATCHED_FLAGS.items():
        if before[flag] != getattr(instance, flag):
            audit.log(instance, turned_on if getattr(instance, flag) else turned_off)


def _authenticator_added(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        audit.log(instance.user, "portal.mfa.added", data={"type": instance.type})


def _authenticator_removed(sender, instance, **kwargs):
    user = get_user_model().objects.filter(pk=instance.user_id).first()
    if user is not None:  # not when the account itself is being deleted
        audit.log(user, "portal.mfa.removed", data={"type": instance.type})


def connect_accounts() -> None:
    """Connect the receivers above to the user model, its relations and allauth's authenticators."""
    User = get_user_model()
    for relation, actions, key, describe in [
        (User.groups, ("portal.user.roles_added", "portal.user.roles_removed"), "groups", _group_names),
        (User.focal_point_countries, ("portal.user.focal_point_countries_added",
                                      "portal.user.focal_point_countries_removed"), "countries",
         _country_codes),
    ]:
        through = relation.through
        through._audit_fields = (relation.field.m2m_field_name(), relation.field.m2m_reverse_field_name())
        m2m_changed.connect(_m2m_audit(actions, key, describe), sender=through, weak=False,
                            dispatch_uid=f"audit-{relation.field.name}")
    pre_save.connect(_remember_flags, sender=User, dispatch_uid="audit-user-flags-before")
    post_save.connect(_log_flag_changes, sender=User, dispatch_uid="audit-user-flags")
    if apps.is_installed("allauth.mfa"):
        from allauth.mfa.models import Authenticator

        post_save.connect(_authenticator_added, sender=Authenticator, dispatch_uid="audit-mfa-added")
        post_delete.connect(_authenticator_removed, sender=Authenticator, dispatch_uid="audit-mfa-removed")
