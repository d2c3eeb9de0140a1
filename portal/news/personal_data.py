"""The news' part of a person's data (see `portal.accounts.personal_data`): their flash news settings
and receipts; deleting their account signs their articles "former member"."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Revision

from portal.accounts.personal_data import Holder, register

from .models import ArticlePage, FlashNewsReceipt, FlashNewsSubscription


def _flash_news(user):
    subscription = FlashNewsSubscription.objects.filter(user=user).first()
    if subscription is None:
        return []
    return [{
        "frequency": subscription.get_frequency_display(),
        "countries": [c.code for c in subscription.countries.all()],
        "themes": [t.name for t in subscription.themes.all()],
        "since": subscription.since,
        "received": FlashNewsReceipt.objects.filter(user=user).count(),
    }]


def _sign_former_member(user):
    """The author's articles (in every language) stay, signed "former member"; their revisions too,
    so that an editor reverting to an older version does not bring a deleted account back."""
    articles = list(ArticlePage.objects.filter(author=user).values_list("pk", flat=True))
    if not articles:
        return
    ArticlePage.objects.filter(pk__in=articles).update(author=None, by_former_member=True)
    for revision in Revision.page_revisions.filter(object_id__in=[str(pk) for pk in articles]):
        if revision.content.get("author") == user.pk:
            revision.content["author"] = None
            revision.content["by_former_member"] = True
            revision.save(update_fields=["content"])


def register_holders():
    register(Holder(
        "flash_news", _("Flash news by e-mail"),
        columns={"frequency": _("Frequency"), "countries": _("Countries"), "themes": _("Themes"),
                 "since": _("Since"), "received": _("Flash news received")},
        collect=_flash_news, erase=_sign_former_member,
    ))
