"""Words as French (and English) typography wants them: ordinals with their raised suffix, and the
elision of "de" before a name opening with a vowel (`portal.i18n`)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from portal.i18n import elide, french_colon, ordinal

register = template.Library()


@register.filter(name="elide", is_safe=True)
def elide_filter(text):
    """`{% blocktranslate asvar title %}… of {{ name }}{% endblocktranslate %}{{ title|elide }}`."""
    result = elide(str(text))
    return mark_safe(result) if isinstance(text, SafeString) else result  # only "de" changed


@register.filter(name="ordinal")
def ordinal_filter(number, gender=""):
    """`{{ 4|ordinal:"f" }}` -> 4<sup>e</sup> (French), 4<sup>th</sup> (English); `f`: a feminine
    noun follows (1<sup>re</sup> édition)."""
    if number in (None, ""):
        return ""
    figure, suffix = ordinal(int(number), feminine=gender == "f")
    return format_html("{}<sup>{}</sup>", figure, suffix)


@register.simple_tag
def colon():
    """The colon after a label written in a template (`{{ label }}{% colon %} {{ value }}`): with the
    no-break space French puts before it, alone in English."""
    return french_colon()
