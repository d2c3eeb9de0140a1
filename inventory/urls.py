from django.urls import path
from django.utils.translation import gettext_lazy as _

from .views import campaign, public, registration, returns, uploads

app_name = "inventory"
urlpatterns = [
    path(_("mutuals/"), public.mutual_list, name="mutual_list"),
    path(_("mutuals/<str:mutual_id>/"), public.mutual_detail, name="mutual_detail"),
    # The yearly return (reporters, focal points, secretariat)
    path(_("reporting/"), returns.my_mutuals, name="my_mutuals"),
    path(_("returns/<str:mutual_id>/<int:year>/"), returns.return_detail, name="return_detail"),
    path(_("returns/<str:mutual_id>/<int:year>/edit/"), returns.return_edit, name="return_edit"),
    path(_("returns/<str:mutual_id>/<int:year>/edit/<slug:section>/"), returns.return_edit,
         name="return_edit_section"),
    path(_("returns/<str:mutual_id>/<int:year>/submit/"), returns.return_submit, name="return_submit"),
    path(_("returns/<str:mutual_id>/<int:year>/validate/"), returns.return_validate, name="return_validate"),
    path(_("returns/<str:mutual_id>/<int:year>/send-back/"), returns.return_send_back,
         name="return_send_back"),
    path(_("returns/<str:mutual_id>/<int:year>/history/"), returns.return_history, name="return_history"),
    path(_("returns/<str:mutual_id>/<int:year>/history/<int:number>/restore/"), returns.return_restore,
         name="return_restore"),
    # The yearly campaign (secretariat) and the completion dashboards (secretariat, focal points)
    path(_("campaigns/"), campaign.campaign_list, name="campaigns"),
    path(_("campaigns/<int:year>/close/"), campaign.campaign_close, name="campaign_close"),
    path(_("campaigns/<int:year>/send/"), campaign.campaign_send, name="campaign_send"),
    path(_("dashboard/"), campaign.dashboard, name="dashboard"),
    path(_("dashboard/<str:country>/"), campaign.country_dashboard, name="country_dashboard"),
    # Mutuals asking to be listed (anyone logged in) and the focal points' decisions
    path(_("sign-ups/new/"), registration.mutual_register, name="mutual_register"),
    path(_("sign-ups/mine/"), registration.my_registrations, name="my_registrations"),
    path(_("sign-ups/pending/"), registration.registration_queue, name="registration_queue"),
    path(_("sign-ups/<str:mutual_id>/"), registration.registration_review, name="registration_review"),
    # Files: the secretariat's inventory upload, a mutual's offline form for one year
    path(_("import/"), uploads.import_upload, name="import_upload"),
    path(_("returns/<str:mutual_id>/<int:year>/offline-form.xlsx"), uploads.return_xlsx, name="return_xlsx"),
    path(_("returns/<str:mutual_id>/<int:year>/upload/"), uploads.return_upload, name="return_upload"),
]
