"""Who gets what on every URL of Wagtail's admin, for every role (issue #11).

The table below names every admin URL pattern (as Django's resolver reports it) and what a focal
point, the secretariat and an administrator (superuser) get from it; visitors are sent to the login
page except on the public pages, and members, mutual managers and supporting organizations (who have
no admin) are sent to the login page everywhere. The walk reads the patterns from
`django.urls.get_resolver()`, fills their parameters with real objects (tests/core/admin_urls.py) and
fails on any pattern the table does not name: a screen added later (a new viewset, an app's admin
URLs, a Wagtail upgrade) cannot slip past unreviewed. Views that take POST only are walked with an
empty POST, each request in a savepoint rolled back afterwards.

Outcomes: OK (200), DENIED (403 or Wagtail's redirect to the dashboard), LOGIN (redirect to the
login page), NOT_FOUND (404: for a role, the object is not there for them), REDIRECT (any other
redirect: the action done, or a screen moved), ERROR (500: Wagtail's view fails on an empty form,
reached only by whoever may use it), NOT_ALLOWED (405).
"""

from typing import NamedTuple

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.urls import resolve

from portal.accounts.roles import Role
from tests.factories import UserFactory

from .admin_urls import (
    BAD_REQUEST,  # noqa: F401  (an outcome the table may need)
    CREATED,
    DENIED,
    ERROR,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    admin_routes,
    make_objects,
    outcome,
    same_route,
    url_for,
)

pytestmark = pytest.mark.django_db


class Expect(NamedTuple):
    focal_point: str
    secretariat: str
    superuser: str
    method: str = "GET"
    visitor: str = LOGIN  # public pages answer visitors too


def post(focal_point, secretariat, superuser):
    return Expect(focal_point, secretariat, superuser, method="POST")


EVERY_EDITOR = Expect(OK, OK, OK)
SECRETARIAT = Expect(DENIED, OK, OK)
ADMINISTRATORS = Expect(DENIED, DENIED, OK)
PUBLIC = Expect(OK, OK, OK, visitor=OK)
GONE = Expect(NOT_FOUND, NOT_FOUND, NOT_FOUND, visitor=NOT_FOUND)  # switched off by the portal

ADMIN_URLS = {
    # The admin's front door: the portal's login (allauth) and the dashboard.
    "admin/login/": Expect(LOGIN, LOGIN, LOGIN),
    "admin/": EVERY_EDITOR,
    "admin/test404/": EVERY_EDITOR,
    # The admin's own API (explorer menus, choosers): pages the user may explore, unrestricted files.
    "admin/api/main/^pages/": EVERY_EDITOR,
    "admin/api/main/^pages/<int:pk>/": EVERY_EDITOR,
    "admin/api/main/^pages/find/": Expect(REDIRECT, REDIRECT, REDIRECT),
    "admin/api/main/^pages/<int:pk>/action/<str:action_name>/": post(DENIED, CREATED, CREATED),
    "admin/api/main/^documents/": EVERY_EDITOR,
    "admin/api/main/^documents/<int:pk>/": EVERY_EDITOR,
    "admin/api/main/^documents/find/": Expect(REDIRECT, REDIRECT, REDIRECT),
    "admin/api/main/^images/": EVERY_EDITOR,
    "admin/api/main/^images/<int:pk>/": EVERY_EDITOR,
    "admin/api/main/^images/find/": Expect(REDIRECT, REDIRECT, REDIRECT),
    "admin/failwhale/": Expect(ERROR, ERROR, ERROR),
    # Pages: focal points edit and submit, the secretariat also publishes, deletes, moves, locks.
    "admin/pages/": EVERY_EDITOR,
    "admin/pages/<int:parent_page_id>/": EVERY_EDITOR,
    "admin/pages/<int:parent_page_id>/results/": EVERY_EDITOR,
    # Bulk actions (walked on the users' 'set active state'): the user admin's rules.
    "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/": SECRETARIAT,
    "admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/"
    "<int:parent_page_id>/": EVERY_EDITOR,
    "admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/"
    "<int:parent_page_id>/preview/": EVERY_EDITOR,
    "admin/pages/usage/<slug:content_type_app_name>/<slug:content_type_model_name>/": EVERY_EDITOR,
    "admin/pages/create/<slug:app_label>/<slug:model_name>": EVERY_EDITOR,
    "admin/pages/usage/<slug:content_type_app_name>/<slug:content_type_model_name>/results/": EVERY_EDITOR,
    "admin/pages/<int:page_id>/usage/": EVERY_EDITOR,
    "admin/pages/<int:page_id>/edit/": EVERY_EDITOR,
    "admin/pages/<int:page_id>/edit/preview/": EVERY_EDITOR,
    "admin/pages/<int:page_id>/view_draft/": EVERY_EDITOR,
    "admin/pages/<int:parent_page_id>/add_subpage/": EVERY_EDITOR,
    "admin/pages/<int:page_id>/delete/": SECRETARIAT,
    "admin/pages/<int:page_id>/unpublish/": SECRETARIAT,
    "admin/pages/<int:page_id>/convert_alias/": EVERY_EDITOR,
    "admin/pages/search/": EVERY_EDITOR,
    "admin/pages/search/results/": EVERY_EDITOR,
    "admin/pages/<int:page_to_move_id>/move/": SECRETARIAT,
    "admin/pages/<int:page_to_move_id>/move/<int:destination_id>/confirm/": SECRETARIAT,
    "admin/pages/<int:page_to_move_id>/set_position/": post(DENIED, OK, OK),
    "admin/pages/<int:page_id>/copy/": EVERY_EDITOR,
    "admin/pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/": SECRETARIAT,
    "admin/pages/workflow/collect_action_data/<int:page_id>/<slug:action_name>/"
    "<int:task_state_id>/": SECRETARIAT,
    "admin/pages/workflow/confirm_cancellation/<int:page_id>/": EVERY_EDITOR,
    "admin/pages/workflow/preview/<int:page_id>/<int:task_id>/": SECRETARIAT,
    "admin/pages/<int:page_id>/privacy/": SECRETARIAT,
    "admin/pages/<int:page_id>/lock/": post(DENIED, REDIRECT, REDIRECT),
    "admin/pages/<int:page_id>/unlock/": post(DENIED, REDIRECT, REDIRECT),
    "admin/pages/<int:page_id>/revisions/": Expect(REDIRECT, REDIRECT, REDIRECT),
    "admin/pages/<int:page_id>/revisions/<int:revision_id>/view/": EVERY_EDITOR,
    "admin/pages/<int:page_id>/revisions/<int:revision_id>/revert/": EVERY_EDITOR,
    "admin/pages/<int:page_id>/revisions/<int:revision_id>/unschedule/": SECRETARIAT,
    r"admin/pages/^(?P<pk>\d+)/revisions/compare/"
    r"(?P<revision_id_a>live|earliest|\d+)\.\.\.(?P<revision_id_b>live|latest|\d+)/$": EVERY_EDITOR,
    "admin/pages/<int:page_id>/workflow_history/": EVERY_EDITOR,
    "admin/pages/<int:page_id>/workflow_history/detail/<int:workflow_state_id>/": EVERY_EDITOR,
    "admin/pages/<int:page_id>/history/": EVERY_EDITOR,
    "admin/pages/<int:page_id>/history/results/": EVERY_EDITOR,
    # Choosers and autocompletion used by the editing forms.
    "admin/choose-page/": EVERY_EDITOR,
    "admin/choose-page/<int:parent_page_id>/": EVERY_EDITOR,
    "admin/choose-page/search/": EVERY_EDITOR,
    "admin/choose-page/chosen-multiple/": EVERY_EDITOR,
    "admin/choose-external-link/": EVERY_EDITOR,
    "admin/choose-email-link/": EVERY_EDITOR,
    "admin/choose-phone-link/": EVERY_EDITOR,
    "admin/choose-anchor-link/": EVERY_EDITOR,
    "admin/tag-autocomplete/": EVERY_EDITOR,
    "admin/tag-autocomplete/<slug:app_name>/<slug:model_name>/": Expect(NOT_FOUND, NOT_FOUND, NOT_FOUND),
    # Collections, workflows and tasks: administrators only.
    "admin/collections/": ADMINISTRATORS,
    "admin/collections/add/": ADMINISTRATORS,
    "admin/collections/<int:pk>/": ADMINISTRATORS,
    "admin/collections/<int:pk>/delete/": Expect(NOT_FOUND, NOT_FOUND, OK),
    "admin/collections/<int:collection_id>/privacy/": ADMINISTRATORS,
    "admin/workflows/list/": ADMINISTRATORS,
    "admin/workflows/list/results/": ADMINISTRATORS,
    "admin/workflows/add/": ADMINISTRATORS,
    "admin/workflows/enable/<int:pk>/": post(DENIED, DENIED, REDIRECT),
    "admin/workflows/disable/<int:pk>/": ADMINISTRATORS,
    "admin/workflows/edit/<int:pk>/": ADMINISTRATORS,
    "admin/workflows/usage/<int:pk>/": ADMINISTRATORS,
    "admin/workflows/usage/<int:pk>/results/": ADMINISTRATORS,
    "admin/workflows/remove/<int:page_pk>/": post(DENIED, DENIED, REDIRECT),
    "admin/workflows/remove/<int:page_pk>/<int:workflow_pk>/": post(DENIED, DENIED, REDIRECT),
    "admin/workflows/tasks/add/<str:app_label>/<str:model_name>/": ADMINISTRATORS,
    "admin/workflows/tasks/select_type/": Expect(DENIED, DENIED, REDIRECT),
    "admin/workflows/tasks/index/": ADMINISTRATORS,
    "admin/workflows/tasks/index/results/": ADMINISTRATORS,
    "admin/workflows/tasks/edit/<int:pk>/": ADMINISTRATORS,
    "admin/workflows/tasks/disable/<int:pk>/": ADMINISTRATORS,
    "admin/workflows/tasks/enable/<int:pk>/": post(DENIED, DENIED, REDIRECT),
    "admin/workflows/task_chooser/": EVERY_EDITOR,
    "admin/workflows/task_chooser/results/": EVERY_EDITOR,
    "admin/workflows/task_chooser/create/": EVERY_EDITOR,
    "admin/workflows/task_chooser/<int:task_id>/": EVERY_EDITOR,
    # Reports: what the user may edit or explore; the audit log for the secretariat.
    "admin/reports/locked/": SECRETARIAT,
    "admin/reports/locked/results/": SECRETARIAT,
    "admin/reports/workflow/": EVERY_EDITOR,
    "admin/reports/workflow/results/": EVERY_EDITOR,
    "admin/reports/workflow_tasks/": EVERY_EDITOR,
    "admin/reports/workflow_tasks/results/": EVERY_EDITOR,
    "admin/reports/site-history/": EVERY_EDITOR,
    "admin/reports/site-history/results/": EVERY_EDITOR,
    "admin/reports/aging-pages/": EVERY_EDITOR,
    "admin/reports/aging-pages/results/": EVERY_EDITOR,
    "admin/reports/page-types-usage/": EVERY_EDITOR,
    "admin/reports/page-types-usage/results/": EVERY_EDITOR,
    # The user's own admin account page and editing sessions.
    "admin/account/": EVERY_EDITOR,
    "admin/logout/": post(LOGIN, LOGIN, LOGIN),
    "admin/dismissibles/": EVERY_EDITOR,
    "admin/editing-sessions/ping/<str:app_label>/<str:model_name>/<str:object_id>/"
    "<int:session_id>/": post(OK, OK, OK),
    "admin/editing-sessions/release/<int:session_id>/": post(OK, OK, OK),
    "admin/block-preview/": Expect(NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "admin/reports/audit-log/": SECRETARIAT,
    "admin/reports/audit-log/results/": SECRETARIAT,
    # The newsletter's sending (secretariat).
    "admin/newsletter/": SECRETARIAT,
    "admin/newsletter/issue/<id:page_id>/": SECRETARIAT,
    # Translations (wagtail-localize): submitting them is the secretariat's; editing follows the page.
    "admin/localize/jsi18n/": EVERY_EDITOR,
    "admin/localize/submit/page/<int:page_id>/": SECRETARIAT,
    "admin/localize/submit/snippet/<slug:app_label>/<slug:model_name>/<str:pk>/":
        Expect(DENIED, NOT_FOUND, NOT_FOUND),
    "admin/localize/update/<int:translation_source_id>/": SECRETARIAT,
    # The translation editor writes strings with PUT and DELETE, checking the page's edit permission.
    "admin/localize/translate/<int:translation_id>/strings/<int:string_segment_id>/edit/":
        post(NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    "admin/localize/translate/<int:translation_id>/overrides/<int:overridable_segment_id>/edit/":
        post(NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    "admin/localize/translate/<int:translation_id>/pofile/download/": EVERY_EDITOR,
    "admin/localize/translate/<int:translation_id>/pofile/upload/": post(ERROR, ERROR, ERROR),
    "admin/localize/translate/<int:translation_id>/machine_translate/": post(NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "admin/localize/translate/<int:translation_id>/preview/": EVERY_EDITOR,
    "admin/localize/translate/<int:translation_id>/preview/<str:mode>/":
        Expect(NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "admin/localize/translate/<int:translation_id>/disable/": post(DENIED, DENIED, DENIED),
    "admin/localize/page/<int:page_id>/convert_to_alias/": Expect(NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "admin/localize/reports/translations/": EVERY_EDITOR,
    "admin/localize/api/snippets/<slug:app_label>/<slug:model_name>/": EVERY_EDITOR,
    "admin/localize/api/snippets/<slug:app_label>/<slug:model_name>/<str:pk>/": EVERY_EDITOR,
    "admin/localize/reports/translations/results/": EVERY_EDITOR,
    # Contact messages: the secretariat's (read_contact_messages).
    "admin/forms/": EVERY_EDITOR,
    "admin/forms/results/": EVERY_EDITOR,
    "admin/forms/submissions/<int:page_id>/": SECRETARIAT,
    "admin/forms/submissions/<int:page_id>/results/": SECRETARIAT,
    "admin/forms/submissions/<int:page_id>/delete/": SECRETARIAT,
    # Redirects and site settings: the secretariat.
    "admin/redirects/": SECRETARIAT,
    "admin/redirects/results/": SECRETARIAT,
    "admin/redirects/add/": SECRETARIAT,
    "admin/redirects/<int:redirect_id>/": SECRETARIAT,
    "admin/redirects/<int:redirect_id>/delete/": SECRETARIAT,
    "admin/redirects/import/": SECRETARIAT,
    "admin/redirects/import/process/": post(DENIED, ERROR, ERROR),
    "admin/settings/<slug:app_name>/<slug:model_name>/": Expect(DENIED, REDIRECT, REDIRECT),
    "admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/": SECRETARIAT,
    "admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/preview/":
        Expect(DENIED, NOT_FOUND, NOT_FOUND),
    # Embeds chooser (editors' forms).
    "admin/embeds/chooser/": EVERY_EDITOR,
    "admin/embeds/chooser/upload/": EVERY_EDITOR,
    # Snippets: the secretariat's reference data (no copy screen: Wagtail's saves over the original);
    # their choosers list names to every editor.
    "admin/snippets/": SECRETARIAT,
    # Documents and images: focal points add and choose (never the private collection's files), the
    # secretariat also edits and deletes.
    "admin/documents/": EVERY_EDITOR,
    "admin/documents/results/": EVERY_EDITOR,
    "admin/documents/add/": EVERY_EDITOR,
    "admin/documents/edit/<int:document_id>/": SECRETARIAT,
    "admin/documents/delete/<int:document_id>/": SECRETARIAT,
    "admin/documents/multiple/add/": EVERY_EDITOR,
    "admin/documents/multiple/<int:doc_id>/": post(DENIED, OK, OK),
    "admin/documents/multiple/create_from_uploaded_document/<int:uploaded_file_id>/":
        post(ERROR, ERROR, ERROR),
    "admin/documents/multiple/<int:doc_id>/delete/": post(DENIED, OK, OK),
    "admin/documents/multiple/delete_upload/<int:uploaded_file_id>/": post(OK, OK, OK),
    "admin/documents/usage/<int:document_id>/": SECRETARIAT,
    "admin/images/": EVERY_EDITOR,
    "admin/images/results/": EVERY_EDITOR,
    "admin/images/<int:image_id>/": SECRETARIAT,
    "admin/images/<int:image_id>/delete/": SECRETARIAT,
    "admin/images/<int:image_id>/generate_url/": Expect(NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "admin/images/<int:image_id>/generate_url/output/": Expect(NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "admin/images/<int:image_id>/preview/<str:filter_spec>/": SECRETARIAT,
    "admin/images/add/": EVERY_EDITOR,
    "admin/images/usage/<int:image_id>/": SECRETARIAT,
    "admin/images/multiple/add/": EVERY_EDITOR,
    "admin/images/multiple/<int:image_id>/": post(DENIED, OK, OK),
    "admin/images/multiple/create_from_uploaded_image/<int:uploaded_file_id>/": post(OK, OK, OK),
    "admin/images/multiple/<int:image_id>/delete/": post(DENIED, OK, OK),
    "admin/images/multiple/delete_upload/<int:uploaded_file_id>/": post(OK, OK, OK),
    "admin/snippets/news/flashnews/": SECRETARIAT,
    "admin/snippets/news/flashnews/results/": SECRETARIAT,
    "admin/snippets/news/flashnews/add/": SECRETARIAT,
    "admin/snippets/news/flashnews/edit/<int:pk>/": SECRETARIAT,
    "admin/snippets/news/flashnews/delete/<int:pk>/": SECRETARIAT,
    "admin/snippets/news/flashnews/usage/<int:pk>/": SECRETARIAT,
    "admin/snippets/news/flashnews/history/<int:pk>/": SECRETARIAT,
    "admin/snippets/news/flashnews/history-results/<int:pk>/": SECRETARIAT,
    "admin/snippets/news/flashnews/history/<int:pk>/revisions/<int:revision_id>/revert/": SECRETARIAT,
    "admin/snippets/news/flashnews/history/(?P<pk>.+)/revisions/compare/"
    r"(?P<revision_id_a>live|earliest|\d+)\.\.\.(?P<revision_id_b>live|latest|\d+)/$": SECRETARIAT,
    "admin/snippets/news/flashnews/history/<int:pk>/revisions/<int:revision_id>/unschedule/": SECRETARIAT,
    "admin/snippets/news/flashnews/unpublish/<int:pk>/": SECRETARIAT,
    "admin/snippets/choose/news/flashnews/": EVERY_EDITOR,
    "admin/snippets/choose/news/flashnews/results/": EVERY_EDITOR,
    "admin/snippets/choose/news/flashnews/chosen/<str:pk>/": EVERY_EDITOR,
    "admin/snippets/choose/news/flashnews/chosen-multiple/": EVERY_EDITOR,
    "admin/snippets/choose/news/flashnews/create/": SECRETARIAT,
    # The countries' and themes' addresses of before their move to portal.reference: a permanent
    # redirect for whoever reaches the admin; the screen it leads to then checks (portal/reference).
    "admin/^snippets/inventory/country/(?P<rest>.*)$": Expect(REDIRECT, REDIRECT, REDIRECT),
    "admin/^snippets/library/theme/(?P<rest>.*)$": Expect(REDIRECT, REDIRECT, REDIRECT),
    "admin/snippets/reference/country/": SECRETARIAT,
    "admin/snippets/reference/country/results/": SECRETARIAT,
    "admin/snippets/reference/country/add/": SECRETARIAT,
    "admin/snippets/reference/country/edit/<str:pk>/": SECRETARIAT,
    "admin/snippets/reference/country/delete/<str:pk>/": ADMINISTRATORS,
    "admin/snippets/reference/country/usage/<str:pk>/": SECRETARIAT,
    "admin/snippets/reference/country/history/<str:pk>/": SECRETARIAT,
    "admin/snippets/reference/country/history-results/<str:pk>/": SECRETARIAT,
    "admin/snippets/choose/reference/country/": EVERY_EDITOR,
    "admin/snippets/choose/reference/country/results/": EVERY_EDITOR,
    "admin/snippets/choose/reference/country/chosen/<str:pk>/": EVERY_EDITOR,
    "admin/snippets/choose/reference/country/chosen-multiple/": EVERY_EDITOR,
    "admin/snippets/choose/reference/country/create/": SECRETARIAT,
    "admin/snippets/inventory/mutual/": SECRETARIAT,
    "admin/snippets/inventory/mutual/results/": SECRETARIAT,
    "admin/snippets/inventory/mutual/add/": SECRETARIAT,
    "admin/snippets/inventory/mutual/edit/<int:pk>/": SECRETARIAT,
    "admin/snippets/inventory/mutual/delete/<int:pk>/": ADMINISTRATORS,
    "admin/snippets/inventory/mutual/usage/<int:pk>/": SECRETARIAT,
    "admin/snippets/inventory/mutual/history/<int:pk>/": SECRETARIAT,
    "admin/snippets/inventory/mutual/history-results/<int:pk>/": SECRETARIAT,
    "admin/snippets/choose/inventory/mutual/": EVERY_EDITOR,
    "admin/snippets/choose/inventory/mutual/results/": EVERY_EDITOR,
    "admin/snippets/choose/inventory/mutual/chosen/<str:pk>/": EVERY_EDITOR,
    "admin/snippets/choose/inventory/mutual/chosen-multiple/": EVERY_EDITOR,
    "admin/snippets/choose/inventory/mutual/create/": SECRETARIAT,
    "admin/snippets/inventory/union/": SECRETARIAT,
    "admin/snippets/inventory/union/results/": SECRETARIAT,
    "admin/snippets/inventory/union/add/": SECRETARIAT,
    "admin/snippets/inventory/union/edit/<int:pk>/": SECRETARIAT,
    "admin/snippets/inventory/union/delete/<int:pk>/": ADMINISTRATORS,
    "admin/snippets/inventory/union/usage/<int:pk>/": SECRETARIAT,
    "admin/snippets/inventory/union/history/<int:pk>/": SECRETARIAT,
    "admin/snippets/inventory/union/history-results/<int:pk>/": SECRETARIAT,
    "admin/snippets/choose/inventory/union/": EVERY_EDITOR,
    "admin/snippets/choose/inventory/union/results/": EVERY_EDITOR,
    "admin/snippets/choose/inventory/union/chosen/<str:pk>/": EVERY_EDITOR,
    "admin/snippets/choose/inventory/union/chosen-multiple/": EVERY_EDITOR,
    "admin/snippets/choose/inventory/union/create/": SECRETARIAT,
    "admin/snippets/inventory/supportingorganization/": SECRETARIAT,
    "admin/snippets/inventory/supportingorganization/results/": SECRETARIAT,
    "admin/snippets/inventory/supportingorganization/add/": SECRETARIAT,
    "admin/snippets/inventory/supportingorganization/edit/<int:pk>/": SECRETARIAT,
    "admin/snippets/inventory/supportingorganization/delete/<int:pk>/": ADMINISTRATORS,
    "admin/snippets/inventory/supportingorganization/usage/<int:pk>/": SECRETARIAT,
    "admin/snippets/inventory/supportingorganization/history/<int:pk>/": SECRETARIAT,
    "admin/snippets/inventory/supportingorganization/history-results/<int:pk>/": SECRETARIAT,
    "admin/snippets/choose/inventory/supportingorganization/": EVERY_EDITOR,
    "admin/snippets/choose/inventory/supportingorganization/results/": EVERY_EDITOR,
    "admin/snippets/choose/inventory/supportingorganization/chosen/<str:pk>/": EVERY_EDITOR,
    "admin/snippets/choose/inventory/supportingorganization/chosen-multiple/": EVERY_EDITOR,
    "admin/snippets/choose/inventory/supportingorganization/create/": SECRETARIAT,
    "admin/snippets/inventory/exchangerate/": SECRETARIAT,
    "admin/snippets/inventory/exchangerate/results/": SECRETARIAT,
    "admin/snippets/inventory/exchangerate/add/": SECRETARIAT,
    "admin/snippets/inventory/exchangerate/edit/<int:pk>/": SECRETARIAT,
    "admin/snippets/inventory/exchangerate/delete/<int:pk>/": SECRETARIAT,
    "admin/snippets/inventory/exchangerate/usage/<int:pk>/": SECRETARIAT,
    "admin/snippets/inventory/exchangerate/history/<int:pk>/": SECRETARIAT,
    "admin/snippets/inventory/exchangerate/history-results/<int:pk>/": SECRETARIAT,
    "admin/snippets/choose/inventory/exchangerate/": EVERY_EDITOR,
    "admin/snippets/choose/inventory/exchangerate/results/": EVERY_EDITOR,
    "admin/snippets/choose/inventory/exchangerate/chosen/<str:pk>/": EVERY_EDITOR,
    "admin/snippets/choose/inventory/exchangerate/chosen-multiple/": EVERY_EDITOR,
    "admin/snippets/choose/inventory/exchangerate/create/": SECRETARIAT,
    "admin/snippets/reference/theme/": SECRETARIAT,
    "admin/snippets/reference/theme/results/": SECRETARIAT,
    "admin/snippets/reference/theme/add/": SECRETARIAT,
    "admin/snippets/reference/theme/edit/<int:pk>/": SECRETARIAT,
    "admin/snippets/reference/theme/delete/<int:pk>/": SECRETARIAT,
    "admin/snippets/reference/theme/usage/<int:pk>/": SECRETARIAT,
    "admin/snippets/reference/theme/history/<int:pk>/": SECRETARIAT,
    "admin/snippets/reference/theme/history-results/<int:pk>/": SECRETARIAT,
    "admin/snippets/choose/reference/theme/": EVERY_EDITOR,
    "admin/snippets/choose/reference/theme/results/": EVERY_EDITOR,
    "admin/snippets/choose/reference/theme/chosen/<str:pk>/": EVERY_EDITOR,
    "admin/snippets/choose/reference/theme/chosen-multiple/": EVERY_EDITOR,
    "admin/snippets/choose/reference/theme/create/": SECRETARIAT,
    # Newsletter subscribers: the secretariat (view, unsubscribe, delete; no add or edit screen).
    "admin/newsletter/subscribers/": SECRETARIAT,
    "admin/newsletter/subscribers/results/": SECRETARIAT,
    "admin/newsletter/subscribers/inspect/<id:pk>/": SECRETARIAT,
    "admin/newsletter/subscribers/unsubscribe/<id:pk>/": SECRETARIAT,
    "admin/newsletter/subscribers/delete/<id:pk>/": SECRETARIAT,
    # Locales and sites: administrators only.
    "admin/locales/": ADMINISTRATORS,
    "admin/locales/results/": ADMINISTRATORS,
    "admin/locales/new/": ADMINISTRATORS,
    "admin/locales/edit/<int:pk>/": ADMINISTRATORS,
    "admin/locales/delete/<int:pk>/": ADMINISTRATORS,
    "admin/locales/history/<int:pk>/": ADMINISTRATORS,
    "admin/locales/history-results/<int:pk>/": ADMINISTRATORS,
    "admin/locales/usage/<int:pk>/": ADMINISTRATORS,
    "admin/locales/copy/<int:pk>/": ADMINISTRATORS,
    "admin/sites/": ADMINISTRATORS,
    "admin/sites/results/": ADMINISTRATORS,
    "admin/sites/new/": ADMINISTRATORS,
    "admin/sites/edit/<int:pk>/": ADMINISTRATORS,
    "admin/sites/delete/<int:pk>/": ADMINISTRATORS,
    "admin/sites/history/<int:pk>/": ADMINISTRATORS,
    "admin/sites/history-results/<int:pk>/": ADMINISTRATORS,
    "admin/sites/usage/<int:pk>/": ADMINISTRATORS,
    "admin/sites/copy/<int:pk>/": ADMINISTRATORS,
    # Users: the secretariat (manage_users; deleting an account on the person's request included);
    # the group admin: administrators.
    "admin/users/": SECRETARIAT,
    "admin/users/results/": SECRETARIAT,
    "admin/users/new/": SECRETARIAT,
    "admin/users/edit/<int:pk>/": SECRETARIAT,
    "admin/users/delete/<int:pk>/": SECRETARIAT,
    "admin/users/history/<int:pk>/": SECRETARIAT,
    "admin/users/history-results/<int:pk>/": SECRETARIAT,
    "admin/users/usage/<int:pk>/": SECRETARIAT,
    "admin/groups/": ADMINISTRATORS,
    "admin/groups/results/": ADMINISTRATORS,
    "admin/groups/new/": ADMINISTRATORS,
    "admin/groups/edit/<int:pk>/": ADMINISTRATORS,
    "admin/groups/delete/<int:pk>/": ADMINISTRATORS,
    "admin/groups/history/<int:pk>/": ADMINISTRATORS,
    "admin/groups/history-results/<int:pk>/": ADMINISTRATORS,
    "admin/groups/usage/<int:pk>/": ADMINISTRATORS,
    # Document and image choosers.
    "admin/documents/chooser/": EVERY_EDITOR,
    "admin/documents/chooser/results/": EVERY_EDITOR,
    "admin/documents/chooser/chosen/<str:pk>/": EVERY_EDITOR,
    "admin/documents/chooser/chosen-multiple/": EVERY_EDITOR,
    "admin/documents/chooser/create/": EVERY_EDITOR,
    "admin/images/chooser/": EVERY_EDITOR,
    "admin/images/chooser/results/": EVERY_EDITOR,
    "admin/images/chooser/chosen/<str:pk>/": EVERY_EDITOR,
    "admin/images/chooser/chosen-multiple/": EVERY_EDITOR,
    "admin/images/chooser/create/": EVERY_EDITOR,
    "admin/images/chooser/<int:image_id>/select_format/": EVERY_EDITOR,
    # Public: the icons, the JavaScript catalogue; Wagtail's password reset is switched off (allauth's).
    "admin/sprite/": PUBLIC,
    "admin/password_reset/": GONE,
    "admin/password_reset/done/": GONE,
    "admin/password_reset/confirm/<uidb64>/<token>/": GONE,
    "admin/password_reset/complete/": GONE,
    "admin/jsi18n/": PUBLIC,
    # Any other path under /admin/: not found.
    "admin/^.*/$": Expect(NOT_FOUND, NOT_FOUND, NOT_FOUND),
}

# The roles of the walk; "superuser" is an administrator (Django's flag, outside the role groups).
ROLES = [
    Role.VISITOR, Role.MEMBER, Role.MUTUAL_MANAGER, Role.SUPPORTING_ORGANIZATION, Role.FOCAL_POINT,
    Role.SECRETARIAT, "superuser",
]


def expected(entry: Expect, role) -> str:
    if role == "superuser":
        return entry.superuser
    if role == Role.SECRETARIAT:
        return entry.secretariat
    if role == Role.FOCAL_POINT:
        return entry.focal_point
    if role == Role.VISITOR:
        return entry.visitor
    return LOGIN  # no admin for visitors, members, mutual managers, supporting organizations


def test_the_table_names_every_admin_url_and_only_those():
    routes = set(admin_routes())
    assert routes - set(ADMIN_URLS) == set(), "admin URLs nobody has reviewed: add them to ADMIN_URLS"
    assert set(ADMIN_URLS) - routes == set(), "ADMIN_URLS names URLs that no longer exist"


def walker(role):
    if role == Role.VISITOR:
        return AnonymousUser()
    if role == "superuser":
        return UserFactory(is_superuser=True)
    return UserFactory(roles=[role])


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_url_answers_each_role_as_the_table_says(client, role):
    user = walker(role)
    objects = make_objects(user)
    client.raise_request_exception = False  # the 500s are outcomes too
    wrong = []
    for route in admin_routes():
        entry = ADMIN_URLS[route]
        url = url_for(route, objects)
        assert same_route(route, resolve(url.split("?")[0]).route), (route, url)
        if user.is_authenticated:
            client.force_login(user)
        with transaction.atomic():
            response = client.post(url) if entry.method == "POST" else client.get(url)
            transaction.set_rollback(True)
        got, want = outcome(response), expected(entry, role)
        if got != want:
            wrong.append(f"{entry.method} {url} ({route}): {got}, expected {want}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_copying_a_snippet_leaves_the_original_alone(client):
    """Wagtail's copy screens fill the form with the original and save over it: the portal's snippets
    have none (a secretary copying last year's exchange rate would have changed it)."""
    from portal.reference.models import Theme

    theme = Theme.objects.first()
    before = (theme.slug, theme.name_fr)
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    client.post(f"/admin/snippets/reference/theme/copy/{theme.pk}/",
                {"name_fr": "Copie", "name_en": "Copy", "slug": "copie"})
    theme.refresh_from_db()
    assert (theme.slug, theme.name_fr) == before
