"""Forms of the yearly return: short sections, numbers typed the way the reader writes them.

Field labels are the contract's titles (`schema.title`), in the reader's language; the types and
bounds come from the model fields, which follow the contract's constraints.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..contract import schema
from ..models import YearlyReturn

# The return's sections, in the order of the form (contract column names).
SECTIONS = {
    "people": (_("People"), [
        "status", "target_population", "members", "beneficiaries", "new_members", "renewed_members",
    ]),
    "product": (_("Product"), [
        "membership_unit", "contribution_amount", "contribution_period", "currency",
        "waiting_period_days", "covers_primary_care", "covers_drugs", "covers_hospitalization",
        "covers_surgery", "covers_childbirth", "covers_transport", "covers_lab", "copayment_percent",
        "payment_mode", "contracted_providers",
    ]),
    "money": (_("Money"), [
        "contributions_due", "contributions_collected", "benefits_paid", "operating_expenses",
        "subsidies", "other_income", "reserves", "care_episodes", "provider_payment_delay_days",
    ]),
    "management": (_("Management"), [
        "software", "paid_staff", "volunteer_staff", "general_assembly_held",
    ]),
}
SECTION_OF = {name: key for key, (_label, names) in SECTIONS.items() for name in names}

# Spaces people put between thousands: ordinary, no-break and narrow no-break spaces, apostrophes.
_GROUPING = re.compile(r"[\s\u00a0\u202f'’]")


def parse_number(text: str, *, whole: bool, language: str | None = None) -> Decimal:
    """A number as typed by a French or English reader: "1 234,5", "1234.5", "1,234" (English).

    Raises ValueError with a message for the reader when it is not a number (or not whole).
    """
    language = (language or get_language() or "fr")[:2]
    value = _GROUPING.sub("", text.strip())
    if language == "en" and re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", value):
        value = value.replace(",", "")
    elif language != "en" and re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", value):
        value = value.replace(".", "")  # 1.234.567,5: dots grouping thousands
    if value.count(",") + value.count(".") > 1:
        raise ValueError(_("Write the number without separators between thousands, e.g. 1234567,5."))
    value = value.replace(",", ".")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(_("Enter a number, e.g. 1 234 or 1 234,5.")) from None
    if not number.is_finite():
        raise ValueError(_("Enter a number, e.g. 1 234 or 1 234,5."))
    if whole and number != number.to_integral_value():
        raise ValueError(_("Enter a whole number, without decimals."))
    return number


def show_number(value) -> str:
    """A stored number as the form shows it: grouped the reader's way, no useless decimals."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    return number_format(value, use_l10n=True, force_grouping=True)


class NumberInput(forms.TextInput):
    """A text box (so "1 234,5" can be typed) that opens the phone's number keyboard."""

    def __init__(self, *, whole: bool):
        super().__init__(attrs={"inputmode": "numeric" if whole else "decimal", "autocomplete": "off"})

    def format_value(self, value):
        if isinstance(value, str):
            return value  # what the reader typed, kept as typed when the form has errors
        return show_number(value)


class LocalNumberField(forms.Field):
    """A whole or decimal number in the reader's notation, with the model field's bounds."""

    def __init__(self, *, whole: bool, minimum=None, maximum=None, max_digits=None, **kwargs):
        self.whole, self.minimum, self.maximum, self.max_digits = whole, minimum, maximum, max_digits
        kwargs.setdefault("widget", NumberInput(whole=whole))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int | Decimal):
            return value
        try:
            number = parse_number(str(value), whole=self.whole)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None
        if self.minimum is not None and number < self.minimum:
            raise forms.ValidationError(
                _("Must be at least %(minimum)s.") % {"minimum": show_number(self.minimum)}, code="min"
            )
        if self.maximum is not None and number > self.maximum:
            raise forms.ValidationError(
                _("Must be at most %(maximum)s.") % {"maximum": show_number(self.maximum)}, code="max"
            )
        if self.max_digits and len(number.quantize(Decimal("0.01")).as_tuple().digits) > self.max_digits:
            raise forms.ValidationError(_("This number is too large."), code="max_digits")
        if self.whole:
            if number > 2_147_483_647:
                raise forms.ValidationError(_("This number is too large."), code="max_digits")
            return int(number)
        return number.quantize(Decimal("0.01")) if number.as_tuple().exponent < -2 else number


def _form_field(name: str) -> forms.Field:
    model_field = YearlyReturn._meta.get_field(name)
    label = schema.title(name)
    kind = model_field.get_internal_type()
    if kind in {"PositiveIntegerField", "DecimalField"}:
        constraints = schema.field(name).get("constraints", {})
        return LocalNumberField(
            whole=kind == "PositiveIntegerField", minimum=constraints.get("minimum", 0),
            maximum=constraints.get("maximum"), max_digits=getattr(model_field, "max_digits", None),
            required=False, label=label,
        )
    if kind == "BooleanField":
        return forms.NullBooleanField(required=False, label=label, widget=forms.NullBooleanSelect)
    if model_field.choices:
        return forms.ChoiceField(
            choices=[("", "—")] + list(model_field.choices), required=False, label=label
        )
    if name == "currency":
        return forms.RegexField(
            r"^[A-Za-z]{3}$", max_length=3, required=False, label=label,
            error_messages={"invalid": _("Three letters, e.g. XOF.")},
        )
    return forms.CharField(max_length=model_field.max_length, required=False, label=label)


class ReturnSectionForm(forms.Form):
    """One section of the return. `base_version` is the version the reader's form was built from."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, section: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        for name in SECTIONS[section][1]:
            self.fields[name] = _form_field(name)

    @property
    def data_fields(self):
        return [self[name] for name in SECTIONS[self.section][1]]

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").upper()

    def figures(self) -> dict:
        """The section's values, ready for `return_save_draft`."""
        return {name: self.cleaned_data[name] for name in SECTIONS[self.section][1]}


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the mutual correct?"), widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class ValidateForm(forms.Form):
    """The validation: the reviewer confirms, having seen what becomes public (a box to tick, which
    works without JavaScript); the reason is asked only of the secretariat validating figures it
    had a hand in."""

    confirm = forms.BooleanField(
        label=_("I have checked these figures and the mutual's explanations: they may be published."),
        error_messages={"required": _("Tick this box to confirm: validating publishes these figures.")},
    )
    override_reason = forms.CharField(
        label=_("Why do you validate figures you edited or submitted?"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        help_text=_("Required to override the separation of duties; kept in the return's history."),
    )


class WarningCommentsForm(forms.Form):
    """A short explanation for each plausibility warning, before submitting."""

    def __init__(self, *args, warnings, initial_comments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings = warnings
        for warning in warnings:
            self.fields[f"comment_{warning.code}"] = forms.CharField(
                label=warning.message, max_length=500,
                initial=(initial_comments or {}).get(warning.code, ""),
                error_messages={"required": _("Explain this figure in a few words.")},
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def comments(self) -> dict:
        return {
            w.code: self.cleaned_data[f"comment_{w.code}"].strip()
            for w in self.warnings if self.cleaned_data.get(f"comment_{w.code}", "").strip()
        }
