from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .permissions import permission_required
from .profile_sections import sections_for
from .roles import ROLE_LABELS, Role, roles_of


@permission_required("edit_own_profile")
def profile(request):
    """The logged-in person's profile: what they told us, and the roles the secretariat gave them."""
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, instance=request.user)
    sections = sections_for(request.user, data=data)
    if request.method == "POST":
        if all([form.is_valid(), *(section.is_valid() for section in sections)]):
            form.save()
            for section in sections:
                section.save()
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
        messages.error(request, _("Please correct the errors below; nothing has been saved yet."))
    roles = [ROLE_LABELS[r] for r in Role if r in roles_of(request.user)]
    return render(request, "accounts/profile.html", {"form": form, "roles": roles, "sections": sections})
