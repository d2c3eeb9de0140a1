"""The directory's public pages. Only organizations' own details are shown (name, roles, countries,
website, office address and e-mail): never their staff, never a mutual's contact person. A bad
filter value is a 400 that names the filter, with the unfiltered choices still offered."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from inventory.models import Mutual, OrganizationRoleKind, SupportingOrganization
from inventory.opendata.exports import format_cell
from inventory.registry.organizations import directory_organizations, directory_unions
from library.models import ProjectProfilePage
from portal.accounts.permissions import require
from portal.core import organization_sections
from portal.core.spreadsheets import csv_stream
from portal.core.views import csv_download
from portal.i18n import keys_by_name

from . import jsonld, projects
from .filters import DirectoryFilter

MUTUALS_LISTED = 20


@require_safe
def organization_list(request):
    """Organizations of the network, filtered by `country` (ISO code) and `role`, and the unions of
    mutuals (with the role filter empty or "union")."""
    form = DirectoryFilter(request.GET or None).form  # parses only: the values are applied below
    valid = not form.is_bound or form.is_valid()
    data = form.cleaned_data if form.is_bound and valid else {}
    country, role = data.get("country"), data.get("role", "")
    context = {"form": form, "country": country, "role": role}
    if valid:
        context["organizations"] = list(directory_organizations(country=country, role=role))
        if role in ("", OrganizationRoleKind.UNION):
            context["unions"] = list(directory_unions(country=country))
    return render(request, "directory/organization_list.html", context, status=200 if valid else 400)


@require_safe
def organization_detail(request, pk):
    """An organization's page: its roles and countries, public contact, the number of public mutuals
    it supports, and the sections other apps register (`portal.core.organization_sections`)."""
    organization = get_object_or_404(
        SupportingOrganization.objects.in_directory().prefetch_related("countries", "roles__country"), pk=pk,
    )
    mutuals = Mutual.objects.public().filter(supporting_organizations=organization)
    keys = keys_by_name(mutuals, "name")
    listed = mutuals.select_related("country").in_bulk(keys[:MUTUALS_LISTED])
    context = {
        "organization": organization,
        "mutuals_count": len(keys),
        "mutuals": [listed[key] for key in keys[:MUTUALS_LISTED]],
        "sections": organization_sections.sections(organization, request),
        "json_ld": jsonld.organization(organization),
    }
    return render(request, "directory/organization_detail.html", context)


@require_safe
def project_csv(request, page_id):
    """The figures of a project profile's supported mutuals (`projects.py`) as CSV: the synthesis
    table's column names and cells, as the inventory's chart downloads write them. A page that is
    not live or not public, or that shows no figure, is a 404."""
    require(request, "download_public_data")
    page = get_object_or_404(ProjectProfilePage.objects.live().public(), pk=page_id)
    figure = projects.figure(page, projects.supported_group(page))
    if figure is None:
        raise Http404(_("No validated return of the supported mutuals yet."))
    response = csv_download(csv_stream(figure.csv_lines(), format_value=format_cell, lineterminator="\n"),
                            f"project-{page.slug}-inventory.csv")
    response["Cache-Control"] = "no-cache"  # changes with every validation
    return response
