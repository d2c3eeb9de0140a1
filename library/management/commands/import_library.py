from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from library.imports import COLUMNS, LibraryImportError, library_import


class Command(BaseCommand):
    help = (
        "Import library resources from a CSV file (columns: " + ", ".join(COLUMNS) + "; several values "
        "separated by ';'; file paths relative to the CSV). All or nothing: every error is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        try:
            result = library_import(path=path)
        except LibraryImportError as error:
            for problem in error.errors:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing imported: {len(error.errors)} error(s).") from None
        self.stdout.write(self.style.SUCCESS(
            f"{len(result.created)} resource(s) created, {len(result.updated)} updated."
        ))
        if result.new_themes:
            self.stdout.write("New themes (to translate in the admin): " + ", ".join(
                f"{theme.slug} ({theme.name_fr})" for theme in result.new_themes
            ))
