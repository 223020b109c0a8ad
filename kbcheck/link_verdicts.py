"""What an external link check concluded about one URL.

Apart from the checker (`external_links.py`, which needs asyncio and httpx) so that the link
rules, and with them `kbcheck rules`, load without either.
"""

from __future__ import annotations

from dataclasses import dataclass

OK = "ok"
DEAD = "dead"
UNVERIFIED = "unverified"


@dataclass(frozen=True)
class Verdict:
    """What one URL answered. `redirect_to` is the address reached through the permanent
    redirects at the start of the chain (the one to write in the article instead)."""

    url: str
    state: str
    reason: str
    status: int | None = None
    redirect_to: str | None = None
    cached: bool = False
