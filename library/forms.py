"""The form members propose a resource with (the same fields as the admin's, a file or a link), and the
form anyone declares a study that used the inventory with."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from portal.core import studies
from portal.core.citations import DOI_RE, normalize_doi, validate_doi
from portal.core.extraction import EXPECTED, check_size, check_upload
from portal.core.forms import AntiBotMixin
from portal.i18n import ByNameMultipleChoiceField
from portal.reference.models import Country, Language, Theme

from .models import ResourceType, validate_year


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(
        label=_("Summary"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the document is about, in a few sentences (at most 3,000 characters)."),
    )
    resource_type = forms.ChoiceField(label=_("Type"), choices=[("", "—"), *ResourceType.choices])
    themes = ByNameMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = ByNameMultipleChoiceField(
        label=_("Countries"), queryset=Country.objects.in_network(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The countries the document is about, if any."),
    )
    language = forms.ChoiceField(label=_("Language of the document"), choices=Language.choices)
    year = forms.IntegerField(
        label=_("Year of publication"), required=False, validators=[validate_year],
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    authors = forms.CharField(
        label=_("Authors"), max_length=1000, required=False,
        help_text=_("Persons or organizations, separated by semicolons."),
    )
    publisher = forms.CharField(label=_("Publisher"), max_length=255, required=False)
    licence = forms.CharField(
        label=_("Licence"), max_length=255, required=False,
        help_text=_("E.g. CC BY 4.0, or “all rights reserved, published with the authors' permission”."),
    )
    file = forms.FileField(
        label=_("File"), required=False,
        help_text=_("PDF, DOCX, ODT, RTF, XLSX, PPTX, CSV, TXT or ZIP, at most 20 MB."),
    )
    external_url = forms.URLField(
        label=_("Or a link to the document"), max_length=500, required=False, assume_scheme="https",
        help_text=_("If the document is online elsewhere, instead of a file."),
    )

    def __init__(self, *args, current_file: str = "", current_countries=(), **kwargs):
        # `current_file`: the name of the file a proposal being changed already has, kept when no
        # other file (nor a link) is given. `current_countries`: the codes of the countries it already
        # has; those outside the network (added by the secretariat, an import) are offered too, never
        # dropped unseen.
        super().__init__(*args, **kwargs)
        self.current_file = current_file
        self.fields["countries"].queryset = Country.objects.in_network_or(current_countries)
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in sorted(EXPECTED))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        size = check_size(upload.size)
        if not size.ok:
            raise ValidationError(size.message)
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        check = check_upload(upload.name, data)
        if not check.ok:
            raise ValidationError(check.message)
        return upload

    def clean(self):
        data = super().clean()
        has_file = bool(data.get("file") or self.current_file) or "file" in self.errors
        has_link = bool(data.get("external_url")) or "external_url" in self.errors
        if not has_file and not has_link:
            self.add_error("file", _("Give the file or a link to the document."))
        elif data.get("file") and data.get("external_url"):
            self.add_error("external_url", _("Give the file or a link, not both."))
        return data

    @property
    def file_was_sent(self) -> bool:
        """A file came with this (invalid) post: the browser does not keep it, the person must choose
        it again."""
        return self.is_bound and bool(self.files.get("file"))


class StudyDeclarationForm(AntiBotMixin):
    """A publication that used the inventory's data, declared by anyone (no account needed), for the
    secretariat's review (`library.views.declare_study`)."""

    title = forms.CharField(label=_("Title of the publication"), max_length=255)
    authors = forms.CharField(
        label=_("Authors"), max_length=1000,
        help_text=_("Persons or organizations, separated by semicolons."),
    )
    year = forms.IntegerField(
        label=_("Year of publication"), validators=[validate_year],
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    language = forms.ChoiceField(label=_("Language of the publication"), choices=Language.choices)
    link = forms.URLField(
        label=_("Link to the publication"), max_length=500, required=False, assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("An address starting with https:// or http://."),
    )
    doi = forms.CharField(
        label=_("DOI"), max_length=200, required=False,
        help_text=_("If it has one, e.g. 10.12345/abcd (a https://doi.org/ link is accepted). "
                    "Give the link, the DOI or both."),
    )
    release = forms.ChoiceField(label=_("Release of the inventory cited"))
    email = forms.EmailField(
        label=_("Your e-mail address"), max_length=254,
        help_text=_("Only for the secretariat, should it have a question: never shown on the site "
                    "nor in any download."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.releases = {release.key: release for release in studies.citable_releases()}
        self.fields["release"].choices = [
            ("", "—"), *((release.key, release.label) for release in self.releases.values())]

    def clean_doi(self):
        value = normalize_doi(self.cleaned_data["doi"])
        validate_doi(value)
        return value

    def clean_release(self):
        release = self.releases.get(self.cleaned_data["release"])
        if release is None:
            raise ValidationError(_("Choose a published release of the inventory."))
        return release

    def clean(self):
        data = super().clean()
        link = data.get("link") or ""
        if link and not data.get("doi") and "doi" not in self.errors:
            # A https://doi.org/ link is the DOI: kept as such, so that the citations give it.
            doi = normalize_doi(link)
            if doi != link and DOI_RE.match(doi):
                data["doi"], data["link"] = doi, ""
        if not (data.get("link") or data.get("doi")) and not self.errors.keys() & {"link", "doi"}:
            self.add_error("link", _("Give the link to the publication, its DOI, or both."))
        return data
