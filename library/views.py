"""The library's pages beside its Wagtail pages: members propose a resource and follow their proposals."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.accounts.permissions import permission_required
from portal.core.contributions import contribution_status, recent_submissions

from .forms import ProposalForm
from .models import ResourcePage
from .services import resource_propose

# Proposals (and re-submissions) a person may send per hour: enough for anyone sharing their
# documents, few enough that a stolen account cannot bury the secretariat's review queue.
PROPOSALS_PER_HOUR = 5


@permission_required("propose_resource")
def propose(request):
    """The proposal form: the resource waits, unpublished, until the secretariat publishes it."""
    form = ProposalForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if recent_submissions(request.user) >= PROPOSALS_PER_HOUR:
            return render(request, "library/propose.html", {
                "form": form, "throttled": True, "per_hour": PROPOSALS_PER_HOUR}, status=429)
        if form.is_valid():
            page = resource_propose(user=request.user, **form.cleaned_data)
            thanks = _("Thank you: “%(title)s” is waiting for the secretariat's review. "
                       "You will receive an e-mail when it is published.")
            messages.success(request, thanks % {"title": page.title})
            return redirect("library:my_proposals")
        status = 400
    return render(request, "library/propose.html", {"form": form}, status=status)


@permission_required("propose_resource")
def my_proposals(request):
    """The member's proposals and where each stands."""
    pages = ResourcePage.objects.filter(contributor=request.user).select_related("locale").order_by("-pk")
    proposals = [(page, contribution_status(page)) for page in pages]
    return render(request, "library/my_proposals.html", {"proposals": proposals})
