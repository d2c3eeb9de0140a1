from django.core.exceptions import PermissionDenied
from wagtail import hooks

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
