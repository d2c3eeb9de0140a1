"""Where each page type may be created in the tree."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from portal.core.models import ContactPage, StandardPage
from portal.home.models import HomePage


class TestPageTree(WagtailPageTestCase):
    def test_home_page_takes_content_and_contact_pages(self):
        self.assertAllowedSubpageTypes(HomePage, {StandardPage, ContactPage})

    def test_content_pages_nest_but_contact_pages_are_leaves(self):
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage, ContactPage})
        self.assertAllowedSubpageTypes(ContactPage, set())

    def test_home_page_only_under_the_tree_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

