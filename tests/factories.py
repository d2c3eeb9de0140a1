"""Factories for the tests.

SECOND FACTOR: the secretariat and focal points act only with an activated authenticator
(portal/accounts/second_factor.py). `UserFactory(roles=[Role.SECRETARIAT])` (or FOCAL_POINT, or
`is_superuser=True`) therefore creates the user WITH an activated TOTP authenticator whose secret is
`TEST_TOTP_SECRET`; pass `mfa=False` for a privileged user without one. A privileged user made any other
way (`create_superuser`, `groups.add` after creation) needs `with_mfa(user)`. `totp_code()` is the code an
authenticator app shows now: what a login through the form asks after the password.
"""

import base64
import hashlib
import hmac
import struct
import time

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portal.accounts.roles import GROUP_NAMES, Role
from portal.reference.models import Country, Theme

# Where a visitor is sent to log in (the login page's path in each language; `next` follows).
LOGIN_PAGES = ("/fr/comptes/connexion/", "/en/accounts/login/")

# The authenticator-app secret of every test user given a second factor (base32, as apps read it).
TEST_TOTP_SECRET = base64.b32encode(b"portal-test-totp-key").decode()
PRIVILEGED_GROUPS = [GROUP_NAMES[Role.SECRETARIAT], GROUP_NAMES[Role.FOCAL_POINT]]


def totp_code(secret: str = TEST_TOTP_SECRET, *, at: float | None = None) -> str:
    """The six-digit code an authenticator app shows for `secret` (RFC 6238: HMAC-SHA1, 30 s steps),
    computed here independently of allauth, as a phone would. In the last two seconds of a code's
    life it waits for the next one, as a person would, so that the code is still valid when it arrives."""
    if at is None and 30 - time.time() % 30 < 2:
        time.sleep(30 - time.time() % 30 + 0.05)
    counter = int(time.time() if at is None else at) // 30
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 10**6:06d}"


def with_mfa(user, secret: str = TEST_TOTP_SECRET):
    """Give `user` an activated TOTP authenticator with `secret` (as if they had scanned the QR code
    and confirmed a code on their profile), and return the user."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from portal.accounts.second_factor import forget_second_factor

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
    forget_second_factor(user)
    return user


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"Q{chr(65 + n % 26)}")
    name_fr = factory.LazyAttribute(lambda o: f"Pays {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Country {o.code}")
    currency = "XOF"


def network_country(code: str, **fields) -> Country:
    """The country of ISO `code` (seeded by the migrations; made by `CountryFactory` if missing), flagged
    as one of the network's countries, with `fields` (e.g. `focal_point=...`) set."""
    country = CountryFactory(code=code)
    for name, value in {"in_network": True, **fields}.items():
        setattr(country, name, value)
    country.save()
    return country


class ThemeFactory(factory.django.DjangoModelFactory):
    """A library theme; `ThemeFactory(slug="financing")` gets or makes the theme of that slug."""

    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Thème {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Theme {o.slug}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = "Awa"
    last_name = "Diop"
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """`UserFactory(roles=[Role.FOCAL_POINT])` puts the user in those role groups."""
        for role in extracted or []:
            self.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[role])[0])

    @factory.post_generation
    def focal_countries(self, create, extracted, **kwargs):
        for code in extracted or []:
            self.focal_point_countries.add(CountryFactory(code=code))

    @factory.post_generation
    def mfa(self, create, extracted, **kwargs):
        """A secretariat, focal-point or superuser account gets an activated TOTP authenticator
        (`with_mfa`) unless `mfa=False`; `mfa=True` gives one to anyone."""
        if extracted is None:
            extracted = self.is_superuser or self.groups.filter(name__in=PRIVILEGED_GROUPS).exists()
        if create and extracted:
            with_mfa(self)


def user_with_role(role: Role, **kwargs):
    """A user holding exactly `role` (an anonymous user for the visitor role)."""
    from django.contrib.auth.models import AnonymousUser

    if role == Role.VISITOR:
        return AnonymousUser()
    if role == Role.AUTHENTICATED:
        return UserFactory(**kwargs)  # logged in, in no role group
    return UserFactory(roles=[role], **kwargs)


class MutualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inventory.Mutual"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Mutuelle de santé n° {n}")
    country = factory.SubFactory(CountryFactory, code="SN")
    mutual_type = "community"
    registration_state = "approved"

    @factory.post_generation
    def managers(self, create, extracted, **kwargs):
        for user in extracted or []:
            self.managers.add(user)


class ReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inventory.YearlyReturn"

    mutual = factory.SubFactory(MutualFactory)
    year = 2025


# ---------------------------------------------------------------------------------------------------
# The site skeleton every test starts from (tests/conftest.py builds it once per session), and pages.
# ---------------------------------------------------------------------------------------------------

EVENTS_INDEX = {"fr": {"title": "Agenda", "slug": "agenda"}, "en": {"title": "Calendar", "slug": "calendar"}}
NEWSLETTER_INDEX = {"fr": {"title": "La Lettre", "slug": "lettre-d-information"},
                    "en": {"title": "The newsletter", "slug": "newsletter"}}


def site_skeleton():
    """The smallest site the pages need: the French home page (the default site's root, at SITE_URL)
    with its English translation, and under it the index page of each section (library, news, calendar,
    newsletter) in both languages. No content: a test builds what it reads. Returns the French home page;
    idempotent."""
    from django.conf import settings
    from wagtail.models import Locale, Page, Site

    from library.services import library_index_get_or_create
    from portal import site_url
    from portal.core.pages import index_page_get_or_create
    from portal.events.models import EventIndexPage
    from portal.home.models import HomePage
    from portal.news.services import news_index_get_or_create
    from portal.newsletter.models import NewsletterIndexPage

    fr, _ = Locale.objects.get_or_create(language_code="fr")
    en, _ = Locale.objects.get_or_create(language_code="en")
    home = HomePage.objects.filter(locale=fr).first()
    if home is None:
        home = HomePage(title="Accueil", slug="accueil", locale=fr)
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.get(is_default_site=True)
        welcome = site.root_page
        site.root_page, site.site_name = home, settings.WAGTAIL_SITE_NAME
        site.save()
        if welcome.specific_class is Page:
            welcome.delete()  # Wagtail's placeholder "Welcome" page
        site_url.sync_default_site()
    if home.get_translation_or_none(en) is None:
        english = home.copy_for_translation(en)
        english.title, english.slug = "Home", "home"
        english.save_revision().publish()
    for language in ("fr", "en"):
        library_index_get_or_create(language=language)
        news_index_get_or_create(language=language)
        index_page_get_or_create(EventIndexPage, language=language, fields=EVENTS_INDEX)
        index_page_get_or_create(NewsletterIndexPage, language=language, fields=NEWSLETTER_INDEX)
    return home


def _moderation_workflow(root):
    """The moderation workflow as Wagtail's migration makes it (a flush takes it away): one group
    approval task for the secretariat, on the whole tree, under the secretariat's name."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    from portal.accounts.roles import MODERATION_NAME

    if Workflow.objects.exists():
        return
    task = GroupApprovalTask.objects.create(name=MODERATION_NAME)
    task.groups.set(Group.objects.filter(name=GROUP_NAMES[Role.SECRETARIAT]))
    workflow = Workflow.objects.create(name=MODERATION_NAME)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=root)


def site_skeleton_after_flush():
    """`site_skeleton()` for a transactional test (`django_db(transaction=True)`): such a test may start
    from the database the previous one flushed, without Wagtail's root page and default Site (made by
    migrations, not put back by a flush). They are made again as a fresh migrate has them (the root,
    a placeholder page as the default site's root), then the skeleton. Returns the French home page."""
    from wagtail.models import Locale, Page, Site

    from portal import site_url

    root = Page.get_first_root_node()
    if root is None:
        fr, _ = Locale.objects.get_or_create(language_code="fr")
        root = Page.add_root(title="Root", slug="root", locale=fr)
        # The flush's post_migrate gave the role groups their page permissions while there was no root
        # page to hold them: give them again (the secretariat adds pages under the root's tree).
        from portal.accounts.roles import ensure_role_groups

        ensure_role_groups()
        _moderation_workflow(root)
    if not Site.objects.filter(is_default_site=True).exists():
        welcome = root.add_child(instance=Page(title="Welcome", slug="welcome", locale=root.locale))
        hostname, port = site_url.site_address()
        Site.objects.create(hostname=hostname, port=port, root_page=welcome, is_default_site=True)
    return site_skeleton()


# ---------------------------------------------------------------------------------------------------
# The newsletter: issues (a page in both languages under the skeleton's archive) and subscribers.
# ---------------------------------------------------------------------------------------------------


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber (`language` "fr" unless told); gets or makes the one of that `email`."""

    class Meta:
        model = "newsletter.Subscriber"
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"subscriber{n}@example.org")
    language = "fr"


def issue_section(kind: str, *, pages=(), **value) -> dict:
    """A block of `NewsletterIssuePage.sections` (portal/newsletter/blocks.py):
    `issue_section("text", heading="…", text="<p>…</p>")`, `issue_section("resources", pages=[page])`
    (also "articles" and "events": the pages listed, each with its own summary),
    `issue_section("interview", heading=…, person=…, text=…)`, `issue_section("inventory_figures")`."""
    if kind in ("articles", "events", "resources"):
        value = {"heading": "", "intro": "", **value,
                 "items": [{"page": page.pk, "summary": ""} for page in pages]}
    elif kind == "inventory_figures":
        value = {"heading": "", "comment": "", **value}
    elif kind == "interview":
        value = {"page": None, **value}
    return {"type": kind, "value": value}


def newsletter_issue(number: int, *, issue_date=None, fr=None, en=None):
    """Issue No `number`, published under the skeleton's newsletter archive in French, with its English
    translation published too; returns the French issue. `fr` and `en` give each language's fields
    (title, slug, intro, editorial, and `sections`: a list of `issue_section(...)`); by default the title
    "La Lettre n° N" / "Newsletter No N" and, as sections, the inventory figures alone. `issue_date`:
    today unless given."""
    import json

    from wagtail.models import Locale

    from portal.newsletter.models import NewsletterIndexPage, NewsletterIssuePage

    defaults = {
        "fr": {"title": f"La Lettre n° {number}", "slug": f"lettre-{number}"},
        "en": {"title": f"Newsletter No {number}", "slug": f"newsletter-{number}"},
    }

    def fill(page, language, fields):
        values = {**defaults[language], "sections": [issue_section("inventory_figures")], **(fields or {})}
        for name, value in values.items():
            setattr(page, name, json.dumps(value) if name == "sections" else value)

    archive = NewsletterIndexPage.objects.get(locale__language_code="fr")
    issue = NewsletterIssuePage(locale=archive.locale, number=number)
    if issue_date is not None:
        issue.issue_date = issue_date
    fill(issue, "fr", fr)
    archive.add_child(instance=issue)
    issue.save_revision().publish()
    english = issue.copy_for_translation(Locale.objects.get(language_code="en")).specific
    fill(english, "en", en)
    english.save_revision().publish()
    issue.refresh_from_db()
    return issue
