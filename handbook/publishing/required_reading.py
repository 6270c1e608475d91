"""Required reading: leaders make a guideline required reading for a role. Users of that role
see it first under "Nyt siden sidst" and are notified when it is made required."""

from __future__ import annotations

from handbook.identity.auth import ROLES, User, check_role, require
from handbook.store.database import Store, utc_now


def set_required(store: Store, actor: User | None, guideline_id: str, roles: list[str]) -> tuple[list[str], list[str]]:
    """Make the guideline required reading for exactly these roles (leaders only); return the
    roles added and removed."""
    actor = require(actor, "reports")
    wanted = {check_role(role) for role in roles}
    current = set(roles_for(store, guideline_id))
    added, removed = sorted(wanted - current), sorted(current - wanted)
    with store.write() as db:
        for role in added:
            db.table("required_reading").insert({"guideline_id": guideline_id, "role": role, "set_by": actor.name, "created_at": utc_now()})
        for role in removed:
            db.execute("DELETE FROM required_reading WHERE guideline_id = ? AND role = ?", [guideline_id, role])
        if added or removed:
            labels = ", ".join(ROLES[r] for r in sorted(wanted)) or "ingen"
            store.audit(db, actor.name, "læsepligt", guideline_id, f"roller: {labels}")
    return added, removed


def roles_for(store: Store, guideline_id: str) -> list[str]:
    return [row[0] for row in store.db.execute("SELECT role FROM required_reading WHERE guideline_id = ? ORDER BY role", [guideline_id])]


def required_for_role(store: Store, role: str) -> list[str]:
    """The ids of guidelines that are required reading for a role."""
    return [row[0] for row in store.db.execute("SELECT guideline_id FROM required_reading WHERE role = ? ORDER BY guideline_id", [role])]


def users_with_role(store: Store, role: str) -> list[str]:
    return [row[0] for row in store.db.execute("SELECT name FROM users WHERE role = ? AND active = 1 ORDER BY name", [role])]
