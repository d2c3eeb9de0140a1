from django import template

from .. import antispam, composing

register = template.Library()


@register.simple_tag
def newsletter_started():
    """The signed time the subscription form was shown (see antispam.py)."""
    return antispam.started_token()



@register.filter
def public_target(page):
    """The page in the reader's language when anyone may read it, else None (see composing.py)."""
    return composing.public_target(page)
