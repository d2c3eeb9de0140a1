"""The library's pages beside its Wagtail pages: members propose a resource and follow their proposals;
anyone declares a study that used the inventory, which the secretariat accepts or rejects."""

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.accounts.permissions import permission_required, require
from portal.core import antispam, throttle
from portal.core.contributions import contribution_status

from .forms import ProposalForm, StudyDeclarationForm
from .models import ResourcePage, ResourceType, StudyDeclaration
from .services import library_index_get_or_create, resource_propose, study_accept, study_declare, study_reject

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


# --- Studies using the inventory ---------------------------------------------------------------------

# Declarations a client address may send per hour: enough for a research team declaring its papers,
# too few to bury the secretariat's queue.
DECLARATIONS_PER_HOUR = 5


@require_safe
def studies(request):
    """Every study using the inventory: the library's search of that kind, in the reader's language."""
    index = library_index_get_or_create(language=get_language() if get_language() in ("en", "pt") else "fr")
    return redirect(f"{index.url}?type={ResourceType.STUDY}")


@require_http_methods(["GET", "POST"])
def declare_study(request):
    """Anyone declares a publication that used the inventory's data (no account needed): it waits for
    the secretariat's review, then becomes a library resource (`study_queue`)."""
    require(request, "view_public_pages")
    context = {"per_hour": DECLARATIONS_PER_HOUR}
    if request.method == "GET":
        initial = {"language": get_language() if get_language() in ("en", "pt") else "fr"}
        if request.GET.get("release"):
            initial["release"] = request.GET["release"][:100]
        form = StudyDeclarationForm(initial=initial)
        return render(request, "library/declare_study.html", {**context, "form": form})
    form = StudyDeclarationForm(request.POST, browser=antispam.looks_like_a_browser(request))
    address = throttle.client_address(request)
    if throttle.reached("study-declarations", address, (DECLARATIONS_PER_HOUR, HOUR)):
        form.is_valid()
        form.keep_stamp()
        return render(request, "library/declare_study.html", {**context, "form": form, "throttled": True},
                      status=429)
    if not form.is_valid():
        form.keep_stamp()
        return render(request, "library/declare_study.html", {**context, "form": form}, status=400)
    data = form.cleaned_data
    study_declare(title=data["title"], authors=data["authors"], year=data["year"], language=data["language"],
                  link=data["link"], doi=data["doi"], release=data["release"], email=data["email"])
    throttle.allow("study-declarations", address, (DECLARATIONS_PER_HOUR, HOUR))  # one more sent
    messages.success(request, _("Thank you: the secretariat will review “%(title)s” and list it in the "
                                "library with the studies using the inventory.") % {"title": data["title"]})
    return redirect("library:declare_study")


@permission_required("moderate_contributions")
@require_safe
def study_queue(request):
    """The declared studies waiting for the secretariat's decision, and the latest decisions."""
    pending = StudyDeclaration.objects.filter(status=StudyDeclaration.Status.PENDING).order_by("created_at")
    decided = StudyDeclaration.objects.exclude(status=StudyDeclaration.Status.PENDING).select_related(
        "resource", "decided_by").order_by("-decided_at", "-pk")[:20]
    return render(request, "library/study_queue.html", {"pending": pending, "decided": decided})


@permission_required("moderate_contributions")
@require_POST
def study_decide(request, pk):
    """Accept (publish in the library) or reject one declared study."""
    declaration = get_object_or_404(StudyDeclaration, pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("accept", "reject"):
        return HttpResponseBadRequest(_("Unknown decision."))
    if declaration.status != StudyDeclaration.Status.PENDING:
        messages.error(request, _("“%(title)s” has already been decided.") % {"title": declaration.title})
        return redirect("library:study_queue")
    if decision == "accept":
        page = study_accept(declaration, user=request.user)
        messages.success(request, _("“%(title)s” is published in the library, and listed on the open-data "
                                    "pages. You can complete it (summary, themes) in the admin.")
                         % {"title": page.title})
    else:
        study_reject(declaration, user=request.user)
        messages.success(request, _("“%(title)s” is rejected.") % {"title": declaration.title})
    return redirect("library:study_queue")
