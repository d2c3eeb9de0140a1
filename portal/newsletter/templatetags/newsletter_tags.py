from django import template

from .. import antispam

register = template.Library()


@register.simple_tag
def newsletter_started():
    """The signed time the subscription form was shown (see antispam.py)."""
    return antispam.started_token()
