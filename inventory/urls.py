from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "inventory"
urlpatterns = [
    path(_("mutuals/"), views.mutual_list, name="mutual_list"),
    path(_("mutuals/<str:mutual_id>/"), views.mutual_detail, name="mutual_detail"),
]
