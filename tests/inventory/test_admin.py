"""The secretariat's registry in the Wagtail admin: a mutual's page shows who registered and who
reviewed it, and saving the form cannot rewrite that record."""

import pytest

from portal.accounts.roles import Role
from tests.factories import MutualFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_review_record_is_shown_but_not_editable(client):
    registrant = UserFactory(first_name="Moussa", last_name="Sow")
    mutual = MutualFactory(registered_by=registrant, review_comment="Vérifiée sur place.")
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    url = f"/admin/snippets/inventory/mutual/edit/{mutual.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Vérifiée sur place." in html and "Moussa Sow" in html
    assert 'name="review_comment"' not in html and 'name="registered_by"' not in html
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields
            if name not in {"managers", "supporting_organizations"}}
    data.update({"name": "Nouveau nom", "review_comment": "réécrit", "registered_by": ""})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    mutual.refresh_from_db()
    assert mutual.name == "Nouveau nom"
    assert mutual.registered_by == registrant and mutual.review_comment == "Vérifiée sur place."
