"""With every ISO country in the table, what readers are offered stays the network's countries (and
those holding data, or already chosen): never a list of 249."""

import pytest

from portal.accounts.viewsets import PortalUserEditForm
from portal.events.filters import EventFilter
from portal.news.filters import NewsFilter
from portal.news.forms import ArticleForm, FlashNewsPreferencesForm
from portal.reference.countries import NETWORK
from portal.reference.models import Country
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def codes(queryset):
    return set(queryset.values_list("code", flat=True))


def test_proposal_forms_offer_the_networks_countries():
    from library.forms import ProposalForm

    assert codes(ProposalForm().fields["countries"].queryset) == NETWORK
    assert codes(ArticleForm().fields["countries"].queryset) == NETWORK


def test_flash_news_preferences_keep_a_country_chosen_outside_the_network():
    assert codes(FlashNewsPreferencesForm().fields["countries"].queryset) == NETWORK
    form = FlashNewsPreferencesForm(initial={"countries": [Country.objects.get(code="CV")]})
    assert codes(form.fields["countries"].queryset) == NETWORK | {"CV"}


def test_the_focal_point_boxes_are_the_networks_countries_and_those_already_held():
    def boxes(user):
        return codes(PortalUserEditForm(instance=user).fields["focal_point_countries"].queryset)

    assert boxes(UserFactory()) == NETWORK
    assert boxes(UserFactory(focal_countries=["CV"], mfa=False)) == NETWORK | {"CV"}


def test_the_news_and_calendar_filters_offer_the_network_and_countries_with_content():
    assert {code for code, _name in NewsFilter({}).country_choices()} == NETWORK
    assert codes(EventFilter({}).form.fields["country"].queryset) == NETWORK


def test_the_directory_offers_the_network_and_countries_with_an_organization_or_a_union():
    from inventory.models import SupportingOrganization, Union
    from portal.directory.filters import DirectoryFilter

    SupportingOrganization.objects.create(name="Appui cap-verdien").countries.add("CV")
    Union.objects.create(name="Union gambienne", country_id="GM")
    assert codes(DirectoryFilter().form.fields["country"].queryset) == NETWORK | {"CV", "GM"}
