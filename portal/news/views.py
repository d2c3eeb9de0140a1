"""The members' side of the news: sending an article from the site, "my articles", author pages, the
flash news unsubscribe link."""

import uuid

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from portal.accounts.permissions import permission_required

from . import selectors, services
from .forms import ArticleForm
from .models import ArticlePage

SUBMISSIONS_PER_DAY = 5  # enough for a member, not for a script
KEPT_UPLOADS = "news_kept_uploads"  # session key: token → stored path of a file accepted earlier


def _keep_uploads(request, form):
    """Files accepted in a form refused for another field are stored (the browser cannot re-send them)
    and their token put in the form, so that the next try needs no new upload."""
    kept = request.session.get(KEPT_UPLOADS, {})
    data = form.data.copy()
    for name in ("image", "attachment"):
        upload = form.cleaned_data.get(name) if name not in form.errors else None
        if upload:
            upload.seek(0)
            token = uuid.uuid4().hex
            path = default_storage.save(f"news/kept/{token}/{upload.name}", ContentFile(upload.read()))
            kept[token] = path
            data[f"{name}_kept"] = token
    request.session[KEPT_UPLOADS] = kept
    form.data = data


def _kept_file(request, token):
    """The file stored under `token` for this session (None for a token of another session)."""
    path = request.session.get(KEPT_UPLOADS, {}).get(token or "")
    if not path or not default_storage.exists(path):
        return None
    handle = default_storage.open(path)
    handle.name = path.rsplit("/", 1)[-1]
    return handle


def kept_name(request, token) -> str:
    path = request.session.get(KEPT_UPLOADS, {}).get(token or "")
    return path.rsplit("/", 1)[-1] if path else ""


def _form_page(request, form, article=None, status=200):
    return render(request, "news/article_form.html", {
        "form": form, "article": article,
        "image_kept_name": kept_name(request, form["image_kept"].value()),
        "attachment_kept_name": kept_name(request, form["attachment_kept"].value()),
    }, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("submit_article")
def article_submit(request, pk=None):
    """A new article (or, with `pk`, the author's article back for changes), sent for moderation."""
    article = None
    if pk is not None:
        article = get_object_or_404(ArticlePage, pk=pk, contributor=request.user)
        if not services.article_is_editable(article):
            messages.error(request, _("This article is being reviewed or is published: it cannot be changed "
                                      "from here."))
            return redirect("news:mine")
    if request.method == "GET":
        initial = {}
        if article is not None:
            latest = article.get_latest_revision_as_object()
            from django.utils.html import strip_tags

            paragraphs = latest.body.replace("<br/>", "\n").split("</p>")
            initial = {
                "title": latest.title, "kind": latest.kind, "summary": latest.summary,
                "body": "\n\n".join(strip_tags(p).strip() for p in paragraphs if strip_tags(p).strip()),
                "language": latest.language, "co_authors": latest.co_authors,
                "countries": list(latest.countries.all()), "themes": list(latest.themes.all()),
                "image_caption": latest.image_caption,
            }
        else:
            initial = {"language": "en" if Locale.get_active().language_code == "en" else "fr"}
        return _form_page(request, ArticleForm(initial=initial), article)

    form = ArticleForm(request.POST, request.FILES)
    if services.submissions_in_last_day(request.user) >= SUBMISSIONS_PER_DAY:
        form.is_valid()
        form.add_error(None, _("You have sent %(n)s articles in the last 24 hours: please wait before "
                               "sending another.") % {"n": SUBMISSIONS_PER_DAY})
        return _form_page(request, form, article, status=429)
    if not form.is_valid():
        _keep_uploads(request, form)
        form.refresh_stamp()
        return _form_page(request, form, article, status=400)
    data = form.cleaned_data
    image = data.get("image") or _kept_file(request, data.get("image_kept"))
    attachment = data.get("attachment") or _kept_file(request, data.get("attachment_kept"))
    services.article_submit(author=request.user, data=data, image=image, attachment=attachment,
                            article=article)
    request.session.pop(KEPT_UPLOADS, None)
    messages.success(request, _("Thank you: your article has been sent to the secretariat, who will publish "
                                "it or ask you for changes. You will be told by e-mail."))
    return redirect("news:mine")


@permission_required("submit_article")
def my_articles(request):
    return render(request, "news/my_articles.html", {"rows": services.article_states(request.user)})


def author(request, pk):
    """A member's published articles, with their name and organization only."""
    person = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    articles = selectors.articles_by(person)
    if not articles.exists():
        raise Http404(_("No published article by this author."))
    return render(request, "news/author.html", {
        "author_name": person.get_full_name(), "organization": person.organization,
        "articles": articles[:100],
    })


# No CSRF token: mail clients post the one-click unsubscribe themselves; the token in the URL is the secret.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def flash_unsubscribe(request, token):
    """The e-mails' link: a page with one button (a link alone must not unsubscribe: mail scanners
    follow links); a POST, from that button or a mail client's one-click (RFC 8058), turns flash news off."""
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        raise Http404 from None
    from .models import FlashNewsSubscription

    subscription = get_object_or_404(FlashNewsSubscription, token=token)
    done = False
    if request.method == "POST":
        services.flash_unsubscribe(token=token)
        done = True
    return render(request, "news/flash_unsubscribe.html", {"subscription": subscription, "done": done})
