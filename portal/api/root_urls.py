"""The API's URLs alone: the urlconf `LocaleMiddleware` is told about on an API 404 (see
`http.api_view`), since the API has no language prefix to redirect to."""

from django.urls import include, path

urlpatterns = [path("api/v1/", include("portal.api.urls"))]
