"""Labels of the contract's coded values (`enum` constraints of returns.schema.json).

The codes are the contract's and never change; a test checks every enum is covered exactly.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MutualType(models.TextChoices):
    COMMUNITY = "community", _("Community / geographic")
    SOCIO_PROFESSIONAL = "socio_professional", _("Socio-professional")
    ENTERPRISE = "enterprise", _("Enterprise-based")
    MICROFINANCE = "microfinance", _("Linked to a microfinance institution")
    FAITH_BASED = "faith_based", _("Faith-based")
    CIVIL_SERVANTS = "civil_servants", _("Civil servants")
    STUDENTS = "students", _("Students")
    OTHER = "other", _("Other")


class LegalStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    PENDING = "pending", _("Registration pending")
    NOT_REGISTERED = "not_registered", _("Not registered")
    UNKNOWN = "unknown", _("Unknown")


class MutualStatus(models.TextChoices):
    PROJECT = "project", _("In project")
    SETUP = "setup", _("Being set up")
    FUNCTIONAL = "functional", _("Functional (benefits paid)")
    DORMANT = "dormant", _("In difficulty / dormant")
    CLOSED = "closed", _("Closed")


class MembershipUnit(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    FAMILY = "family", _("Family")
    GROUP = "group", _("Group")


class ContributionPeriod(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")
    OTHER = "other", _("Other")


class PaymentMode(models.TextChoices):
    THIRD_PARTY = "third_party", _("Third-party payment")
    REIMBURSEMENT = "reimbursement", _("Reimbursement")
    MIXED = "mixed", _("Mixed")


class ReturnState(models.TextChoices):
    """Where a yearly return is in its workflow (the public `validation_status` is derived)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned to the mutual")
    VALIDATED = "validated", _("Validated")


class RegistrationState(models.TextChoices):
    PENDING = "pending", _("Awaiting the focal point's approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# Contract column -> choices, for the enum checks of forms and imports.
ENUM_CHOICES = {
    "mutual_type": MutualType,
    "legal_status": LegalStatus,
    "status": MutualStatus,
    "membership_unit": MembershipUnit,
    "contribution_period": ContributionPeriod,
    "payment_mode": PaymentMode,
}
