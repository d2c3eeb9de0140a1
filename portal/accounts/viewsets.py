from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import CreateView, EditView, UserViewSet

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


class _OnlySuperusersGrantSuperuser:
    """Wagtail lets anyone who may change users tick "Administrator"; here only administrators may."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not self.request.user.is_superuser:
            form.fields.pop("is_superuser", None)
        return form


class PortalCreateView(_OnlySuperusersGrantSuperuser, CreateView):
    pass


class PortalEditView(_OnlySuperusersGrantSuperuser, EditView):
    pass


class PortalUserViewSet(UserViewSet):
    """Wagtail's user admin, where the secretariat also sets a focal point's countries."""

    add_view_class = PortalCreateView
    edit_view_class = PortalEditView

    def get_form_class(self, for_update=False):
        return PortalUserEditForm if for_update else PortalUserCreationForm
