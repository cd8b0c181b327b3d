"""The metric vocabulary: what accord calls each count, and what kind of evidence it is.

Every network's adapter returns its counts under these names (its own `METRICS` says which it
reports); objectives, the metrics files and the report read them. Metrics fall in three classes.
Business metrics show a campaign moved the business; engagement shows people talked back; vanity
counts grow with spend and noise and show neither.
"""
from __future__ import annotations

# Counts a network reports per post (an adapter leaves out what its network does not report: a
# missing count is unknown, never zero).
IMPRESSIONS = "impressions"
LIKES = "likes"
REPOSTS = "reposts"
REPLIES = "replies"
QUOTES = "quotes"
BOOKMARKS = "bookmarks"
LINK_CLICKS = "link_clicks"
PROFILE_CLICKS = "profile_clicks"
ENGAGEMENTS = "engagements"  # every interaction the network counts; derived where it reports none
NETWORK = (IMPRESSIONS, LIKES, REPOSTS, REPLIES, QUOTES, BOOKMARKS, LINK_CLICKS, PROFILE_CLICKS, ENGAGEMENTS)

# Interactions summed into `engagements` where a network reports no such total.
INTERACTIONS = (LIKES, REPOSTS, REPLIES, QUOTES, BOOKMARKS, LINK_CLICKS, PROFILE_CLICKS)

# Derived by accord, never fetched: engagements per impression.
ENGAGEMENT_RATE = "engagement_rate"

# Counts no network reports: they come as CSV under state/business/ (web analytics, a CRM).
BUSINESS = ("sign_ups", "trials", "applications", "leads", "sales")

CLASSES = {
    "business": (LINK_CLICKS, *BUSINESS),
    "engagement": (REPLIES, REPOSTS, QUOTES, BOOKMARKS, PROFILE_CLICKS, ENGAGEMENTS, ENGAGEMENT_RATE),
    "vanity": (IMPRESSIONS, LIKES, "followers"),
}
CLASS_OF = {m: cls for cls, names in CLASSES.items() for m in names}


def class_of(metric: str) -> str | None:
    """business, engagement or vanity; None for a name accord does not know."""
    return CLASS_OF.get(metric)


def with_engagements(counts: dict[str, int]) -> dict[str, int]:
    """`counts` with `engagements` summed from the interactions it holds, unless the network
    gave its own total."""
    if ENGAGEMENTS in counts:
        return counts
    return {**counts, ENGAGEMENTS: sum(counts.get(name, 0) for name in INTERACTIONS)}
