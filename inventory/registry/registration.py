"""Mutuals asking to be listed: the sign-up, the focal point's decision and the e-mails around them.

A sign-up creates the mutual `pending` (not public, nobody reports for it, no identifier); its
country's focal points (or the secretariat) approve it, which gives it the country's next mutual
identifier (never reused), or reject it, which consumes none. The sign-up form's rate limits (per
person and per client address) are `SIGN_UPS_PER_USER` and `SIGN_UPS_PER_ADDRESS`. The registrant
is either a person who will manage the mutual (recorded among its managers, and given the *Mutual
manager* role on approval) or the staff of a supporting organization registering a mutual it
supports (the mutual is linked to it).
"""

import logging
import re
import unicodedata
from collections.abc import Mapping
from difflib import SequenceMatcher

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.permissions import can
from portal.accounts.roles import GROUP_NAMES, Role, roles_of
from portal.core import throttle
from portal.mail import absolute_url, templated_email, user_language

from ..contract.choices import RegistrationState
from ..models import Mutual, SupportingOrganization
from ..returns.notifications import focal_points

logger = logging.getLogger(__name__)

# What a sign-up may set on the mutual (everything else is the portal's or the reviewer's).
REGISTRATION_FIELDS = (
    "name", "acronym", "country", "region", "locality", "year_created", "mutual_type", "legal_status",
    "union", "address", "phone", "email", "contact_name", "contact_phone", "contact_email",
)
# Words every mutual's name carries: left out when comparing names.
_COMMON_WORDS = {
    "mutuelle", "mutuelles", "mutualite", "sante", "de", "des", "du", "la", "le", "les", "l", "d",
    "et", "en", "a", "au", "aux", "mutual", "health", "organization", "organisation", "of", "the",
    "mhs", "ms",
}
# SequenceMatcher ratio from which two names are "very similar" (e.g. Fandène / Fandenne).
SIMILARITY = 0.88
# (sign-ups, seconds): a person, or a client address (a workshop's shared connection), sends at most
# this many sign-ups in the window; each one e-mails the country's focal points.
SIGN_UPS_PER_USER = (5, 3600)
SIGN_UPS_PER_ADDRESS = (20, 3600)


# Sign-up ------------------------------------------------------------------------------------------

def normalized_name(name: str) -> str:
    """Lower-case, accents and punctuation removed, the words every mutual's name carries dropped."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = re.findall(r"[a-z0-9]+", text)
    meaningful = [w for w in words if w not in _COMMON_WORDS]
    return " ".join(meaningful or words)


def similar_mutuals(*, country, name: str, acronym: str = "", exclude=None) -> list[Mutual]:
    """Mutuals of `country` (listed or awaiting approval) whose name is the same as `name` or very
    close to it once case, accents and the usual words are set aside, or with the same acronym."""
    key = normalized_name(name)
    acronym_key = normalized_name(acronym) if acronym else ""
    candidates = Mutual.objects.filter(country=country).exclude(
        registration_state=RegistrationState.REJECTED
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    found = []
    for mutual in candidates.only("pk", "mutual_id", "name", "acronym", "registration_state",
                                  "is_public", "locality", "country_id"):
        other = normalized_name(mutual.name)
        if (
            other == key
            or (min(len(key), len(other)) >= 4 and SequenceMatcher(None, key, other).ratio() >= SIMILARITY)
            or (acronym_key and normalized_name(mutual.acronym) == acronym_key)
        ):
            found.append(mutual)
    return found


def supporting_organizations_of(user):
    """The supporting organizations `user` reports for (as their staff)."""
    if not user.is_authenticated:
        return SupportingOrganization.objects.none()
    return SupportingOrganization.objects.filter(staff=user)


def check_registration(data: Mapping) -> dict[str, str]:
    """Rules of a sign-up beyond each field's own type: {field: reason}, empty when fine."""
    errors = {}
    country = data.get("country")
    if country is not None and not getattr(country, "in_network", True):
        errors["country"] = _("Only mutuals of the network's countries can be registered.")
    year = data.get("year_created")
    if year is not None and year > timezone.localdate().year:
        errors["year_created"] = _("The year created cannot be in the future.")
    union = data.get("union")
    if union is not None and country is not None and union.country_id != country.code:
        errors["union"] = _("This union is not one of %(country)s's: choose a union of the mutual's "
                            "country, or none.") % {"country": country.name}
    if not (data.get("contact_phone") or data.get("contact_email")):
        errors["contact_phone"] = _("Give the contact person's telephone or e-mail address, so that "
                                    "the focal point can reach them.")
    return errors


def sign_up_allowed(*, user, address: str) -> bool:
    """Count one sign-up for `user` and for the client `address`; False once either sent more than
    its limit within the hour (nothing is then registered and nobody e-mailed). The address counter
    is only touched when the person is under theirs."""
    if not throttle.allow("inventory-sign-up-user", user.pk, SIGN_UPS_PER_USER):
        return False
    return throttle.allow("inventory-sign-up-address", address, SIGN_UPS_PER_ADDRESS)


@transaction.atomic
def mutual_register(*, user, data: Mapping, supporting_organization: SupportingOrganization | None = None
                    ) -> Mutual:
    """Record a sign-up: the mutual is created pending, with `user` as its registrant.

    Staff of supporting organizations register for one of their organizations (the mutual is
    linked to it); anyone else becomes the mutual's prospective manager. The country's focal points
    are told by e-mail once the sign-up is saved.
    """
    if not can(user, "register_mutual"):
        raise PermissionDenied
    if supporting_organization is not None and not supporting_organization.staff.filter(pk=user.pk).exists():
        raise PermissionDenied
    unknown = set(data) - set(REGISTRATION_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    errors = check_registration(data)
    if errors:
        raise ValidationError(errors)
    values = {name: ("" if data.get(name) is None and name not in ("year_created", "union", "country")
                     else data.get(name)) for name in REGISTRATION_FIELDS}
    mutual = Mutual(**values, registration_state=RegistrationState.PENDING, registered_by=user)
    mutual.full_clean(exclude=["mutual_id"])
    mutual.save()
    if supporting_organization is not None:
        mutual.supporting_organizations.add(supporting_organization)
    else:
        mutual.managers.add(user)
    logger.info("Sign-up #%s (%s) by user %s for supporting organization %s", mutual.pk,
                mutual.name, user.pk, supporting_organization.pk if supporting_organization else "-")
    transaction.on_commit(lambda: _safely(notify_focal_points, mutual))
    return mutual


# Review -------------------------------------------------------------------------------------------

def reviewable_sign_ups(user):
    """The pending sign-ups `user` may decide on: all for the secretariat, their countries' for a
    focal point; None for anyone else (who may not see the queue)."""
    pending = Mutual.objects.filter(registration_state=RegistrationState.PENDING).select_related(
        "country", "union", "registered_by"
    ).prefetch_related("supporting_organizations").order_by("created_at", "pk")
    if can(user, "approve_mutual"):
        return pending
    if Role.FOCAL_POINT in roles_of(user) and user.is_active:
        return pending.filter(country__in=user.focal_point_countries.all())
    return None


def registered_as_manager(mutual: Mutual) -> bool:
    """Whether the registrant asked as the mutual's own manager (not for a supporting organization)."""
    return bool(mutual.registered_by_id) and mutual.managers.filter(pk=mutual.registered_by_id).exists()


@transaction.atomic
def mutual_approve(*, mutual: Mutual, user, comment: str = "") -> Mutual:
    """The focal point (or the secretariat) lists the mutual: it becomes public and its registrant,
    when they registered as its manager, gets the *Mutual manager* role."""
    mutual = _decide(mutual, user=user, state=RegistrationState.APPROVED, comment=comment)
    registrant = mutual.registered_by
    if registrant is not None and registered_as_manager(mutual):
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[Role.MUTUAL_MANAGER])
        registrant.groups.add(group)
    return mutual


@transaction.atomic
def mutual_reject(*, mutual: Mutual, user, comment: str) -> Mutual:
    """The focal point (or the secretariat) declines the sign-up, saying why (comment required)."""
    return _decide(mutual, user=user, state=RegistrationState.REJECTED, comment=comment)


def _decide(mutual, *, user, state, comment):
    mutual = (
        Mutual.objects.select_for_update(of=("self",))  # the joined user may be NULL: lock the mutual only
        .select_related("country", "registered_by").get(pk=mutual.pk)
    )
    if not can(user, "approve_mutual", mutual=mutual):
        raise PermissionDenied
    if state == RegistrationState.REJECTED and not (comment or "").strip():
        raise ValidationError({"comment": _("Say why the sign-up is rejected: the registrant reads it.")})
    if mutual.registration_state != RegistrationState.PENDING:
        raise ValidationError(_("This sign-up was already reviewed (%(state)s).")
                              % {"state": mutual.get_registration_state_display()})
    mutual.registration_state = state
    mutual.reviewed_by = user
    mutual.reviewed_at = timezone.now()
    mutual.review_comment = (comment or "").strip()
    mutual.save(update_fields=["registration_state", "reviewed_by", "reviewed_at", "review_comment",
                               "updated_at"])
    logger.info("Sign-up %s %s by user %s", mutual.mutual_id or f"#{mutual.pk}", state, user.pk)
    transaction.on_commit(lambda: _safely(notify_registrant, mutual))
    return mutual


# The registrant's page ----------------------------------------------------------------------------

def my_registrations_context(user) -> dict:
    """Context of `_my_registrations.html`: the sign-ups `user` made, newest first."""
    if not user.is_authenticated:
        return {"my_registrations": []}
    registrations = (
        Mutual.objects.filter(registered_by=user).select_related("country").order_by("-created_at", "-pk")
    )
    return {"my_registrations": list(registrations)}


# E-mails ------------------------------------------------------------------------------------------

def _send(template: str, *, to: list[str], language: str, context) -> None:
    """Render `inventory/email/<template>_{subject,body}.txt` in `language` and send it."""
    templated_email(f"inventory/email/{template}", to=to, language=language, context=context).send()


def _safely(send, mutual):
    """E-mails go after the commit; a mail server failure is logged, not shown as a failed sign-up."""
    try:
        send(mutual)
    except Exception:
        logger.exception("Could not send the e-mail about sign-up #%s", mutual.pk)


def notify_focal_points(mutual: Mutual) -> None:
    """One e-mail per sign-up to its country's focal points (to the secretariat when the country
    has none), in English only if every recipient reads English first."""
    recipients = list(focal_points(mutual.country_id))
    if not recipients:
        logger.warning("Nobody to tell about sign-up #%s", mutual.pk)
        return
    languages = {user_language(u) for u in recipients}
    language = "en" if languages == {"en"} else "fr"
    _send("registration_pending", to=[u.email for u in recipients], language=language, context=lambda: {
        "mutual": mutual,
        "registrant": mutual.registered_by,
        "supporting_organizations": list(mutual.supporting_organizations.all()),
        "review_url": absolute_url("inventory:registration_review", mutual.pk),
    })


def notify_registrant(mutual: Mutual) -> None:
    """Tell the registrant the decision, in their language."""
    registrant = mutual.registered_by
    if registrant is None or not registrant.email:
        return
    approved = mutual.registration_state == RegistrationState.APPROVED
    _send("registration_approved" if approved else "registration_rejected", to=[registrant.email],
          language=user_language(registrant), context=lambda: {
              "mutual": mutual,
              "registrant": registrant,
              "as_manager": registered_as_manager(mutual),
              "profile_url": absolute_url("inventory:mutual_detail", mutual.mutual_id),
              "reporting_url": absolute_url("inventory:my_mutuals"),
              "registrations_url": absolute_url("inventory:my_registrations"),
          })

