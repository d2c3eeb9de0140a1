from django.urls import path, register_converter
from django.utils.translation import gettext_lazy as _

from .models.releases import VERSION_PATTERN
from .views import benchmark, campaign, datasets, overview, public, registration, returns, uploads


class ReleaseVersionConverter:
    """A release's version in a URL: 1.0, 1.1… (anything else is not a URL: 404)."""

    regex = VERSION_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ReleaseVersionConverter, "release_version")


app_name = "inventory"
urlpatterns = [
    path(_("mutuals/"), public.mutual_list, name="mutual_list"),
    path(_("mutuals/<str:mutual_id>/"), public.mutual_detail, name="mutual_detail"),
    # The synthesis pages: the overview, a page per country, the glossary, the CSV behind each chart
    path("", overview.overview, name="overview"),
    path(_("figures/<slug:slug>.csv"), overview.overview_csv, name="overview_csv"),
    path(_("figures/<slug:slug>.svg"), overview.overview_svg, name="overview_svg"),
    path(_("countries/"), overview.country_list, name="countries"),
    path(_("countries/<str:code>/"), overview.country, name="country"),
    path(_("countries/<str:code>/figures/<slug:slug>.csv"), overview.country_csv, name="country_csv"),
    path(_("countries/<str:code>/figures/<slug:slug>.svg"), overview.country_svg, name="country_svg"),
    path(_("glossary/"), overview.glossary, name="glossary"),
    # The yearly return (reporters, focal points, secretariat)
    path(_("reporting/"), returns.my_mutuals, name="my_mutuals"),
    path(_("returns/<str:mutual_id>/<year:year>/"), returns.return_detail, name="return_detail"),
    path(_("returns/<str:mutual_id>/<year:year>/edit/"), returns.return_edit, name="return_edit"),
    path(_("returns/<str:mutual_id>/<year:year>/edit/<slug:section>/"), returns.return_edit,
         name="return_edit_section"),
    path(_("returns/<str:mutual_id>/<year:year>/submit/"), returns.return_submit, name="return_submit"),
    path(_("returns/<str:mutual_id>/<year:year>/validate/"), returns.return_validate, name="return_validate"),
    path(_("returns/<str:mutual_id>/<year:year>/send-back/"), returns.return_send_back,
         name="return_send_back"),
    path(_("returns/<str:mutual_id>/<year:year>/history/"), returns.return_history, name="return_history"),
    path(_("returns/<str:mutual_id>/<year:year>/benchmark/"), benchmark.return_benchmark,
         name="return_benchmark"),
    path(_("returns/<str:mutual_id>/<year:year>/history/<id:number>/restore/"), returns.return_restore,
         name="return_restore"),
    # The yearly campaign (secretariat) and the completion dashboards (secretariat, focal points)
    path(_("campaigns/"), campaign.campaign_list, name="campaigns"),
    path(_("campaigns/<year:year>/close/"), campaign.campaign_close, name="campaign_close"),
    path(_("campaigns/<year:year>/send/"), campaign.campaign_send, name="campaign_send"),
    path(_("campaigns/<year:year>/provisional/"), campaign.campaign_provisional_days,
         name="campaign_provisional_days"),
    path(_("dashboard/"), campaign.dashboard, name="dashboard"),
    path(_("dashboard/<str:country>/"), campaign.country_dashboard, name="country_dashboard"),
    # Mutuals asking to be listed (anyone logged in) and the focal points' decisions
    path(_("sign-ups/new/"), registration.mutual_register, name="mutual_register"),
    path(_("sign-ups/mine/"), registration.my_registrations, name="my_registrations"),
    path(_("sign-ups/pending/"), registration.registration_queue, name="registration_queue"),
    path(_("sign-ups/<id:pk>/"), registration.registration_review, name="registration_review"),
    # Files: the secretariat's inventory upload, a mutual's offline form for one year
    path(_("import/"), uploads.import_upload, name="import_upload"),
    path(_("import/<uuid:public_id>/"), uploads.import_job, name="import_job"),
    path(_("returns/<str:mutual_id>/<year:year>/offline-form.xlsx"), uploads.return_xlsx, name="return_xlsx"),
    path(_("returns/<str:mutual_id>/<year:year>/upload/"), uploads.return_upload, name="return_upload"),
    # Open datasets (no account needed): the current data, the frozen releases, the codebook;
    # the secretariat publishes releases and reads the download counts.
    path(_("data/"), datasets.datasets_home, name="datasets"),
    path(_("data/codebook/"), datasets.codebook, name="codebook"),
    path(_("data/cite/<str:fmt>/"), datasets.datasets_cite, name="datasets_cite"),
    path(_("data/files/<str:filename>"), datasets.dataset_file, name="dataset_file"),
    path(_("data/guestbook/"), datasets.guestbook, name="dataset_guestbook"),
    path(_("data/publish/"), datasets.release_publish, name="release_publish"),
    path(_("data/statistics/"), datasets.download_statistics, name="download_statistics"),
    path(_("data/releases/latest/"), datasets.release_latest, name="release_latest"),
    path(_("data/releases/latest/<str:filename>"), datasets.release_latest_file, name="release_latest_file"),
    path(_("data/releases/<slug:slug>/<release_version:version>/"), datasets.release_detail,
         name="release_detail"),
    path(_("data/catalogue.jsonld"), datasets.dcat_catalogue, name="dcat_catalogue"),
    path(_("data/releases/<slug:slug>/<release_version:version>/datacite.xml"), datasets.release_datacite,
         name="release_datacite"),
    path(_("data/releases/<slug:slug>/<release_version:version>/doi/"), datasets.release_doi,
         name="release_doi"),
    path(_("data/releases/<slug:slug>/<release_version:version>/cite/<str:fmt>/"), datasets.release_cite,
         name="release_cite"),
    path(_("data/releases/<slug:slug>/<release_version:version>/<str:filename>"), datasets.release_file,
         name="release_file"),
]
