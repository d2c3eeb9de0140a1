from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import CreateView, DeleteView, EditView, UserViewSet

from inventory.models import Country

from .permissions import require

_EXTRA_FIELDS = ["organization", "country", "focal_point_countries"]


class _PortalFieldsMixin(forms.ModelForm):
    focal_point_countries = forms.ModelMultipleChoiceField(
        queryset=Country.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Focal point for"),
    )


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


class PortalUserViewSet(UserViewSet):
    """Wagtail's user admin, where the secretariat also sets a focal point's countries."""

    add_view_class = PortalCreateView
    edit_view_class = PortalEditView
    delete_view_class = PortalDeleteView

    def get_form_class(self, for_update=False):
        return PortalUserEditForm if for_update else PortalUserCreationForm
