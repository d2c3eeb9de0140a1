"""What the search-engine tests read: the head of a page (canonical, hreflang, description) and its
schema.org JSON-LD, parsed with BeautifulSoup and json (what extruct's JSON-LD extractor does)."""

import json

from bs4 import BeautifulSoup

PUBLIC = "https://portail.example.org"  # SITE_URL in these tests; requests come through another host
REQUEST_HOST = "localhost:8000"


def get(client, path, status=200):
    response = client.get(path, HTTP_HOST=REQUEST_HOST)
    assert response.status_code == status, (path, response.status_code)
    return response.content.decode()


def head(html: str) -> dict:
    soup = BeautifulSoup(html, "html.parser")
    canonical = soup.head.find_all("link", rel="canonical")
    description = soup.head.find("meta", attrs={"name": "description"})
    return {
        "canonical": [link["href"] for link in canonical],
        "alternates": {link["hreflang"]: link["href"]
                       for link in soup.head.find_all("link", rel="alternate") if link.get("hreflang")},
        "description": description["content"] if description else "",
        "head": str(soup.head),
    }


def json_ld(html: str) -> list[dict]:
    """Every JSON-LD object of the page (a list value gives its items)."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for script in soup.find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        found.extend(data if isinstance(data, list) else [data])
    return found


def of_type(html: str, schema_type: str) -> dict:
    objects = [data for data in json_ld(html) if data.get("@type") == schema_type]
    assert len(objects) == 1, [data.get("@type") for data in json_ld(html)]
    assert objects[0]["@context"] == "https://schema.org"
    return objects[0]


def assert_no_local_address(text: str):
    for local in ("localhost", "testserver", "127.0.0.1"):
        assert local not in text, local
