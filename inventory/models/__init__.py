from .campaigns import Campaign, CampaignMessage
from .registry import Country, Mutual, MutualIdSequence, SupportingOrganization, Union, next_mutual_id
from .returns import ReturnRevision, ReturnTransition, YearlyReturn
from .state import InventoryState

__all__ = [
    "Campaign", "CampaignMessage", "Country", "InventoryState", "Mutual", "MutualIdSequence",
    "ReturnRevision", "ReturnTransition", "SupportingOrganization", "Union", "YearlyReturn", "next_mutual_id",
]
