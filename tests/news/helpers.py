"""Articles, images and form posts for the news tests."""

import io
import time

from django.urls import reverse
from django.utils import translation
from PIL import Image

from portal.core import antispam
from portal.news.models import ArticlePage
from portal.news.services import news_index_get_or_create
from portal.reference.models import Country, Theme


def url(name, *args, language="en"):
    """The path of a news URL in `language` (English by default, as the members' form tests read)."""
    with translation.override(language):
        return reverse(name, args=args)


def old_stamp(seconds=60) -> str:
    """The form's timestamp as if it had been shown `seconds` ago."""
    return antispam.new_stamp(time.time() - seconds)


def png_bytes(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def article(title, *, language="fr", kind="article", countries=(), themes=(), author=None, summary=None,
            body="<p>Texte.</p>", live=True, date=None):
    """An article under the news page of `language`, published unless `live=False`."""
    parent = news_index_get_or_create(language=language)
    page = ArticlePage(title=title, locale=parent.locale, kind=kind, summary=summary or f"Résumé de {title}",
                       body=body, author=author, language=language)
    if date is not None:
        page.date = date
    page.countries = [Country.objects.get_or_create(code=c, defaults={"name_fr": c, "name_en": c,
                                                                        "currency": "XOF"})[0]
                      for c in countries]
    page.themes = [Theme.objects.get(slug=slug) for slug in themes]
    page.live = False
    parent.add_child(instance=page)
    if live:
        page.save_revision().publish()
        page.refresh_from_db()
    return page


def article_post(**overrides) -> dict:
    """A valid submission of the site's form (countries and themes as lists of ids)."""
    data = {
        "title": "La mutuelle de Thiès passe à la gestion informatisée",
        "kind": "article",
        "summary": "Une mutuelle de Thiès a informatisé le suivi de ses adhérents.",
        "body": "Premier paragraphe du texte, assez long pour être accepté.\n\nSecond paragraphe.",
        "language": "fr",
        "co_authors": "",
        "image_caption": "",
        "website": "",
        "stamp": old_stamp(),
    }
    data.update(overrides)
    return data
