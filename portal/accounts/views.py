from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .permissions import permission_required
from .roles import ROLE_LABELS, Role, roles_of


@permission_required("edit_own_profile")
def profile(request):
    """The logged-in person's profile: what they told us, and the roles the secretariat gave them."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
        messages.error(request, _("Please correct the errors below; nothing has been saved yet."))
    roles = [ROLE_LABELS[r] for r in Role if r in roles_of(request.user)]
    return render(request, "accounts/profile.html", {"form": form, "roles": roles})
