"""Member contributions: pages that members write from the site (never in the Wagtail admin), which
wait in the page's Wagtail moderation workflow until an editor publishes them, the contributor being
told by e-mail at each step.

How a page model takes part (library resources do; members' articles will)::

    class ArticlePage(ContributionMixin, BasePage):
        # the contributor's list of their contributions: a URL name without arguments
        contributions_url_name = "news:my_articles"

The mixin adds `contributor` (the member who proposed the page; empty for pages made in the admin
or by an import), so the model needs a migration of its own app. Then, in a view that has checked the
permission (`portal.accounts.permissions`) and validated its form:

    page = ArticlePage(title=..., ...)
    submit_for_moderation(page=page, user=request.user, parent=index_page)

creates the page NOT live under `parent`, owned by the member, saves a revision by them and starts
the page's workflow (Wagtail's default one, renamed "Validation du secrétariat", whose task the
secretariat approves: `portal/accounts/roles.py` turns Wagtail's *Moderators* group into the
*Secretariat*). Called again with an existing page whose changes were requested, it saves the new
revision and starts the workflow again (a re-submission).

What editors do in the Wagtail admin and what the contributor receives (in their language, through
`portal/mail.py`, once the transaction commits; templates `templates/core/email/contribution_*`):

- the member submits → "received", with the link to their list (`contributions_url_name`);
- an editor chooses "Request changes" with a comment → "changes requested", quoting the comment;
- an editor approves (the workflow publishes the page) or publishes it → "published", with the
  page's link (only at the page's first publication, not at later edits);
- an editor cancels the workflow of a page that is not live → "not accepted".

Wagtail's own approval and rejection notices (written for admin users, linking to the admin) are not
sent to contributors about their contributions; Wagtail still tells the moderators of a submission.

For the contributor's list: `contribution_status(page)` gives the state (awaiting review, changes
requested with the editor's comment, published, not accepted, unpublished).

A page that is not live is never served to visitors (Wagtail answers 404) nor in the site search
(`live()` pages only); the library's search index receives pages only when they are published.

In the Wagtail admin, a contribution that is not live is opened only by whoever moderates
contributions (`moderate_contributions`: the secretariat): for anyone else — focal points, who may
edit every other page — it holds no permission (`ContributionMixin.permissions_for_user`: no edit,
preview, revisions, history, delete, move, copy, lock…) and is left out of the explorer, the search,
the page chooser, the admin API and the reports (`ContributionPagePermissionPolicy`, which `connect`
registers for every page model). Once published it is a page like the others.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PagePermissionTester, WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.signals import (
    page_published,
    workflow_approved,
    workflow_cancelled,
    workflow_rejected,
    workflow_submitted,
)

from portal.accounts.permissions import can
from portal.mail import absolute_url, send_to_each
from portal.site_url import page_public_url

logger = logging.getLogger(__name__)


class ContributionMixin(models.Model):
    """Marks a page model as one that members contribute from the site (see the module's docstring)."""

    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("contributed by"),
    )
    # The URL name of the contributor's list of their contributions (no arguments).
    contributions_url_name = ""

    class Meta:
        abstract = True

    def permissions_for_user(self, user):
        if self.contributor_id is not None and not self.live and not can(user, "moderate_contributions"):
            return _NoPermissionTester(user, self)
        return super().permissions_for_user(user)


class _NoPermissionTester(PagePermissionTester):
    """Wagtail's page permission tester for a user holding no permission on the page."""

    def __init__(self, user, page):
        super().__init__(user, page)
        self.permissions = set()


def without_unpublished_contributions(pages):
    """`pages` (a Page queryset) without the members' contributions that are not live."""
    for model in apps.get_models():
        if issubclass(model, ContributionMixin) and issubclass(model, Page):
            hidden = model.objects.filter(contributor__isnull=False, live=False).values("pk")
            pages = pages.exclude(pk__in=hidden)
    return pages


class ContributionPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permission policy, for which a member's contribution that is not live exists only
    for users who moderate contributions (the lists of the admin ask the policy which pages a user may
    see or act on)."""

    def _hides_contributions(self, user):
        return not can(user, "moderate_contributions")

    def instances_user_has_any_permission_for(self, user, actions):
        pages = super().instances_user_has_any_permission_for(user, actions)
        return without_unpublished_contributions(pages) if self._hides_contributions(user) else pages

    def explorable_instances(self, user):
        pages = super().explorable_instances(user)
        return without_unpublished_contributions(pages) if self._hides_contributions(user) else pages

    def user_has_any_permission_for_instance(self, user, actions, instance):
        specific = instance.specific_deferred if type(instance) is Page else instance
        if contributed(specific) and not specific.live and self._hides_contributions(user):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)


class ContributionState(models.TextChoices):
    DRAFT = "draft", _("Not submitted")
    AWAITING_REVIEW = "awaiting_review", _("Awaiting review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not accepted")
    UNPUBLISHED = "unpublished", _("Unpublished")


@dataclass(frozen=True)
class ContributionStatus:
    state: ContributionState
    comment: str = ""  # the editor's, when changes are requested
    since: datetime.datetime | None = None

    @property
    def label(self):
        return self.state.label

    @property
    def editable(self) -> bool:
        """Whether the contributor may change it from the site and send it again: before review, or
        when changes were requested (never while it is reviewed nor once published)."""
        return self.state in (ContributionState.DRAFT, ContributionState.CHANGES_REQUESTED)


def contributed(page) -> bool:
    """Whether `page` (any Page) is a member's contribution."""
    return isinstance(page, ContributionMixin) and page.contributor_id is not None


@transaction.atomic
def submit_for_moderation(*, page: Page, user, parent: Page | None = None) -> WorkflowState:
    """Save `page` as a draft by `user` (created under `parent` when new, never live) and start its
    moderation workflow; returns the workflow state. A page whose changes were requested is
    submitted again (its open workflow is closed first). Raises ImproperlyConfigured when no active
    workflow applies to the page: a contribution must never be published unseen nor left unseen."""
    if not isinstance(page, ContributionMixin):
        raise TypeError(f"{type(page).__name__} does not take contributions (ContributionMixin)")
    page.contributor = page.contributor or user
    page.owner = page.owner or user
    if page.pk is None:
        page.live = False
        page.has_unpublished_changes = True
        parent.add_child(instance=page)
    else:
        page.save()
    page.save_revision(user=user, log_action=True)
    workflow = page.get_workflow()
    if workflow is None or not workflow.active:
        raise ImproperlyConfigured(f"No active moderation workflow applies to {page.url_path}")
    open_state = page.current_workflow_state
    if open_state is not None:
        open_state.cancel(user=user)
    return workflow.start(page, user)


def contribution_status(page) -> ContributionStatus:
    """Where a contribution stands, as its contributor sees it."""
    if page.live:
        return ContributionStatus(ContributionState.PUBLISHED, since=page.first_published_at)
    state = (
        WorkflowState.objects.for_instance(page).select_related("current_task_state")
        .order_by("-created_at", "-pk").first()
    )
    return _status_from(page, state)


def contribution_statuses(pages) -> dict[int, ContributionStatus]:
    """`contribution_status` of each of `pages` (pages of one model), by page id, in one query."""
    pages = list(pages)
    statuses = {
        page.pk: ContributionStatus(ContributionState.PUBLISHED, since=page.first_published_at)
        for page in pages if page.live
    }
    waiting = [page for page in pages if not page.live]
    if waiting:
        latest = {}
        for state in (
            WorkflowState.objects.filter(
                base_content_type=waiting[0].get_base_content_type(),
                object_id__in=[str(page.pk) for page in waiting],
            ).select_related("current_task_state").order_by("-created_at", "-pk")
        ):
            latest.setdefault(state.object_id, state)
        for page in waiting:
            statuses[page.pk] = _status_from(page, latest.get(str(page.pk)))
    return statuses


def _status_from(page, state: WorkflowState | None) -> ContributionStatus:
    """The status of a page that is not live, from its latest workflow state (None: never submitted)."""
    if state is None:
        return ContributionStatus(ContributionState.DRAFT)
    task_state = state.current_task_state
    finished = task_state.finished_at if task_state else None
    if state.status == WorkflowState.STATUS_IN_PROGRESS:
        return ContributionStatus(ContributionState.AWAITING_REVIEW, since=state.created_at)
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return ContributionStatus(ContributionState.CHANGES_REQUESTED, comment=task_state.comment,
                                  since=finished)
    if state.status == WorkflowState.STATUS_CANCELLED and not page.first_published_at:
        return ContributionStatus(ContributionState.REJECTED, since=finished)
    return ContributionStatus(ContributionState.UNPUBLISHED)


# -- e-mails to the contributor ------------------------------------------------------------------

def _notify(kind: str, page, **extra) -> None:
    """E-mail `contribution_<kind>` to the page's contributor once the transaction commits; a mail
    failure is logged, never turned into an error for the editor who acted."""
    contributor = page.contributor
    if contributor is None or not contributor.is_active:
        return

    def context(user):
        return {
            "user": user, "page": page, "title": page.title, "kind": page._meta.verbose_name,
            "page_url": page_public_url(page) if page.live else "",
            "contributions_url": absolute_url(page.contributions_url_name),
            **extra,
        }

    def send():
        try:
            send_to_each(f"core/email/contribution_{kind}", [contributor], context)
        except Exception:
            logger.exception("Could not e-mail the contributor of page %s (%s)", page.pk, kind)

    transaction.on_commit(send)


def _contribution_of(state: WorkflowState):
    """The contributed page a workflow state is about, when the contributor asked for the review."""
    page = state.content_object
    page = page.specific if isinstance(page, Page) else page
    if contributed(page) and state.requested_by_id == page.contributor_id:
        return page
    return None


def _submitted(sender, instance, user=None, **kwargs):
    page = _contribution_of(instance)
    if page is not None:
        _notify("received", page)


def _rejected(sender, instance, user=None, **kwargs):
    page = _contribution_of(instance)
    if page is not None:
        task_state = instance.current_task_state
        _notify("changes_requested", page, comment=task_state.comment if task_state else "")


def _cancelled(sender, instance, user=None, **kwargs):
    page = _contribution_of(instance)
    # Publishing cancels the open workflow (the page is then live), and a re-submission closes the
    # contributor's own: neither is a refusal.
    if page is not None and not page.live and (user is None or user.pk != page.contributor_id):
        _notify("rejected", page)


def _published(sender, instance, **kwargs):
    page = instance.specific if type(instance) is Page else instance
    first, last = page.first_published_at, page.last_published_at
    # Wagtail sets both dates to the same instant at a page's first publication only.
    first_publication = first is not None and first == last
    if contributed(page) and first_publication:
        _notify("published", page)


class _UnlessContribution:
    """Wagtail's approval/rejection notifier, silent about contributions (the contributor hears from
    us instead, without admin links)."""

    def __init__(self, notifier):
        self.notifier = notifier

    def __call__(self, sender=None, instance=None, **kwargs):
        if isinstance(instance, WorkflowState) and _contribution_of(instance) is not None:
            return True
        return self.notifier(instance=instance, **kwargs)


# Wagtail connects its notifiers under these ids (wagtail/admin/signal_handlers.py).
_WAGTAIL_NOTIFIERS = {
    "workflow_state_approved_email_notification": (workflow_approved, "workflow_approval_email_notifier"),
    "workflow_state_rejected_email_notification": (workflow_rejected, "workflow_rejection_email_notifier"),
}


def _chooser_without_unpublished_contributions(pages, request):
    if can(request.user, "moderate_contributions"):
        return pages
    return without_unpublished_contributions(pages)


def connect():
    """Connect the receivers and the admin's page policy (from the core app's `ready`). Whichever of
    this and Wagtail's admin app runs first, Wagtail's approval/rejection notifiers end up wrapped: a
    receiver is connected only once per dispatch_uid."""
    from wagtail import hooks
    from wagtail.admin import signal_handlers as wagtail_handlers
    from wagtail.models import AbstractPage
    from wagtail.permissions import register_permission_policy

    # Contributions not yet published exist in the admin only for whoever moderates them: this policy
    # replaces Wagtail's for every page model, and the page chooser (which lists every page) leaves them out.
    register_permission_policy(AbstractPage, ContributionPagePermissionPolicy(Page))
    hooks.register("construct_page_chooser_queryset", _chooser_without_unpublished_contributions)

    workflow_submitted.connect(_submitted, sender=WorkflowState, dispatch_uid="contribution-submitted")
    workflow_rejected.connect(_rejected, sender=WorkflowState, dispatch_uid="contribution-rejected")
    workflow_cancelled.connect(_cancelled, sender=WorkflowState, dispatch_uid="contribution-cancelled")
    page_published.connect(_published, dispatch_uid="contribution-published")
    for uid, (signal, name) in _WAGTAIL_NOTIFIERS.items():
        signal.disconnect(sender=WorkflowState, dispatch_uid=uid)
        signal.connect(_UnlessContribution(getattr(wagtail_handlers, name)), sender=WorkflowState,
                       dispatch_uid=uid, weak=False)
