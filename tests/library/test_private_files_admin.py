"""Members' files awaiting publication (the secretariat's private collection: proposals' files,
articles' attachments) stay out of focal points' admin: their document and image choosers, the
listings, the edit and usage screens, the upload forms' collections (issue #11,
portal/core/private_documents.py).
"""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from portal.accounts.roles import Role
from portal.core.private_documents import PROPOSALS_COLLECTION, private_document, proposals_collection
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PRIVATE = "Rapport financier confidentiel de la mutuelle"
PUBLIC = "Guide public des cotisations"


@pytest.fixture
def files():
    member = UserFactory(roles=[Role.MEMBER])
    private = private_document(user=member, title=PRIVATE, file=SimpleUploadedFile(
        "rapport.pdf", b"%PDF-1.4 rapport", content_type="application/pdf"))
    public = get_document_model().objects.create(
        title=PUBLIC, file=ContentFile(b"%PDF-1.4 guide", name="guide.pdf"),
        collection=Collection.get_first_root_node(),
    )
    out = io.BytesIO()
    PILImage.new("RGB", (8, 8), "white").save(out, "PNG")
    image = get_image_model().objects.create(
        title=PRIVATE, file=ContentFile(out.getvalue(), name="private.png"),
        collection=proposals_collection(),
    )
    return private, public, image


def listings():
    return [
        reverse("wagtaildocs_chooser:choose"),
        reverse("wagtaildocs_chooser:choose_results") + "?q=mutuelle",
        reverse("wagtaildocs:index"),
        reverse("wagtaildocs:index") + "?q=mutuelle",
        reverse("wagtailimages_chooser:choose"),
        reverse("wagtailimages_chooser:choose_results") + "?q=mutuelle",
        reverse("wagtailimages:index"),
        "/admin/api/main/documents/",
        "/admin/api/main/images/",
    ]


def test_a_focal_point_never_sees_the_private_collection_files(client, files):
    private, public, image = files
    client.force_login(UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"]))
    chooser = client.get(reverse("wagtaildocs_chooser:choose")).content.decode()
    assert PUBLIC in chooser  # the chooser works: it lists the public files
    for url in listings():
        response = client.get(url)
        assert response.status_code == 200, url
        assert PRIVATE not in response.content.decode(), url


def refused(response):
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def test_a_focal_point_cannot_open_a_private_file_by_its_id(client, files):
    private, _public, image = files
    client.force_login(UserFactory(roles=[Role.FOCAL_POINT]))
    for url in [
        reverse("wagtaildocs_chooser:chosen", args=[private.pk]),
        reverse("wagtaildocs:edit", args=[private.pk]),
        reverse("wagtaildocs:document_usage", args=[private.pk]),
        reverse("wagtailimages_chooser:chosen", args=[image.pk]),
        reverse("wagtailimages:edit", args=[image.pk]),
        f"/documents/{private.pk}/{private.filename}",
    ]:
        response = client.get(url)
        assert refused(response) or "/login/" in response.get("Location", ""), url
        assert PRIVATE not in response.content.decode(), url


def test_a_focal_point_cannot_upload_into_the_private_collection(client):
    proposals_collection()
    client.force_login(UserFactory(roles=[Role.FOCAL_POINT]))
    for url in (reverse("wagtaildocs:add"), reverse("wagtailimages:add")):
        assert PROPOSALS_COLLECTION not in client.get(url).content.decode(), url


def test_the_secretariat_finds_them_to_review_them(client, files):
    private, _public, image = files
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    assert PRIVATE in client.get(reverse("wagtaildocs_chooser:choose")).content.decode()
    assert PRIVATE in client.get(reverse("wagtaildocs:index")).content.decode()
    assert client.get(reverse("wagtaildocs:edit", args=[private.pk])).status_code == 200
    assert client.get(reverse("wagtailimages:edit", args=[image.pk])).status_code == 200
