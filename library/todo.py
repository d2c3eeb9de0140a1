"""The library's sections of the "to do" home (`portal/core/todo.py`): proposals to moderate (the
secretariat) and the member's own proposals with where each stands, and the declared studies using the
inventory waiting for the secretariat's decision."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext
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
    todo.register("library_studies", order=52, title=_("Declared studies to review"),
                  context=studies_to_review)


def studies_to_review(person, request):
    """The declared studies using the inventory waiting for a decision (the secretariat): one query, and
    a count only when the list is full."""
    if not todo.may_act(request, "moderate_contributions"):
        return None
    from .models import StudyDeclaration

    pending = StudyDeclaration.objects.filter(status=StudyDeclaration.Status.PENDING).order_by("created_at")
    items = list(pending[:todo.MAX_ITEMS + 1])
    queue = reverse("library:study_queue")
    return todo.section_context(
        items=[todo.Item(label=gettext("Review the declared study “%(title)s”") % {"title": item.title},
                         url=f"{queue}#study-{item.pk}",
                         detail=date_format(localtime(item.created_at), "SHORT_DATE_FORMAT"))
               for item in items],
        total=pending.count() if len(items) > todo.MAX_ITEMS else None,
        empty=_("No declared study waits for review."),
        more_url=queue, more_label=_("Declared studies to review"),
    )
