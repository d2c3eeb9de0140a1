"""Small language helpers shared by every app (no models, no pages)."""

from django.utils.translation import get_language


def is_english() -> bool:
    """True when the active language is English; French is the default for anything else."""
    return (get_language() or "fr").startswith("en")


class BilingualNameMixin:
    """For records that carry `name_fr` and `name_en`: `name` follows the active language."""

    @property
    def name(self) -> str:
        return self.name_en if is_english() else self.name_fr
