"""schema.org `Organization` of a directory page: the organization's public office contact (address,
e-mail, telephone: the fields the secretariat publishes), website and countries. Never its
staff."""

from __future__ import annotations

from django.urls import reverse

from portal.core.jsonld import compact
from portal.site_url import public_url


def organization(org) -> dict:
    countries = [{"@type": "Country", "name": country.name, "identifier": country.code}
                 for country in org.countries.all()]
    return compact({
        "@type": "Organization",
        "name": org.name,
        "alternateName": org.acronym,
        "description": org.description,
        "url": public_url(reverse("directory:organization", args=[org.pk])),
        "sameAs": org.website,
        "email": org.email,
        "telephone": org.phone,
        "address": " ".join(org.address.split()) if org.address else "",
        "areaServed": countries,
    })
