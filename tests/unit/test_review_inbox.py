"""Review inbox, review_required, notifications (portal and e-mail through a real SMTP server),
following a guideline and required reading."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from handbook.identity import auth
from handbook.publishing import drafts as pub
from handbook.publishing import mail, notifications
from handbook.publishing.follows import followers, set_following
from handbook.publishing.required_reading import required_for_role, set_required
from handbook.publishing.revisions import in_force, load_current
from handbook.settings import PortalConfig, load_portal_config
from handbook.store.database import Store
from tests.conftest import guideline_text, write
from tests.smtp_server import free_port, smtp_server

TODAY = date.today()
PASSWORD = "en-lang-adgangskode"


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "data" / "handbook.db")


@pytest.fixture
def people(store):
    made = {}
    for name, role in (("adm", "admin"), ("rikke", "redaktør"), ("sofie", "redaktør"), ("mads", "medarbejder")):
        made[name] = auth.add_user(store, name, PASSWORD, role, name.title())
        store.db.execute("UPDATE users SET email = ? WHERE name = ?", [f"{name}@kommune.dk", name])
    return made


@pytest.fixture
def loaded(paths, store):
    write(paths.guidelines_dir / "u.md", guideline_text())
    return load_current(store, paths, TODAY)


def draft_of_new_version(store, loaded, editor):
    draft_id = pub.start_new_version(store, editor, in_force(loaded.revisions["underretninger"], TODAY), TODAY)
    draft = pub.get_draft(store, draft_id)
    fields, body = pub.split_text(draft.text)
    fields.update(change_note="Nye frister.", effective=TODAY.isoformat())
    pub.save_draft(store, editor, draft_id, pub.compose_text(fields, body + "\n\nNy regel.\n", list(fields)), draft.lock, loaded.library.config, {"underretninger"})
    return draft_id


def no_mail():
    return None


def test_review_is_required_by_default_and_can_be_switched_off(paths, tmp_path):
    assert load_portal_config(paths.config_dir / "portal.yaml").review_required is True
    off = write(tmp_path / "portal.yaml", "review_required: false\n")
    assert load_portal_config(off).review_required is False
    bad = write(tmp_path / "bad.yaml", "organisation: X\nreview_required: måske\n")
    with pytest.raises(Exception, match="review_required"):
        load_portal_config(bad)


def test_with_review_required_an_unreviewed_draft_is_neither_offered_nor_published(store, people, loaded, monkeypatch):
    monkeypatch.setattr(notifications, "env_settings", no_mail)
    config = loaded.library.config
    draft_id = draft_of_new_version(store, loaded, people["rikke"])
    draft = pub.get_draft(store, draft_id)
    assert not pub.may_publish(draft, config)
    assert pub.may_publish(draft, PortalConfig(review_required=False))
    with pytest.raises(pub.WorkflowError, match="skal godkendes af en anden redaktør"):
        pub.publish(store, people["rikke"], draft_id, TODAY, config, {"underretninger"})
    pub.submit_for_review(store, people["rikke"], draft_id, TODAY, loaded.library.config, {"underretninger"})
    assert [d.id for d in pub.review_inbox(store, people["sofie"])] == [draft_id]
    assert pub.review_inbox(store, people["rikke"]) == []  # not one's own draft
    assert pub.review_inbox(store, people["mads"]) == []
    pub.approve(store, people["sofie"], draft_id)
    assert pub.review_inbox(store, people["sofie"]) == []
    assert pub.may_publish(pub.get_draft(store, draft_id), config)
    pub.publish(store, people["sofie"], draft_id, TODAY, config, {"underretninger"})
    assert pub.get_draft(store, draft_id).status == pub.PUBLISHED


def test_the_workflow_notifies_reviewers_authors_and_followers(store, people, loaded, monkeypatch):
    monkeypatch.setattr(notifications, "env_settings", no_mail)
    set_following(store, people["mads"], "underretninger", True)
    assert followers(store, "underretninger") == ["mads"]
    draft_id = draft_of_new_version(store, loaded, people["rikke"])
    pub.submit_for_review(store, people["rikke"], draft_id, TODAY, loaded.library.config, {"underretninger"})
    for reviewer in ("sofie", "adm"):
        [note] = notifications.for_user(store, reviewer)
        assert note.kind == "review_requested" and "»Modtagelse af underretninger«" in note.message and note.link == f"rediger?kladde={draft_id}"
    assert notifications.for_user(store, "rikke") == [] and notifications.for_user(store, "mads") == []
    pub.send_back(store, people["sofie"], draft_id, "Ret fristen for kvittering.")
    assert notifications.unread_count(store, "adm") == 0  # handled by sofie: no longer waiting
    [back] = notifications.for_user(store, "rikke")
    assert back.kind == "sent_back" and "Ret fristen" not in back.message  # no free text
    pub.submit_for_review(store, people["rikke"], draft_id, TODAY, loaded.library.config, {"underretninger"})
    pub.approve(store, people["sofie"], draft_id)
    assert notifications.for_user(store, "rikke")[0].kind == "approved"
    pub.publish(store, people["sofie"], draft_id, TODAY, loaded.library.config, {"underretninger"})
    [new] = notifications.for_user(store, "mads")
    assert new.kind == "new_version" and "Version 2.1 af »Modtagelse af underretninger«" in new.message
    assert notifications.unread_count(store, "mads") == 1
    notifications.mark_read(store, "mads")
    assert notifications.unread_count(store, "mads") == 0
    set_following(store, people["mads"], "underretninger", False)
    assert followers(store, "underretninger") == []


def test_owners_are_told_once_when_a_review_date_approaches(store, people, paths):
    write(paths.guidelines_dir / "u.md", guideline_text(owner="owner: Rikke", review_by=f"review_by: {(TODAY + timedelta(days=10)).isoformat()}"))
    library = load_current(store, paths, TODAY).library
    assert notifications.review_dates_due(store, library, TODAY, within_days=30) == 1
    assert notifications.review_dates_due(store, library, TODAY + timedelta(days=1), within_days=30) == 0  # once
    [note] = notifications.for_user(store, "rikke")
    assert note.kind == "review_due" and "Revisionsdatoen for »Modtagelse af underretninger«" in note.message
    assert notifications.review_dates_due(store, library, TODAY - timedelta(days=40), within_days=30) == 0  # not yet due


def test_leaders_make_a_guideline_required_reading_for_a_role(store, people):
    with pytest.raises(auth.PermissionDenied):
        set_required(store, people["mads"], "underretninger", ["medarbejder"])
    added, removed = set_required(store, people["rikke"], "underretninger", ["medarbejder"])
    assert (added, removed) == (["medarbejder"], [])
    assert required_for_role(store, "medarbejder") == ["underretninger"]
    set_required(store, people["rikke"], "underretninger", [])
    assert required_for_role(store, "medarbejder") == []


def smtp_settings(port: int) -> mail.SmtpSettings:
    return mail.SmtpSettings(host="127.0.0.1", port=port, starttls=False, sender="haandbogen@kommune.dk", portal_url="https://haandbog.kommune.dk", timeout=5)


def test_notifications_are_emailed_in_danish_through_a_real_smtp_server(store, people):
    with smtp_server() as (port, inbox):
        settings = smtp_settings(port)
        notifications.notify(store, ["mads"], "new_version", "Version 9 af »X« er offentliggjort.", "retningslinje?id=x", settings=lambda: settings)
        assert mail.deliver_due(store, settings) == 1
        [message] = inbox.wait_for(1)
        assert message["To"] == "mads@kommune.dk" and message["From"] == "haandbogen@kommune.dk"
        assert message["Subject"] == "Håndbogen: Ny version"
        body = message.get_content()
        assert "Hej Mads" in body and "Version 9 af »X« er offentliggjort." in body and "https://haandbog.kommune.dk/retningslinje?id=x" in body
        assert mail.pending(store) == []


def test_sending_is_retried_and_failures_are_logged_without_blocking_publishing(store, people, loaded, monkeypatch, caplog):
    dead = smtp_settings(free_port())  # nothing listens there
    monkeypatch.setattr(notifications, "env_settings", lambda: dead)
    set_following(store, people["mads"], "underretninger", True)
    draft_id = draft_of_new_version(store, loaded, people["rikke"])
    pub.submit_for_review(store, people["rikke"], draft_id, TODAY, loaded.library.config, {"underretninger"})
    pub.approve(store, people["sofie"], draft_id)
    pub.publish(store, people["sofie"], draft_id, TODAY, loaded.library.config, {"underretninger"})  # SMTP down: still published
    assert pub.get_draft(store, draft_id).status == pub.PUBLISHED
    queued = {row["recipient"] for row in mail.pending(store)}
    assert "mads@kommune.dk" in queued and "sofie@kommune.dk" in queued and "rikke@kommune.dk" in queued
    now = datetime.now(UTC)
    assert mail.deliver_due(store, dead, now) == 0
    assert "kunne ikke sendes (forsøg 1 af 5" in caplog.text
    row = next(r for r in mail.pending(store) if r["recipient"] == "mads@kommune.dk")
    assert row["attempts"] == 1 and "Error" in row["last_error"] and row["next_attempt_at"] > now.isoformat()
    assert mail.deliver_due(store, dead, now + timedelta(seconds=10)) == 0  # not due yet: no new attempt
    assert next(r for r in mail.pending(store) if r["id"] == row["id"])["attempts"] == 1
    with smtp_server() as (port, inbox):
        assert mail.deliver_due(store, smtp_settings(port), now + timedelta(minutes=2)) == len(queued)
        assert {m["To"] for m in inbox.wait_for(len(queued))} == queued
    assert mail.pending(store) == []


def test_a_message_is_given_up_after_the_last_attempt(store, caplog):
    dead = smtp_settings(free_port())
    mail.enqueue(store, "x@kommune.dk", "Håndbogen: Test", "Tekst")
    moment = datetime.now(UTC)
    for _ in range(mail.MAX_ATTEMPTS):
        mail.deliver_due(store, dead, moment)
        moment += timedelta(hours=2)
    assert mail.pending(store) == []
    assert "opgivet efter 5 forsøg" in caplog.text


def test_smtp_settings_come_from_the_config_with_secrets_outside_git(tmp_path):
    config = PortalConfig(smtp={"host": "smtp.kommune.dk", "port": 25, "starttls": True, "sender": "hb@kommune.dk"})
    secrets = write(tmp_path / "secrets.toml", '[smtp]\nuser = "hb"\npassword = "hemmelig"\n')
    settings = mail.smtp_settings(config, {}, secrets)
    assert (settings.host, settings.port, settings.starttls, settings.user, settings.password) == ("smtp.kommune.dk", 25, True, "hb", "hemmelig")
    from_env = mail.smtp_settings(config, {"HANDBOOK_SMTP_PORT": "2525", "HANDBOOK_SMTP_STARTTLS": "false", "HANDBOOK_SMTP_PASSWORD": "fra-miljøet"}, Path("/nonexistent"))
    assert (from_env.port, from_env.starttls, from_env.password) == (2525, False, "fra-miljøet")
    assert mail.smtp_settings(PortalConfig(), {}, Path("/nonexistent")) is None


def test_a_failing_notification_never_undoes_or_blocks_publishing(store, people, loaded, monkeypatch, caplog):
    def broken(*_):
        raise RuntimeError("notifikationstabellen er væk")

    monkeypatch.setattr(notifications, "followers", broken)
    draft_id = draft_of_new_version(store, loaded, people["rikke"])
    pub.publish(store, people["rikke"], draft_id, TODAY, loaded.library.config, {"underretninger"}, require_review=False)
    assert pub.get_draft(store, draft_id).status == pub.PUBLISHED
    assert "Notifikationer for new_version kunne ikke laves" in caplog.text


def test_sent_mail_and_read_notifications_are_deleted_after_the_retention(store, people):
    with smtp_server() as (port, inbox):
        notifications.notify(store, ["mads"], "new_version", "Version 3 af »X« er offentliggjort.", settings=lambda: smtp_settings(port))
        mail.deliver_due(store, smtp_settings(port))
    assert mail.purge_outbox(store, 30) == 0
    assert mail.purge_outbox(store, 30, now=datetime.now(UTC) + timedelta(days=31)) == 1
    notifications.mark_read(store, "mads")
    assert notifications.purge_read(store, 30) == 0
    store.db.execute("UPDATE notifications SET created_at = '2020-01-01T00:00:00+00:00'")
    assert notifications.purge_read(store, 30) == 1 and notifications.for_user(store, "mads") == []


def test_sending_for_review_checks_what_publishing_needs_so_an_approved_draft_can_be_published(store, people, loaded, monkeypatch):
    monkeypatch.setattr(notifications, "env_settings", no_mail)
    config = loaded.library.config
    draft_id = pub.start_new_version(store, people["rikke"], in_force(loaded.revisions["underretninger"], TODAY), TODAY)
    draft = pub.get_draft(store, draft_id)
    fields, body = pub.split_text(draft.text)
    fields.update(change_note="", effective=TODAY.isoformat())
    pub.save_draft(store, people["rikke"], draft_id, pub.compose_text(fields, body + "\n\nNy regel.\n", list(fields)), draft.lock, config, {"underretninger"})
    with pytest.raises(pub.WorkflowError, match="ændringsnote"):
        pub.submit_for_review(store, people["rikke"], draft_id, TODAY, config, {"underretninger"})
    draft = pub.get_draft(store, draft_id)
    fields.update(change_note="Nye frister.", effective=(TODAY - timedelta(days=1)).isoformat())
    pub.save_draft(store, people["rikke"], draft_id, pub.compose_text(fields, body + "\n\nNy regel.\n", list(fields)), draft.lock, config, {"underretninger"})
    with pytest.raises(pub.WorkflowError, match="ligger før i dag"):
        pub.submit_for_review(store, people["rikke"], draft_id, TODAY, config, {"underretninger"})
    assert pub.get_draft(store, draft_id).status != pub.IN_REVIEW and pub.review_inbox(store, people["sofie"]) == []
    draft = pub.get_draft(store, draft_id)
    fields.update(effective=TODAY.isoformat())
    pub.save_draft(store, people["rikke"], draft_id, pub.compose_text(fields, body + "\n\nNy regel.\n", list(fields)), draft.lock, config, {"underretninger"})
    pub.submit_for_review(store, people["rikke"], draft_id, TODAY, config, {"underretninger"})
    pub.approve(store, people["sofie"], draft_id)
    pub.publish(store, people["sofie"], draft_id, TODAY, config, {"underretninger"})
    assert pub.get_draft(store, draft_id).status == pub.PUBLISHED


def test_a_version_diff_names_the_changed_facts_in_danish_and_diffs_the_body():
    old = "---\nid: a\ntitle: A\nversion: \"1.0\"\nlegal_refs: [\"Barnets lov § 20\"]\nreview_by: 2026-12-31\n---\nFørste linje.\n"
    new = "---\nid: a\ntitle: A\nversion: \"1.1\"\nlegal_refs: [\"Barnets lov § 20\", \"Barnets lov § 22\"]\nreview_by: 2027-06-30\n---\nFørste linje.\nAnden linje.\n"
    shown = pub.version_diff_html(old, new)
    assert "legal_refs" not in shown and "review_by" not in shown
    assert "<th scope='row'>Lovhenvisninger</th><td><del>Barnets lov § 20</del></td><td><ins>Barnets lov § 20, Barnets lov § 22</ins></td>" in shown
    assert "<th scope='row'>Revisionsdato</th><td><del>31. december 2026</del></td><td><ins>30. juni 2027</ins></td>" in shown
    assert '<div class="hb-diff-ins">Anden linje.</div>' in shown and "Titel" not in shown
