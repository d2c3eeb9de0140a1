"""Reference data that every app shares: countries, languages, currencies and themes.

The bottom layer of the portal's domains (see docs/architecture): it imports no domain app, and the
domains (inventory, library, news, events…) and the accounts point at its models.
"""
