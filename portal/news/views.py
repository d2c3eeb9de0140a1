"""The members' side of the news: sending an article from the site, "my articles", author pages, the
flash news unsubscribe link."""

import uuid

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from portal.accounts.permissions import permission_required
from portal.core import antispam, throttle

from . import selectors, services, uploads
from .forms import ArticleForm
from .models import ArticlePage

SUBMISSIONS_PER_DAY = 5  # enough for a member, not for a script
DAY = 24 * 3600
KEPT_UPLOADS = "news_kept_uploads"  # session key: token → [field, stored path] of a file accepted earlier
KEPT_FIELDS = ("image", "attachment")
# Refused posts whose files are kept, per member and day: a member correcting a form never needs as
# many; beyond it, files are no longer kept (the member chooses them again, as on any site), so that
# nobody fills the disk by sending refused forms from ever new sessions.
KEPTS_PER_DAY = 20


def _kept_entries(request) -> dict[str, tuple[str, str]]:
    """This session's kept files, token → (field, stored path); anything else in the session ignored."""
    stored = request.session.get(KEPT_UPLOADS)
    entries = {}
    for token, entry in (stored.items() if isinstance(stored, dict) else ()):
        if (isinstance(entry, list | tuple) and len(entry) == 2 and entry[0] in KEPT_FIELDS
                and uploads.is_kept_path(entry[1])):
            entries[token] = (entry[0], entry[1])
    return entries


def _kept_path(request, field, token) -> str:
    """The stored path of the file kept for `field` under `token` in this session, or "" for a token
    of another session or of the other field, or a file deleted meanwhile."""
    entry = _kept_entries(request).get(token) if isinstance(token, str) else None
    if entry is None or entry[0] != field or not default_storage.exists(entry[1]):
        return ""
    return entry[1]


def _may_keep(user) -> bool:
    """Counts one refused post whose files would be kept; False past KEPTS_PER_DAY."""
    return throttle.allow("news-kept-uploads", user.pk, (KEPTS_PER_DAY, DAY))


def _keep_uploads(request, form):
    """Files accepted in a form refused for another field are stored (the browser cannot re-send them)
    and their token put in the form, so that the next try needs no new upload. One file per field and
    session: a new one replaces (deletes) the one kept before. Nothing is stored for a post that failed
    the anti-bot checks, nor past KEPTS_PER_DAY; the member then chooses the file again."""
    kept = _kept_entries(request)
    data = form.data.copy()
    new = {}
    for field in KEPT_FIELDS:
        upload = form.cleaned_data.get(field) if field not in form.errors else None
        if upload:
            new[field] = upload
            data[f"{field}_kept"] = ""
        elif not _kept_path(request, field, data.get(f"{field}_kept")):
            data[f"{field}_kept"] = ""  # unknown, another field's, or deleted: chosen again
    for token, (field, path) in list(kept.items()):
        if field in new:  # replaced, whether or not the new file is kept
            uploads.delete_kept(path)
            del kept[token]
    if new and not form.bot_suspected and _may_keep(request.user):
        uploads.delete_old_kept()
        for field, upload in new.items():
            token, path = uploads.keep(upload)
            kept[token] = (field, path)
            data[f"{field}_kept"] = token
    request.session[KEPT_UPLOADS] = {token: list(entry) for token, entry in kept.items()}
    form.data = data


def _kept_file(request, field, token):
    """The file kept for `field` under `token` in this session (None for any other token)."""
    path = _kept_path(request, field, token)
    if not path:
        return None
    handle = default_storage.open(path)
    handle.name = path.rsplit("/", 1)[-1]
    return handle


def kept_name(request, field, token) -> str:
    path = _kept_path(request, field, token)
    return path.rsplit("/", 1)[-1] if path else ""


def _discard_kept_uploads(request):
    """After the article is saved: this session's kept files are deleted (once the transaction commits)."""
    paths = [path for _field, path in _kept_entries(request).values()]
    request.session.pop(KEPT_UPLOADS, None)
    if paths:
        transaction.on_commit(lambda: [uploads.delete_kept(path) for path in paths])


def _form_page(request, form, article=None, status=200):
    return render(request, "news/article_form.html", {
        "form": form, "article": article,
        "image_kept_name": kept_name(request, "image", form["image_kept"].value()),
        "attachment_kept_name": kept_name(request, "attachment", form["attachment_kept"].value()),
    }, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("submit_article")
def article_submit(request, pk=None):
    """A new article (or, with `pk`, the author's article back for changes), sent for moderation."""
    article = latest = None
    current_countries = []
    if pk is not None:
        article = get_object_or_404(ArticlePage, pk=pk, contributor=request.user)
        if not services.article_is_editable(article):
            messages.error(request, _("This article is being reviewed or is published: it cannot be changed "
                                      "from here."))
            return redirect("news:mine")
        latest = article.get_latest_revision_as_object()
        current_countries = [country.code for country in latest.countries.all()]
    if request.method == "GET":
        initial = {}
        if latest is not None:
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
        return _form_page(request, ArticleForm(initial=initial, current_countries=current_countries), article)

    form = ArticleForm(request.POST, request.FILES, current_countries=current_countries,
                       browser=antispam.looks_like_a_browser(request))
    if throttle.reached("news-submissions", request.user.pk, (SUBMISSIONS_PER_DAY, DAY)):
        form.is_valid()
        form.add_error(None, _("You have sent %(n)s articles in the last 24 hours: please wait before "
                               "sending another.") % {"n": SUBMISSIONS_PER_DAY})
        return _form_page(request, form, article, status=429)
    if not form.is_valid():
        _keep_uploads(request, form)
        form.keep_stamp()
        return _form_page(request, form, article, status=400)
    data = form.cleaned_data
    image = data.get("image") or _kept_file(request, "image", data.get("image_kept"))
    attachment = data.get("attachment") or _kept_file(request, "attachment", data.get("attachment_kept"))
    try:
        services.article_submit(author=request.user, data=data, image=image, attachment=attachment,
                                article=article)
    finally:
        for handle in (image, attachment):
            if handle is not None:
                handle.close()
    throttle.allow("news-submissions", request.user.pk, (SUBMISSIONS_PER_DAY, DAY))  # one more sent
    _discard_kept_uploads(request)
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
