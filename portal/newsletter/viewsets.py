"""The subscribers list in the Wagtail admin (Newsletter › Subscribers), for whoever holds the model
permissions on `Subscriber` (the secretariat: `portal/accounts/roles.py`).

Read-mostly: a list (search by address, filter by state and language, newest first), a detail page,
"unsubscribe this address" (through `services.newsletter_unsubscribe`, as the public link does, so a
delivery under way skips the address too) and "delete" for a request to erase the person's data,
both after a confirmation page. No add (only the double opt-in creates subscribers) and no edit form
(an address or state typed by hand would bypass the opt-in and the delivery's bookkeeping)."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, MenuItem
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from portal.core import audit

from . import services
from .models import Subscriber, SubscriberState

UNSUBSCRIBE_LABEL = gettext_lazy("Unsubscribe this address")


def can_see_subscribers(user) -> bool:
    return policy_registry.get_by_type(Subscriber).user_has_any_permission(user, ["view", "change", "delete"])


def _label(field_name):
    return capfirst(Subscriber._meta.get_field(field_name).verbose_name)


class SubscriberIndexView(generic.IndexView):
    unsubscribe_url_name = None

    def get_unsubscribe_url(self, instance):
        if (self.unsubscribe_url_name and instance.state == SubscriberState.CONFIRMED
                and self.user_has_permission("change")):
            return reverse(self.unsubscribe_url_name, args=[instance.pk])

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if url := self.get_unsubscribe_url(instance):
            buttons.append(MenuItem(UNSUBSCRIBE_LABEL, url=url, icon_name="cross", priority=25))
        return buttons


class SubscriberInspectView(generic.InspectView):
    unsubscribe_url_name = None

    def get_unsubscribed_at_display_value(self):
        return self.object.unsubscribed_at or "—"

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if (self.unsubscribe_url_name and self.object.state == SubscriberState.CONFIRMED
                and self.user_has_permission("change")):
            buttons.append(Button(UNSUBSCRIBE_LABEL, url=reverse(self.unsubscribe_url_name,
                                                                 args=[self.object.pk]),
                                  icon_name="cross", priority=15))
        return buttons


class SubscriberDeleteView(generic.DeleteView):
    @property
    def confirmation_message(self):
        return _("Delete the record of %(email)s for good? Use this for a request to erase the "
                 "person's data; to stop the issues only, unsubscribe the address instead.") % {
            "email": self.object.email}

    def delete_action(self):
        # As Wagtail's delete action, but the history keeps no address: its label is the record's id.
        with transaction.atomic():
            log(instance=self.object, action="wagtail.delete", user=self.request.user,
                title=f"#{self.object.pk}", deleted=True)
            self.object.delete()


class SubscriberUnsubscribeView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET: the confirmation page; POST: unsubscribe (the public unsubscribe's service)."""

    model = Subscriber
    permission_required = "change"
    template_name = "newsletter/admin/subscriber_unsubscribe.html"
    page_title = UNSUBSCRIBE_LABEL
    header_icon = "mail"
    index_url_name = None
    inspect_url_name = None
    unsubscribe_url_name = None
    http_method_names = ["get", "head", "post"]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(Subscriber, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return self.object.email

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items,
                {"url": reverse(self.index_url_name),
                 "label": capfirst(Subscriber._meta.verbose_name_plural)},
                {"url": reverse(self.inspect_url_name, args=[self.object.pk]), "label": self.object.email},
                {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(subscriber=self.object, subscribed=self.object.state == SubscriberState.CONFIRMED,
                       action_url=reverse(self.unsubscribe_url_name, args=[self.object.pk]),
                       index_url=reverse(self.index_url_name))
        return context

    def post(self, request, *args, **kwargs):
        if services.newsletter_unsubscribe(subscriber=self.object):
            # As for a deletion, the entry's label is the record's number, not the address.
            audit.log(self.object, "portal.newsletter.unsubscribed", user=request.user,
                      title=f"#{self.object.pk}")
            messages.success(request, _("Done: %(email)s will not receive the newsletter any more.")
                             % {"email": self.object.email})
        else:
            messages.info(request, _("%(email)s does not receive the newsletter.")
                          % {"email": self.object.email})
        return redirect(self.index_url_name)


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "user"
    url_prefix = "newsletter/subscribers"
    add_to_admin_menu = False  # in the Newsletter submenu (wagtail_hooks.py)
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = SubscriberIndexView
    inspect_view_class = SubscriberInspectView
    delete_view_class = SubscriberDeleteView
    list_per_page = 50
    ordering = ["-confirmed_at", "-pk"]  # newest first
    search_fields = ["email"]
    search_backend_name = None  # the database's icontains on the address: the model is not indexed
    list_filter = ["state", "language"]
    inspect_view_fields = ["email", "language", "state", "confirmed_at", "unsubscribed_at", "failures"]

    @cached_property
    def list_display(self):
        return ["email", "language", "state",
                DateColumn("confirmed_at", label=_label("confirmed_at"), sort_key="confirmed_at"),
                DateColumn("unsubscribed_at", label=_label("unsubscribed_at"), sort_key="unsubscribed_at"),
                "failures"]

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit, copy, history or usage screens (see the module docstring).
        return super().get_common_view_kwargs(**{
            "add_url_name": None, "edit_url_name": None, "history_url_name": None, "usage_url_name": None,
            "unsubscribe_url_name": self.get_url_name("unsubscribe"), **kwargs})

    @property
    def url_finder_class(self):
        # Links to a subscriber from elsewhere in the admin (e.g. its history) open its detail page.
        return type("_SubscriberAdminURLFinder", (ModelAdminURLFinder,),
                    {"edit_url_name": self.get_url_name("inspect")})

    def get_edit_handler(self):
        return None

    def get_form_class(self, for_update=False):
        return None

    @property
    def unsubscribe_view(self):
        return self.construct_view(SubscriberUnsubscribeView)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<id:pk>/", self.inspect_view, name="inspect"),
            path("unsubscribe/<id:pk>/", self.unsubscribe_view, name="unsubscribe"),
            path("delete/<id:pk>/", self.delete_view, name="delete"),
        ]


subscriber_viewset = SubscriberViewSet("newsletter_subscribers")
