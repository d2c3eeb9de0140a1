"""The library's part of a person's data (see `portal.accounts.personal_data`): the studies using the
inventory they declared with their account's e-mail address. Deleting the account takes the address
off those declarations (an accepted study stays in the library: it is a publication, not the person's
data)."""

from django.utils.translation import gettext_lazy as _

from portal.accounts.personal_data import Holder, register


def _declarations(user):
    from .models import StudyDeclaration

    if not user.email:
        return StudyDeclaration.objects.none()
    return StudyDeclaration.objects.filter(email__iexact=user.email)


def _collect(user):
    return [{"declared": d.created_at, "title": d.title, "status": d.get_status_display(), "email": d.email}
            for d in _declarations(user).order_by("created_at", "pk")]


def _erase(user):
    _declarations(user).update(email="")


def register_holders():
    register(Holder(
        "declared_studies", _("Studies using the inventory you declared"),
        columns={"declared": _("Declared"), "title": _("Title"), "status": _("Status"),
                 "email": _("E-mail address")},
        collect=_collect, erase=_erase,
    ))
