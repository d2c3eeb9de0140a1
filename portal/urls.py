from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.accounts.admin_access import guard_admin_urls
from portal.core import health, todo_views
from portal.core import views as core_views
from portal.home import seo
from portal.home import views as home_views

urlpatterns = [
    # One login for everyone, allauth's: it enforces e-mail confirmation and rate limits, which
    # Wagtail's own login form would bypass.
    path("admin/login/", core_views.admin_login_redirect, name="wagtailadmin_login"),
    # Every admin view asks the portal's `access_admin` first (portal/accounts/admin_access.py).
    path("admin/", include(guard_admin_urls(wagtailadmin_urls.urlpatterns))),
    path("documents/", include(wagtaildocs_urls)),
    # For load balancers and monitoring (portal/core/health.py): no language, no redirect.
    path("healthz", health.healthz, name="healthz"),
    # For search engines (portal/home/seo.py): no language prefix, addresses on SITE_URL.
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("sitemap.xml", seo.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", seo.sitemap_section, name="sitemap_section"),
    # The read-only data API: the same data in every language, so outside the language prefix.
    path("api/v1/", include("portal.api.urls")),
]

if settings.DEBUG:
    from django.urls import re_path
    from django.views.static import serve

    # Development only: image files straight from MEDIA_ROOT. Documents always go through Wagtail's
    # serve view (documents/…), which applies the private collections' restrictions; nothing else
    # under MEDIA_ROOT (documents, kept uploads, dataset builds) is served directly.
    urlpatterns += [
        re_path(r"^media/(?P<path>(?:original_images|images)/.+)$", serve,
                {"document_root": settings.MEDIA_ROOT}),
        # The development mailbox: the e-mails `make run` sent (portal/core/mailbox.py).
        path("dev/mail/", include("portal.core.mailbox_urls")),
    ]

# Every public URL carries its language: /fr/…, /en/… and /pt/…; a bare / redirects to the reader's language.
urlpatterns += i18n_patterns(
    path(_("search/"), home_views.search, name="search"),
    # Where everyone lands after logging in: what waits for them, per role (portal/core/todo.py).
    path(_("accounts/to-do/"), todo_views.todo_home, name="todo"),
    # allauth's pages, under paths in each language (portal/accounts/allauth_urls.py)
    path(_("accounts/"), include("portal.accounts.allauth_urls")),
    path(_("accounts/"), include("portal.accounts.urls")),
    path(_("inventory/"), include("inventory.urls")),
    path(_("library/"), include("library.urls")),
    path(_("news/"), include("portal.news.urls")),
    path(_("newsletter/"), include("portal.newsletter.urls")),
    path(_("calendar/"), include("portal.events.urls")),
    path(_("directory/"), include("portal.directory.urls")),
    # The knowledge map: a page per theme gathering every domain (portal/home/themes.py).
    path(_("themes/"), include("portal.home.theme_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler404 = "portal.core.views.page_not_found"
handler500 = "portal.core.views.server_error"
