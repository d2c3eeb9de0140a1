"""The directory's sections on the country page, and the library's (registered here: the directory
is a page app and may call both the inventory and the library, which never import each other's pages).
"""

from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from inventory.registry.organizations import country_organizations, directory_unions
from library.models import LibraryIndexPage
from library.search import SearchQuery, get_engine
from portal.core import country_sections

RESOURCES_SHOWN = 5


def organizations(country, request):
    """The country's focal point(s) and national committee(s) with their public contact, the other
    organizations active there and its unions of mutuals."""
    found = country_organizations(country)
    unions = list(directory_unions(country=country))
    if not found and not unions:
        return None
    return {"organizations": found, "unions": unions}


def recent_resources(country, request):
    """The library's latest resources about the country (from whichever search engine is configured:
    it holds only the pages anyone may read), with a link to the library filtered on the country."""
    query = SearchQuery(countries=(country.code,), sort="date", page_size=RESOURCES_SHOWN)
    result = get_engine().search(query)
    if not result.count:
        return None
    library = LibraryIndexPage.objects.live().public().filter(locale=Locale.get_active()).first()
    library_url = f"{library.url}?{urlencode({'country': country.code})}" if library else ""
    return {"resources": result.results, "count": result.count, "library_url": library_url}


def register():
    country_sections.register(
        "organizations", order=5, title=_("Focal point and organizations"),
        template="directory/_country_organizations.html", context=organizations,
    )
    country_sections.register(
        "resources", order=10, title=_("Recent resources"),
        template="directory/_country_resources.html", context=recent_resources,
    )
