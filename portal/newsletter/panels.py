"""The issue editor's panel listing what was published on the site since the previous issue, each page
with its admin link, for the editor to pick from (page choosers in the sections)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.admin.panels import Panel
from wagtail.models import Page

LISTED = 60
# Without a previous issue: what the last four months brought (the newsletter's rhythm).
DEFAULT_WINDOW = datetime.timedelta(days=122)
# What an issue features: the site's content, not its structure (the home, the archives and indexes, the
# contact form, the standard pages — presentation, legal notice, privacy…). "app_label.model" names,
# so that the newsletter imports none of these apps; a new kind of content is added here.
CONTENT_MODELS = ["news.articlepage", "events.eventpage", "events.forumpage", "library.resourcepage",
                  "library.projectprofilepage"]


def _content_types():
    pairs = [name.split(".") for name in CONTENT_MODELS]
    return [ct for ct in ContentType.objects.filter(app_label__in={a for a, _ in pairs})
            if [ct.app_label, ct.model] in pairs]


def published_since(issue, *, limit=LISTED):
    """(since, pages): live, public pages of the issue's language first published since the previous issue's
    date (or four months), newest first, content only (`CONTENT_MODELS`); at most `limit`."""
    previous = issue.previous_issue() if issue.locale_id else None
    if previous is not None:
        since = timezone.make_aware(datetime.datetime.combine(previous.issue_date, datetime.time.min))
    else:
        since = timezone.now() - DEFAULT_WINDOW
    pages = (Page.objects.live().public().filter(first_published_at__gte=since)
             .filter(content_type__in=_content_types())
             .select_related("content_type").order_by("-first_published_at"))
    if issue.locale_id:
        pages = pages.filter(locale_id=issue.locale_id)
    if issue.pk:
        pages = pages.exclude(pk=issue.pk)
    return since, previous, list(pages[:limit])


class PublishedSincePanel(Panel):
    """Read-only: nothing in it is saved with the issue."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "newsletter/admin/published_since_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            since, previous, pages = published_since(self.instance)
            context.update(since=since, previous=previous, pages=[
                {"page": page, "kind": page.content_type.model_class()._meta.verbose_name
                 if page.content_type.model_class() else ""} for page in pages], limit=LISTED)
            return context
