"""Demo news from `data/news.yaml`: three articles and news in French with their English translations,
by a demo author, and one flash news."""

from django.contrib.auth import get_user_model
from wagtail.models import Locale

from portal.news.models import ArticlePage, FlashNews, Kind
from portal.news.services import news_index_get_or_create
from portal.reference.models import Country, Theme

from .content import read

_DATA = read("news")
# Not one of the demo accounts (those end with .demo@example.org and can log in): a name on articles.
AUTHOR: dict = _DATA["author"]
ARTICLES: list = _DATA["articles"]  # `kind`: a portal.news.models.Kind value
FLASH: dict = _DATA["flash"]


def _author():
    User = get_user_model()
    user = User.objects.filter(email=AUTHOR["email"]).first()
    if user is None:
        user = User(**AUTHOR)
        user.set_unusable_password()  # a name on the demo articles, not an account to log in with
        user.save()
    return user


def load(report) -> None:
    """Idempotent: an article whose slug exists under the French news page is left as it is, and so is
    the flash news if its title exists. The flash news is stored published without being e-mailed."""
    fr = news_index_get_or_create(language="fr")
    en_locale = Locale.objects.get(language_code="en")
    news_index_get_or_create(language="en")
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    countries = {country.code: country for country in Country.objects.all()}
    author = _author()
    created = 0
    for data in ARTICLES:
        if fr.get_children().filter(slug=data["slug"]).exists():
            continue
        page = ArticlePage(
            slug=data["slug"], locale=fr.locale, kind=Kind(data["kind"]), date=data["date"], language="fr",
            author=author, co_authors=data["co_authors"], **data["fr"],
        )
        page.countries = [countries[code] for code in data["countries"] if code in countries]
        page.themes = [themes[slug] for slug in data["themes"] if slug in themes]
        fr.add_child(instance=page)
        page.save_revision().publish()
        english = page.copy_for_translation(en_locale).specific
        for name, value in data["en"].items():
            setattr(english, name, value)
        english.language = "en"
        english.save_revision().publish()
        created += 1
    if not FlashNews.objects.filter(title_fr=FLASH["title_fr"]).exists():
        flash = FlashNews(**FLASH)
        flash.save()
        # Published directly (no revision, no signal): loading the demo e-mails nobody.
        FlashNews.objects.filter(pk=flash.pk).update(live=True, first_published_at=flash.created_at,
                                                     last_published_at=flash.created_at)
    report.add(f"News: {created} articles created (French and English).")
