"""`manage.py export_inventory`: the public returns or synthesis table as CSV, with a progress bar on a
terminal while the returns are written."""

from django.core.management.base import BaseCommand

from inventory.management.progress import counted
from inventory.models import YearlyReturn
from inventory.opendata.exports import returns_frames, write_returns_frames_csv
from inventory.opendata.synthesis import write_synthesis_csv


class Command(BaseCommand):
    help = (
        "Export the public inventory as CSV in the contract's columns: the returns table (validated "
        "returns of public mutuals, with their indicators) or the synthesis table by country and year."
    )

    def add_arguments(self, parser):
        parser.add_argument("--what", choices=["returns", "synthesis"], default="returns")
        parser.add_argument("--format", choices=["csv"], default="csv")
        parser.add_argument("--output", default="-", help="A file path, or - for standard output")

    def handle(self, *args, what, output, **options):
        def write(stream):
            if what == "synthesis":
                return write_synthesis_csv(stream)
            bar = counted(None, self, total=YearlyReturn.objects.public().count(), desc="Returns")

            def shown(frames):
                for frame in frames:
                    yield frame
                    bar.update(len(frame))

            try:
                return write_returns_frames_csv(shown(returns_frames()), stream)
            finally:
                bar.close()

        if output == "-":
            count = write(self.stdout)
        else:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                count = write(stream)
        self.stderr.write(f"{count} {'rows' if what == 'synthesis' else 'returns'} exported.")
