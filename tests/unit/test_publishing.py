"""Versions and publishing: revisions from file edits, point-in-time, scheduling, review,
conflicts, retiring, roles enforced in handbook/, acknowledgements and the audit log."""

from datetime import date, timedelta

import pytest

from handbook.identity import auth
from handbook.identity.auth import PermissionDenied, User
from handbook.privacy.cpr import PersonalDataError
from handbook.publishing import drafts as pub
from handbook.publishing.acknowledgements import acknowledge, news_for, reading_status, reading_status_csv, review_due
from handbook.publishing.revisions import in_force, load_current, scheduled
from handbook.store.database import Store
from tests.conftest import guideline_text, write

TODAY = date(2026, 11, 23)
EDITOR = User("rikke", "Rikke", "redaktør")
SECOND_EDITOR = User("sofie", "Sofie", "redaktør")
CASEWORKER = User("mads", "Mads", "medarbejder")


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "data" / "handbook.db")


@pytest.fixture
def handbook(paths, store):
    """One guideline file on disk, loaded (and so recorded as a revision) once."""
    write(paths.guidelines_dir / "u.md", guideline_text())
    return load_current(store, paths, TODAY)


def current_revision(store, paths, day=TODAY):
    return in_force(load_current(store, paths, day).revisions["underretninger"], day)


def new_version(store, paths, actor=EDITOR, effective=TODAY, note="Nye frister.", extra="Ny regel om kvittering."):
    """A draft of the next version with a changed body, saved; returns the draft id."""
    draft_id = pub.start_new_version(store, actor, current_revision(store, paths), TODAY)
    draft = pub.get_draft(store, draft_id)
    fields, body = pub.split_text(draft.text)
    fields.update(effective=effective.isoformat(), change_note=note)
    problems = pub.save_draft(store, actor, draft_id, pub.compose_text(fields, body + f"\n\n{extra}\n", list(fields)), draft.lock, load_current(store, paths, TODAY).library.config, {"underretninger"})
    assert problems == []
    return draft_id


def publish(store, paths, draft_id, actor=EDITOR):
    """Publish with review switched off (review_required: false); tests/unit/test_review_inbox.py
    covers the default, where a draft must be approved first."""
    config = load_current(store, paths, TODAY).library.config
    return pub.publish(store, actor, draft_id, TODAY, config, {"underretninger"}, require_review=False)


# -- revisions and point in time ------------------------------------------------------------------


def test_a_file_edited_in_git_becomes_the_version_in_force_from_its_effective_date(paths, store, handbook):
    write(paths.guidelines_dir / "u.md", guideline_text(version='version: "2.1"', effective="effective: 2026-03-01", change_note="change_note: Rettet i git."))
    loaded = load_current(store, paths, TODAY)
    assert loaded.new_revisions == 1
    assert loaded.library.get("underretninger").version == "2.1"
    history = loaded.revisions["underretninger"]
    assert [r.version for r in history] == ["2.0", "2.1"]
    assert in_force(history, date(2026, 2, 28)).version == "2.0"
    assert in_force(history, date(2026, 3, 1)).version == "2.1"
    assert in_force(history, date(2024, 12, 31)) is None


def test_a_broken_file_leaves_its_last_good_version_in_force_and_reports_the_problem(paths, store, handbook):
    write(paths.guidelines_dir / "u.md", guideline_text(effective="effective: 2026-13-01"))
    loaded = load_current(store, paths, TODAY)
    assert loaded.library.get("underretninger").version == "2.0"
    assert any("Ugyldig dato '2026-13-01'" in p.message for p in loaded.library.problems)


def test_a_scheduled_version_is_not_in_force_before_its_date(paths, store, handbook):
    start = TODAY + timedelta(days=10)
    publish(store, paths, new_version(store, paths, effective=start))
    loaded = load_current(store, paths, TODAY)
    assert loaded.library.get("underretninger").version == "2.0"
    assert [r.version for r in scheduled(loaded.revisions["underretninger"], TODAY)] == ["2.1"]
    assert load_current(store, paths, start - timedelta(days=1)).library.get("underretninger").version == "2.0"
    on_the_day = load_current(store, paths, start).library.get("underretninger")
    assert on_the_day.version == "2.1" and "Ny regel om kvittering." in on_the_day.body


def test_publish_now_replaces_the_version_in_force_and_keeps_the_old_one(paths, store, handbook):
    revision_id = publish(store, paths, new_version(store, paths))
    loaded = load_current(store, paths, TODAY)
    current = in_force(loaded.revisions["underretninger"], TODAY)
    assert current.id == revision_id and current.author == "rikke" and current.change_note == "Nye frister."
    assert in_force(loaded.revisions["underretninger"], TODAY - timedelta(days=1)).version == "2.0"
    assert "Ny regel om kvittering." in loaded.library.get("underretninger").body


def test_publishing_refuses_a_past_date_a_used_version_and_a_missing_change_note(paths, store, handbook):
    with pytest.raises(pub.WorkflowError, match="gælde bagud"):
        publish(store, paths, new_version(store, paths, effective=TODAY - timedelta(days=1)))
    with pytest.raises(pub.WorkflowError, match="ændringsnote"):
        publish(store, paths, new_version(store, paths, note=""))
    draft_id = new_version(store, paths)
    draft = pub.get_draft(store, draft_id)
    same = draft.text.replace('version: "2.1"', 'version: "2.0"')
    pub.save_draft(store, EDITOR, draft_id, same, draft.lock, load_current(store, paths, TODAY).library.config, {"underretninger"})
    with pytest.raises(pub.WorkflowError, match="Version 2.0 er allerede offentliggjort"):
        publish(store, paths, draft_id)
    assert [r.version for r in load_current(store, paths, TODAY).revisions["underretninger"]] == ["2.0"]


def test_a_draft_with_errors_is_saved_with_line_numbers_but_not_published(paths, store, handbook):
    draft_id = new_version(store, paths)
    draft = pub.get_draft(store, draft_id)
    broken = draft.text.replace("type: retningslinje", "type: regel")
    problems = pub.save_draft(store, EDITOR, draft_id, broken, draft.lock, load_current(store, paths, TODAY).library.config, {"underretninger"})
    assert [(p.line, p.message.split(".")[0]) for p in problems] == [(broken.splitlines().index("type: regel") + 1, "Ukendt type 'regel'")]
    assert pub.get_draft(store, draft_id).text == broken
    with pytest.raises(pub.WorkflowError, match="Ukendt type 'regel'"):
        publish(store, paths, draft_id)


def test_cpr_numbers_are_refused_in_drafts(paths, store, handbook):
    draft_id = new_version(store, paths)
    draft = pub.get_draft(store, draft_id)
    with pytest.raises(PersonalDataError, match="CPR-nummer"):
        pub.save_draft(store, EDITOR, draft_id, draft.text + "\nBarnet 010203-1234\n", draft.lock, load_current(store, paths, TODAY).library.config, set())
    assert pub.get_draft(store, draft_id).text == draft.text


# -- review and conflicts --------------------------------------------------------------------------


def test_review_needs_a_second_editor_and_a_comment_to_send_back(paths, store, handbook):
    draft_id = new_version(store, paths)
    pub.submit_for_review(store, EDITOR, draft_id, TODAY, load_current(store, paths, TODAY).library.config, {"underretninger"})
    with pytest.raises(pub.WorkflowError, match="venter på godkendelse"):
        publish(store, paths, draft_id)
    with pytest.raises(pub.WorkflowError, match="En anden redaktør"):
        pub.approve(store, EDITOR, draft_id)
    with pytest.raises(pub.WorkflowError, match="kommentar"):
        pub.send_back(store, SECOND_EDITOR, draft_id, "  ")
    pub.send_back(store, SECOND_EDITOR, draft_id, "Tilføj fristen for kvittering.")
    assert pub.get_draft(store, draft_id).status == pub.SENT_BACK
    pub.submit_for_review(store, EDITOR, draft_id, TODAY, load_current(store, paths, TODAY).library.config, {"underretninger"})
    pub.approve(store, SECOND_EDITOR, draft_id)
    assert pub.get_draft(store, draft_id).status == pub.APPROVED
    publish(store, paths, draft_id)
    assert pub.get_draft(store, draft_id).status == pub.PUBLISHED


def test_the_second_of_two_editors_saving_a_draft_gets_a_conflict_and_loses_nothing(paths, store, handbook):
    draft_id = new_version(store, paths)
    opened = pub.get_draft(store, draft_id)  # both editors open the same draft
    config = load_current(store, paths, TODAY).library.config
    pub.save_draft(store, EDITOR, draft_id, opened.text + "\nRikkes ændring.\n", opened.lock, config, set())
    with pytest.raises(pub.DraftConflict, match="gemt af rikke") as conflict:
        pub.save_draft(store, SECOND_EDITOR, draft_id, opened.text + "\nSofies ændring.\n", opened.lock, config, set())
    assert "Rikkes ændring." in pub.get_draft(store, draft_id).text
    copy = pub.get_draft(store, conflict.value.copy_id)
    assert "Sofies ændring." in copy.text and copy.author == "sofie" and copy.guideline_id == "underretninger"


# -- retiring ---------------------------------------------------------------------------------------


def test_a_retired_guideline_leaves_the_handbook_from_its_date_and_keeps_its_history(paths, store, handbook):
    later = TODAY + timedelta(days=5)
    pub.retire(store, EDITOR, "underretninger", TODAY, "Erstattet af ny arbejdsgang.", later)
    assert load_current(store, paths, TODAY).library.get("underretninger") is not None
    gone = load_current(store, paths, later)
    assert gone.library.get("underretninger") is None
    assert [r.status for r in gone.revisions["underretninger"]] == ["published", "retired"]
    assert in_force(gone.revisions["underretninger"], TODAY).version == "2.0"


# -- roles ------------------------------------------------------------------------------------------


def test_roles_are_enforced_in_the_package_not_only_in_the_menu(paths, store, handbook):
    draft_id = new_version(store, paths)
    config = load_current(store, paths, TODAY).library.config
    with pytest.raises(PermissionDenied, match="Medarbejder.*offentliggøre"):
        pub.publish(store, CASEWORKER, draft_id, TODAY, config, {"underretninger"})
    with pytest.raises(PermissionDenied, match="redigere"):
        pub.start_new_version(store, CASEWORKER, current_revision(store, paths), TODAY)
    with pytest.raises(PermissionDenied, match="logget ind"):
        acknowledge(store, None, current_revision(store, paths))
    with pytest.raises(PermissionDenied):
        pub.retire(store, CASEWORKER, "underretninger", TODAY, "Nej")
    with pytest.raises(PermissionDenied):
        auth.set_role(store, "mads", "admin", EDITOR)
    with pytest.raises(PermissionDenied):
        reading_status(store, CASEWORKER, load_current(store, paths, TODAY).library, {}, TODAY)
    assert pub.get_draft(store, draft_id).status == pub.DRAFT


# -- accounts ---------------------------------------------------------------------------------------


def test_passwords_are_stored_as_salted_argon2id_hashes(store):
    auth.add_user(store, "mads", "en-lang-adgangskode", "medarbejder")
    auth.add_user(store, "sofie", "en-lang-adgangskode", "redaktør")
    first, second = store.user("mads")["password_hash"], store.user("sofie")["password_hash"]
    assert first.startswith("$argon2id$") and "en-lang-adgangskode" not in first and first != second
    assert auth.login(store, "mads", "en-lang-adgangskode").role == "medarbejder"
    with pytest.raises(auth.AuthError, match="Forkert brugernavn eller adgangskode"):
        auth.login(store, "mads", "forkert-kode-123")
    with pytest.raises(auth.AuthError, match="mindst 10 tegn"):
        auth.add_user(store, "kort", "kort", "medarbejder")


def test_five_wrong_passwords_lock_the_account_for_a_while(store):
    auth.add_user(store, "mads", "en-lang-adgangskode", "medarbejder")
    for _ in range(5):
        with pytest.raises(auth.AuthError):
            auth.login(store, "mads", "forkert-kode-123")
    with pytest.raises(auth.AuthError, match="For mange forkerte forsøg"):
        auth.login(store, "mads", "en-lang-adgangskode")


def test_a_session_token_finds_its_user_until_logged_out(store):
    user = auth.add_user(store, "mads", "en-lang-adgangskode", "medarbejder")
    token = auth.start_session(store, user)
    assert auth.user_for_session(store, token) == user
    assert auth.user_for_session(store, token + "x") is None
    auth.end_session(store, token)
    assert auth.user_for_session(store, token) is None


def test_a_proxy_or_oidc_identity_starts_as_medarbejder_and_an_admin_can_change_the_role(store):
    assert auth.external_user(store, "kari@stevns.dk", "Kari", "proxy").role == "medarbejder"
    admin = auth.add_user(store, "anne", "en-lang-adgangskode", "admin")
    auth.set_role(store, "kari@stevns.dk", "redaktør", admin)
    assert auth.external_user(store, "kari@stevns.dk", "Kari", "proxy").role == "redaktør"
    assert ("anne", "skift rolle", "kari@stevns.dk", "medarbejder → redaktør") in [(e["actor"], e["action"], e["target"], e["details"]) for e in store.audit_log()]


# -- acknowledgements, review dates, audit -----------------------------------------------------------


def test_a_new_version_appears_under_news_until_acknowledged_and_the_share_goes_up(paths, store, handbook):
    reader = auth.add_user(store, "mads", "en-lang-adgangskode", "medarbejder")
    editor = auth.add_user(store, "rikke", "en-lang-adgangskode", "redaktør")
    joined = store.user("mads")["created_at"]
    loaded = load_current(store, paths, TODAY)
    assert news_for(store, reader, loaded.library, loaded.revisions, TODAY, joined) == []
    publish(store, paths, new_version(store, paths))
    loaded = load_current(store, paths, TODAY)
    [item] = news_for(store, reader, loaded.library, loaded.revisions, TODAY, joined)
    assert (item.current.version, item.compare_to.version, item.acknowledged_before) == ("2.1", "2.0", False)
    [before] = reading_status(store, editor, loaded.library, loaded.revisions, TODAY)
    assert before.share == 0
    acknowledge(store, reader, item.current)
    assert news_for(store, reader, loaded.library, loaded.revisions, TODAY, joined) == []
    [after] = reading_status(store, editor, loaded.library, loaded.revisions, TODAY)
    assert after.share == 0.5 and [u.name for u, _ in after.read] == ["mads"] and [u.name for u in after.not_read] == ["rikke"]
    rows = reading_status_csv([after]).splitlines()
    assert rows[0].startswith("retningslinje;titel;version;bruger") and any(r.startswith("underretninger;") and ";mads;" in r and ";ja;" in r for r in rows)


def test_review_due_lists_passed_and_coming_review_dates_with_owner(paths, store):
    write(paths.guidelines_dir / "a.md", guideline_text("a", "A", review_by="review_by: 2026-11-01"))
    write(paths.guidelines_dir / "b.md", guideline_text("b", "B", review_by="review_by: 2026-12-23"))
    write(paths.guidelines_dir / "c.md", guideline_text("c", "C", review_by="review_by: 2026-12-24"))
    due = review_due(load_current(store, paths, TODAY).library, TODAY)
    assert [(d.guideline.id, d.days_left, d.overdue) for d in due] == [("a", -22, True), ("b", 30, False)]
    assert due[0].guideline.owner == "Afdelingsleder, Myndighed Børn og Unge"


def test_every_editorial_step_is_in_the_audit_log(paths, store, handbook):
    draft_id = new_version(store, paths)
    pub.submit_for_review(store, EDITOR, draft_id, TODAY, load_current(store, paths, TODAY).library.config, {"underretninger"})
    pub.approve(store, SECOND_EDITOR, draft_id)
    publish(store, paths, draft_id)
    pub.retire(store, EDITOR, "underretninger", TODAY, "Udgår.", TODAY + timedelta(days=1))
    actions = [(e["actor"], e["action"]) for e in reversed(store.audit_log())]
    assert actions == [
        ("rikke", "opret kladde (ny version)"),
        ("rikke", "gem kladde"),
        ("rikke", "send til godkendelse"),
        ("sofie", "godkend"),
        ("rikke", "offentliggør"),
        ("rikke", "arkivér"),
    ]


def test_a_new_guideline_written_in_the_portal_is_published_and_announced(paths, store, handbook):
    reader = auth.add_user(store, "mads", "en-lang-adgangskode", "medarbejder")
    joined = store.user("mads")["created_at"]
    text = guideline_text("samvaer", "Samvær og kontakt", body="\nSamvær aftales i barnets plan.\n", change_note="change_note: Ny retningslinje.")
    with pytest.raises(pub.WorkflowError, match="bruges allerede"):
        pub.start_new_guideline(store, EDITOR, guideline_text(), {"underretninger"})
    draft_id = pub.start_new_guideline(store, EDITOR, text.replace("effective: 2025-01-01", f"effective: {TODAY.isoformat()}"), {"underretninger"})
    publish(store, paths, draft_id)
    loaded = load_current(store, paths, TODAY)
    assert loaded.library.get("samvaer").body.strip() == "Samvær aftales i barnets plan."
    assert not (paths.guidelines_dir / "samvaer.md").exists()  # it lives in the revisions
    news = news_for(store, reader, loaded.library, loaded.revisions, TODAY, joined)
    assert [(n.guideline.id, n.compare_to) for n in news] == [("samvaer", None)]


def test_a_file_reusing_a_version_number_published_in_the_portal_is_reported(paths, store, handbook):
    publish(store, paths, new_version(store, paths))  # 2.1 published in the portal
    write(paths.guidelines_dir / "u.md", guideline_text(version='version: "2.1"', body="\nAndet indhold.\n"))
    loaded = load_current(store, paths, TODAY)
    clash = [p for p in loaded.library.problems if "allerede offentliggjort i portalen" in p.message]
    assert [(p.line, p.message.split(" af ")[0]) for p in clash] == [(9, "Version 2.1 er allerede offentliggjort i portalen")]
    assert [r.version for r in loaded.revisions["underretninger"]] == ["2.0", "2.1", "2.1"]  # nothing is lost


def test_a_publication_tells_this_process_after_its_commit_and_a_refused_one_does_not(paths, store, handbook):
    """The portal reads the revision stamp from the database at most once a second, and at once
    when this process has published (Store.revision_writes): so a publisher sees the new version
    on the next page run, and a refused publication changes nothing."""
    draft_id = new_version(store, paths)
    before, stamp = store.revision_writes, store.revision_stamp()
    seen_inside: list[int] = []
    real_insert = store.insert_revision

    def insert_and_look(db, row):
        revision_id = real_insert(db, row)
        seen_inside.append(store.revision_writes)
        return revision_id

    store.insert_revision = insert_and_look
    publish(store, paths, draft_id)
    assert seen_inside == [before], "counted only after the commit"
    assert store.revision_writes == before + 1 and store.revision_stamp() != stamp
    with pytest.raises(pub.WorkflowError):
        publish(store, paths, draft_id)  # already published
    assert store.revision_writes == before + 1
