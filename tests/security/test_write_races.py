"""Write races: two editors publishing the same version number, one draft published twice at
once, and a version number that exists twice from before the unique index."""

import sqlite3
import threading
from datetime import date

import pytest

from handbook.identity.auth import User
from handbook.publishing import drafts as pub
from handbook.publishing.revisions import in_force, load_current
from tests.conftest import guideline_text, write

TODAY = date(2026, 11, 23)
EDITOR = User("rikke", "Rikke", "redaktør")
SECOND_EDITOR = User("sofie", "Sofie", "redaktør")


@pytest.fixture
def loaded(paths, store):
    write(paths.guidelines_dir / "u.md", guideline_text())
    return load_current(store, paths, TODAY)


def draft_of_next_version(store, paths, actor, extra):
    revision = in_force(load_current(store, paths, TODAY).revisions["underretninger"], TODAY)
    draft_id = pub.start_new_version(store, actor, revision, TODAY)
    draft = pub.get_draft(store, draft_id)
    fields, body = pub.split_text(draft.text)
    fields.update(change_note="Nye frister.")
    config = load_current(store, paths, TODAY).library.config
    assert pub.save_draft(store, actor, draft_id, pub.compose_text(fields, body + f"\n\n{extra}\n", list(fields)), draft.lock, config, {"underretninger"}) == []
    return draft_id


def publish_at_once(store, paths, jobs):
    """Publish (actor, draft_id) pairs from threads released together; return results."""
    config = load_current(store, paths, TODAY).library.config
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, actor, draft_id):
        barrier.wait()
        try:
            results[index] = pub.publish(store, actor, draft_id, TODAY, config, {"underretninger"}, require_review=False)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each publisher got
            results[index] = exc

    threads = [threading.Thread(target=worker, args=(i, actor, draft_id)) for i, (actor, draft_id) in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("round_", range(3))
def test_two_drafts_with_the_same_version_publish_only_once(paths, store, loaded, round_):
    first = draft_of_next_version(store, paths, EDITOR, "Rikkes tekst.")
    second = draft_of_next_version(store, paths, SECOND_EDITOR, "Sofies tekst.")
    results = publish_at_once(store, paths, [(EDITOR, first), (SECOND_EDITOR, second)])
    published = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(published) == 1 and len(refused) == 1
    assert isinstance(refused[0], pub.WorkflowError) and "allerede offentliggjort" in str(refused[0])
    versions = [row["version"] for row in store.revisions("underretninger") if row["source"] == "portal"]
    assert versions == ["2.1"]


def test_one_draft_published_twice_at_once_gives_a_danish_message(paths, store, loaded):
    draft_id = draft_of_next_version(store, paths, EDITOR, "Ny tekst.")
    results = publish_at_once(store, paths, [(EDITOR, draft_id), (SECOND_EDITOR, draft_id)])
    assert sum(isinstance(r, int) for r in results) == 1
    refusal = next(r for r in results if not isinstance(r, int))
    assert isinstance(refusal, pub.WorkflowError) and not isinstance(refusal, sqlite3.Error)
    assert "allerede offentliggjort" in str(refusal)


def test_the_database_itself_refuses_a_second_published_version(paths, store, loaded):
    draft_id = draft_of_next_version(store, paths, EDITOR, "Ny tekst.")
    revision_id = pub.publish(store, EDITOR, draft_id, TODAY, load_current(store, paths, TODAY).library.config, {"underretninger"}, require_review=False)
    row = dict(store.revision(revision_id))
    del row["id"]
    row["content_hash"] = "en-anden-tekst"
    with pytest.raises(sqlite3.IntegrityError):
        with store.write() as db:
            db["revisions"].insert(row)


def test_versions_published_twice_before_the_index_existed_are_kept(tmp_path):
    """The migration must not lose history: both rows stay; the first keeps the number."""
    from sqlite_utils import Database

    from handbook.store.migrations import m012_sec_unique_versions

    db = Database(tmp_path / "old.db")
    db["revisions"].create({"id": int, "guideline_id": str, "version": str, "source": str, "status": str, "content_hash": str}, pk="id")
    for text, source in (("a", "portal"), ("b", "portal"), ("c", "fil"), ("d", "portal")):
        db["revisions"].insert({"guideline_id": "g", "version": "2.0" if text != "d" else "2.1", "source": source, "status": "published", "content_hash": text})
    m012_sec_unique_versions(db)
    rows = list(db["revisions"].rows_where(order_by="id"))
    assert [(r["content_hash"], r["published_version"]) for r in rows] == [("a", "2.0"), ("b", None), ("c", None), ("d", "2.1")]
    with pytest.raises(sqlite3.IntegrityError):
        db["revisions"].insert({"guideline_id": "g", "version": "2.1", "source": "portal", "status": "published", "content_hash": "e", "published_version": "2.1"})
