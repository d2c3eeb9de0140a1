"""The network's directory: its organizations, filtered by country and role, and a page for each; the
CSV of a project profile's supported mutuals."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("<id:pk>/", views.organization_detail, name="organization"),
    # The figures of a project profile's supported mutuals (the library's page shows them).
    path(_("projects/<id:page_id>/inventory.csv"), views.project_csv, name="project_csv"),
]
