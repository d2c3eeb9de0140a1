from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.action_menu import SubmitForModerationMenuItem

from .roles import MODERATION_NAME
from .viewsets import USER_BULK_ACTIONS

# After Wagtail's own registrations (order 0): the bulk action registry keeps the last one per name.
for _action_class in USER_BULK_ACTIONS:
    hooks.register("register_bulk_action", _action_class, order=100)


@hooks.register("before_move_page")
def only_moves_the_user_may_make(request, page, destination):
    """Wagtail's move confirmation screen (which shows the page) checks nothing before the move itself:
    whoever may not move the page there gets no screen either."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


class _SubmitToSecretariatMenuItem(SubmitForModerationMenuItem):
    """Wagtail's "Submit to <workflow's name>", the name being stored data in one language: for the
    secretariat's workflow (`roles.MODERATION_NAME`), a label translated like the rest of the admin."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = context.get("page")
        state = page.current_workflow_state if page and page.pk else None
        if state and state.status == state.STATUS_NEEDS_CHANGES:
            if state.current_task_state.task.name == MODERATION_NAME:
                context["label"] = _("Resubmit to the secretariat")
        else:
            workflow = (page if page and page.pk else context["parent_page"]).get_workflow()
            if workflow and workflow.name == MODERATION_NAME:
                context["label"] = _("Submit to the secretariat")
        return context


@hooks.register("construct_page_action_menu")
def submit_to_the_secretariat(menu_items, request, context):
    for index, item in enumerate(menu_items):
        if type(item) is SubmitForModerationMenuItem:
            menu_items[index] = _SubmitToSecretariatMenuItem(order=item.order)
