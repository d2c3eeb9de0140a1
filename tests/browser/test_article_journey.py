"""A member submits an article, a moderator publishes it in the Wagtail admin, it appears in the feed.

The member (on a 360 px phone) first sends the form with the title missing: the error names the field
and the text and the image already chosen are kept; then sends it. The secretariat approves it from
"Awaiting your review" in the Wagtail admin; the article is then live, in the RSS feed (fetched and
parsed) and on its author's page, and the member has the "published" e-mail. Screenshots go to
$SCREENSHOT_DIR when set, else a temporary folder.
"""

from xml.etree import ElementTree

import pytest

from tests.browser.helpers import admin_page, logged_in_page, no_sideways_scroll, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "La mutuelle de Fandène fête ses dix ans"


def french(name, *args):
    from django.urls import reverse
    from django.utils import translation

    with translation.override("fr"):
        return reverse(name, args=args)


def feed_titles(page, url):
    response = page.request.get(url)
    assert response.ok, response.status
    items = ElementTree.fromstring(response.body()).findall("channel/item")
    return [item.findtext("title") for item in items]


def test_a_member_submits_an_article_and_a_moderator_publishes_it(browser, live_server, demo_site, shots,
                                                                  tmp_path):
    from django.core import mail

    from portal.accounts.roles import Role
    from portal.news.models import ArticlePage
    from tests.news.helpers import png_bytes

    member = person("membre@example.org", Role.MEMBER, first_name="Khady", last_name="Faye",
                    organization="Union des mutuelles de Thiès")
    person("secretariat@example.org", Role.SECRETARIAT)
    image = tmp_path / "anniversaire.png"
    image.write_bytes(png_bytes((64, 40)))

    page = logged_in_page(browser, live_server, "membre@example.org")
    page.goto(live_server.url + french("news:submit"))
    page.locator("#id_summary").fill("Dix ans après sa création, la mutuelle compte 1 200 adhérents.")
    page.locator("#id_body").fill("La mutuelle a été créée en 2016 par les femmes du village.\n\n"
                                  "Elle couvre aujourd'hui les soins primaires et les accouchements.")
    page.locator("#id_language").select_option("fr")
    page.locator("details.facet", has=page.locator("input[name=countries]")).locator("summary").click()
    page.locator("input[name=countries][value=SN]").check()
    page.locator("#id_image").set_input_files(str(image))
    page.wait_for_timeout(3100)  # the form refuses what is sent within 3 s of showing it (bots)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    # The title is missing: named in the summary; what was typed, and the image, are kept.
    assert page.locator(".error-summary a[href='#id_title']").is_visible()
    assert "1 200 adhérents" in page.locator("#id_summary").input_value()
    assert "anniversaire.png" in page.locator("main").inner_text()
    assert no_sideways_scroll(page)
    page.screenshot(path=shots / "article-form-error-360.png", full_page=True)

    page.locator("#id_title").fill(TITLE)
    page.wait_for_timeout(3100)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(french("news:mine"))
    assert TITLE in page.locator("table").inner_text()
    page.screenshot(path=shots / "my-articles-360.png", full_page=True)
    article = ArticlePage.objects.get(title=TITLE)
    assert not article.live
    assert any(m.to == [member.email] and TITLE in m.subject for m in mail.outbox)  # "received"
    feed_url = live_server.url + french("news:feed_rss")
    assert TITLE not in feed_titles(page, feed_url)

    # The secretariat approves it in the Wagtail admin.
    admin = admin_page(browser, live_server, "secretariat@example.org")
    waiting = admin.locator("#awaiting-review-section tr", has_text=TITLE)
    waiting.wait_for(state="visible")
    admin.screenshot(path=shots / "admin-article-awaiting-review.png", full_page=True)
    waiting.locator("[data-controller=w-dropdown] button").first.click()
    approve = waiting.locator("button[data-workflow-action-url*='/approve/']:not([data-launch-modal])")
    with admin.expect_navigation():
        approve.click()
    article.refresh_from_db()
    assert article.live

    # In the feed (and the per-country feed), on the news page and the author's page; the member told.
    assert TITLE in feed_titles(page, feed_url)
    assert TITLE in feed_titles(page, feed_url + "?country=SN")
    assert TITLE not in feed_titles(page, feed_url + "?country=ML")
    visitor = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}).new_page()
    visitor.goto(live_server.url + article.url)
    assert visitor.get_by_role("heading", name=TITLE).is_visible()
    assert visitor.locator(".news-image img").is_visible()
    assert no_sideways_scroll(visitor)
    visitor.screenshot(path=shots / "article-published-360.png", full_page=True)
    visitor.locator("a", has_text="Khady Faye").click()
    visitor.wait_for_load_state()
    assert "Union des mutuelles de Thiès" in visitor.locator("main").inner_text()
    assert "membre@example.org" not in visitor.content()
    visitor.screenshot(path=shots / "author-page-360.png", full_page=True)
    visitor.goto(live_server.url + article.get_parent().url)
    assert visitor.locator(".news-item", has_text=TITLE).is_visible()
    visitor.screenshot(path=shots / "news-index-360.png", full_page=True)
    published = [m for m in mail.outbox if m.to == [member.email] and article.url in m.body]
    assert len(published) == 1
    page.reload()
    assert page.locator("table a", has_text=TITLE).is_visible()  # "my articles": published, linked

    # The member asks for flash news about Senegal, once a week, on their profile.
    page.goto(live_server.url + french("accounts:profile"))
    page.locator("input[name=flash-frequency][value=weekly]").check()
    page.locator("input[name=flash-countries][value=SN]").check()
    assert no_sideways_scroll(page)
    page.screenshot(path=shots / "profile-flash-news-360.png", full_page=True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    subscription = member.flash_news_subscription
    assert subscription.frequency == "weekly" and [c.code for c in subscription.countries.all()] == ["SN"]
    for context_page in (page, admin, visitor):
        context_page.context.close()
