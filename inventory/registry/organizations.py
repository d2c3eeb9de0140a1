"""The network's organizations (the directory's records): reads for the public pages and the writes
that keep related records in step.

`Country.focal_point` is derived: the names of the organizations holding the focal point role in
that country, joined by " / ", recomputed whenever a role or an organization's name changes (signals
below, connected in `InventoryConfig.ready`). An organization's countries always include the
countries of its roles (`organization_sync`, called by the admin form and the demo).
"""

import re
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.db.models.signals import post_delete, post_save

from portal.i18n import by_name
from portal.reference.models import Country

from ..models import Mutual, OrganizationRole, OrganizationRoleKind, SupportingOrganization, Union

FOCAL_POINT_SEPARATOR = " / "


# --- Writes ---------------------------------------------------------------------------------------

def country_focal_point_sync(*, country_code: str) -> None:
    """Rewrite `Country.focal_point` from the organizations holding the focal point role there."""
    roles = (OrganizationRole.objects.filter(role=OrganizationRoleKind.FOCAL_POINT, country_id=country_code)
             .select_related("organization").order_by("organization__name"))
    text = FOCAL_POINT_SEPARATOR.join(str(role.organization) for role in roles)[:255]
    # update(): the text is not inventory data, so no synthesis recomputation is triggered.
    Country.objects.filter(code=country_code).exclude(focal_point=text).update(focal_point=text)


def organization_sync(*, organization: SupportingOrganization) -> None:
    """Add the countries of the organization's roles to its countries, and rewrite the focal point
    text of the countries where it is the focal point."""
    roles = OrganizationRole.objects.filter(organization_id=organization.pk)
    role_countries = set(roles.exclude(country=None).values_list("country_id", flat=True))
    missing = role_countries - set(organization.countries.values_list("code", flat=True))
    if missing:
        organization.countries.add(*missing)
    for code in roles.filter(role=OrganizationRoleKind.FOCAL_POINT).values_list("country_id", flat=True):
        country_focal_point_sync(country_code=code)


def _role_changed(sender, instance, raw=False, **kwargs):
    if raw or instance.role != OrganizationRoleKind.FOCAL_POINT or not instance.country_id:
        return
    country_focal_point_sync(country_code=instance.country_id)


def _organization_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # Read from the database: a cluster's uncommitted roles are saved (and synced) just after.
    roles = OrganizationRole.objects.filter(
        organization_id=instance.pk, role=OrganizationRoleKind.FOCAL_POINT,
    )
    for code in roles.values_list("country_id", flat=True):
        country_focal_point_sync(country_code=code)


def connect() -> None:
    post_save.connect(_role_changed, sender=OrganizationRole, dispatch_uid="organization-role-saved")
    post_delete.connect(_role_changed, sender=OrganizationRole, dispatch_uid="organization-role-deleted")
    post_save.connect(_organization_saved, sender=SupportingOrganization, dispatch_uid="organization-saved")


# --- Matching a name written in a text ------------------------------------------------------------

_NAME_AND_ACRONYM = re.compile(r"^(?P<name>.+?)\s*\((?P<acronym>[^()]{1,40})\)$")


def parse_label(label: str) -> tuple[str, str]:
    """"Union technique de la mutualité malienne (UTM)" → (name, acronym); "GTZ" → ("GTZ", "")."""
    label = " ".join(label.split())
    match = _NAME_AND_ACRONYM.match(label)
    if match:
        return match["name"], match["acronym"].strip()
    return label, ""


def split_focal_point_text(text: str) -> list[tuple[str, str]]:
    """The organizations named in a focal point text, "CIDR / GTZ / Mutuelle de Nylon" → three
    (name, acronym) pairs. Only " / " separates: "BIT/STEP en RDC" is one organization."""
    return [parse_label(part) for part in text.split(FOCAL_POINT_SEPARATOR) if part.strip()]


def find_organization(name: str, acronym: str = ""):
    """The organization known by this name or acronym (case-insensitive), or None."""
    query = Q(name__iexact=name)
    if acronym:
        query |= Q(acronym__iexact=acronym) | Q(name__iexact=acronym)
    else:
        query |= Q(acronym__iexact=name)
    return SupportingOrganization.objects.filter(query).order_by("pk").first()


# --- Reads for the public pages -------------------------------------------------------------------

def _public_mutuals_count():
    return Count("mutuals", filter=Q(mutuals__in=Mutual.objects.public()), distinct=True)


def directory_organizations(*, country: Country | None = None, role: str = ""):
    """Organizations shown in the directory, with their roles and countries prefetched and the
    number of public mutuals they support, filtered by country (active there or holding a role
    there) and by role; a list in the order of their names (`portal.i18n.by_name`)."""
    organizations = SupportingOrganization.objects.in_directory()
    if country is not None:
        organizations = organizations.filter(
            Q(countries=country) | Q(roles__country=country)
        )
    if role:
        roles = OrganizationRole.objects.filter(role=role)
        if country is not None:
            roles = roles.filter(Q(country=country) | Q(country=None))
        organizations = organizations.filter(pk__in=roles.values("organization_id"))
    organizations = (
        organizations.distinct()
        .annotate(mutuals_count=_public_mutuals_count())
        .prefetch_related(
            Prefetch("roles", queryset=OrganizationRole.objects.select_related("country")),
            "countries",
        )
    )
    return by_name(organizations, name=lambda organization: organization.name)


def directory_unions(*, country: Country | None = None):
    """Unions and networks of mutuals, with their number of public mutuals; a list by country, then
    by name, in the reader's language (`portal.i18n.by_name`)."""
    unions = Union.objects.select_related("country").annotate(mutuals_count=_public_mutuals_count())
    if country is not None:
        unions = unions.filter(country=country)
    return by_name(unions, name=lambda union: (union.country.name, union.name))


@dataclass
class CountryOrganizations:
    focal_points: list
    committees: list
    others: list

    def __bool__(self):
        return bool(self.focal_points or self.committees or self.others)


def country_organizations(country: Country) -> CountryOrganizations:
    """A country page's organizations: its focal point(s), its national committee(s) and the other
    organizations of the directory active there."""
    organizations = list(directory_organizations(country=country))
    holding = {
        role: {r.organization_id for r in OrganizationRole.objects.filter(role=role, country=country)}
        for role in (OrganizationRoleKind.FOCAL_POINT, OrganizationRoleKind.NATIONAL_COMMITTEE)
    }
    return CountryOrganizations(
        focal_points=[o for o in organizations if o.pk in holding[OrganizationRoleKind.FOCAL_POINT]],
        committees=[o for o in organizations if o.pk in holding[OrganizationRoleKind.NATIONAL_COMMITTEE]],
        others=[o for o in organizations
                if o.pk not in holding[OrganizationRoleKind.FOCAL_POINT]
                and o.pk not in holding[OrganizationRoleKind.NATIONAL_COMMITTEE]],
    )
