"""Checklists: the documented schema, file:line problems, conditional steps, deadlines from the
start or another step, and runs (CPR refusal, persistence, export, pinned version, retention)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from handbook.checklists.case import answer_label, condition_text, due_rule_text, parse_answers, phase_headings, steps_with_deadlines
from handbook.checklists.journal import journal_text, run_csv
from handbook.checklists.leaders import onboarding_progress, overdue_counts
from handbook.checklists.model import Rule
from handbook.checklists.runs import close_run, complete_step, get_run, newer_version, purge_expired, reopen_step, runs_of, set_answers, start_run
from handbook.checklists.schema import load_checklists, parse_checklist_text
from handbook.dates.deadlines import COPENHAGEN
from handbook.identity import auth
from handbook.identity.auth import PermissionDenied, User
from handbook.privacy.cpr import PersonalDataError
from handbook.store.database import Store
from tests.conftest import write

# The example from the issue and docs/content-format.md, key for key.
EXAMPLE = """\
id: underretning
title: Modtagelse af underretning
version: "1.0"
guideline: underretninger
audience: [modtageteam]
start: {label: Underretning modtaget}
questions:
  - {id: akut, label: Er underretningen akut?, type: bool}
steps:
  - id: vurdering
    title: Vurder underretningen
    help: Markdown text
    legal_refs: ["Barnets lov § 136"]
    guideline: underretninger#vurdering
    when: {akut: true}
    due: {from: start, within: "24 timer"}
  - id: kvittering
    title: Send kvittering til underretter
    due: {from: start, within: "6 hverdage"}
  - id: screening
    title: Screen sagen
    due: {from: kvittering, within: "30 dage"}
"""
PATH = Path("checklists/underretning.yaml")
CASEWORKER = User("mads", "Mads Rådgiver", "medarbejder")
WEDNESDAY_BEFORE_EASTER = datetime(2026, 4, 1, 15, 40)


def parsed(text: str = EXAMPLE):
    checklist, problems = parse_checklist_text(text, PATH)
    assert problems == [], problems
    return checklist


def problems_of(text: str) -> list[str]:
    checklist, problems = parse_checklist_text(text, PATH)
    assert checklist is None
    return [str(p) for p in problems]


def test_the_documented_example_parses_exactly_as_written():
    checklist = parsed()
    assert (checklist.id, checklist.title, checklist.version, checklist.guideline, checklist.start_label) == ("underretning", "Modtagelse af underretning", "1.0", "underretninger", "Underretning modtaget")
    assert checklist.questions[0].label == "Er underretningen akut?"
    step = checklist.steps[0]
    assert (step.guideline_id, step.anchor, step.when, str(step.due.within), step.legal_refs) == ("underretninger", "vurdering", (("akut", True),), "24 timer", ("Barnets lov § 136",))


def test_conditional_steps_follow_the_answers_and_unanswered_conditions_do_not_hold():
    checklist = parsed()
    ids = lambda answers: [s.step.id for s in steps_with_deadlines(checklist, WEDNESDAY_BEFORE_EASTER, answers)]  # noqa: E731
    assert ids({"akut": True}) == ["vurdering", "kvittering", "screening"]
    assert ids({"akut": False}) == ["kvittering", "screening"]
    assert ids({}) == ["kvittering", "screening"]


def test_deadlines_count_from_the_start_or_from_when_another_step_was_done():
    checklist = parsed()
    steps = {s.step.id: s.due for s in steps_with_deadlines(checklist, WEDNESDAY_BEFORE_EASTER, {"akut": True})}
    assert steps["vurdering"].isoformat() == "2026-04-02T15:40:00+02:00"
    assert steps["kvittering"].isoformat() == "2026-04-14T15:40:00+02:00"
    assert steps["screening"] is None  # counts from kvittering, which is not done
    done = {"kvittering": datetime(2026, 4, 8, 9, 0, tzinfo=COPENHAGEN)}
    later = {s.step.id: s.due for s in steps_with_deadlines(checklist, WEDNESDAY_BEFORE_EASTER, {}, done)}
    assert later["screening"].isoformat() == "2026-05-08T09:00:00+02:00"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("  - {id: akut, label: Er underretningen akut?, type: bool}", "  - {id: akut, label: Akut?, type: tal}"), "underretning.yaml:8: Spørgsmålet 'akut' har ukendt type 'tal'."),
        (('    when: {akut: true}', '    when: {akutt: true}'), "underretning.yaml:15: 'when' i trinnet 'vurdering' henviser til spørgsmålet 'akutt', som ikke findes. Mente du 'akut'?"),
        (('    when: {akut: true}', '    when: {akut: ja}'), "underretning.yaml:15: Spørgsmålet 'akut' besvares med true eller false, ikke 'ja'."),
        (('within: "24 timer"', 'within: "24 timmer"'), "underretning.yaml:16: Ukendt frist '24 timmer'."),
        (('    due: {from: kvittering, within: "30 dage"}', '    due: {from: afgoerelse, within: "30 dage"}'), "underretning.yaml:22: Fristen for 'screening' regnes fra 'afgoerelse', som hverken er 'start', et trin eller et datospørgsmål i tjeklisten."),
        (("  - id: screening", "  - id: kvittering"), "underretning.yaml:20: Trinnet 'kvittering' står to gange"),
        (('version: "1.0"', "version: 1.0"), "underretning.yaml:3: 'version' skal stå i anførselstegn"),
        (("    title: Screen sagen", "    titel: Screen sagen"), "underretning.yaml:21: Ukendt felt 'titel' i trinnet. Mente du 'title'?"),
        (("start: {label: Underretning modtaget}", "start: {label: Underretning modtaget"), "underretning.yaml:6: YAML-syntaksfejl: en samling, der begynder med '{', lukkes ikke med '}'"),
    ],
)
def test_mistakes_are_reported_in_danish_at_their_line(change, expected):
    old, new = change
    assert old in EXAMPLE
    reported = problems_of(EXAMPLE.replace(old, new))
    assert any(p.startswith(f"checklists/{expected}") for p in reported), reported


def test_links_to_missing_guidelines_or_sections_are_reported(tmp_path):
    write(tmp_path / "checklists" / "u.yaml", EXAMPLE)
    found = load_checklists(tmp_path / "checklists", guideline_anchors={"underretninger": {"frister", "formål"}})
    assert [str(p).split("checklists/")[-1] for p in found.problems] == ["u.yaml:10: Afsnittet '#vurdering' findes ikke i 'underretninger'. Afsnit: formål, frister."]


def test_answers_on_the_command_line_are_checked():
    checklist = parsed()
    assert parse_answers("akut=true", checklist) == {"akut": True}
    assert parse_answers("akut=nej", checklist) == {"akut": False}
    with pytest.raises(ValueError, match="Ukendt svar 'hast=true'"):
        parse_answers("hast=true", checklist)


# -- runs -------------------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "h.db")
    auth.add_user(store, "mads", "en-lang-adgangskode", "medarbejder", "Mads Rådgiver")
    return store


def test_a_run_records_who_ticked_what_and_survives_reopening_the_store(tmp_path, store):
    checklist = parsed()
    run_id = start_run(store, CASEWORKER, checklist, WEDNESDAY_BEFORE_EASTER, "Sag 2026-0413", {"akut": False})
    complete_step(store, CASEWORKER, run_id, "kvittering", "Sendt på mail.", at=datetime(2026, 4, 8, 9, 0))
    run = get_run(Store(tmp_path / "h.db"), run_id)
    assert run.reference == "Sag 2026-0413" and run.answers == {"akut": False}
    assert run.done["kvittering"].by == "mads" and run.done["kvittering"].note == "Sendt på mail."
    assert run.progress() == (1, 2)
    assert run.next_due().step.id == "screening"
    reopen_step(store, CASEWORKER, run_id, "kvittering")
    assert get_run(store, run_id).done == {}


def test_cpr_numbers_in_the_reference_or_a_note_are_refused_and_nothing_is_stored(store):
    checklist = parsed()
    with pytest.raises(PersonalDataError, match="Referencen ser ud til at indeholde et CPR-nummer"):
        start_run(store, CASEWORKER, checklist, WEDNESDAY_BEFORE_EASTER, "010203-1234")
    assert store.runs() == []
    run_id = start_run(store, CASEWORKER, checklist, WEDNESDAY_BEFORE_EASTER, "Sag 17")
    with pytest.raises(PersonalDataError, match="Noten ser ud til at indeholde et CPR-nummer"):
        complete_step(store, CASEWORKER, run_id, "kvittering", "Barnet 0102031234")
    assert get_run(store, run_id).done == {}


def test_only_the_owner_changes_a_run_and_anonymous_users_cannot_start_one(store):
    checklist = parsed()
    run_id = start_run(store, CASEWORKER, checklist, WEDNESDAY_BEFORE_EASTER)
    with pytest.raises(PermissionDenied, match="tilhører en anden"):
        complete_step(store, User("sofie", "Sofie", "medarbejder"), run_id, "kvittering")
    with pytest.raises(PermissionDenied, match="logget ind"):
        start_run(store, None, checklist, WEDNESDAY_BEFORE_EASTER)


def test_journal_text_and_csv_list_steps_deadlines_and_who(store):
    checklist = parsed()
    run_id = start_run(store, CASEWORKER, checklist, WEDNESDAY_BEFORE_EASTER, "Sag 17", {"akut": True})
    complete_step(store, CASEWORKER, run_id, "vurdering", "Ikke akut fare.", at=datetime(2026, 4, 1, 16, 10))
    run = get_run(store, run_id)
    text = journal_text(run, {"mads": "Mads Rådgiver"}, datetime(2026, 4, 15, 12, 0, tzinfo=COPENHAGEN))
    assert text.splitlines()[:6] == [
        "Modtagelse af underretning (tjekliste version 1.0)",
        "Reference: Sag 17",
        "Underretning modtaget: ons. 1. april 2026 kl. 15.40",
        "",
        "Svar:",
        "- Er underretningen akut? Ja",
    ]
    assert "[x] Vurder underretningen – udført ons. 1. april 2026 kl. 16.10 af Mads Rådgiver (frist tors. 2. april 2026 kl. 15.40 – helligdag (Skærtorsdag))" in text
    assert "    Note: Ikke akut fare." in text
    assert "[ ] Send kvittering til underretter (frist tirs. 14. april 2026 kl. 15.40) – overskredet med 20 timer" in text
    rows = run_csv(run, {"mads": "Mads Rådgiver"}).splitlines()
    assert rows[0] == "tjekliste;version;reference;fase;trin;frist (dansk tid);udført (dansk tid);udført_af;note;frist_advarsel"
    assert rows[1].startswith("underretning;1.0;Sag 17;;Vurder underretningen;2026-04-02 15:40:00+02:00;2026-04-01 16:10:00+02:00;Mads Rådgiver;")
    assert rows[1].endswith(";helligdag (Skærtorsdag)")


def test_a_run_keeps_its_checklist_version_and_says_when_a_newer_one_exists(tmp_path, store):
    run_id = start_run(store, CASEWORKER, parsed(), WEDNESDAY_BEFORE_EASTER)
    newer = EXAMPLE.replace('version: "1.0"', 'version: "1.1"').replace("title: Screen sagen", "title: Screen sagen med Trivselslinealen")
    write(tmp_path / "checklists" / "underretning.yaml", newer)
    current = load_checklists(tmp_path / "checklists")
    run = get_run(store, run_id)
    assert run.checklist.version == "1.0" and run.checklist.step("screening").title == "Screen sagen"
    assert newer_version(run, current) == "1.1"


def test_runs_older_than_the_retention_are_deleted(store):
    old = start_run(store, CASEWORKER, parsed(), WEDNESDAY_BEFORE_EASTER)
    complete_step(store, CASEWORKER, old, "kvittering")
    assert purge_expired(store, 180, now=datetime.now(UTC) + timedelta(days=181)) == 1
    assert get_run(store, old) is None and store.db["run_steps"].count == 0
    kept = start_run(store, CASEWORKER, parsed(), WEDNESDAY_BEFORE_EASTER)
    assert purge_expired(store, 180) == 0 and get_run(store, kept) is not None


def test_my_open_runs_come_most_urgent_first_and_closed_ones_leave_the_list(store):
    checklist = parsed()
    later = start_run(store, CASEWORKER, checklist, datetime(2026, 6, 1, 9, 0))
    sooner = start_run(store, CASEWORKER, checklist, datetime(2026, 5, 1, 9, 0))
    assert [r.id for r in runs_of(store, CASEWORKER)] == [sooner, later]
    set_answers(store, CASEWORKER, sooner, {"akut": False})
    close_run(store, CASEWORKER, sooner)
    assert [r.id for r in runs_of(store, CASEWORKER)] == [later]


def test_leaders_see_anonymous_overdue_counts_and_onboarding_progress(store):
    leader = auth.add_user(store, "lise", "en-lang-adgangskode", "redaktør", "Lise Leder")
    checklist = parsed()
    run_id = start_run(store, CASEWORKER, checklist, WEDNESDAY_BEFORE_EASTER, "Sag 17", {"akut": True})
    set_answers(store, CASEWORKER, run_id, {"akut": True})
    [count] = overdue_counts(store, leader, datetime(2026, 4, 20, tzinfo=COPENHAGEN))
    assert (count.checklist_title, count.open_runs, count.overdue_steps, count.runs_with_overdue) == ("Modtagelse af underretning", 1, 2, 1)
    assert "Sag 17" not in repr(count)
    with pytest.raises(PermissionDenied):
        overdue_counts(store, CASEWORKER, datetime.now(UTC))

    intro = parsed(EXAMPLE.replace("id: underretning", "id: introduktion").replace("title: Modtagelse af underretning", "title: Introduktion").replace("audience: [modtageteam]", "onboarding: true"))
    intro_run = start_run(store, CASEWORKER, intro, datetime(2026, 4, 1, 8, 0))
    complete_step(store, CASEWORKER, intro_run, "kvittering")
    [progress] = onboarding_progress(store, leader, datetime(2026, 4, 2, tzinfo=COPENHAGEN))
    assert (progress.employee, progress.done, progress.total) == ("Mads Rådgiver", 1, 2)


def test_conditions_deadlines_and_phases_read_in_danish():
    checklist = parsed(EXAMPLE.replace("    title: Vurder underretningen\n", "    title: Vurder underretningen\n    phase: Modtagelse\n").replace("    title: Send kvittering til underretter\n", "    title: Send kvittering til underretter\n    phase: Modtagelse\n").replace("    title: Screen sagen\n", "    title: Screen sagen\n    phase: Screening\n"))
    vurdering, kvittering, screening = checklist.steps
    assert condition_text(checklist, vurdering) == "Er underretningen akut? Ja"
    assert condition_text(checklist, kvittering) == ""
    assert due_rule_text(checklist, vurdering) == "Frist: 24 timer efter underretning modtaget"
    assert due_rule_text(checklist, screening) == "Frist: 30 dage efter »Send kvittering til underretter« er udført"
    assert phase_headings(list(checklist.steps)) == ["Modtagelse", "", "Screening"]
    assert checklist.questions[0].choices == [None, True, False]
    assert [answer_label(checklist.questions[0], v) for v in (None, True, False)] == ["Ikke besvaret", "Ja", "Nej"]


def test_onboarding_steps_roll_from_a_weekend_or_holiday_to_the_next_working_day():
    from handbook.settings import PROJECT_ROOT

    intro = load_checklists(PROJECT_ROOT / "checklists").get("introduktion")
    assert intro is not None and intro.onboarding
    # Starting Friday 27 March 2026: "1 dag" is Saturday 28 March -> Monday 30 March, and "1 uge"
    # is Friday 3 April (Langfredag) -> Tuesday 7 April, after Easter Monday.
    due = {item.step.id: item.due for item in steps_with_deadlines(intro, datetime(2026, 3, 27, 9, 0, tzinfo=COPENHAGEN), {})}
    days = {d.date().isoformat() for d in due.values() if d is not None}
    assert not any(datetime.fromisoformat(day).weekday() >= 5 for day in days)
    assert "2026-03-30" in days and "2026-04-07" in days and "2026-03-28" not in days and "2026-04-03" not in days
    case = load_checklists(PROJECT_ROOT / "checklists").get("underretning")
    assert not any(step.due.roll for step in case.steps if isinstance(step.due, Rule))  # case checklists keep their own rules
