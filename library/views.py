"""The library's pages beside its Wagtail pages: members propose a resource and follow their proposals."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portal.accounts.permissions import permission_required
from portal.core import throttle
from portal.core.contributions import contribution_status

from .forms import ProposalForm
from .models import ResourcePage
from .services import resource_propose

# Proposals (and re-submissions) a person may send per hour: enough for anyone sharing their
# documents, few enough that a stolen account cannot bury the secretariat's review queue.
PROPOSALS_PER_HOUR = 5
HOUR = 3600


def _initial(page: ResourcePage) -> dict:
    """The form's fields as the proposal's latest revision has them."""
    return {
        "title": page.title, "summary": page.summary, "resource_type": page.resource_type,
        "themes": list(page.themes.all()), "countries": list(page.countries.all()),
        "language": page.language, "year": page.year, "authors": page.authors,
        "publisher": page.publisher, "licence": page.licence, "external_url": page.external_url,
    }


@permission_required("propose_resource")
def propose(request, pk=None):
    """The proposal form: the resource waits, unpublished, until the secretariat publishes it. With
    `pk`, the member's own proposal whose changes were requested, changed and sent again."""
    resource = latest = contribution = None
    current_file = ""
    current_countries = []
    if pk is not None:
        resource = get_object_or_404(ResourcePage, pk=pk, contributor=request.user)
        contribution = contribution_status(resource)
        if not contribution.editable:
            messages.error(request, _("This proposal is being reviewed or is published: it cannot be "
                                      "changed from here."))
            return redirect("library:my_proposals")
        latest = resource.get_latest_revision_as_object()
        current_file = latest.document.filename if latest.document_id and latest.document else ""
        current_countries = [country.code for country in latest.countries.all()]
    if request.method == "POST":
        form = ProposalForm(request.POST, request.FILES, current_file=current_file,
                            current_countries=current_countries)
    else:
        form = ProposalForm(initial=_initial(latest) if latest is not None else None,
                            current_file=current_file, current_countries=current_countries)
    context = {"form": form, "resource": resource, "contribution": contribution}
    status = 200
    if request.method == "POST":
        if throttle.reached("library-proposals", request.user.pk, (PROPOSALS_PER_HOUR, HOUR)):
            return render(request, "library/propose.html", {
                **context, "throttled": True, "per_hour": PROPOSALS_PER_HOUR}, status=429)
        if form.is_valid():
            page = resource_propose(user=request.user, resource=resource, **form.cleaned_data)
            throttle.allow("library-proposals", request.user.pk, (PROPOSALS_PER_HOUR, HOUR))  # one more sent
            thanks = _("Thank you: “%(title)s” is waiting for the secretariat's review. "
                       "You will receive an e-mail when it is published.")
            messages.success(request, thanks % {"title": page.title})
            return redirect("library:my_proposals")
        status = 400
    return render(request, "library/propose.html", context, status=status)


@permission_required("propose_resource")
def my_proposals(request):
    """The member's proposals and where each stands."""
    pages = ResourcePage.objects.filter(contributor=request.user).select_related("locale").order_by("-pk")
    proposals = [(page, contribution_status(page)) for page in pages]
    return render(request, "library/my_proposals.html", {"proposals": proposals})
