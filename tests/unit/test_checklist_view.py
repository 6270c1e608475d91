"""What the checklist pages show, built without Streamlit: a run's view (overdue steps, the
after-hours guidance, who ticked what, deadlines not known yet), the list of checklists with my
runs, a checklist's preview, the leaders' overview and "Mine frister"."""

from datetime import datetime

import pytest

from handbook.checklists.afterhours import load_after_hours
from handbook.checklists.leaders import leaders_overview
from handbook.checklists.my_deadlines import my_deadlines
from handbook.checklists.runs import RunError, complete_step, set_answers, start_follow_on, start_run
from handbook.checklists.schema import load_checklists
from handbook.checklists.view import RunUnavailable, checklists_overview, preview, run_view
from handbook.content.library import load_library
from handbook.dates.deadlines import COPENHAGEN
from handbook.identity import auth
from handbook.identity.auth import User
from handbook.settings import PROJECT_ROOT, paths_from_env
from handbook.store.database import Store

CASEWORKER = User("mads", "Mads Rådgiver", "medarbejder")
CHECKLISTS = load_checklists(PROJECT_ROOT / "checklists")
LIBRARY = load_library(paths_from_env({}))
HOURS, _ = load_after_hours(PROJECT_ROOT / "config")
FRIDAY_AFTER_CLOSING = datetime(2026, 12, 4, 15, 40)
MONDAY_MORNING = datetime(2026, 12, 7, 9, 0, tzinfo=COPENHAGEN)


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "handbook.db")
    auth.add_user(store, "mads", "en-lang-adgangskode", "medarbejder", "Mads Rådgiver")
    return store


def started(store, start=FRIDAY_AFTER_CLOSING, answers=None) -> int:
    return start_run(store, CASEWORKER, CHECKLISTS.get("underretning"), start, "Sag 42", {"akut": True} if answers is None else answers)


def view_of(store, run_id, user=CASEWORKER, now=MONDAY_MORNING):
    return run_view(store, CHECKLISTS, LIBRARY, run_id, user, now, HOURS)


def test_an_akut_run_started_friday_after_closing_shows_the_after_hours_guidance_and_the_overdue_step(store):
    view = view_of(store, started(store))
    assert view.after_hours
    assert view.start_text == "fre. 4. december 2026 kl. 15.40"
    overdue = {s.step.id: s.due for s in view.overdue}
    assert "vurdering" in overdue
    vurdering = overdue["vurdering"]
    assert (vurdering.when, vurdering.flag, vurdering.colour) == ("lør. 5. december 2026 kl. 15.40", "weekend (lørdag)", "red")
    assert vurdering.status.startswith("overskredet med")
    assert "Reference: Sag 42" in view.journal and view.csv.startswith("tjekliste;version;reference;")
    assert view.file_stem == f"tjekliste-underretning-{view.id}"


def test_the_after_hours_guidance_needs_both_the_answers_and_a_time_outside_the_opening_hours(store):
    assert not view_of(store, started(store, start=datetime(2026, 12, 3, 10, 0))).after_hours  # Thursday morning
    assert not view_of(store, started(store, answers={"akut": False})).after_hours  # not akut


def test_steps_come_with_their_phase_headings_guidance_and_who_ticked_them(store):
    run_id = started(store)
    complete_step(store, CASEWORKER, run_id, "registrer", "Registreret i fagsystemet", at=datetime(2026, 12, 4, 16, 0))
    view = view_of(store, run_id)
    registrer, tidligere = view.steps[0], view.steps[1]
    assert (registrer.heading, tidligere.heading) == ("Modtagelse", "")
    assert (registrer.done_at, registrer.done_by, registrer.done.note) == ("fre. 4. december 2026 kl. 16.00", "Mads Rådgiver", "Registreret i fagsystemet")
    assert tidligere.done is None and tidligere.guide.help_html.startswith("<p>")
    vurdering = next(s for s in view.steps if s.step.id == "vurdering")
    assert vurdering.guide.links.startswith("Barnets lov § 136 · [")
    assert all(s.step.id != "registrer" for s in view.overdue)


def test_a_deadline_that_counts_from_an_unanswered_date_is_shown_as_its_rule_and_blocks_closing(store):
    plan = start_run(store, CASEWORKER, CHECKLISTS.get("barnets-plan"), datetime(2027, 2, 1, 9, 0), "Sag 5", {"anbringelse": True, "samtykke": False})
    view = view_of(store, plan, now=datetime(2027, 2, 2, tzinfo=COPENHAGEN))
    klar = next(s for s in view.steps if s.step.id == "plan-klar")
    assert klar.due is None and klar.pending.startswith("0 dage efter »Dato for afgørelsen")
    assert "afgoerelse" in view.steering and "afgoerelse" in [q.id for q in view.missing]


def test_only_the_owner_sees_a_run_and_a_missing_run_says_why(store):
    run_id = started(store)
    with pytest.raises(RunUnavailable, match="tilhører en anden medarbejder"):
        view_of(store, run_id, user=User("sofie", "Sofie", "medarbejder"))
    with pytest.raises(RunUnavailable, match="ikke logget ind"):
        view_of(store, run_id, user=None)
    with pytest.raises(RunUnavailable, match="Forløb nr. 999 findes ikke"):
        view_of(store, 999)


def test_the_list_of_checklists_shows_my_runs_with_their_next_deadline(store):
    run_id = started(store)
    overview = checklists_overview(store, CHECKLISTS, LIBRARY, CASEWORKER, MONDAY_MORNING)
    [mine] = overview.my_runs
    assert (mine.id, mine.label, mine.started) == (run_id, "Modtagelse af underretning · Sag 42", "Underretning modtaget fre. 4. december 2026 kl. 15.40")
    assert (mine.done, mine.next_step, mine.next_due.colour) == (0, "Tjek tidligere underretninger og åbne sager på barnet og søskende", "red")
    assert [heading for heading, _ in overview.groups] == ["Sagsforløb", "For nye medarbejdere"]
    entry = next(e for e in overview.groups[0][1] if e.checklist.id == "underretning")
    assert entry.guideline is not None and entry.guideline.id == "underretninger"
    assert checklists_overview(store, CHECKLISTS, LIBRARY, None, MONDAY_MORNING).my_runs is None


def test_a_preview_numbers_the_steps_with_their_conditions_and_rules():
    shown = preview(CHECKLISTS.get("underretning"), LIBRARY)
    assert shown.guideline is not None and shown.guideline.id == "underretninger"
    akut = next(s for s in shown.steps if s.step.id == "akut-handling")
    assert akut.title.endswith("Handl straks: kontakt faglig leder og sikr barnet – kun hvis: Er underretningen akut? Ja")
    vurdering = next(s for s in shown.steps if s.step.id == "vurdering")
    assert vurdering.caption.startswith("Frist: 24 timer efter underretning modtaget · Barnets lov § 136")


def test_leaders_and_my_deadlines_get_their_deadlines_as_they_stand(store):
    started(store)
    leader = auth.add_user(store, "lise", "en-lang-adgangskode", "redaktør", "Lise Leder")
    [count] = leaders_overview(store, leader, MONDAY_MORNING).counts
    assert (count.open_runs, count.runs_with_overdue) == (1, 1)
    overview = my_deadlines(store, CASEWORKER, MONDAY_MORNING)
    assert overview.overdue[0].label.colour == "red" and overview.overdue[0].label.flag == "weekend (lørdag)"
    assert overview.calendar.startswith(b"BEGIN:VCALENDAR")


def test_the_abuse_answer_leads_to_the_abuse_checklist_for_the_same_case(store):
    other = User("sara", "Sara Rådgiver", "medarbejder")
    auth.add_user(store, "sara", "en-lang-adgangskode", "medarbejder", "Sara Rådgiver")
    run_id = started(store, answers={"akut": True})
    assert not [s for s in view_of(store, run_id).steps if s.starts]  # not an abuse case: no way on
    set_answers(store, CASEWORKER, run_id, {"akut": True, "overgreb": True})
    [step] = [s for s in view_of(store, run_id).steps if s.starts]
    assert step.starts == CHECKLISTS.get("vold-og-overgreb").title
    follow_id = start_follow_on(store, CASEWORKER, run_id, step.step.id, CHECKLISTS)
    follow = view_of(store, follow_id)
    assert follow.checklist.id == "vold-og-overgreb"
    assert (follow.start, follow.reference) == (view_of(store, run_id).start, "Sag 42")
    assert follow.answers == {"akut": True}  # the question both checklists ask comes along
    # its deadlines count from the original Friday 15:40: the 24-hour assessment is overdue on Monday
    assert [(s.step.id, s.due.when) for s in follow.overdue] == [("vurdering", "lør. 5. december 2026 kl. 15.40")]
    assert start_follow_on(store, CASEWORKER, run_id, step.step.id, CHECKLISTS) == follow_id  # a second click opens it
    with pytest.raises(RunError):
        start_follow_on(store, other, run_id, step.step.id, CHECKLISTS)


def test_a_step_that_starts_a_checklist_that_does_not_exist_is_a_problem_at_its_line(tmp_path):
    for path in (PROJECT_ROOT / "checklists").glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    target = tmp_path / "underretning.yaml"
    text = target.read_text(encoding="utf-8").replace("starts: vold-og-overgreb", "starts: vold-og-overgrb")
    target.write_text(text, encoding="utf-8")
    line = next(n for n, ln in enumerate(text.splitlines(), start=1) if ln.strip() == "- id: vold-og-overgreb")
    problems = [str(p) for p in load_checklists(tmp_path).problems]
    assert problems == [f"{target}:{line}: Trinnet 'vold-og-overgreb' starter tjeklisten 'vold-og-overgrb', som ikke findes (eller har fejl)."]
