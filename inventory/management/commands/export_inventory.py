from django.core.management.base import BaseCommand, CommandError

from inventory.exports import returns_rows, write_returns_csv


class Command(BaseCommand):
    help = "Export the public inventory (validated returns) as CSV, in the contract's columns."

    def add_arguments(self, parser):
        parser.add_argument("--what", choices=["returns", "synthesis"], default="returns")
        parser.add_argument("--format", choices=["csv"], default="csv")
        parser.add_argument("--output", default="-", help="A file path, or - for standard output")

    def handle(self, *args, what, output, **options):
        if what == "synthesis":
            raise CommandError("The synthesis export comes with the synthesis engine (issue 4).")
        if output == "-":
            count = write_returns_csv(returns_rows(), self.stdout)
        else:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                count = write_returns_csv(returns_rows(), stream)
        self.stderr.write(f"{count} returns exported.")
