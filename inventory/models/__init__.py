from .campaigns import Campaign, CampaignMessage
from .registry import Country, Mutual, MutualIdSequence, SupportingOrganization, Union, next_mutual_id
from .returns import ReturnRevision, ReturnTransition, YearlyReturn

__all__ = [
    "Campaign", "CampaignMessage", "Country", "Mutual", "MutualIdSequence", "ReturnRevision",
    "ReturnTransition", "SupportingOrganization", "Union", "YearlyReturn", "next_mutual_id",
]
