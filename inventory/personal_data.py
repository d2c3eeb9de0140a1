"""The inventory's part of a person's data (see `portal.accounts.personal_data`): the mutuals they
report for or asked to list, and what they did on yearly returns. After an account is deleted, a
return's history keeps every version and transition, without the person's name (the figures are the
mutual's, not the person's)."""

from django.utils.translation import gettext_lazy as _

from portal.accounts.personal_data import Holder, register

from .models import Mutual, ReturnRevision, ReturnTransition


def _mutuals(user):
    records = []
    for relation, mutuals in [
        (_("manager"), Mutual.objects.filter(managers=user)),
        (_("staff of a supporting organization"),
         Mutual.objects.filter(supporting_organizations__staff=user)),
        (_("asked for it to be listed"), Mutual.objects.filter(registered_by=user)),
    ]:
        for mutual in mutuals.select_related("country").distinct().order_by("pk"):
            records.append({"relation": relation, "mutual": mutual.name,
                            "mutual_id": mutual.mutual_id or None, "country": mutual.country.code})
    return records


def _returns_activity(user):
    records = [
        {"when": r.created_at, "mutual_id": r.yearly_return.mutual.mutual_id, "year": r.yearly_return.year,
         "action": _("version %(number)s saved") % {"number": r.number},
         "detail": ", ".join(r.changed_fields or [])}
        for r in ReturnRevision.objects.filter(user=user).select_related("yearly_return__mutual")
    ]
    records += [
        {"when": t.created_at, "mutual_id": t.yearly_return.mutual.mutual_id, "year": t.yearly_return.year,
         "action": f"{t.get_from_state_display()} → {t.get_to_state_display()}", "detail": t.comment}
        for t in ReturnTransition.objects.filter(user=user).select_related("yearly_return__mutual")
    ]
    return sorted(records, key=lambda r: r["when"])


def register_holders():
    register(Holder(
        "mutuals", _("Mutuals you report for"),
        columns={"relation": _("Relation"), "mutual": _("Mutual"), "mutual_id": _("Identifier"),
                 "country": _("Country")},
        collect=_mutuals,
    ))
    register(Holder(
        "returns_activity", _("Your work on yearly returns"),
        columns={"when": _("When"), "mutual_id": _("Mutual"), "year": _("Year"), "action": _("Action"),
                 "detail": _("Detail")},
        collect=_returns_activity,
        kept_after_deletion=_("the versions and transitions of the returns you worked on stay in their "
                              "history, without your name."),
    ))
