"""/api/v1/…: outside the language prefix (the data is the same in every language); a trailing
slash is optional, and any other path under /api/v1/ is a JSON 404. The URL names are the keys of
the index (`views.api_root`)."""

from django.urls import path, re_path

from inventory.api import views as inventory_api
from library import api as library_api

from . import views

app_name = "api"
urlpatterns = [
    path("", views.api_root, name="root"),
    re_path(r"^inventory/mutuals/?$", inventory_api.mutual_list, name="mutuals"),
    re_path(r"^inventory/returns/?$", inventory_api.return_list, name="returns"),
    re_path(r"^inventory/synthesis/?$", inventory_api.synthesis_list, name="synthesis"),
    re_path(r"^library/search/?$", library_api.search, name="library_search"),
    re_path(r"^library/autocomplete/?$", library_api.autocomplete, name="library_autocomplete"),
    path("openapi.json", views.openapi_document, name="openapi"),
    re_path(r"^(?P<path>.+)$", views.not_found),
]
