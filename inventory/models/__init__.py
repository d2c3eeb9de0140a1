from .campaigns import Campaign, CampaignMessage
from .exchange_rates import ExchangeRate
from .import_jobs import ImportJob
from .registry import (
    COUNTRY_ROLES,
    Mutual,
    MutualIdSequence,
    OrganizationRole,
    OrganizationRoleKind,
    SupportingOrganization,
    Union,
    next_mutual_id,
)
from .releases import DatasetDownloadCount, GuestbookEntry, Release, ReleaseFile
from .returns import ReturnRevision, ReturnTransition, YearlyReturn
from .state import InventoryState

__all__ = [
    "COUNTRY_ROLES", "Campaign", "CampaignMessage", "DatasetDownloadCount", "ExchangeRate",
    "GuestbookEntry", "ImportJob", "InventoryState", "Mutual", "MutualIdSequence", "OrganizationRole",
    "OrganizationRoleKind", "Release", "ReleaseFile", "ReturnRevision", "ReturnTransition",
    "SupportingOrganization", "Union", "YearlyReturn", "next_mutual_id",
]
