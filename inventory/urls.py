from django.urls import path
from django.utils.translation import gettext_lazy as _

from .views import public

app_name = "inventory"
urlpatterns = [
    path(_("mutuals/"), public.mutual_list, name="mutual_list"),
    path(_("mutuals/<str:mutual_id>/"), public.mutual_detail, name="mutual_detail"),
]
