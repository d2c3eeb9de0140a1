"""Builds the demo site from `content` (the data files): locales, countries, themes, the bilingual page tree.

Idempotent: a record or page that exists already is left as it is, so editors' changes survive a
second `make run`. Later apps add their own steps to `STEPS`.
"""

import json
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from portal import site_url
from portal.reference.models import Country, Theme
from portal.reference.themes import add_missing_themes

from . import content

ADMIN_EMAIL = "admin@example.org"


CONTACT_FIELDS = {
    "fr": [
        ("Votre nom", "singleline", True),
        ("Votre adresse e-mail", "email", True),
        ("Votre organisation", "singleline", False),
        ("Objet", "singleline", True),
        ("Votre message", "multiline", True),
    ],
    "en": [
        ("Your name", "singleline", True),
        ("Your e-mail address", "email", True),
        ("Your organization", "singleline", False),
        ("Subject", "singleline", True),
        ("Your message", "multiline", True),
    ],
}


@dataclass
class Report:
    lines: list = field(default_factory=list)
    admin_email: str = ""
    admin_password: str = ""
    # Demo accounts created in this run, with their password (the admin's when created with it).
    people: list = field(default_factory=list)
    # The second factor of the privileged demo accounts created in this run:
    # e-mail -> (TOTP secret, recovery codes), for any authenticator app or `oathtool --totp -b`.
    second_factors: dict = field(default_factory=dict)

    def add(self, line):
        self.lines.append(line)


def _stream(blocks):
    """Raw StreamField JSON from the `{block_type: value}` blocks of the data files."""
    return json.dumps([{"type": kind, "value": value} for block in blocks for kind, value in block.items()])


def _locales():
    fr, _ = Locale.objects.get_or_create(language_code="fr")
    en, _ = Locale.objects.get_or_create(language_code="en")
    return fr, en


def _portuguese():
    """The Portuguese locale: the demo translates the home page, the network's presentation and the
    library's index into it; the other pages stay French for Portuguese readers (the fallback)."""
    pt, _ = Locale.objects.get_or_create(language_code="pt")
    return pt


def load_countries(report):
    """The demo's countries: every ISO country is seeded by the migrations, so the demo mostly gives
    the network's countries their focal point (only where none is set: an edited one is kept)."""
    created = 0
    for row in content.COUNTRIES:
        country, was_created = Country.objects.get_or_create(
            code=row["code"],
            defaults={
                "name_fr": row["name_fr"], "name_en": row["name_en"],
                "currency": row["currency"], "focal_point": row["focal_point"],
            },
        )
        if not country.focal_point:
            country.focal_point = row["focal_point"]
            country.save(update_fields=["focal_point"])
        created += was_created
    report.add(f"Countries: {created} created, {Country.objects.count()} in all.")


def load_themes(report):
    """The network's themes, which the demo's content names by slug: seeded by the migrations into an
    empty table; the missing ones are put back here (on an upgraded database, or one the secretariat
    deleted)."""
    created = add_missing_themes(Theme)
    report.add(f"Themes: {created} created, {Theme.objects.count()} in all.")


def _fill(page, data, **extra):
    page.title = data["title"]
    page.slug = data["slug"]
    if "intro" in data:
        page.intro = data["intro"]
    if "body" in data:
        page.body = _stream(data["body"])
    for name, value in extra.items():
        setattr(page, name, value)


def _translate(page, locale, data, **extra):
    """The page's translation into `locale`, created from `data` and published when missing."""
    translation = page.get_translation_or_none(locale)
    if translation is not None:
        return translation.specific, False
    translation = page.copy_for_translation(locale)
    _fill(translation, data, **extra)
    translation.save_revision().publish()
    return translation, True


def _child(parent, model, data, **extra):
    """The child of `parent` with the slug in `data`, created and published when missing."""
    existing = parent.get_children().filter(slug=data["slug"]).first()
    if existing is not None:
        return existing.specific, False
    page = model(locale=parent.locale)
    _fill(page, data, **extra)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def _load_home(report, fr, en):
    from portal.home.models import HomePage

    home = HomePage.objects.filter(locale=fr).first()
    if home is None:
        # The tree root comes from Wagtail's migrations; a flushed test database has none.
        root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root", locale=fr)
        home, _ = _child(root, HomePage, {**content.HOME["fr"], "slug": "accueil"})
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site is None:
            hostname, port = site_url.site_address()
            site = Site(hostname=hostname, port=port, is_default_site=True)
        site.root_page = home
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save()
        if old_root is not None and old_root.specific_class is Page:
            old_root.delete()  # Wagtail's placeholder "Welcome" page
        report.add("Home page created.")
    site_url.sync_default_site()  # an existing default site takes SITE_URL's address too
    _translate(home, en, {**content.HOME["en"], "slug": "home"})
    _translate(home, _portuguese(), {**content.HOME["pt"], "slug": "inicio"})
    return home


def _load_contact(report, home, en):
    from portal.core.models import ContactFormField, ContactPage

    data_fr, data_en = content.CONTACT["fr"], content.CONTACT["en"]
    contact, created = _child(
        home, ContactPage, {"slug": data_fr["slug"], "title": data_fr["title"]},
        intro=data_fr["intro"], thank_you_text=data_fr["thank_you"],
        address=data_fr.get("address", ""), to_address="secretariat@example.org",
        subject="Message reçu par le site",
        show_in_menus=True,
    )
    if created:
        for order, (label, field_type, required) in enumerate(CONTACT_FIELDS["fr"]):
            ContactFormField.objects.create(
                page=contact, sort_order=order, label=label, field_type=field_type,
                required=required,
            )
        contact.save_revision().publish()
        report.add("Contact page created.")
    contact_en, created = _translate(
        contact, en, {"slug": data_en["slug"], "title": data_en["title"]},
        intro=data_en["intro"], thank_you_text=data_en["thank_you"],
        address=data_en.get("address", ""), subject="Message received through the site",
    )
    if created:
        labels = [label for label, _, _ in CONTACT_FIELDS["en"]]
        for form_field, label in zip(contact_en.form_fields.order_by("sort_order"), labels, strict=True):
            form_field.label = label
            form_field.clean_name = ""  # recomputed from the English label on save
            form_field.save()
        contact_en.save_revision().publish()
    return contact


def load_pages(report):
    from portal.core.models import SiteLinks, StandardPage

    fr, en = _locales()
    home = _load_home(report, fr, en)
    pages = {}

    def build(parent, entries):
        for entry in entries:
            page, created = _child(
                parent, StandardPage, entry["fr"], show_in_menus=entry.get("show_in_menus", False)
            )
            _translate(page, en, entry["en"])
            if "pt" in entry:
                _translate(page, _portuguese(), entry["pt"])
            pages[entry["key"]] = page
            if created:
                report.add(f"Page created: {page.title}")
            build(page, entry.get("children", []))

    build(home, content.PAGES)
    contact = _load_contact(report, home, en)

    links = SiteLinks.for_site(Site.objects.get(is_default_site=True))
    links.network_page = links.network_page or pages.get("network")
    links.contact_page = links.contact_page or contact
    links.legal_page = links.legal_page or pages.get("legal")
    links.privacy_page = links.privacy_page or pages.get("privacy")
    links.save()


def _second_factor(report, user):
    """An activated authenticator app (TOTP, a fresh secret) and recovery codes for a privileged demo
    account, which the secretariat and focal points need (portal/accounts/second_factor.py)."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    report.second_factors[user.email] = (secret, RecoveryCodes.activate(user).generate_codes())


def load_admin(report, password=None):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from portal.accounts.roles import GROUP_NAMES, Role

    User = get_user_model()
    if User.objects.filter(email=ADMIN_EMAIL).exists():
        report.add(f"Admin account {ADMIN_EMAIL} exists already (password unchanged).")
        return
    password = password or secrets.token_urlsafe(12)
    user = User.objects.create_superuser(
        username="admin", email=ADMIN_EMAIL, password=password,
        first_name="Admin", last_name="Secrétariat",
    )
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.SECRETARIAT]))
    EmailAddress.objects.create(user=user, email=ADMIN_EMAIL, verified=True, primary=True)
    _second_factor(report, user)
    report.admin_email, report.admin_password = ADMIN_EMAIL, password


def load_inventory(report):
    """The demo inventory, through the same import as a real file (once: its import is idempotent
    anyway, but a second pass would only cost time)."""
    from inventory.contract.imports import import_returns
    from inventory.models import Mutual
    from portal.demo.inventory import LABEL, demo_csv, demo_rows

    if Mutual.objects.filter(name__endswith=LABEL).exists():
        return
    result = import_returns(demo_csv(demo_rows()), "demo-inventory.csv")
    report.add(
        f"Demo inventory: {result.mutuals_created} mutuals, {result.returns_created} yearly returns "
        f"(every name ends with '{LABEL.strip()}')."
    )


def load_studies(report):
    from portal.demo import studies

    studies.load(report)


# One account per reporting role, to try the yearly return's round trip (e-mails of example.org).
DEMO_PEOPLE = [
    ("gerant.demo@example.org", "Gérant", "Démo", "mutual_manager", "Mutuelle de santé (démo)"),
    ("appui.demo@example.org", "Chargée d'appui", "Démo", "supporting_organization", "ONG d'appui (démo)"),
    ("point-focal.demo@example.org", "Point focal", "Sénégal", "focal_point", "Point focal Sénégal (démo)"),
]
DEMO_CAMPAIGN_YEAR = 2025


def load_people(report):
    """Demo accounts for the inventory's roles, the mutuals they report for or validate, and an open
    campaign for the demo inventory's latest year. Skipped for accounts that exist already."""
    import datetime

    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from inventory.models import Campaign, Mutual, SupportingOrganization
    from portal.accounts.roles import GROUP_NAMES, Role
    from portal.demo.inventory import LABEL
    from portal.reference.models import Country

    User = get_user_model()
    senegal = Country.objects.filter(code="SN").first()
    mutuals = Mutual.objects.filter(country=senegal, name__endswith=LABEL).order_by("mutual_id")
    if senegal is None or not mutuals.exists():
        return
    Campaign.objects.get_or_create(
        year=DEMO_CAMPAIGN_YEAR,
        defaults={"deadline": datetime.date.today() + datetime.timedelta(days=40),
                  "message": "Campagne de démonstration : aucun e-mail n'est envoyé tant que "
                             "la commande send_reminders n'est pas lancée."},
    )
    for email, first, last, role, organization in DEMO_PEOPLE:
        if User.objects.filter(email=email).exists():
            continue
        password = report.admin_password or secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=email.split("@")[0], email=email, password=password,
            first_name=first, last_name=last, organization=organization, country=senegal,
        )
        user.groups.add(Group.objects.get(name=GROUP_NAMES[Role(role)]))
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if role == "mutual_manager":
            # A mutual named in the seeds, and one still missing its return for the campaign year.
            named = mutuals.filter(name__startswith="Bokk Faj").first()
            missing = mutuals.exclude(returns__year=DEMO_CAMPAIGN_YEAR).first()
            for mutual in {m for m in (named, missing) if m}:
                mutual.managers.add(user)
        elif role == "supporting_organization":
            ngo, _created = SupportingOrganization.objects.get_or_create(name=organization)
            ngo.countries.add(senegal)
            ngo.staff.add(user)
            for mutual in mutuals.filter(region="Kolda")[:5]:
                mutual.supporting_organizations.add(ngo)
        else:
            user.focal_point_countries.add(senegal)
            _second_factor(report, user)
        report.people.append((email, password, role))


def load_library(report):
    from . import library

    library.load(report)


def load_project_links(report):
    """The demo project profiles' supported mutuals (after the demo inventory: they name its mutuals)."""
    from . import library

    library.link_supported_mutuals(report)


def load_news(report):
    from . import news

    news.load(report)


def load_events(report):
    from . import events

    events.load(report)


def load_newsletter(report):
    from . import newsletter

    newsletter.load(report)


def load_directory(report):
    from . import directory

    directory.load(report)


def load_moderation(report):
    """Members' contributions wait in Wagtail's default moderation workflow, which a data migration
    makes; a database flushed since (the browser tests') has none: put it back as the migration made
    it, with the secretariat's name (`roles.MODERATION_NAME`). The role groups' page rights hang on the
    tree's root, which a flush's post-migrate step could not find: give them again now that the page
    tree exists. Both are no-ops on a migrated database."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    from portal.accounts.roles import GROUP_NAMES, MODERATION_NAME, Role, ensure_role_groups

    ensure_role_groups()
    if Workflow.objects.filter(active=True).exists():
        return
    task = GroupApprovalTask.objects.create(name=MODERATION_NAME)
    task.groups.set([Group.objects.get(name=GROUP_NAMES[Role.SECRETARIAT])])
    workflow = Workflow.objects.create(name=MODERATION_NAME)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=Page.get_first_root_node())
    report.add("Moderation workflow created (the secretariat approves).")


STEPS = [load_countries, load_themes, load_pages, load_library, load_directory, load_events,
         load_news, load_newsletter, load_moderation]


@transaction.atomic
def load_demo(admin_password=None, *, with_inventory=True) -> Report:
    """Run every demo step, then make sure the admin account exists."""
    report = Report()
    for step in STEPS:
        step(report)
    if with_inventory:
        load_inventory(report)
        load_project_links(report)
    load_admin(report, admin_password)
    if with_inventory:
        load_people(report)
        load_studies(report)  # last: its release freezes the inventory's version as loaded
    return report
