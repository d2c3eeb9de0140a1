from .campaigns import Campaign, CampaignMessage
from .exchange_rates import ExchangeRate
from .registry import Country, Mutual, MutualIdSequence, SupportingOrganization, Union, next_mutual_id
from .releases import DatasetDownloadCount, GuestbookEntry, Release, ReleaseFile
from .returns import ReturnRevision, ReturnTransition, YearlyReturn
from .state import InventoryState

__all__ = [
    "Campaign", "CampaignMessage", "Country", "DatasetDownloadCount", "ExchangeRate", "GuestbookEntry",
    "InventoryState", "Mutual", "MutualIdSequence", "Release", "ReleaseFile", "ReturnRevision",
    "ReturnTransition", "SupportingOrganization", "Union", "YearlyReturn", "next_mutual_id",
]
