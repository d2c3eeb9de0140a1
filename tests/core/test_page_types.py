"""Where each page type may be created in the tree."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from library.models import LibraryIndexPage, ProjectProfilePage, ResourcePage
from portal.core.models import ContactPage, StandardPage
from portal.events.models import EventIndexPage
from portal.home.models import HomePage
from portal.news.models import NewsIndexPage
from portal.newsletter.models import NewsletterIndexPage


class TestPageTree(WagtailPageTestCase):
    def test_home_page_takes_content_contact_and_library_pages(self):
        self.assertAllowedSubpageTypes(HomePage, {StandardPage, ContactPage, LibraryIndexPage, EventIndexPage,
                                                  NewsIndexPage, NewsletterIndexPage})

    def test_library_resources_and_project_profiles_under_the_library(self):
        self.assertAllowedSubpageTypes(LibraryIndexPage, {ResourcePage, ProjectProfilePage})
        self.assertAllowedParentPageTypes(ResourcePage, {LibraryIndexPage})
        self.assertAllowedParentPageTypes(ProjectProfilePage, {LibraryIndexPage})

    def test_content_pages_nest_but_contact_pages_are_leaves(self):
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage, ContactPage})
        self.assertAllowedSubpageTypes(ContactPage, set())

    def test_home_page_only_under_the_tree_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

