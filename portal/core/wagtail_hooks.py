from wagtail import hooks

from portal.accounts.permissions import can


@hooks.register("filter_form_submissions_for_user")
def contact_messages_for_the_secretariat_only(user, editable_forms):
    """Contact messages carry people's names and addresses: editing a form page is not enough
    to read them (Wagtail's default), the secretariat's `read_contact_messages` is."""
    return editable_forms if can(user, "read_contact_messages") else editable_forms.none()
