"""E-mails of the return's workflow: the focal point hears of a submission, the mutual's reporters
of a validation or of a return sent back with the focal point's comment.

Sent once the transaction commits (a rolled-back change tells nobody); a mail server failure is
logged, never turned into an error page after the change was made.
"""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction

from portal.accounts.roles import GROUP_NAMES, Role
from portal.mail import absolute_url, send_to_each

from ..campaign.schedule import reporters
from ..models import YearlyReturn

logger = logging.getLogger(__name__)


def focal_points(country_code: str):
    """Who validates the country's returns: its focal points, or the secretariat when it has none."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    found = users.filter(
        focal_point_countries=country_code, groups__name=GROUP_NAMES[Role.FOCAL_POINT]
    ).distinct()
    return found if found.exists() else users.filter(groups__name=GROUP_NAMES[Role.SECRETARIAT]).distinct()


def _context(ret: YearlyReturn, *, benchmark=False, **extra):
    """Each recipient's context, the links in their language (`benchmark`: with the year's peer
    benchmark report)."""
    def build(user):
        key = (ret.mutual.mutual_id, ret.year)
        links = {"return_url": absolute_url("inventory:return_detail", *key)}
        if benchmark:
            links["benchmark_url"] = absolute_url("inventory:return_benchmark", *key)
        return {"user": user, "ret": ret, "mutual": ret.mutual, "year": ret.year, **links, **extra}

    return build


def _after_commit(template, users, context, ret):
    def send():
        try:
            send_to_each(template, users, context)
        except Exception:
            logger.exception("Could not send %s about %s", template, ret)

    transaction.on_commit(send)


def return_submitted(ret: YearlyReturn) -> None:
    _after_commit("inventory/email/return_submitted", list(focal_points(ret.mutual.country_id)),
                  _context(ret), ret)


def return_sent_back(ret: YearlyReturn, comment: str) -> None:
    _after_commit("inventory/email/return_sent_back", list(reporters(ret.mutual)),
                  _context(ret, comment=comment), ret)


def return_validated(ret: YearlyReturn) -> None:
    """The reporters hear of the validation, with the link to the year's peer benchmark."""
    _after_commit("inventory/email/return_validated", list(reporters(ret.mutual)),
                  _context(ret, benchmark=True), ret)
