"""Feedback on guidelines (CPR-guarded, retention, who sees it) and the reading plan of a new user."""

from datetime import UTC, date, datetime, timedelta

import pytest

from handbook.identity import auth
from handbook.identity.auth import PermissionDenied, User
from handbook.privacy.cpr import PersonalDataError
from handbook.publishing.acknowledgements import acknowledge, reading_plan
from handbook.publishing.feedback import feedback_for, feedback_overview, give_feedback, may_see_feedback, purge_feedback_comments
from handbook.publishing.revisions import in_force, load_current
from handbook.store.database import Store
from tests.conftest import guideline_text, write

TODAY = date(2026, 11, 23)
LEADER = User("lis", "Lis Leder", "redaktør")
CASEWORKER = User("mads", "Mads", "medarbejder")


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "data" / "handbook.db")


@pytest.fixture
def loaded(paths, store):
    write(paths.guidelines_dir / "u.md", guideline_text(owner="owner: Olga Ejer"))
    write(paths.guidelines_dir / "b.md", guideline_text("bfu", "Børnefaglig undersøgelse", sagsskridt="sagsskridt: 2"))
    write(paths.guidelines_dir / "s.md", guideline_text("samtale", "Børnesamtale", sagsskridt="sagsskridt: 3"))
    return load_current(store, paths, TODAY)


def test_feedback_is_cpr_guarded_and_seen_by_owner_and_leaders_only(store, loaded):
    guideline = loaded.library.get("underretninger")
    give_feedback(store, "underretninger", "2.0", True, "Klar og kort.")
    give_feedback(store, "underretninger", "2.0", False)
    with pytest.raises(PersonalDataError, match="Kommentaren ser ud til at indeholde et CPR-nummer"):
        give_feedback(store, "underretninger", "2.0", False, "Sagen om 010203-1234 passer ikke")
    owner = auth.add_user(store, "olga", "en-lang-adgangskode", "medarbejder", "Olga Ejer")
    assert may_see_feedback(store, owner, guideline) and may_see_feedback(store, LEADER, guideline)
    assert not may_see_feedback(store, CASEWORKER, guideline) and not may_see_feedback(store, None, guideline)
    with pytest.raises(PermissionDenied):
        feedback_for(store, CASEWORKER, guideline)
    summary = feedback_for(store, owner, guideline)
    assert (summary.useful, summary.not_useful) == (1, 1)
    assert [c[3] for c in summary.comments] == ["Klar og kort."]
    assert feedback_overview(store, LEADER) == {"underretninger": (1, 1, 1)}


def test_feedback_comments_are_deleted_after_the_retention_and_the_votes_stay(store, loaded):
    give_feedback(store, "underretninger", "2.0", True, "Gammel kommentar.")
    later = datetime.now(UTC) + timedelta(days=181)
    assert purge_feedback_comments(store, 180) == 0
    assert purge_feedback_comments(store, 180, now=later) == 1
    summary = feedback_for(store, LEADER, loaded.library.get("underretninger"))
    assert (summary.useful, summary.comments) == (1, [])


def test_a_new_user_gets_required_reading_first_then_the_case_flow_and_nothing_read(store, loaded):
    plan = reading_plan(store, CASEWORKER, loaded.library, loaded.revisions, TODAY, {"samtale"}, set())
    assert [g.id for g in plan.required] == ["samtale"]
    assert [g.id for g in plan.rest] == ["underretninger", "bfu"]  # sagsskridt 1, then 2
    assert not plan.has_acknowledged and not plan.empty
    for gid in ("underretninger", "bfu", "samtale"):
        acknowledge(store, CASEWORKER, in_force(loaded.revisions[gid], TODAY))
    done = reading_plan(store, CASEWORKER, loaded.library, loaded.revisions, TODAY, {"samtale"}, set())
    assert done.empty and done.has_acknowledged
