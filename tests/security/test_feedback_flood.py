"""Defect 3 of the third review: anyone could flood "Var siden nyttig?" (300 comments in 1.2 s
through the core; reload and send again from the page). Now: one answer per guideline per
browser session, a limit per client address and a cap per guideline per day, all counted in
the database in the transaction that stores the answer (so they hold across processes)."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta

import pytest

from handbook.publishing import feedback
from handbook.publishing.feedback import FeedbackRefused, give_feedback
from handbook.store.database import Store
from tests.app.conftest import texts

NOON = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def stored(store: Store, guideline_id: str = "underretning") -> int:
    return store.db.execute("SELECT count(*) FROM feedback WHERE guideline_id = ?", [guideline_id]).fetchone()[0]


def test_one_answer_per_guideline_per_session(store):
    give_feedback(store, "underretning", "2.0", True, "God side", session="tab-1", now=NOON)
    with pytest.raises(FeedbackRefused, match="Du har allerede givet en tilbagemelding på denne side"):
        give_feedback(store, "underretning", "2.0", False, "Igen", session="tab-1", now=NOON)
    give_feedback(store, "faglig-sparring", "1.0", True, session="tab-1", now=NOON)  # another page
    give_feedback(store, "underretning", "2.0", True, session="tab-2", now=NOON)  # another session
    assert stored(store) == 2


def test_a_limit_per_client_address_per_hour(store):
    for number in range(feedback.MAX_PER_CLIENT_PER_HOUR):
        give_feedback(store, "underretning", "2.0", True, f"nr. {number}", session=f"tab-{number}", client="203.0.113.9", now=NOON)
    with pytest.raises(FeedbackRefused, match="Der er sendt 10 tilbagemeldinger fra din adresse inden for en time"):
        give_feedback(store, "underretning", "2.0", True, session="ny", client="203.0.113.9", now=NOON)
    give_feedback(store, "underretning", "2.0", True, session="ny", client="203.0.113.10", now=NOON)
    give_feedback(store, "underretning", "2.0", True, session="senere", client="203.0.113.9", now=NOON + timedelta(hours=1, seconds=1))
    assert stored(store) == 12


def test_a_cap_per_guideline_per_danish_day_with_a_danish_message(store):
    for number in range(feedback.MAX_PER_GUIDELINE_PER_DAY):
        give_feedback(store, "underretning", "2.0", True, session=f"s{number}", client=f"198.51.100.{number}", now=NOON)
    with pytest.raises(FeedbackRefused, match="Retningslinjen har fået 50 tilbagemeldinger i dag, som er det højeste antal pr. dag. Prøv igen i morgen."):
        give_feedback(store, "underretning", "2.0", True, session="x", client="192.0.2.1", now=NOON)
    give_feedback(store, "faglig-sparring", "1.0", True, session="x", client="192.0.2.1", now=NOON)
    tomorrow = datetime(2026, 5, 4, 22, 1, tzinfo=UTC)  # 00:01 on 5 May in Copenhagen
    give_feedback(store, "underretning", "2.0", True, session="y", client="192.0.2.2", now=tomorrow)
    assert stored(store) == 51


def test_the_reviews_300_comments_through_the_core_store_at_most_the_daily_cap(store):
    refused = 0
    for number in range(300):
        try:
            give_feedback(store, "underretning", "2.0", False, f"Spam {number}")
        except FeedbackRefused:
            refused += 1
    assert stored(store) == feedback.MAX_PER_GUIDELINE_PER_DAY and refused == 250


def test_nothing_links_an_answer_to_its_session_or_address(store):
    give_feedback(store, "underretning", "2.0", True, "God side", session="tab-1", client="203.0.113.9", now=NOON)
    dump = "\n".join(store.db.conn.iterdump())
    assert "203.0.113.9" not in dump and "tab-1" not in dump
    assert store.db.execute("SELECT * FROM feedback").fetchone()[1:] == ("underretning", "2.0", 1, "God side", NOON.isoformat(timespec="microseconds"))


def _flood(path: str, worker: int) -> int:
    store, given = Store(__import__("pathlib").Path(path)), 0
    for attempt in range(8):
        try:
            give_feedback(store, "underretning", "2.0", True, session=f"w{worker}-{attempt}", client="203.0.113.9")
            given += 1
        except FeedbackRefused:
            pass
    return given


def test_the_address_limit_holds_across_processes(tmp_path):
    path = tmp_path / "data" / "handbook.db"
    Store(path)
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        given = pool.starmap(_flood, [(str(path), worker) for worker in range(4)])
    assert sum(given) == feedback.MAX_PER_CLIENT_PER_HOUR == stored(Store(path))


def test_the_page_takes_one_answer_per_session_and_says_when_the_day_is_full(make_app, tmp_path):
    app = make_app(page="views/retningslinje.py", id="faglig-sparring")
    app.get("button_group")[0].set_value("Ja")
    [send] = [b for b in app.button if b.label == "Send tilbagemelding"]
    send.click().run()
    assert "Tak for din tilbagemelding." in texts(app)
    assert not [b for b in app.button if b.label == "Send tilbagemelding"]  # no second answer in this session
    store = Store(tmp_path / "data" / "handbook.db")
    for number in range(feedback.MAX_PER_GUIDELINE_PER_DAY - 1):
        give_feedback(store, "faglig-sparring", "2.0", True, session=f"s{number}")
    reloaded = make_app(page="views/retningslinje.py", id="faglig-sparring")  # a reload is a new session
    reloaded.get("button_group")[0].set_value("Nej")
    [send] = [b for b in reloaded.button if b.label == "Send tilbagemelding"]
    send.click().run()
    assert "Retningslinjen har fået 50 tilbagemeldinger i dag" in " ".join(w.value for w in reloaded.warning)
    assert stored(store, "faglig-sparring") == 50
    assert not reloaded.exception
