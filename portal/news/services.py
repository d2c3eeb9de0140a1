"""Writes on the news: the index page of each language tree, members' articles sent from the site into
the moderation workflow, flash news preferences."""

import os
import secrets

from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model

from portal.core.contributions import (
    contribution_status,
    submit_for_moderation,
)
from portal.core.pages import child_slug, index_page_get_or_create
from portal.core.private_documents import private_document, proposals_collection

from .models import (
    ArticleAttachment,
    ArticlePage,
    FlashNewsSubscription,
    Frequency,
    NewsIndexPage,
    reserved_slugs,
)
from .richtext import plain_text_to_html

INDEX_FIELDS = {
    "fr": {
        "title": "Actualités", "slug": "actualites", "intro": "Articles et nouvelles des membres du réseau.",
    },
    "en": {"title": "News", "slug": "news", "intro": "Articles and news from the network's members."},
    "pt": {"title": "Notícias", "slug": "noticias", "intro": "Artigos e notícias dos membros da rede."},
}


def news_index_get_or_create(*, language: str) -> NewsIndexPage:
    """The news page of `language`'s tree, created and published when missing: the French one under the
    default site's home page, the others as its translations."""
    return index_page_get_or_create(NewsIndexPage, language=language, fields=INDEX_FIELDS)


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

    language = data["language"] if data["language"] in INDEX_FIELDS else "fr"
    parent = None
    if article is None:
        parent = news_index_get_or_create(language=language)
        # Never one of the news pages' own paths (submit, feed, authors…: ArticlePage.clean refuses them).
        slug = child_slug(parent, data["title"], default="article", reserved=reserved_slugs())
        article = ArticlePage(slug=slug, locale=parent.locale, author=author)
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
