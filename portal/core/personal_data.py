"""The site's part of a person's data (see `portal.accounts.personal_data`): their contributions
(library proposals, articles) and the messages they sent through the contact form."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from portal.accounts.personal_data import Holder, register

from .contributions import ContributionMixin, contribution_status


def _contributions(user):
    records = []
    for model in apps.get_models():
        if issubclass(model, ContributionMixin):
            for page in model.objects.filter(contributor=user).order_by("pk"):
                records.append({
                    "kind": model._meta.verbose_name, "title": page.title,
                    "status": contribution_status(page).label,
                    "first_published_at": page.first_published_at,
                    "url": page.full_url if page.live else None,
                })
    return records


def _contact_messages(user):
    from wagtail.contrib.forms.models import FormSubmission

    from .models import ContactPage

    email = user.email.strip().lower()
    records = []
    for submission in FormSubmission.objects.filter(
        page__in=ContactPage.objects.all()
    ).order_by("submit_time"):
        data = submission.get_data()
        if any(isinstance(v, str) and v.strip().lower() == email for v in data.values()):
            fields = {k: v for k, v in data.items() if k != "submit_time"}
            records.append({"sent_at": submission.submit_time, "message": fields})
    return records


def register_holders():
    register(Holder(
        "contributions", _("Your contributions (library proposals, articles)"),
        columns={"kind": _("Kind"), "title": _("Title"), "status": _("Status"),
                 "first_published_at": _("First published"), "url": _("Address")},
        collect=_contributions,
        kept_after_deletion=_("published articles and resources stay published; an article you wrote is "
                              "signed “former member”."),
    ))
    register(Holder(
        "contact_messages", _("Messages sent through the contact form"),
        columns={"sent_at": _("Sent on"), "message": _("Message")},
        collect=_contact_messages,
        kept_after_deletion=_("messages you sent through the contact form are kept one year after they "
                              "were sent, for the secretariat's correspondence."),
    ))
