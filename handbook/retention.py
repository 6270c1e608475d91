"""Retention: personal and usage data is deleted on a schedule, not as a side effect of page views.

What is kept and for how long (config/portal.yaml):
- checklist runs: `retention_days` after their last activity (start, tick, note, answer, closing);
- saved Trivselslinealen assessments: `retention_days` after the last assessment under the same
  reference (without a reference: after it was saved);
- saved worksheets: `retention_days` after the sheet was last saved;
- distriktsmøder (with their placements): `retention_days` after the meeting's last activity;
- searches without results: `retention_days` after the query was last searched for;
- feedback comments (the yes/no stays), sent or given-up e-mails and notifications (read or
  unread): `retention_days` after they were written;
- the audit log (who created users, changed roles, published, ...): `audit_retention_days`
  (730) after the entry, longer than the rest because it is the trail a later inquiry needs;
- failed logins (name typed and client address): `login_failure_retention_days`;
- expired login sessions: at once;
- ledelsestilsyn: case references, notes, reasons and feedback comments `tilsyn_retention_months`
  after the round closed (the answers, and so the figures, stay).

`purge` runs once when a server process starts and then every PURGE_INTERVAL in a background
thread (see portal.resources.retention_job), and from cron with `python -m handbook purge`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from handbook.checklists.runs import purge_expired
from handbook.identity.lockout import purge_failures
from handbook.methods.worksheets import purge_worksheets
from handbook.publishing import mail, notifications
from handbook.publishing.feedback import purge_feedback_comments
from handbook.settings import PortalConfig
from handbook.store.database import Store
from handbook.tilsyn.retention import purge_rounds
from handbook.trivsel.assessments import purge_assessments
from handbook.trivsel.district_meeting import purge_meetings

PURGE_INTERVAL = timedelta(hours=1)
log = logging.getLogger("handbook")


@dataclass(frozen=True)
class PurgeReport:
    runs: int
    assessments: int
    worksheets: int
    search_misses: int
    login_failures: int
    sessions: int
    feedback_comments: int = 0
    mails: int = 0
    notifications: int = 0
    tilsyn_rounds: int = 0
    audit_entries: int = 0
    search_answers: int = 0
    meetings: int = 0

    def text(self) -> str:
        return (
            f"Slettet: {self.runs} tjeklisteforløb, {self.assessments} vurderinger, {self.worksheets} arbejdsark, {self.meetings} distriktsmøder, "
            f"{self.search_misses} søgninger uden svar, {self.search_answers} søgninger med svar, {self.feedback_comments} kommentarer, {self.mails} e-mails, {self.notifications} notifikationer, {self.audit_entries} poster i hændelsesloggen, "
            f"sagsnumre og noter fra {self.tilsyn_rounds} tilsynsrunder, "
            f"{self.login_failures} mislykkede log-ind-forsøg og {self.sessions} udløbne sessioner."
        )


def purge(store: Store, config: PortalConfig, now: datetime | None = None) -> PurgeReport:
    """Delete everything past its retention (see the module docstring); return the counts."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    limit = (moment - timedelta(days=config.retention_days)).isoformat(timespec="microseconds")
    failures_limit = (moment - timedelta(days=config.login_failure_retention_days)).isoformat(timespec="microseconds")
    audit_limit = (moment - timedelta(days=config.audit_retention_days)).isoformat(timespec="microseconds")
    with store.write() as db:
        audit_entries = db.execute("DELETE FROM audit WHERE at < ?", [audit_limit]).rowcount
        misses = db.execute("DELETE FROM search_misses WHERE last_seen < ?", [limit]).rowcount
        answers = db.execute("DELETE FROM search_answers WHERE last_seen < ?", [limit]).rowcount
        sessions = db.execute("DELETE FROM sessions WHERE expires_at < ?", [moment.isoformat(timespec="microseconds")]).rowcount
    return PurgeReport(
        runs=purge_expired(store, config.retention_days, now=moment),
        assessments=purge_assessments(store, config.retention_days, now=moment),
        worksheets=purge_worksheets(store, config.retention_days, now=moment),
        search_misses=misses,
        login_failures=purge_failures(store, failures_limit),
        sessions=sessions,
        feedback_comments=purge_feedback_comments(store, config.retention_days, now=moment),
        mails=mail.purge_outbox(store, config.retention_days, now=moment),
        notifications=notifications.purge_read(store, config.retention_days, now=moment),
        audit_entries=audit_entries,
        tilsyn_rounds=purge_rounds(store, config.tilsyn_retention_months, now=moment),
        search_answers=answers,
        meetings=purge_meetings(store, config.retention_days, now=moment),
    )
