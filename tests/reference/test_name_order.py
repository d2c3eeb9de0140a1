"""Names in the order a reader expects (issue 14): accents and case do not send a name after "Z".
In French, Bénin comes before Burkina Faso and Burundi, wherever countries or names are listed."""

import pytest
from django.utils import translation

from inventory.contract.choices import ReturnState
from portal.i18n import by_name, collation_key
from tests.factories import MutualFactory, ReturnFactory, network_country

pytestmark = pytest.mark.django_db

WEST = ["Bénin", "Burkina Faso", "Burundi"]


def test_the_collation_key_ignores_accents_and_case_but_breaks_ties_with_them():
    names = ["Zambie", "Burundi", "Égypte", "Bénin", "cameroun", "Burkina Faso", "Tchad"]
    assert by_name(names) == ["Bénin", "Burkina Faso", "Burundi", "cameroun", "Égypte", "Tchad", "Zambie"]
    assert collation_key("Eze") < collation_key("Éze")  # a tie is broken, the same way every time
    pairs = [("Sénégal", "Émergence"), ("Sénégal", "Espoir"), ("Bénin", "Zou")]
    assert by_name(pairs, name=lambda pair: pair) == [pairs[2], pairs[0], pairs[1]]


def west(labels):
    return [label for label in labels if label in WEST]


def test_the_registration_forms_country_choices_follow_the_french_alphabet():
    from inventory.views.registration import MutualRegistrationForm
    from tests.factories import UserFactory

    with translation.override("fr"):
        form = MutualRegistrationForm(user=UserFactory())
        assert west([str(label) for _value, label in form.fields["country"].choices]) == WEST


def test_the_filters_offer_countries_in_the_french_alphabet():
    from portal.directory.filters import DirectoryFilter
    from portal.events.filters import EventFilter
    from portal.news.filters import NewsFilter

    with translation.override("fr"):
        assert west([label for _code, label in NewsFilter({}).country_choices()]) == WEST
        for form in (EventFilter({}).form, DirectoryFilter().form):
            assert west([str(label) for _value, label in form.fields["country"].choices]) == WEST


def test_the_profile_forms_country_choices_follow_the_french_alphabet():
    from portal.accounts.forms import ProfileForm

    with translation.override("fr"):
        assert west([str(label) for _v, label in ProfileForm().fields["country"].choices]) == WEST


def test_the_directory_of_mutuals_and_the_country_list_sort_accented_names_as_readers_do(client):
    for code in ("BJ", "BF", "BI"):
        network_country(code)
    for code, name in (("BI", "Mutuelle de Bujumbura"), ("BJ", "Mutuelle de Cotonou"),
                       ("BJ", "Émergence"), ("BJ", "Espoir de Porto-Novo"), ("BF", "Mutuelle de Ouaga")):
        mutual = MutualFactory(name=name, country=network_country(code))
        ReturnFactory(mutual=mutual, year=2025, state=ReturnState.VALIDATED)
    listed = [m.name for m in client.get("/fr/inventaire/mutuelles/").context["page"].object_list]
    assert listed == ["Émergence", "Espoir de Porto-Novo", "Mutuelle de Cotonou", "Mutuelle de Ouaga",
                      "Mutuelle de Bujumbura"]
    countries = [c.name for c in client.get("/fr/inventaire/pays/").context["countries"]]
    assert west(countries) == WEST
    benin = client.get("/fr/inventaire/pays/BJ/").context["mutuals"]
    assert [m.name for m in benin] == ["Émergence", "Espoir de Porto-Novo", "Mutuelle de Cotonou"]
