"""Small language helpers shared by every app (no models, no pages)."""

from django.urls import translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language


def is_english() -> bool:
    """True when the active language is English; French is the default for anything else."""
    return (get_language() or "fr").startswith("en")


class BilingualNameMixin:
    """For records that carry `name_fr` and `name_en`: `name` follows the active language."""

    @property
    def name(self) -> str:
        return self.name_en if is_english() else self.name_fr


def language_home(code: str) -> str:
    return f"/{code}/"


def local_path_in(path: str, code: str) -> str:
    """The same view as `path` in language `code`, always a path on this site: the language's home page
    when `path` would leave the site (`//evil.example/x/`, `/\\evil.example`, `https:/…`; the
    request's path is the visitor's to choose) or does not exist in that language."""
    translated = translate_url(path, code)
    if translated == path and not path.startswith(language_home(code)):
        return language_home(code)  # nothing to translate: an unknown URL, e.g. a 404
    is_local = (
        translated.startswith("/") and not translated.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(translated, allowed_hosts=None)
    )
    return translated if is_local else language_home(code)
