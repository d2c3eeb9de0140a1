import pytest

from tests.conftest import loaded_demo


@pytest.fixture(scope="package")
def demo_site(django_db_setup, django_db_blocker, demo_media_root):
    """The demo, loaded once for every module about it (rolled back at the package's end)."""
    yield from loaded_demo(django_db_blocker, demo_media_root)
