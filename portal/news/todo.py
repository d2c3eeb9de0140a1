"""The news' sections of the "to do" home (`portal/core/todo.py`): members' articles to moderate (the
secretariat) and the member's own articles with where each stands."""

from django.utils.translation import gettext_lazy as _

from portal.core import todo


def connect():
    from .models import ArticlePage

    todo.register_contributions(
        ArticlePage, key="news", order_moderate=55, order_mine=65,
        titles={"moderate": _("Articles to review"), "mine": _("My articles")},
        texts={
            "review": _("Review the article “%(title)s”"),
            "moderate_empty": _("No article waits for review."),
            "mine_empty": _("You have not written any article yet: tell the network about your "
                            "mutual's news."),
            "propose": _("Write an article"),
        },
        propose_action="submit_article", list_url_name="news:mine",
        edit_url_name="news:edit", propose_url_name="news:submit",
    )
