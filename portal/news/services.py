"""Writes on the news: the index page of each language tree, members' articles sent from the site into
the moderation workflow, flash news preferences."""

import os
import secrets

from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from library.services import private_document, proposals_collection
from portal.core.contributions import (
    contribution_status,
    recent_submissions,
    submit_for_moderation,
)

from .models import ArticleAttachment, ArticlePage, FlashNewsSubscription, Frequency, NewsIndexPage
from .richtext import plain_text_to_html

INDEX_TITLES = {
    "fr": ("Actualités", "actualites", "Articles et nouvelles des membres du réseau."),
    "en": ("News", "news", "Articles and news from the network's members."),
}


def _default_parent() -> Page:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page
    root = Page.get_first_root_node()
    return root.get_children().first() or root


@transaction.atomic
def news_index_get_or_create(*, language: str) -> NewsIndexPage:
    """The news page of `language`'s tree, created and published when missing: the French one under the
    default site's home page, the others as its translations."""
    locale, _ = Locale.objects.get_or_create(language_code=language)
    existing = NewsIndexPage.objects.filter(locale=locale).first()
    if existing is not None:
        return existing
    title, slug, intro = INDEX_TITLES.get(language, INDEX_TITLES["en"])
    source_language = Locale.get_default().language_code
    if language == source_language:
        parent = _default_parent()
        page = NewsIndexPage(title=title, slug=slug, intro=intro, locale=parent.locale, show_in_menus=True)
        parent.add_child(instance=page)
    else:
        source = news_index_get_or_create(language=source_language)
        page = source.copy_for_translation(locale, copy_parents=True).specific
        page.title, page.slug, page.intro = title, slug, intro
        page.save()
    page.save_revision().publish()
    return page


def _unique_slug(parent: Page, title: str) -> str:
    from django.utils.text import slugify

    base = slugify(title)[:60].strip("-") or "article"
    slug, n = base, 1
    while Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def article_states(user) -> list[dict]:
    """The author's articles, newest first, each with its latest revision's title, its state as the
    contributions module sees it (awaiting review, changes requested with the comment, published…),
    and whether the author may change it from the site (not while reviewed nor once published)."""
    rows = []
    for page in ArticlePage.objects.filter(contributor=user).order_by("-pk"):
        status = contribution_status(page)
        rows.append({
            "page": page, "title": page.draft_title or page.title, "status": status,
            "editable": status.editable,
        })
    return rows


def article_is_editable(article: ArticlePage) -> bool:
    return contribution_status(article).editable


@transaction.atomic
def article_submit(*, author, data: dict, image=None, attachment=None,
                   article: ArticlePage | None = None) -> ArticlePage:
    """A member's article from the site's form into the moderation workflow: a new page (not live)
    under the news index of its language (Portuguese under the French one), or, with `article`, a new
    revision of the author's article whose changes were requested. `data` is the form's cleaned data
    (the body as plain text); `image` and `attachment` are uploads already checked. The author is
    e-mailed by the contributions module's receivers, as every contributor."""
    from django.core.files.images import ImageFile

    language = data["language"] if data["language"] in INDEX_TITLES else "fr"
    parent = None
    if article is None:
        parent = news_index_get_or_create(language=language)
        article = ArticlePage(slug=_unique_slug(parent, data["title"]), locale=parent.locale, author=author)
    else:
        article = article.get_latest_revision_as_object()
    article.title = data["title"]
    article.kind = data["kind"]
    article.summary = data["summary"]
    article.body = plain_text_to_html(data["body"])
    article.language = data["language"]
    article.co_authors = data.get("co_authors", "")
    article.image_caption = data.get("image_caption", "")
    article.date = timezone.localdate()
    if image is not None:
        # Wagtail's images have no privacy: the file of an article under review must not be found by
        # guessing its name (original_images/photo.jpg), so it gets a random one; it waits in the
        # private collection, out of the focal points' image chooser, until the article is published.
        extension = os.path.splitext(image.name)[1].lower()
        stored = get_image_model()(title=data["title"][:255], uploaded_by_user=author,
                                   collection=proposals_collection(),
                                   file=ImageFile(image, name=f"{secrets.token_urlsafe(16)}{extension}"))
        stored.save()
        article.image = stored
    if attachment is not None:
        # Readable by the secretariat only until the article is published (see signals.py).
        document = private_document(user=author, title=attachment.name.rsplit("/", 1)[-1], file=attachment)
        article.attachments = [ArticleAttachment(document=document)]
    article.countries = list(data.get("countries") or [])
    article.themes = list(data.get("themes") or [])
    submit_for_moderation(page=article, user=author, parent=parent)
    return article


def submissions_in_last_day(user) -> int:
    return recent_submissions(user, hours=24)


# --- Flash news preferences ---------------------------------------------------------------------

def flash_subscription_for(user) -> FlashNewsSubscription | None:
    return FlashNewsSubscription.objects.filter(user=user).first()


@transaction.atomic
def flash_subscription_update(*, user, frequency: str, countries, themes) -> FlashNewsSubscription:
    """Saves a person's flash news preferences. Starting (or restarting) a subscription sets `since`,
    so that the next digest does not bring flash news published while they were not subscribed."""
    subscription, created = FlashNewsSubscription.objects.get_or_create(
        user=user, defaults={"frequency": frequency}
    )
    if not created and subscription.frequency == Frequency.NEVER and frequency != Frequency.NEVER:
        subscription.since = timezone.now()
    subscription.frequency = frequency
    subscription.save()
    subscription.countries.set(countries)
    subscription.themes.set(themes)
    return subscription


def flash_unsubscribe(*, token) -> FlashNewsSubscription | None:
    """Turns flash news off for the subscription of `token` (from the e-mails' link); None if unknown."""
    subscription = FlashNewsSubscription.objects.filter(token=token).first()
    if subscription is not None and subscription.frequency != Frequency.NEVER:
        subscription.frequency = Frequency.NEVER
        subscription.save(update_fields=["frequency"])
    return subscription
