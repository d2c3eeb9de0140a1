"""The country page asks the database the same number of questions whatever the number of mutuals
(issue 16: a fixed number of queries per page), counted with the page cache off and the synthesis
computed apart, as the worker does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventory.opendata.synthesis import refresh_synthesis
from tests.factories import MutualFactory, ReturnFactory, network_country

pytestmark = pytest.mark.django_db


def add_mutuals(country, count, start=0):
    for n in range(start, start + count):
        mutual = MutualFactory(country=country, region=f"Région {n % 5}")
        for year in (2023, 2024):
            ReturnFactory(mutual=mutual, year=year, state="validated", status="functional", members=100 + n)
    refresh_synthesis()


def queries(client, code):
    url = reverse("inventory:country", args=[code])
    client.get(url)  # the site's settings created, Wagtail's caches warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_the_country_page_asks_as_many_questions_for_30_mutuals_as_for_3(client, home_fr, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the page itself, not the page cache
    senegal = network_country("SN")
    add_mutuals(senegal, 3)
    few = queries(client, "SN")
    add_mutuals(senegal, 27, start=3)
    many = queries(client, "SN")
    assert len(many) == len(few), "\n".join(many)
