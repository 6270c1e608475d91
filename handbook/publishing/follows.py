"""Following a guideline ("Følg"): followers are notified of its new versions."""

from __future__ import annotations

from handbook.identity.auth import User, require
from handbook.store.database import Store, utc_now


def set_following(store: Store, user: User | None, guideline_id: str, follow: bool) -> None:
    """Start or stop following a guideline (any logged-in user)."""
    user = require(user, "acknowledge")
    with store.write() as db:
        if follow:
            db.table("follows").insert({"user": user.name, "guideline_id": guideline_id, "created_at": utc_now()}, ignore=True)
        else:
            db.execute("DELETE FROM follows WHERE user = ? AND guideline_id = ?", [user.name, guideline_id])


def is_following(store: Store, user: User | None, guideline_id: str) -> bool:
    if user is None:
        return False
    return bool(store.db.execute("SELECT 1 FROM follows WHERE user = ? AND guideline_id = ?", [user.name, guideline_id]).fetchone())


def followers(store: Store, guideline_id: str) -> list[str]:
    """The names of the active users who follow a guideline."""
    rows = store.db.execute("SELECT f.user FROM follows f JOIN users u ON u.name = f.user WHERE f.guideline_id = ? AND u.active = 1 ORDER BY f.user", [guideline_id])
    return [row[0] for row in rows]


def followed_by(store: Store, name: str) -> list[str]:
    return [row[0] for row in store.db.execute("SELECT guideline_id FROM follows WHERE user = ? ORDER BY guideline_id", [name])]
