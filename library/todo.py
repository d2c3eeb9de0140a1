"""The library's sections of the "to do" home (`portal/core/todo.py`): proposals to moderate (the
secretariat) and the member's own proposals with where each stands."""

from django.utils.translation import gettext_lazy as _

from portal.core import todo


def connect():
    from .models import ResourcePage

    todo.register_contributions(
        ResourcePage, key="library", order_moderate=50, order_mine=60,
        titles={"moderate": _("Library proposals to review"), "mine": _("My library proposals")},
        texts={
            "review": _("Review the proposal “%(title)s”"),
            "moderate_empty": _("No library proposal waits for review."),
            "mine_empty": _("You have not proposed any resource to the library yet: share a study, a "
                            "guide or a tool your mutual uses."),
            "propose": _("Propose a resource"),
        },
        propose_action="propose_resource", list_url_name="library:my_proposals",
        edit_url_name="library:edit", propose_url_name="library:propose",
    )
