from wagtail import hooks

from portal.accounts.permissions import can


@hooks.register("filter_form_submissions_for_user")
def contact_messages_for_the_secretariat_only(user, editable_forms):
    """Contact messages carry people's names and addresses: editing a form page is not enough
    to read them (Wagtail's default), the secretariat's `read_contact_messages` is."""
    return editable_forms if can(user, "read_contact_messages") else editable_forms.none()


@hooks.register("register_log_actions")
def register_portal_log_actions(actions):
    """The portal's own audit actions (portal/core/audit.py), beside Wagtail's in the same log."""
    from . import audit

    audit.register_log_actions(actions)


@hooks.register("register_admin_urls")
def register_audit_log_urls():
    from django.urls import path

    from .audit_report import AuditLogView

    return [
        path("reports/audit-log/", AuditLogView.as_view(), name="portal_audit_log"),
        path("reports/audit-log/results/", AuditLogView.as_view(results_only=True),
             name="portal_audit_log_results"),
    ]


@hooks.register("register_reports_menu_item")
def register_audit_log_menu_item():
    from .audit_report import AuditLogMenuItem

    return AuditLogMenuItem()

