"""People and logged-in phone pages for the browser journeys."""

PASSWORD = "a-long-test-password"  # UserFactory's
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def person(email, role, **kwargs):
    """A user in `role` whose e-mail address is confirmed, so they can log in."""
    from allauth.account.models import EmailAddress

    from tests.factories import UserFactory

    user = UserFactory(email=email, username=email.split("@")[0], roles=[role], **kwargs)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def logged_in_page(browser, live_server, email, *, javascript=True, viewport=PHONE,
                   start="/fr/comptes/connexion/"):
    """A French 360 px page (or `viewport`) in a fresh browser context, logged in through the login
    form (with JavaScript turned off when `javascript` is false). `start` is the address first opened,
    which shows the login form (the login page itself, or a page that sends there, as /admin/ does).

    When the login asks for a second factor (the secretariat and focal points: UserFactory gives them
    a TOTP authenticator), the code of the tests' authenticator app (`totp_code()`) is typed in."""
    context = browser.new_context(locale="fr-FR", viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server.url}{start}")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    answer_second_factor(page)
    return page


def admin_page(browser, live_server, email):
    """A French desktop page of the Wagtail admin's dashboard, `email` logged in (second factor
    answered)."""
    page = logged_in_page(browser, live_server, email, viewport=DESKTOP, start="/admin/")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def answer_second_factor(page):
    """Type the tests' authenticator code when the login asks for it (after the password)."""
    from tests.factories import totp_code

    if "/2fa/authenticate/" in page.url or "/double-authentification/verifier/" in page.url:
        page.locator("input[name=code]").fill(totp_code())
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def open_menu(page):
    """On a phone the site's menus wait behind the header's "Menu" button (a popover): open it. Nothing
    to do on a wider screen, where the menus are always shown."""
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and not page.locator("#site-menu").is_visible():
        toggle.click()


def validated_figures():
    """Validated 2024 returns of three mutuals in Senegal and three in Mali, big enough to fill the key
    figures' cards (Senegal: 1 062 218 beneficiaries, the figure that overflowed its card before)."""
    from decimal import Decimal

    from inventory.contract.choices import ReturnState
    from portal.reference.models import Country
    from tests.factories import MutualFactory, ReturnFactory

    for code, members, beneficiaries in (("SN", 301_452, 1_062_218), ("ML", 98_765, 432_100)):
        country = Country.objects.get(code=code)
        for n in range(3):
            mutual = MutualFactory(name=f"Mutuelle {code} {n}", country=country)
            share = beneficiaries // 3 + (n == 0) * (beneficiaries % 3)
            ReturnFactory(mutual=mutual, year=2024, state=ReturnState.VALIDATED, status="functional",
                          members=members // 3, beneficiaries=share, target_population=beneficiaries * 3,
                          contributions_due=Decimal("9000000"), contributions_collected=Decimal("7200000"),
                          currency="XOF")
