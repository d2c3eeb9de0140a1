"""The yearly return and its workflow: the writes, forms, validation, indicators, disclosure score, e-mails
and the offline form."""
