from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem

from portal.accounts.permissions import can

from . import admin_views
from .models import NewsletterIndexPage, NewsletterIssuePage, next_issue_number
from .viewsets import can_see_subscribers, subscriber_viewset

admin_urlpatterns = [
    path("", admin_views.index, name="index"),
    path("issue/<id:page_id>/", admin_views.issue, name="issue"),
]


@hooks.register("register_admin_urls")
def register_newsletter_admin_urls():
    urls = include((admin_urlpatterns, "newsletter_admin"), namespace="newsletter_admin")
    return [path("newsletter/", urls)]


@hooks.register("register_admin_viewset")
def register_subscriber_viewset():
    return subscriber_viewset


class NewsletterMenuItem(MenuItem):
    def is_shown(self, request):
        return can(request.user, "send_newsletter")


class SubscribersMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_subscribers(request.user)


@hooks.register("register_admin_menu_item")
def register_newsletter_menu_item():
    """Newsletter: the issues and their sending (with the subscribers' counts), and the subscribers."""
    menu = Menu(items=[
        NewsletterMenuItem(_("Issues"), reverse("newsletter_admin:index"), icon_name="mail",
                           order=100, name="newsletter-issues"),
        SubscribersMenuItem(_("Subscribers"), reverse(subscriber_viewset.get_url_name("index")),
                            icon_name="user", order=200, name="newsletter-subscribers"),
    ])
    return SubmenuMenuItem(_("Newsletter"), menu, icon_name="mail", order=280, name="newsletter")


def _send_button(page, user, priority):
    is_issue = page.specific_class is not None and issubclass(page.specific_class, NewsletterIssuePage)
    if is_issue and can(user, "send_newsletter"):
        yield PageMenuItem(_("Send / report"), reverse("newsletter_admin:issue", args=[page.pk]),
                           icon_name="mail", priority=priority, page=page)


def _new_issue_button(page, user, priority):
    """On the archive: "New issue (No N)", the editor of a new issue with its number prefilled."""
    is_archive = page.specific_class is not None and issubclass(page.specific_class, NewsletterIndexPage)
    if is_archive and page.permissions_for_user(user).can_add_subpage():
        label = _("New issue (No %(number)s)") % {"number": next_issue_number(page.locale_id)}
        yield PageMenuItem(label, reverse("wagtailadmin_pages:add",
                                          args=["newsletter", "newsletterissuepage", page.pk]),
                           icon_name="plus", priority=priority, page=page)


@hooks.register("register_page_header_buttons")
def newsletter_header_button(page, user, view_name, next_url=None):
    yield from _send_button(page, user, 25)
    yield from _new_issue_button(page, user, 5)


@hooks.register("register_page_listing_more_buttons")
def newsletter_listing_button(page, user, next_url=None):
    yield from _send_button(page, user, 25)
