"""A progress bar on a management command's standard error (tqdm), for long imports and exports.

Shown on a terminal only (tqdm's `disable=None`): cron logs and tests' captured output stay clean. It
writes to the command's underlying error stream, not through Django's OutputWrapper (which would end
every redraw with a new line)."""

import sys

from tqdm import tqdm

PHASES = {"reading": "Reading and checking", "writing": "Writing"}


def error_stream(command):
    return getattr(command.stderr, "_out", sys.stderr)


class PhaseBars:
    """The `progress(phase, done, total)` callable of `imports.import_returns`: one bar per phase."""

    def __init__(self, stream, *, disable=None):
        self.stream = stream
        self.disable = disable
        self.phase = None
        self.bar = None

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if phase != self.phase:
            self.close()
            self.phase = phase
            self.bar = tqdm(total=total, desc=PHASES.get(phase, phase), unit=" rows", file=self.stream,
                            disable=self.disable, leave=True)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def counted(iterable, command, *, total: int | None = None, desc: str = ""):
    """`iterable`, its progress shown on the command's error stream."""
    return tqdm(iterable, total=total, desc=desc, unit=" rows", file=error_stream(command), disable=None)
