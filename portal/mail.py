"""E-mails the portal writes to people: in each recipient's language, from templates, with absolute
links. Sending goes through Django's e-mail backends (EMAIL_URL)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from portal.site_url import public_url, site_url

EMAIL_LANGUAGES = ("fr", "en", "pt")


def user_language(user) -> str:
    """The first of the person's languages if the portal writes in it, else French."""
    languages = getattr(user, "languages", None)
    languages = languages if isinstance(languages, list) else []
    first = str(languages[0]).lower() if languages else ""
    return first if first in EMAIL_LANGUAGES else "fr"


def absolute_url(name: str, *args, language: str | None = None) -> str:
    """The public address (SITE_URL) of a named URL, in `language` (default: the active one);
    "" when the URL does not exist."""
    try:
        with translation.override(language or translation.get_language()):
            path = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return public_url(path)


def templated_email(template: str, *, to: list[str], language: str, context) -> EmailMessage:
    """The message of `<template>_subject.txt` and `<template>_body.txt`, rendered in `language`.

    `context` is a callable, called with that language active, so that the URLs, dates and names
    it builds come in the recipient's language too.
    """
    with translation.override(language):
        data = {**context(), "site_url": site_url()}
        subject = " ".join(render_to_string(f"{template}_subject.txt", data).split())
        body = render_to_string(f"{template}_body.txt", data)
    return EmailMessage(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, to=to,
        headers={"Content-Language": language},
    )


def send_to_each(template: str, users, context) -> int:
    """One message per person with an e-mail address, each in their language; returns how many."""
    sent = 0
    for user in users:
        if user.email:
            language = user_language(user)
            templated_email(template, to=[user.email], language=language,
                            context=lambda user=user: context(user)).send()
            sent += 1
    return sent
