"""Mutuals asking to be listed: the sign-up form, the registrant's list, the focal points' queue.
Rules and e-mails live in `inventory/registry/registration.py`."""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts.permissions import can, permission_required
from portal.core.throttle import client_address
from portal.i18n import ByNameChoiceField, by_name
from portal.reference.models import Country

from ..contract.choices import LegalStatus, MutualType, RegistrationState
from ..models import Mutual, Union
from ..registry import registration

_PHONE = re.compile(r"\+?[0-9][0-9 ().\-]{4,38}")
_PHONE_HELP = gettext_lazy("Digits and spaces, with the country code: +221 33 123 45 67.")


def _clean_phone(value: str) -> str:
    value = " ".join(value.split())
    if value and (not _PHONE.fullmatch(value) or sum(c.isdigit() for c in value) < 6):
        raise forms.ValidationError(_("Enter a telephone number: digits and spaces, with an optional + "
                                      "before the country code (e.g. +221 33 123 45 67)."))
    return value


class MutualRegistrationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the mutual"), max_length=255, min_length=3)
    acronym = forms.CharField(label=gettext_lazy("Acronym"), max_length=40, required=False)
    country = ByNameChoiceField(
        label=gettext_lazy("Country"), queryset=Country.objects.in_network(),
        empty_label=gettext_lazy("— choose —"),
    )
    region = forms.CharField(label=gettext_lazy("Region"), max_length=120, required=False)
    locality = forms.CharField(label=gettext_lazy("Locality (town or village)"), max_length=120,
                               required=False)
    year_created = forms.IntegerField(
        label=gettext_lazy("Year created"), required=False, min_value=1900,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"min_value": gettext_lazy("The year created must be 1900 or later."),
                        "invalid": gettext_lazy("Enter a year, e.g. 2012.")},
    )
    mutual_type = forms.ChoiceField(
        label=gettext_lazy("Type"), choices=[("", gettext_lazy("— choose —")), *MutualType.choices],
    )
    legal_status = forms.ChoiceField(
        label=gettext_lazy("Legal status"), required=False,
        choices=[("", gettext_lazy("— choose —")), *LegalStatus.choices],
    )
    union = forms.TypedChoiceField(
        label=gettext_lazy("Union or network"), required=False, coerce=int, empty_value=None,
        help_text=gettext_lazy("The union of mutuals of its country that it belongs to, if any."),
    )
    address = forms.CharField(label=gettext_lazy("Postal address of the office"), required=False,
                              max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    phone = forms.CharField(label=gettext_lazy("Telephone of the office"), max_length=40, required=False,
                            help_text=_PHONE_HELP, widget=forms.TextInput(attrs={"type": "tel"}))
    email = forms.EmailField(label=gettext_lazy("E-mail of the office"), required=False)
    contact_name = forms.CharField(
        label=gettext_lazy("Contact person"), max_length=150,
        help_text=gettext_lazy("Not published: only the focal point, the secretariat and whoever reports "
                               "for the mutual see the contact person."),
    )
    contact_phone = forms.CharField(label=gettext_lazy("Contact person's telephone"), max_length=40,
                                    required=False, help_text=_PHONE_HELP,
                                    widget=forms.TextInput(attrs={"type": "tel"}))
    contact_email = forms.EmailField(label=gettext_lazy("Contact person's e-mail"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        groups = {}
        for union in Union.objects.filter(country__in_network=True).select_related("country"):
            groups.setdefault(union.country.name, []).append((union.pk, str(union)))
        self.fields["union"].choices = [("", _("None")), *by_name(groups.items(), name=lambda g: g[0])]
        organizations = registration.supporting_organizations_of(user)
        if organizations.exists():
            self.fields["supporting_organization"] = forms.ModelChoiceField(
                label=gettext_lazy("Supporting organization"), queryset=organizations,
                initial=organizations.first() if organizations.count() == 1 else None,
                help_text=gettext_lazy("You register this mutual as staff of this organization: it "
                                       "will be recorded as supporting the mutual."),
            )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self):
        return _clean_phone(self.cleaned_data["phone"])

    def clean_contact_phone(self):
        return _clean_phone(self.cleaned_data["contact_phone"])

    def clean_union(self):
        pk = self.cleaned_data["union"]
        return Union.objects.filter(pk=pk).first() if pk else None

    def clean(self):
        data = super().clean()
        for name, reason in registration.check_registration(data).items():
            if name not in self.errors:
                self.add_error(name, reason)
        return data

    def mutual_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in registration.REGISTRATION_FIELDS}


@permission_required("register_mutual")
def mutual_register(request):
    """Ask for a mutual to be listed. A very similar name in the same country asks to confirm.

    Beyond the rate limits (per person and per client address) the sign-up is refused with a 429,
    the form keeping what was typed."""
    form = MutualRegistrationForm(request.POST or None, user=request.user)
    similar = []
    status = 200
    throttled = False
    if request.method == "POST":
        if form.is_valid():
            data = form.mutual_data()
            similar = registration.similar_mutuals(
                country=data["country"], name=data["name"], acronym=data["acronym"]
            )
            if (not similar or request.POST.get("confirm_distinct")) and not registration.sign_up_allowed(
                user=request.user, address=client_address(request)
            ):
                throttled, status = True, 429
            elif not similar or request.POST.get("confirm_distinct"):
                try:
                    mutual = registration.mutual_register(
                        user=request.user, data=data,
                        supporting_organization=form.cleaned_data.get("supporting_organization"),
                    )
                except ValidationError as error:
                    _errors_to_form(form, error)
                    status = 400
                else:
                    messages.success(request, _(
                        "Thank you. “%(name)s” awaits the approval of the focal point of %(country)s; you "
                        "will receive an e-mail with the decision, and the mutual's identifier once approved."
                    ) % {"name": mutual.name, "country": mutual.country.name})
                    return redirect("inventory:my_registrations")
        else:
            status = 400
    return render(request, "inventory/registration_form.html", {
        "form": form, "similar": similar, "throttled": throttled,
    }, status=status)


def _errors_to_form(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def my_registrations(request):
    """The sign-ups the user made and where each one stands."""
    return render(request, "inventory/registration_mine.html",
                  registration.my_registrations_context(request.user))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    comment = forms.CharField(
        label=gettext_lazy("Comment to the registrant"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required to reject: say why, the registrant reads it in the e-mail."),
    )


@login_required
def registration_queue(request):
    """The pending sign-ups a focal point (their countries) or the secretariat (all) decides on."""
    pending = registration.reviewable_sign_ups(request.user)
    if pending is None:
        raise PermissionDenied
    entries = [_entry(mutual) for mutual in pending]
    return render(request, "inventory/registration_queue.html", {"entries": entries})


def _entry(mutual, form=None) -> dict:
    return {
        "mutual": mutual,
        "form": form or ReviewForm(prefix=f"signup-{mutual.pk}"),
        "similar": registration.similar_mutuals(
            country=mutual.country, name=mutual.name, acronym=mutual.acronym, exclude=mutual
        ),
        "as_manager": registration.registered_as_manager(mutual),
    }


@login_required
def registration_review(request, pk):
    """One sign-up: its details and the decision (approve, or reject with a comment). Addressed by
    its number: a pending sign-up has no mutual identifier yet."""
    mutual = get_object_or_404(Mutual.objects.select_related("country", "union", "registered_by"), pk=pk)
    if not can(request.user, "approve_mutual", mutual=mutual):
        raise PermissionDenied
    form = ReviewForm(request.POST or None, prefix=f"signup-{mutual.pk}")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            service = (registration.mutual_approve if form.cleaned_data["decision"] == "approve"
                       else registration.mutual_reject)
            try:
                mutual = service(mutual=mutual, user=request.user, comment=form.cleaned_data["comment"])
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                if mutual.registration_state == RegistrationState.APPROVED:
                    text = _("%(name)s (%(mutual_id)s) is approved; the registrant was told by e-mail.")
                else:
                    text = _("%(name)s (%(mutual_id)s) is rejected; the registrant was told by e-mail.")
                messages.success(request, text % {"name": mutual.name, "mutual_id": mutual.mutual_id})
                return redirect("inventory:registration_queue")
        status = 400
    return render(request, "inventory/registration_review.html", {
        "entry": _entry(mutual, form), "reviewed": mutual.registration_state != RegistrationState.PENDING,
    }, status=status)
