from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.images.fields import WagtailImageField

from portal.core.extraction import check_upload
from portal.core.forms import AntiBotMixin
from portal.i18n import ByLabelChoiceIterator
from portal.reference.models import Country, Language, Theme

from .models import Frequency, Kind

BODY_MAX_CHARS = 30_000


class NamedChoiceField(forms.ModelMultipleChoiceField):
    iterator = ByLabelChoiceIterator

    def label_from_instance(self, obj):
        return obj.name


class ArticleForm(AntiBotMixin):
    """What a member sends: the text is plain (paragraphs separated by a blank line), turned into safe
    rich text on the server; one image and one attachment, both checked for type and size."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Kind.choices, initial=Kind.ARTICLE,
                             widget=forms.RadioSelect)
    summary = forms.CharField(
        label=gettext_lazy("Summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Two or three sentences, shown in lists and feeds (500 characters at most)."),
    )
    body = forms.CharField(
        label=gettext_lazy("Text"), max_length=BODY_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 14}),
        help_text=gettext_lazy("Plain text: leave a blank line between paragraphs."),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of the text"), choices=Language.choices)
    co_authors = forms.CharField(
        label=gettext_lazy("Co-authors"), max_length=255, required=False,
        help_text=gettext_lazy("Names of the other authors, if any, separated by commas."),
    )
    countries = NamedChoiceField(
        label=gettext_lazy("Countries concerned"), queryset=Country.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = NamedChoiceField(
        label=gettext_lazy("Themes"), queryset=Theme.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    image = WagtailImageField(
        label=gettext_lazy("Image (optional)"), required=False,
        help_text=gettext_lazy("JPEG, PNG, GIF or WebP, 10 MB at most."),
    )
    image_caption = forms.CharField(label=gettext_lazy("Image caption"), max_length=255, required=False)
    attachment = forms.FileField(
        label=gettext_lazy("Attachment (optional)"), required=False,
        help_text=gettext_lazy("PDF, DOCX, ODT, XLSX, PPTX, RTF, TXT or CSV, 20 MB at most."),
    )
    # Files already accepted in an earlier try of this form (see views._keep_uploads).
    image_kept = forms.CharField(required=False, widget=forms.HiddenInput)
    attachment_kept = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["title", "kind", "summary", "body", "language", "co_authors", "countries", "themes",
                   "image", "image_caption", "attachment"]

    def __init__(self, *args, current_countries=(), **kwargs):
        # `current_countries`: the codes of the countries an article being changed already has; those
        # outside the network (added by the secretariat) are offered too, never dropped unseen.
        super().__init__(*args, **kwargs)
        offered = Country.objects.in_network_or(current_countries)
        self.fields["countries"].queryset = offered.order_by("name_fr")

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if len(body) < 20:
            raise forms.ValidationError(_("The text is too short."))
        return body

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            upload.seek(0)
            check = check_upload(upload.name, upload.read())
            upload.seek(0)
            if not check.ok:
                raise forms.ValidationError(check.message)
        return upload


class FlashNewsPreferencesForm(forms.Form):
    """The flash news part of the profile page."""

    frequency = forms.ChoiceField(label=gettext_lazy("Flash news by e-mail"), choices=Frequency.choices,
                                  widget=forms.RadioSelect)
    countries = NamedChoiceField(
        label=gettext_lazy("Only about these countries"), queryset=Country.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=gettext_lazy("None ticked: every country."),
    )
    themes = NamedChoiceField(
        label=gettext_lazy("Only about these themes"), queryset=Theme.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=gettext_lazy("None ticked: every theme."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The network's countries, and any other the person chose before (never dropped unseen).
        chosen = [getattr(c, "code", c) for c in self.initial.get("countries") or []]
        self.fields["countries"].queryset = Country.objects.in_network_or(chosen).order_by("name_fr")
