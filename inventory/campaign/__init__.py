"""The yearly campaign: who is expected to report, opening and closing, the campaign e-mails, and
which years are provisional (`provisional.py`: the one rule every public page follows)."""
