"""The library's own views, under the library's URL prefix (`_("library/")`, the slug of the library's
Wagtail page in each language), matched before Wagtail's pages: paths not listed here fall through
to the library's pages."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "library"
urlpatterns = [
    path(_("propose/"), views.propose, name="propose"),
    path(_("my-proposals/"), views.my_proposals, name="my_proposals"),
    path(_("my-proposals/<id:pk>/edit/"), views.propose, name="edit"),
    # Studies using the inventory: anyone declares one, the secretariat decides.
    path(_("studies/"), views.studies, name="studies"),
    path(_("studies/declare/"), views.declare_study, name="declare_study"),
    path(_("studies/pending/"), views.study_queue, name="study_queue"),
    path(_("studies/<id:pk>/decide/"), views.study_decide, name="study_decide"),
]
