"""Third review, "also seen": unread notifications and the audit log were never purged. Now
notifications, read or not, go after `retention_days`; the audit log after
`audit_retention_days` (730, the trail a later inquiry needs; docs/security.md)."""

from datetime import UTC, datetime, timedelta

from handbook.identity import auth
from handbook.publishing import notifications
from handbook.retention import purge
from handbook.settings import PROJECT_ROOT, PortalConfig, load_portal_config

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def backdate(store, table: str, column: str, days: int, where: str = "1") -> None:
    with store.write() as db:
        db.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", [(NOW - timedelta(days=days)).isoformat()])


def test_unread_notifications_are_purged_after_the_retention(store):
    auth.add_user(store, "mads", "en-lang-adgangskode", "medarbejder")
    for message in ("gammel ulæst", "gammel læst", "ny ulæst"):
        notifications.notify(store, ["mads"], "new_version", message, settings=lambda: None)
    notifications.mark_read(store, "mads", next(n.id for n in notifications.for_user(store, "mads") if n.message == "gammel læst"))
    backdate(store, "notifications", "created_at", 181, "message LIKE 'gammel%'")
    report = purge(store, PortalConfig(retention_days=180), now=NOW)
    assert report.notifications == 2
    assert [n.message for n in notifications.for_user(store, "mads")] == ["ny ulæst"]


def test_the_audit_log_is_kept_for_audit_retention_days_and_then_purged(store):
    admin = auth.add_user(store, "anne", "en-lang-adgangskode", "admin")
    auth.add_user(store, "mads", "en-lang-adgangskode", "medarbejder")
    auth.set_role(store, "mads", "redaktør", admin)
    entries = store.db.execute("SELECT count(*) FROM audit").fetchone()[0]
    assert entries >= 2
    backdate(store, "audit", "at", 729)
    assert purge(store, PortalConfig(retention_days=180), now=NOW).audit_entries == 0  # kept longer than the 180 days
    backdate(store, "audit", "at", 731, "rowid IN (SELECT rowid FROM audit ORDER BY rowid LIMIT 2)")
    old = 2
    report = purge(store, PortalConfig(retention_days=180, audit_retention_days=730), now=NOW)
    assert report.audit_entries == old > 0
    assert store.db.execute("SELECT count(*) FROM audit").fetchone()[0] == entries - old
    assert "poster i hændelsesloggen" in report.text()


def test_the_bundled_configuration_names_the_audit_retention():
    assert load_portal_config(PROJECT_ROOT / "config" / "portal.yaml").audit_retention_days == 730
