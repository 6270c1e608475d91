"""Who owns a guideline in the portal: users whose login or display name is the guideline's
`owner`, and the redaktører who published a version of it in the portal. Owners see the
feedback on it and are told when its review date approaches."""

from __future__ import annotations

from handbook.content.guideline import Guideline
from handbook.identity.auth import User
from handbook.publishing.revisions import PORTAL_SOURCE
from handbook.store.database import Store


def owner_names(store: Store, guideline: Guideline) -> list[str]:
    """The names of the active users who own a guideline."""
    owner = guideline.owner.strip().casefold()
    names = {row["name"] for row in store.users() if row["active"] and owner in (row["name"].casefold(), (row["display_name"] or "").casefold())}
    names |= {row["author"] for row in store.revisions(guideline.id) if row["source"] == PORTAL_SOURCE and row["author"]}
    active = {row["name"] for row in store.users() if row["active"]}
    return sorted(names & active)


def is_owner(store: Store, user: User | None, guideline: Guideline) -> bool:
    return user is not None and user.name in owner_names(store, guideline)
