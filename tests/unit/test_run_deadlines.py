"""Runs with the new deadline rules: date answers during the run, start-time correction with a
logged reason, closing refused while steering questions are open, the journal listing every
answer, the after-hours configuration, and "Mine frister" with its iCalendar export."""

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from handbook.checklists.afterhours import load_after_hours
from handbook.checklists.journal import exports
from handbook.checklists.model import NOT_RELEVANT
from handbook.checklists.my_deadlines import icalendar_bytes, my_deadlines
from handbook.checklists.runs import RunError, close_run, complete_step, correct_start, get_run, purge_expired, set_answers, start_run
from handbook.checklists.schema import load_checklists
from handbook.dates.deadlines import COPENHAGEN
from handbook.identity import auth
from handbook.identity.auth import User
from handbook.privacy.cpr import PersonalDataError
from handbook.settings import PROJECT_ROOT
from handbook.store.database import Store
from tests.conftest import write

CASEWORKER = User("mads", "Mads Rådgiver", "medarbejder")
CHECKLISTS = load_checklists(PROJECT_ROOT / "checklists")


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "handbook.db")
    auth.add_user(store, "mads", "en-lang-adgangskode", "medarbejder", "Mads Rådgiver")
    return store


def plan_dues(store, run_id):
    return {s.step.id: s.due for s in get_run(store, run_id).steps()}


def test_the_plan_follows_the_decision_date_and_the_consent_answer(store):
    plan = CHECKLISTS.get("barnets-plan")
    run_id = start_run(store, CASEWORKER, plan, datetime(2027, 2, 1, 9, 0), "Sag 5", {"anbringelse": True, "samtykke": False})
    assert plan_dues(store, run_id)["plan-klar"] is None  # no decision date yet
    set_answers(store, CASEWORKER, run_id, {"anbringelse": True, "samtykke": False, "afgoerelse": date(2027, 2, 10)})
    assert plan_dues(store, run_id)["plan-klar"].date() == date(2027, 2, 10)
    set_answers(store, CASEWORKER, run_id, {"anbringelse": True, "samtykke": True, "afgoerelse": date(2027, 2, 10)})
    assert plan_dues(store, run_id)["plan-klar"].date() == date(2027, 5, 10)
    assert get_run(store, run_id).answers["afgoerelse"] == date(2027, 2, 10)  # stored as text, read back as a date


def test_first_follow_up_is_the_earlier_of_the_parallel_investigation_and_3_months(store):
    checklist = CHECKLISTS.get("opfoelgning")
    run_id = start_run(store, CASEWORKER, checklist, datetime(2026, 9, 1, 10, 0))
    assert plan_dues(store, run_id)["moede"].date() == date(2026, 12, 1)
    assert plan_dues(store, run_id)["status"].date() == date(2026, 11, 1)
    set_answers(store, CASEWORKER, run_id, {"sideloebende": True, "undersoegelse-slut": date(2026, 10, 15)})
    assert plan_dues(store, run_id)["moede"].date() == date(2026, 10, 15)
    assert plan_dues(store, run_id)["status"].date() == date(2026, 9, 17)  # 4 weeks before


def test_a_start_time_correction_moves_every_deadline_and_is_logged(store):
    checklist = CHECKLISTS.get("underretning")
    run_id = start_run(store, CASEWORKER, checklist, datetime(2026, 12, 7, 10, 0), "Sag 9", {"akut": False})
    assert plan_dues(store, run_id)["vurdering"].isoformat() == "2026-12-08T10:00:00+01:00"
    with pytest.raises(RunError, match="Skriv en begrundelse"):
        correct_start(store, CASEWORKER, run_id, datetime(2026, 12, 4, 15, 0), "  ")
    with pytest.raises(PersonalDataError):
        correct_start(store, CASEWORKER, run_id, datetime(2026, 12, 4, 15, 0), "Barnet 010203-1234 ringede")
    correct_start(store, CASEWORKER, run_id, datetime(2026, 12, 4, 15, 0), "Underretningen kom fredag, tjeklisten blev startet mandag")
    run = get_run(store, run_id)
    assert plan_dues(store, run_id)["vurdering"].isoformat() == "2026-12-05T15:00:00+01:00"
    [correction] = run.corrections
    assert (correction.by, correction.old_start.isoformat(), correction.reason) == ("mads", "2026-12-07T10:00:00+01:00", "Underretningen kom fredag, tjeklisten blev startet mandag")
    text, _ = exports(store, run, datetime(2026, 12, 5, 9, 0, tzinfo=COPENHAGEN))
    assert "Starttidspunktet rettet" in text and "fra man. 7. december 2026 kl. 10.00 til fre. 4. december 2026 kl. 15.00. Begrundelse: Underretningen kom fredag" in text
    assert "(frist lør. 5. december 2026 kl. 15.00 – weekend (lørdag))" in text
    with pytest.raises(RunError, match="det samme"):
        correct_start(store, CASEWORKER, run_id, datetime(2026, 12, 4, 15, 0), "igen")


def test_a_run_cannot_be_closed_while_a_steering_question_is_open(store):
    checklist = CHECKLISTS.get("underretning")
    run_id = start_run(store, CASEWORKER, checklist, datetime(2026, 12, 7, 10, 0))
    with pytest.raises(RunError, match="»Er underretningen akut\\?«; »Får barnet allerede"):
        close_run(store, CASEWORKER, run_id)
    set_answers(store, CASEWORKER, run_id, {"akut": False, "aaben-sag": False, "overgreb": True, "underretter": NOT_RELEVANT})
    close_run(store, CASEWORKER, run_id)
    text, _ = exports(store, get_run(store, run_id), datetime(2026, 12, 8, tzinfo=COPENHAGEN))
    assert "- Er underretningen akut? Nej" in text and "- Hvem har underrettet? Ikke relevant" in text


def test_corrections_are_deleted_with_their_run(store):
    run_id = start_run(store, CASEWORKER, CHECKLISTS.get("underretning"), datetime(2026, 12, 7, 10, 0))
    correct_start(store, CASEWORKER, run_id, datetime(2026, 12, 7, 9, 0), "Modtaget kl. 9")
    assert purge_expired(store, 1, now=datetime.now(UTC) + timedelta(days=2)) == 1
    assert store.db["run_start_corrections"].count == 0


def test_opening_hours_decide_when_the_after_hours_guidance_shows(tmp_path):
    hours, problems = load_after_hours(PROJECT_ROOT / "config")
    assert problems == []
    assert hours.outside(datetime(2026, 12, 4, 15, 0, tzinfo=COPENHAGEN))  # Friday after 13
    assert not hours.outside(datetime(2026, 12, 3, 15, 0, tzinfo=COPENHAGEN))  # Thursday until 17
    assert hours.outside(datetime(2026, 12, 5, 10, 0, tzinfo=COPENHAGEN))  # Saturday
    assert hours.outside(datetime(2026, 4, 6, 10, 0, tzinfo=COPENHAGEN))  # Anden påskedag
    assert all(c.name for c in hours.contacts) and any(c.placeholder for c in hours.contacts)
    write(tmp_path / "portal.yaml", 'audiences: {}\nopening_hours:\n  mandag: "8-15"\n  fredax: "08:00-13:00"\n')
    broken, problems = load_after_hours(tmp_path)
    assert [str(p).split("/")[-1] for p in problems] == [
        "portal.yaml:2: Åbningstiden for mandag skal skrives \"TT:MM-TT:MM\", fx \"08:00-15:00\", ikke '8-15'.",
        "portal.yaml:2: Ukendt ugedag 'fredax' i 'opening_hours'. Brug mandag, tirsdag, onsdag, torsdag, fredag, lørdag, søndag.",
    ]
    assert not broken.outside(datetime(2026, 12, 5, 10, 0, tzinfo=COPENHAGEN))  # nothing valid: never "outside"


def test_my_deadlines_are_grouped_and_exported_without_notes(store):
    now = datetime(2026, 12, 7, 12, 0, tzinfo=COPENHAGEN)
    run_id = start_run(store, CASEWORKER, CHECKLISTS.get("underretning"), datetime(2026, 12, 4, 15, 0), "Sag 42", {"akut": False})
    complete_step(store, CASEWORKER, run_id, "tidligere-underretninger", "Hemmelig note om familien")
    plan_id = start_run(store, CASEWORKER, CHECKLISTS.get("barnets-plan"), datetime(2026, 12, 1, 9, 0), "Sag 43", {"afgoerelse": date(2026, 12, 1)})
    overview = my_deadlines(store, CASEWORKER, now)
    assert [i.step_id for i in overview.overdue] == ["vurdering"]
    assert [i.step_id for i in overview.soon] == ["kvittering"]  # 6 hverdage: 14 December
    assert {(i.run_id, i.step_id) for i in overview.later} >= {(run_id, "konklusion"), (plan_id, "plan-klar")}
    assert overview.overdue[0].flag == "weekend (lørdag)"
    calendar = Calendar.from_ical(icalendar_bytes(overview.all(), now))
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    vurdering = events[f"forloeb-{run_id}-vurdering@haandbogen"]
    assert str(vurdering["summary"]) == "Frist: Vurdér inden for 24 timer, om barnet er i fare · Sag 42"
    assert vurdering.decoded("dtstart") == datetime(2026, 12, 5, 14, 0, tzinfo=UTC)
    plan = events[f"forloeb-{plan_id}-plan-klar@haandbogen"]
    assert plan.decoded("dtstart") == date(2027, 3, 1) and plan.decoded("dtend") == date(2027, 3, 2)  # all day
    exported = icalendar_bytes(overview.all(), now).decode("utf-8")
    assert "Hemmelig note" not in exported and "tidligere-underretninger" not in exported  # ticked steps and notes stay out
