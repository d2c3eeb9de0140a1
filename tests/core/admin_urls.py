"""Walking Wagtail's admin: every URL pattern under /admin/ (from Django's resolver), a real URL for
each (path parameters filled with objects made for the walk), and what a request answers, in words
(`outcome`). Used by tests/core/test_admin_urls.py."""

import io
import re
from types import SimpleNamespace

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from wagtail.models import Collection, Locale, Page, Site, Workflow

from portal.accounts.roles import GROUP_NAMES, Role
from tests.factories import CountryFactory, MutualFactory, UserFactory, newsletter_issue

from .site_pages import contact_page

# What a GET answers, in words.
OK = "200"
LOGIN = "login"  # a redirect to the login page
DENIED = "denied"  # 403, or Wagtail's redirect to the dashboard with "permission denied"
REDIRECT = "redirect"  # any other redirect
NOT_FOUND = "404"
NOT_ALLOWED = "405"  # the view takes POST only
BAD_REQUEST = "400"
ERROR = "500"

CREATED = "201"

MISSING = 999999  # an id no object has


def all_routes():
    """Every URL pattern, as the route string Django reports (`ResolverMatch.route`), each once (a
    route two patterns share, such as admin/login/, the portal's and Wagtail's shadowed one)."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    return list(dict.fromkeys(walk(get_resolver().url_patterns, "")))


def admin_routes():
    """Every URL pattern under admin/."""
    return [route for route in all_routes() if route.startswith("admin/")]


def build_url(route, values):
    """`route` with its parameters replaced by `values[name]` (path converters and regex groups)."""

    def value(match):
        return str(values[match.group(1)])

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", value, route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", value, path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    return "/" + path


def same_route(route, match_route):
    """Whether a `ResolverMatch.route` is `route` (Django drops the regex anchors when it joins them)."""

    def bare(text):
        return text.replace("^", "").replace("$", "")

    return bare(route) == bare(match_route)


def outcome(response):
    if response.status_code in (301, 302):
        location = response["Location"]
        if "/connexion/" in location or "/login/" in location:  # the French or English login page
            return LOGIN
        if location == "/admin/":
            return DENIED
        if location == "/fr" + response.wsgi_request.get_full_path():
            return NOT_FOUND  # the site's 404 handling tries the path under a language prefix
        return REDIRECT
    if response.status_code == 403:
        return DENIED
    return str(response.status_code)


def _png():
    from PIL import Image as PILImage

    out = io.BytesIO()
    PILImage.new("RGB", (32, 32), "white").save(out, "PNG")
    return out.getvalue()


def make_objects(user):
    """One object of each kind an admin URL names, `user` being the one who walks (their own editing
    session); ids that no object of the kind could have where making one is out of reach."""
    from wagtail.admin.models import EditingSession
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import UploadedFile
    from wagtail_localize.models import StringSegment, Translation, TranslationSource

    from inventory.models import ExchangeRate, SupportingOrganization, Union
    from portal.core.models import StandardPage
    from portal.home.models import HomePage
    from portal.news.models import FlashNews
    from portal.newsletter.models import Subscriber
    from portal.reference.models import Theme

    author = UserFactory(roles=[Role.SECRETARIAT])
    uploader = user if user.is_authenticated else author
    home = HomePage.objects.get(locale__language_code="fr")
    page = StandardPage(title="Page walked by the admin test", slug="admin-walk")
    home.add_child(instance=page)
    page.save_revision(user=author).publish()
    revision = page.save_revision(user=author)
    alias = page.create_alias(update_slug="admin-walk-alias")
    reviewed = StandardPage(title="Page under review", slug="admin-walk-review")
    home.add_child(instance=reviewed)
    reviewed.save_revision(user=author)
    workflow = reviewed.get_workflow()
    workflow_state = workflow.start(reviewed, author)
    task_state = workflow_state.current_task_state
    root_collection = Collection.get_first_root_node()
    collection = root_collection.add_child(name="Admin walk")
    document = get_document_model().objects.create(
        title="Walk document", file=ContentFile(b"%PDF-1.4 walk", name="walk.pdf"),
        collection=root_collection, uploaded_by_user=author,
    )
    image = get_image_model().objects.create(
        title="Walk image", file=ContentFile(_png(), name="walk.png"), collection=root_collection,
        uploaded_by_user=author,
    )
    uploaded = UploadedFile.objects.create(
        file=ContentFile(b"%PDF-1.4 upload", name="upload.pdf"),
        for_content_type=ContentType.objects.get_for_model(get_document_model()), uploaded_by_user=uploader,
    )
    uploaded_image = UploadedFile.objects.create(
        file=ContentFile(_png(), name="upload.png"),
        for_content_type=ContentType.objects.get_for_model(get_image_model()), uploaded_by_user=uploader,
    )
    source, _created = TranslationSource.get_or_create_from_instance(home)
    translation = Translation.objects.create(
        source=source, target_locale=Locale.objects.get(language_code="en"),
    )
    segment = StringSegment.objects.filter(source=source).first()
    country = CountryFactory(code="SN")
    session = EditingSession.objects.create(
        user=user, content_type=ContentType.objects.get_for_model(Page), object_id=str(page.pk),
        last_seen_at=timezone.now(),
    ) if user.is_authenticated else None
    issue = newsletter_issue(41)
    flash = FlashNews.objects.create(title_fr="Flash", text_fr="Texte")
    return SimpleNamespace(
        home=home, page=page, revision=revision, alias=alias, reviewed=reviewed, workflow=workflow,
        workflow_state=workflow_state, task_state=task_state, task=task_state.task,
        collection=collection, document=document, image=image, uploaded=uploaded,
        uploaded_image=uploaded_image, source=source, translation=translation,
        segment_id=segment.pk if segment else MISSING, country=country,
        mutual=MutualFactory(country=country), union=Union.objects.create(name="Union walk"),
        organization=SupportingOrganization.objects.create(name="Organization walk"),
        rate=ExchangeRate.objects.create(currency="GHS", year=2024, rate="0.06", source="test"),
        theme=Theme.objects.first(), flash=flash, flash_revision=flash.save_revision(user=author),
        subscriber=Subscriber.objects.create(email="walk@example.org"),
        redirect=Redirect.objects.create(old_path="/walk-old", redirect_link="/walk-new"),
        contact=contact_page(),
        member=UserFactory(roles=[Role.MEMBER]), group=Group.objects.get(name=GROUP_NAMES[Role.MEMBER]),
        locale=Locale.objects.get(language_code="fr"), site=Site.objects.get(is_default_site=True),
        session_id=session.pk if session else MISSING, issue_id=issue.pk,
        any_workflow=Workflow.objects.first(),
    )


# The object a `pk` names, by the route it is in (longest prefix first).
_PK_BY_PREFIX = [
    ("admin/api/main/^pages/", lambda o: o.page.pk),
    ("admin/api/main/^documents/", lambda o: o.document.pk),
    ("admin/api/main/^images/", lambda o: o.image.pk),
    ("admin/pages/", lambda o: o.page.pk),
    ("admin/collections/", lambda o: o.collection.pk),
    ("admin/workflows/tasks/", lambda o: o.task.pk),
    ("admin/workflows/", lambda o: o.workflow.pk),
    ("admin/localize/", lambda o: o.theme.pk),
    ("admin/settings/", lambda o: o.site.pk),
    ("admin/snippets/choose/news/flashnews/", lambda o: o.flash.pk),
    ("admin/snippets/news/flashnews/", lambda o: o.flash.pk),
    ("admin/snippets/choose/reference/country/", lambda o: o.country.pk),
    ("admin/snippets/reference/country/", lambda o: o.country.pk),
    ("admin/snippets/choose/inventory/mutual/", lambda o: o.mutual.pk),
    ("admin/snippets/inventory/mutual/", lambda o: o.mutual.pk),
    ("admin/snippets/choose/inventory/union/", lambda o: o.union.pk),
    ("admin/snippets/inventory/union/", lambda o: o.union.pk),
    ("admin/snippets/choose/inventory/supportingorganization/", lambda o: o.organization.pk),
    ("admin/snippets/inventory/supportingorganization/", lambda o: o.organization.pk),
    ("admin/snippets/choose/inventory/exchangerate/", lambda o: o.rate.pk),
    ("admin/snippets/inventory/exchangerate/", lambda o: o.rate.pk),
    ("admin/snippets/choose/reference/theme/", lambda o: o.theme.pk),
    ("admin/snippets/reference/theme/", lambda o: o.theme.pk),
    ("admin/newsletter/subscribers/", lambda o: o.subscriber.pk),
    ("admin/locales/", lambda o: o.locale.pk),
    ("admin/sites/", lambda o: o.site.pk),
    ("admin/users/", lambda o: o.member.pk),
    ("admin/groups/", lambda o: o.group.pk),
    ("admin/documents/", lambda o: o.document.pk),
    ("admin/images/", lambda o: o.image.pk),
]

# Routes whose parameters are not the defaults below (the bulk actions: one action on users).
_SPECIAL = {
    "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/":
        lambda o: f"/admin/bulk/accounts/user/set_active_state/?next=/admin/users/&id={o.member.pk}",
    "admin/^.*/$": lambda o: "/admin/no-such-screen/",
    "admin/api/main/^pages/find/": lambda o: f"/admin/api/main/pages/find/?id={o.page.pk}",
    "admin/api/main/^documents/find/": lambda o: f"/admin/api/main/documents/find/?id={o.document.pk}",
    "admin/api/main/^images/find/": lambda o: f"/admin/api/main/images/find/?id={o.image.pk}",
    "admin/localize/submit/snippet/<slug:app_label>/<slug:model_name>/<str:pk>/":
        lambda o: f"/admin/localize/submit/snippet/news/flashnews/{o.flash.pk}/",
    "admin/localize/api/snippets/<slug:app_label>/<slug:model_name>/":
        lambda o: "/admin/localize/api/snippets/news/flashnews/",
    "admin/localize/api/snippets/<slug:app_label>/<slug:model_name>/<str:pk>/":
        lambda o: f"/admin/localize/api/snippets/news/flashnews/{o.flash.pk}/",
    "admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/preview/":
        lambda o: f"/admin/settings/core/sitelinks/{o.site.pk}/preview/",
    "admin/^snippets/inventory/country/(?P<rest>.*)$": lambda o: "/admin/snippets/inventory/country/edit/ML/",
    "admin/^snippets/library/theme/(?P<rest>.*)$": lambda o: "/admin/snippets/library/theme/",
}


def url_for(route, o):
    if route in _SPECIAL:
        return _SPECIAL[route](o)
    pk = next((get(o) for prefix, get in _PK_BY_PREFIX if route.startswith(prefix)), None)
    page_type = ContentType.objects.get_for_model(type(o.page))
    values = {
        "pk": pk, "page_id": o.page.pk, "parent_page_id": o.home.pk, "page_to_move_id": o.page.pk,
        "destination_id": o.home.pk, "revision_id": o.revision.pk, "revision_id_a": "earliest",
        "revision_id_b": "latest", "workflow_state_id": o.workflow_state.pk,
        "content_type_app_name": page_type.app_label, "content_type_model_name": page_type.model,
        "app_label": page_type.app_label, "model_name": page_type.model,
        "app_name": "core", "collection_id": o.collection.pk, "page_pk": o.page.pk,
        "workflow_pk": o.workflow.pk, "task_id": o.task.pk, "task_state_id": o.task_state.pk,
        "action_name": "approve", "object_id": o.page.pk, "session_id": o.session_id,
        "translation_source_id": o.source.pk, "translation_id": o.translation.pk,
        "string_segment_id": o.segment_id, "overridable_segment_id": MISSING, "mode": "form",
        "redirect_id": o.redirect.pk, "document_id": o.document.pk, "doc_id": o.document.pk,
        "uploaded_file_id": o.uploaded.pk, "image_id": o.image.pk, "filter_spec": "fill-10x10",
        "uidb64": "MQ", "token": "set-password",
    }
    if route.startswith("admin/images/"):
        values["uploaded_file_id"] = o.uploaded_image.pk
    if route.startswith("admin/workflows/tasks/add/"):
        values.update(app_label="wagtailcore", model_name="groupapprovaltask")
    if route.startswith("admin/editing-sessions/"):
        values.update(app_label="wagtailcore", model_name="page")
    if route.startswith("admin/settings/"):
        values.update(app_name="core", model_name="sitelinks")
    if route.startswith("admin/pages/workflow/") or "/workflow_history/detail/" in route:
        values["page_id"] = o.reviewed.pk
    if route.startswith("admin/pages/<int:page_id>/convert_alias/"):
        values["page_id"] = o.alias.pk
    if route.startswith("admin/snippets/news/flashnews/history/"):
        values["revision_id"] = o.flash_revision.pk
    if route.startswith("admin/newsletter/issue/"):
        values["page_id"] = o.issue_id
    if route.startswith("admin/api/main/^pages/<int:pk>/action/"):
        values["action_name"] = "copy"
    if route.startswith("admin/forms/submissions/"):
        values["page_id"] = o.contact.pk
    if route.startswith("admin/tag-autocomplete/<"):
        values.update(app_name="wagtailimages", model_name="image")
    return build_url(route, values)
