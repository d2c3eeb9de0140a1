from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from portal.i18n import is_english
from portal.reference.models import Country

from ..contract.choices import (
    LegalStatus,
    MutualType,
    RegistrationState,
)


class Union(models.Model):
    """A union or network of mutuals (e.g. a national union)."""

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT,
        help_text=_("Empty for a network spanning several countries."),
    )

    class Meta:
        verbose_name = _("union or network")
        verbose_name_plural = _("unions and networks")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class OrganizationRoleKind(models.TextChoices):
    """What an organization is to the network. A focal point and a national committee are roles in
    one country; the others may be network-wide (no country) or for one country."""

    PROMOTER = "promoter", _("Promoter")
    SUPPORTING_STRUCTURE = "supporting_structure", _("Supporting structure")
    NATIONAL_COMMITTEE = "national_committee", _("National committee")
    FOCAL_POINT = "focal_point", _("Focal point")
    UNION = "union", _("Union of mutuals")
    RESEARCH_TRAINING = "research_training", _("Research or training")
    OTHER = "other", _("Other")


COUNTRY_ROLES = frozenset({OrganizationRoleKind.FOCAL_POINT, OrganizationRoleKind.NATIONAL_COMMITTEE})


class SupportingOrganizationQuerySet(models.QuerySet):
    def in_directory(self):
        """Organizations shown in the public directory."""
        return self.filter(in_directory=True)

    def with_role(self, role: str, country=None):
        """Organizations holding `role` (in `country` when given)."""
        roles = OrganizationRole.objects.filter(role=role)
        if country is not None:
            roles = roles.filter(country=country)
        return self.filter(pk__in=roles.values("organization_id"))


class SupportingOrganization(ClusterableModel):
    """An organization of the network: promoter, supporting structure (NGO, agency, union) that may
    report for mutuals, national committee, focal point… — the directory's record.

    Only the organization's own, public details are kept here (its office address and e-mail, its
    website); its staff are accounts, never shown to the public."""

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True,
        help_text=_("Where it works. The countries of its roles are added on save."),
    )
    # What it works on: its theme pages list it (portal/home/themes.py).
    themes = models.ManyToManyField(
        "reference.Theme", verbose_name=_("themes"), blank=True, related_name="+",
        help_text=_("The themes it works on: the theme pages list it."),
    )
    website = models.URLField(_("website"), blank=True)
    description_fr = models.TextField(_("description in French"), blank=True, max_length=2000)
    description_en = models.TextField(_("description in English"), blank=True, max_length=2000)
    # The organization's own contact details: public (never a person's).
    address = models.TextField(_("postal address (office, public)"), blank=True)
    email = models.EmailField(
        _("e-mail (office, public)"), blank=True,
        help_text=_("A generic address of the organization (contact@…), never a person's."),
    )
    phone = models.CharField(_("telephone (office, public)"), max_length=40, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("logo"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    in_directory = models.BooleanField(
        _("shown in the public directory"), default=True,
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff reporting for it"), blank=True,
        related_name="supporting_organizations",
    )

    objects = SupportingOrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def description(self) -> str:
        """In the reader's language, else the other one."""
        first, second = (
            (self.description_en, self.description_fr) if is_english()
            else (self.description_fr, self.description_en)
        )
        return first or second


class OrganizationRole(models.Model):
    """One role of an organization, network-wide or in one country (required for a focal point and
    a national committee)."""

    organization = ParentalKey(
        SupportingOrganization, verbose_name=_("organization"), related_name="roles",
        on_delete=models.CASCADE,
    )
    role = models.CharField(_("role"), max_length=24, choices=OrganizationRoleKind.choices)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="organization_roles",
        help_text=_("Required for a focal point or a national committee; empty: network-wide."),
    )

    class Meta:
        verbose_name = _("role in the network")
        verbose_name_plural = _("roles in the network")
        ordering = ["role", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "role", "country"], name="organization_role_once",
            ),
        ]

    def __str__(self):
        label = self.get_role_display()
        return f"{label} ({self.country})" if self.country_id else str(label)

    def clean(self):
        if self.role in COUNTRY_ROLES and not self.country_id:
            raise ValidationError({"country": _("A focal point or a national committee is a role in one "
                                                "country: choose the country.")})


class MutualIdSequence(models.Model):
    """The last number given in a country: identifiers are never reused, even after a merge."""

    country = models.OneToOneField(Country, primary_key=True, on_delete=models.PROTECT)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.country_id}: {self.last_number}"


class MutualQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(registration_state=RegistrationState.APPROVED)

    def public(self):
        """Mutuals a visitor may see: approved and not withdrawn from publication."""
        return self.approved().filter(is_public=True)


class Mutual(models.Model):
    """A mutual health organization: its stable identity (the first columns of the returns table)."""

    mutual_id = models.CharField(
        _("mutual identifier"), max_length=12, unique=True, editable=False, null=True, blank=True,
        help_text=_("Assigned by the portal when the mutual is approved, e.g. SN-0042; never reused."),
    )
    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT)
    region = models.CharField(_("region"), max_length=120, blank=True)
    locality = models.CharField(_("locality"), max_length=120, blank=True)
    year_created = models.PositiveSmallIntegerField(
        _("year created"), null=True, blank=True, validators=[MinValueValidator(1900)]
    )
    mutual_type = models.CharField(_("type"), max_length=20, choices=MutualType.choices, blank=True)
    legal_status = models.CharField(
        _("legal status"), max_length=20, choices=LegalStatus.choices, blank=True
    )
    union = models.ForeignKey(
        Union, verbose_name=_("union or network"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="mutuals",
    )
    supporting_organizations = models.ManyToManyField(
        SupportingOrganization, verbose_name=_("supporting organizations"), blank=True,
        related_name="mutuals",
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("managers"), blank=True,
        related_name="managed_mutuals",
    )
    registration_state = models.CharField(
        _("registration"), max_length=10, choices=RegistrationState.choices,
        default=RegistrationState.PENDING,
    )
    is_public = models.BooleanField(_("shown to the public"), default=True)
    # Who asked for the mutual to be listed (a manager signing up, a supporting organization), and
    # the focal point's decision.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="registered_mutuals",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("focal point's comment"), blank=True)
    # The organization's own contact details: public.
    address = models.TextField(_("postal address"), blank=True)
    phone = models.CharField(_("telephone (office)"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail (office)"), blank=True)
    # The contact person: personal data, never on a public page or in a public download.
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_phone = models.CharField(_("contact person's telephone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact person's e-mail"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MutualQuerySet.as_manager()

    PERSONAL_FIELDS = ("contact_name", "contact_phone", "contact_email")

    class Meta:
        verbose_name = _("mutual")
        verbose_name_plural = _("mutuals")
        ordering = ["country", "name"]
        constraints = [
            # Identifiers are given on approval only: a pending or rejected sign-up consumes none.
            models.CheckConstraint(
                condition=~models.Q(registration_state=RegistrationState.APPROVED)
                | models.Q(mutual_id__isnull=False),
                name="approved_mutual_has_identifier",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.mutual_id})" if self.mutual_id else self.name

    def save(self, *args, **kwargs):
        """An approved mutual without an identifier gets the country's next one, in the same
        transaction; a pending or rejected one stays without (nothing consumed)."""
        if self.mutual_id or self.registration_state != RegistrationState.APPROVED:
            self.mutual_id = self.mutual_id or None
            super().save(*args, **kwargs)
            return
        with transaction.atomic():
            self.mutual_id = next_mutual_id(self.country)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "mutual_id"}
            super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._synthesis_place = instance.synthesis_place()
        return instance

    def synthesis_place(self) -> tuple | None:
        """(country, public or not) as they are now, None if one was not loaded: what the signals
        compare with the state it was loaded in, to record what a save touched."""
        data = self.__dict__
        if not {"country_id", "registration_state", "is_public"} <= data.keys():
            return None
        return (data["country_id"],
                data["registration_state"] == RegistrationState.APPROVED and bool(data["is_public"]))


def next_mutual_id(country: Country) -> str:
    """The next identifier for `country` (locks the country's counter until the transaction ends).

    Above the counter and above any identifier already in use: an import may bring its own.
    """
    sequence, _created = MutualIdSequence.objects.select_for_update().get_or_create(country=country)
    taken = Mutual.objects.filter(country=country, mutual_id__isnull=False).values_list(
        "mutual_id", flat=True
    )
    highest = max((int(m.split("-")[1]) for m in taken), default=0)
    sequence.last_number = max(sequence.last_number, highest) + 1
    sequence.save(update_fields=["last_number"])
    return f"{country.code}-{sequence.last_number:04d}"
