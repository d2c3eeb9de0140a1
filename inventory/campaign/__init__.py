"""The yearly campaign: who is expected to report, opening and closing, and the campaign e-mails."""
