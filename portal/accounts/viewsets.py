"""Wagtail's user and group admin, through the portal's guard.

Every screen of the user admin (list, add, edit, delete, history, usage) needs the secretariat's
`manage_users`; administrators' (superusers') accounts are touched by administrators only, and nobody
but an administrator widens their own rights (groups, focal-point countries), whatever the URL: the
edit form, the bulk actions (assign role, set active state, delete) or the group admin, which only
administrators open (a role's rights are defined in code, `roles.py`). Wagtail's *copy* view is
switched off: it saves the form over the user it copies from, which made it an edit view without the
guard.
"""

from functools import wraps

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.bulk_actions import (
    AssignRoleBulkAction,
    DeleteBulkAction,
    SetActiveStateBulkAction,
)
from wagtail.users.views.groups import GroupViewSet
from wagtail.users.views.users import CreateView, DeleteView, EditView, UserViewSet

from portal.i18n import ByNameMultipleChoiceField
from portal.reference.models import Country

from .permissions import can, require

_EXTRA_FIELDS = ["organization", "country", "focal_point_countries"]


class _PortalFieldsMixin(forms.ModelForm):
    focal_point_countries = ByNameMultipleChoiceField(
        queryset=Country.objects.in_network(), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Focal point for"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The network's countries (a box each), and any other the person is already focal point for.
        if self.instance.pk:
            chosen = self.instance.focal_point_countries.values("code")
            self.fields["focal_point_countries"].queryset = Country.objects.in_network_or(chosen)


class PortalUserCreationForm(_PortalFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(_EXTRA_FIELDS)


class PortalUserEditForm(_PortalFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(_EXTRA_FIELDS)


class _GuardedUserView:
    """Wagtail's user views only ask for Django's user permissions; the portal also requires
    the secretariat's `manage_users`, keeps administrators' accounts to administrators, and lets
    nobody but an administrator widen their own rights."""

    def dispatch(self, request, *args, **kwargs):
        require(request, "manage_users")
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        target = super().get_object(queryset)
        if target.is_superuser and not self.request.user.is_superuser:
            raise PermissionDenied
        return target

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not self.request.user.is_superuser:
            form.fields.pop("is_superuser", None)
            if getattr(self, "object", None) == self.request.user:
                form.fields.pop("groups", None)
                form.fields.pop("focal_point_countries", None)
        return form


class PortalCreateView(_GuardedUserView, CreateView):
    pass


class PortalEditView(_GuardedUserView, EditView):
    pass


class PortalDeleteView(_GuardedUserView, DeleteView):
    pass


def _guarded(view, allowed):
    """`view`, refused (PermissionDenied, which Wagtail's admin turns into its message) to users for
    whom `allowed(user)` is false."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not allowed(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _manages_users(user):
    return can(user, "manage_users")


def _administrator(user):
    return user.is_active and user.is_superuser


class PortalUserViewSet(UserViewSet):
    """Wagtail's user admin, where the secretariat also sets a focal point's countries."""

    add_view_class = PortalCreateView
    edit_view_class = PortalEditView
    delete_view_class = PortalDeleteView
    # Wagtail's copy view fills its form with the user it copies and saves over them.
    copy_view_enabled = False

    def construct_view(self, view_class, **kwargs):
        return _guarded(super().construct_view(view_class, **kwargs), _manages_users)

    def get_form_class(self, for_update=False):
        return PortalUserEditForm if for_update else PortalUserCreationForm


class PortalGroupViewSet(GroupViewSet):
    """Wagtail's group admin, for administrators only: the role groups' rights are set in code
    (`roles.py`, re-applied after every migrate), and whoever edits a group they belong to widens
    their own rights."""

    def construct_view(self, view_class, **kwargs):
        return _guarded(super().construct_view(view_class, **kwargs), _administrator)


class _GuardedUserBulkAction:
    """Wagtail's bulk actions on users, with the edit form's rules: `manage_users` to open them, and
    administrators' accounts and one's own left out (listed as not actionable) unless one is an
    administrator."""

    def dispatch(self, request, *args, **kwargs):
        require(request, "manage_users")
        return super().dispatch(request, *args, **kwargs)

    def check_perm(self, obj):
        user = self.request.user
        if not user.is_superuser and (obj.is_superuser or obj.pk == user.pk):
            return False
        return super().check_perm(obj)


class PortalAssignRoleBulkAction(_GuardedUserBulkAction, AssignRoleBulkAction):
    pass


class PortalDeleteBulkAction(_GuardedUserBulkAction, DeleteBulkAction):
    pass


class PortalSetActiveStateBulkAction(_GuardedUserBulkAction, SetActiveStateBulkAction):
    pass


# Registered (portal/accounts/wagtail_hooks.py) after Wagtail's, under the same names: they replace them.
USER_BULK_ACTIONS = [PortalAssignRoleBulkAction, PortalDeleteBulkAction, PortalSetActiveStateBulkAction]
