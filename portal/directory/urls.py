"""The network's directory: its organizations, filtered by country and role, and a page for each."""

from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("<id:pk>/", views.organization_detail, name="organization"),
]
