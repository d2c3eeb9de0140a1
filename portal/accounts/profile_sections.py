"""Parts other apps add to the profile page (flash news preferences, …), saved with the profile.

An app registers, in its AppConfig.ready(), a class built as `Section(user, data=None)` with
`legend`, `form` (a Django form with a prefix), `is_valid()` and `save()`; the profile page shows each
in its own fieldset of the one form, and saves nothing unless every part is valid.
"""

SECTIONS: dict[str, type] = {}


def register(name: str, section: type) -> None:
    SECTIONS[name] = section


def sections_for(user, data=None) -> list:
    return [section(user, data=data) for section in SECTIONS.values()]
