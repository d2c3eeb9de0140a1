"""Demo content of the directory, from `data/directory.yaml`: the network's promoters, the focal points
of the demo countries and a few national committees.

Public facts about organizations only, in our own words; no person, no personal address. Websites
only for organizations whose public site is well known; invented records (the national committees)
end with "(démo)" and use example.org addresses. Idempotent: an organization found by name or
acronym is completed (empty fields filled, missing roles and countries added), never overwritten.
"""

from inventory.models import OrganizationRole, OrganizationRoleKind, SupportingOrganization
from inventory.registry.organizations import find_organization, organization_sync
from portal.reference.models import Country, Theme

from .content import read

# Each entry: name, acronym, website, email (optional), `fr` and `en` descriptions, roles
# (`{role, country}`, country optional), countries and themes (slugs, optional).
ORGANIZATIONS: list = read("directory")


def load(report) -> None:
    countries = {c.code: c for c in Country.objects.all()}
    themes = {t.slug: t for t in Theme.objects.all()}
    created = 0
    for entry in ORGANIZATIONS:
        wanted_countries = {code for code in entry["countries"] if code in countries}
        wanted_roles = [(OrganizationRoleKind(role["role"]), role.get("country")) for role in entry["roles"]
                        if role.get("country") is None or role["country"] in countries]
        organization = find_organization(entry["name"], entry.get("acronym", ""))
        if organization is None:
            organization = SupportingOrganization(name=entry["name"], acronym=entry.get("acronym", ""))
            created += 1
        for field, value in [("website", entry.get("website", "")), ("email", entry.get("email", "")),
                             ("description_fr", entry["fr"]), ("description_en", entry["en"]),
                             ("acronym", entry.get("acronym", ""))]:
            if value and not getattr(organization, field):
                setattr(organization, field, value)
        organization.save()
        organization.countries.add(*(countries[code] for code in wanted_countries))
        organization.themes.add(*(themes[slug] for slug in entry.get("themes", []) if slug in themes))
        for role, code in wanted_roles:
            OrganizationRole.objects.get_or_create(
                organization=organization, role=role, country=countries.get(code) if code else None,
            )
        organization_sync(organization=organization)
    report.add(f"Directory: {created} organizations created, "
               f"{SupportingOrganization.objects.count()} in all.")
