import re

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import personal_data
from .forms import DeleteAccountForm, ProfileForm
from .permissions import permission_required
from .profile_sections import sections_for
from .roles import ROLE_LABELS, Role, roles_of
from .second_factor import dormant_roles, has_second_factor


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
    return render(request, "accounts/profile.html", {
        "form": form, "roles": roles, "sections": sections,
        "second_factor": has_second_factor(request.user),
        "second_factor_required": bool(dormant_roles(request.user)),
    })


_ISO_DATETIME = re.compile(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d):\d\d([+-]\d\d:\d\d|Z)?$")


def _display(value) -> str:
    if value is None or value == []:
        return "—"
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        return _ISO_DATETIME.sub(r"\1 \2", value)  # the day and the minute, in the site's time zone
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return " · ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


@permission_required("edit_own_profile")
def my_data(request):
    """Everything the portal holds about the logged-in person, as a page and as a JSON download."""
    if request.GET.get("format") == "json":
        response = JsonResponse(personal_data.as_json(request.user),
                                json_dumps_params={"indent": 2, "ensure_ascii": False})
        response["Content-Disposition"] = 'attachment; filename="my-data.json"'
        response["Cache-Control"] = "private, no-store"
        return response
    if request.GET:
        return HttpResponseBadRequest(_("Unknown parameter: this page takes only format=json."))
    sections = personal_data.collect(request.user)
    for section in sections:
        section["rows"] = [[_display(value) for value in record.values()] for record in section["records"]]
        if len(section["rows"]) == 1:  # one record (the account): a label per line, readable on a phone
            section["pairs"] = list(zip(section["columns"].values(), section["rows"][0], strict=True))
    response = render(request, "accounts/my_data.html", {"sections": sections})
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("edit_own_profile")
def delete_account(request):
    """The person deletes their own account, after typing their password; they are logged out."""
    user = request.user
    if user.is_superuser:
        return render(request, "accounts/delete_account.html", {"refused": True}, status=403)
    erasures = personal_data.optional_erasures()
    form = DeleteAccountForm(request.POST or None, user=user, optional_erasures=erasures)
    if request.method == "POST" and form.is_valid():
        personal_data.delete_account(user, options=form.options())
        logout(request)
        messages.success(request, _("Your account and your data have been deleted."))
        return redirect("/")
    sections = [s for s in personal_data.collect(user) if s["kept_after_deletion"]]
    return render(request, "accounts/delete_account.html", {"form": form, "kept": sections})
