from wagtail.test.utils import WagtailPageTestCase

from portal.home.models import HomePage
from portal.newsletter.models import NewsletterIndexPage, NewsletterIssuePage


class TestNewsletterPageTree(WagtailPageTestCase):
    def test_the_archive_sits_under_home_and_holds_the_issues(self):
        self.assertAllowedParentPageTypes(NewsletterIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(NewsletterIndexPage, {NewsletterIssuePage})
        self.assertAllowedParentPageTypes(NewsletterIssuePage, {NewsletterIndexPage})
        self.assertAllowedSubpageTypes(NewsletterIssuePage, set())
