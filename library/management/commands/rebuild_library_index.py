import sys

from django.core.management.base import BaseCommand

from library.search import get_engine, indexable_pages

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Rebuild the library's search index (whichever engine the settings choose) from the published "
        "resources and project profiles, without downtime."
    )

    def handle(self, *args, **options):
        pages = indexable_pages()
        total = sum(qs.count() for qs in pages)
        documents = (page.to_search_document() for qs in pages for page in qs.iterator())
        engine = get_engine()
        n = engine.rebuild(documents, total=total, progress=self.progress)
        sys.stderr.write("\n")
        self.stdout.write(self.style.SUCCESS(f"Indexed {n} documents ({type(engine).__name__})."))

    def progress(self, done: int, total: int | None) -> None:
        # Plain text on stderr (stdout stays for the summary), redrawn in place.
        share = done / total if total else 1.0
        filled = round(BAR_WIDTH * share)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total or done}")
        sys.stderr.flush()
