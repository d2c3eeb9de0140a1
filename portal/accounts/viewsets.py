from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

from inventory.models import Country

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


class PortalUserViewSet(UserViewSet):
    """Wagtail's user admin, where the secretariat also sets a focal point's countries."""

    def get_form_class(self, for_update=False):
        return PortalUserEditForm if for_update else PortalUserCreationForm
