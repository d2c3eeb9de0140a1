"""The *Audit log* report (Reports › Audit log, /admin/reports/audit-log/): Wagtail's *Site history*
with every entry and the address each action came from, for the secretariat and administrators only.

It is Wagtail's site history view (`LogEntriesView`: the same filters by user, action, date and
object type, and the same CSV/XLSX export) with three changes: nobody without the portal's
`view_audit_log` gets in; the entries are not narrowed to the object types the reader holds model
permissions on (the secretariat holds none on returns, campaigns or releases, whose entries it must
read); an *Address* column and filter read the origin `portal.core.audit` stores with each entry.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import ContentTypeFilter
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.log_actions import registry as log_action_registry

from portal.accounts.permissions import can, require

from .audit import COMMAND_LINE


def _every(method: str) -> set:
    found = set()
    for log_model in log_action_registry.get_log_entry_models():
        found.update(getattr(log_model.objects.all(), method)())
    return found


class AuditLogFilterSet(SiteHistoryReportFilterSet):
    address = django_filters.CharFilter(
        label=_("Address"), method="filter_address",
        help_text=_("An IP address, or part of one; “command line” for what was done on the server."),
    )
    object_type = ContentTypeFilter(
        label=_("Type"), method="filter_object_type",
        queryset=lambda request: ContentType.objects.filter(pk__in=_every("get_content_type_ids"))
        .order_by("model"),
    )

    def filter_address(self, queryset, name, value):
        return queryset.filter(data__origin__address__icontains=value.strip())

    def get_action_choices(self):
        used = _every("get_actions")
        return [choice for choice in log_action_registry.get_choices() if choice[0] in used]

    def get_users_queryset(self):
        User = get_user_model()
        return User.objects.filter(pk__in=_every("get_user_ids")).order_by(User.USERNAME_FIELD)


class AuditLogView(LogEntriesView):
    page_title = _("Audit log")
    header_icon = "history"
    results_template_name = "core/audit_log_results.html"
    filterset_class = AuditLogFilterSet
    index_url_name = "portal_audit_log"
    index_results_url_name = "portal_audit_log_results"
    export_headings = {**LogEntriesView.export_headings, "address": _("Address")}
    list_export = [*LogEntriesView.list_export, "address"]

    def dispatch(self, request, *args, **kwargs):
        require(request, "view_audit_log")
        return super().dispatch(request, *args, **kwargs)

    def get_filtered_queryset(self):
        # As LogEntriesView's, over every entry instead of `viewable_by_user`.
        self.log_models = list(log_action_registry.get_log_entry_models())
        queryset = None
        for index, log_model in enumerate(self.log_models):
            sub_queryset = self.filter_queryset(
                log_model.objects.values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            ).order_by()
            queryset = sub_queryset if queryset is None else queryset.union(sub_queryset, all=True)
        return queryset.order_by("-timestamp")

    def decorate_paginated_queryset(self, queryset):
        entries = super().decorate_paginated_queryset(queryset)
        for entry in entries:
            found = (entry.data or {}).get("origin") or {}
            entry.address = found.get("address", "")
            if found.get("address") == COMMAND_LINE:
                entry.address = _("command line")
                entry.os_user = " ".join(filter(None, [found.get("os_user"), found.get("command")]))
        return entries


class AuditLogMenuItem(MenuItem):
    """Reports › Audit log, shown to who may read it."""

    def __init__(self):
        super().__init__(_("Audit log"), reverse("portal_audit_log"), name="audit-log",
                         icon_name="history", order=1010)

    def is_shown(self, request):
        return can(request.user, "view_audit_log")
