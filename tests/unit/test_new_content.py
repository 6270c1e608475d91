"""The content of issue 28: anbringelse, vold og overgreb and the duty to notify, with their
checklists, as a caseworker meets them: deadlines computed for a case, the underretning checklist
leading on to the abuse checklist, substantial guidelines, the case flow, the ruler's red zone and
search."""

import re
from datetime import date, datetime

import pytest

from handbook.checklists.case import steps_with_deadlines
from handbook.checklists.schema import load_checklists
from handbook.content.library import load_library
from handbook.dates.deadlines import COPENHAGEN
from handbook.search.config import load_search_config
from handbook.search.documents import documents_for
from handbook.search.index import SearchIndex
from handbook.settings import paths_from_env
from handbook.trivsel.scale import load_scale_from

PATHS = paths_from_env({})
LIBRARY = load_library(PATHS)
CHECKLISTS = load_checklists(PATHS.checklists_dir).checklists
CONFIG, _ = load_search_config(PATHS.config_dir)

NEW_GUIDELINES = ["anbringelse", "vold-og-overgreb-mod-boern"]
SECTIONS = ["Formål", "Ansvar", "Sådan gør du", "Frister", "Typiske faldgruber", "Se også"]


def due(checklist_id, start, answers, completed=None):
    """Each applying step's deadline for a case: {step id: (deadline, all_day)}."""
    steps = steps_with_deadlines(CHECKLISTS[checklist_id], start, answers, completed)
    return {s.step.id: (s.due, s.all_day) for s in steps}


def day(value):
    """The Danish calendar day of a deadline that counts from a date answer."""
    deadline, all_day = value
    assert all_day, "a deadline counted from a date answer holds for the whole day"
    return deadline.astimezone(COPENHAGEN).date()


# -- Anbringelse: deadlines from the decision, the move and a parallel BFU ----------------------

PLACEMENT = {"samtykke": False, "akut": False, "soeskende": True, "afgoerelse": date(2027, 3, 10), "anbragt": date(2027, 3, 12)}
CONSIDERED = datetime(2027, 2, 1, 9, 0)


def test_placement_without_consent_needs_bfu_conversation_and_plan_by_the_decision_day():
    steps = due("anbringelse", CONSIDERED, PLACEMENT)
    assert day(steps["bfu"]) == day(steps["boernesamtale"]) == day(steps["plan"]) == date(2027, 3, 10)


def test_placement_with_consent_gives_the_plan_three_months_and_no_committee_step():
    steps = due("anbringelse", CONSIDERED, {**PLACEMENT, "samtykke": True})
    assert day(steps["plan"]) == date(2027, 6, 10)
    assert "udvalget" not in steps


def test_the_committee_gets_the_case_ten_working_days_before_its_meeting():
    steps = due("anbringelse", CONSIDERED, PLACEMENT)
    assert day(steps["udvalget"]) == date(2027, 2, 24)  # Wednesday 10 March minus 10 hverdage


def test_the_childs_support_person_is_due_at_the_earlier_of_decision_and_move():
    assert day(due("anbringelse", CONSIDERED, PLACEMENT)["stoetteperson-barn"]) == date(2027, 3, 10)
    acute = {**PLACEMENT, "akut": True, "anbragt": date(2027, 3, 8)}  # moved before the decision
    assert day(due("anbringelse", CONSIDERED, acute)["stoetteperson-barn"]) == date(2027, 3, 8)


def test_first_follow_up_is_the_earlier_of_three_months_after_the_move_and_the_end_of_a_parallel_bfu():
    assert day(due("anbringelse", CONSIDERED, PLACEMENT)["foerste-opfoelgning"]) == date(2027, 6, 12)
    parallel = {**PLACEMENT, "undersoegelse_slut": date(2027, 5, 20)}
    assert day(due("anbringelse", CONSIDERED, parallel)["foerste-opfoelgning"]) == date(2027, 5, 20)


def test_supervisory_visits_first_within_three_months_then_six_months_after_the_first():
    steps = due("anbringelse", CONSIDERED, PLACEMENT)
    assert day(steps["tilsyn-1"]) == date(2027, 6, 12)
    assert steps["tilsyn-2"] == (None, False)  # counts from the first visit, not done yet
    first_visit = datetime(2027, 5, 20, 10, 0, tzinfo=COPENHAGEN)
    later = due("anbringelse", CONSIDERED, PLACEMENT, {"tilsyn-1": first_visit})
    assert later["tilsyn-2"][0].isoformat() == "2027-11-20T10:00:00+01:00"


def test_siblings_step_applies_only_with_siblings_and_is_due_a_week_after_the_move():
    assert day(due("anbringelse", CONSIDERED, PLACEMENT)["soeskende-bfu"]) == date(2027, 3, 19)
    assert "soeskende-bfu" not in due("anbringelse", CONSIDERED, {**PLACEMENT, "soeskende": False})


def test_no_deadline_from_dates_not_known_yet():
    steps = due("anbringelse", CONSIDERED, {"samtykke": False})
    assert steps["bfu"] == steps["plan"] == steps["foerste-opfoelgning"] == (None, False)


# -- Vold og overgreb: the first days after the underretning ------------------------------------

FRIDAY_AFTERNOON = datetime(2027, 3, 5, 15, 30)
SUSPECTED_AT_HOME = {"akut": False, "mistanke-hjemme": True, "politiet-efterforsker": True}


def test_abuse_checklist_starts_from_the_underretning_about_abuse():
    assert CHECKLISTS["vold-og-overgreb"].start_label == "Underretning om vold eller overgreb modtaget"
    assert CHECKLISTS["vold-og-overgreb"].guideline == "vold-og-overgreb-mod-boern"


def test_abuse_deadlines_for_an_underretning_received_on_a_friday_afternoon():
    steps = due("vold-og-overgreb", FRIDAY_AFTERNOON, SUSPECTED_AT_HOME)
    assert steps["vurdering"][0].isoformat() == "2027-03-06T15:30:00+01:00"  # 24 hours, weekend included
    assert steps["samraad-politi"][0].isoformat() == "2027-03-06T15:30:00+01:00"
    assert steps["samtale-barnet"][0].isoformat() == "2027-03-12T15:30:00+01:00"  # 5 hverdage
    assert steps["bfu-frist"][0].isoformat() == "2027-07-05T15:30:00+02:00"  # 4 months, summer time


def test_police_steps_apply_only_when_the_suspicion_concerns_the_home():
    home = due("vold-og-overgreb", FRIDAY_AFTERNOON, SUSPECTED_AT_HOME)
    elsewhere = due("vold-og-overgreb", FRIDAY_AFTERNOON, {**SUSPECTED_AT_HOME, "mistanke-hjemme": False})
    assert {"ingen-advarsel", "samraad-politi"} <= set(home)
    assert not {"ingen-advarsel", "samraad-politi"} & set(elsewhere)


def test_the_boernehus_is_due_a_working_day_after_the_police_consultation():
    consulted = datetime(2027, 3, 5, 17, 0, tzinfo=COPENHAGEN)  # Friday
    steps = due("vold-og-overgreb", FRIDAY_AFTERNOON, SUSPECTED_AT_HOME, {"samraad-politi": consulted})
    assert steps["boernehus"][0].isoformat() == "2027-03-08T17:00:00+01:00"  # Monday


# -- The underretning checklist leads on to the abuse checklist ---------------------------------


def test_the_abuse_question_in_the_underretning_checklist_leads_to_the_abuse_checklist():
    received = datetime(2027, 3, 5, 15, 30)
    with_abuse = {s.step.id: s for s in steps_with_deadlines(CHECKLISTS["underretning"], received, {"overgreb": True})}
    lead = with_abuse["vold-og-overgreb"]
    assert lead.step.starts == "vold-og-overgreb"
    assert lead.step.guideline_id == "vold-og-overgreb-mod-boern"
    assert lead.due.isoformat() == "2027-03-06T15:30:00+01:00"
    without = [s.step.id for s in steps_with_deadlines(CHECKLISTS["underretning"], received, {"overgreb": False})]
    assert "vold-og-overgreb" not in without


def test_every_checklist_link_in_the_content_points_to_a_checklist_that_exists():
    texts = [g.body for g in LIBRARY.guidelines.values()] + [s.help for c in CHECKLISTS.values() for s in c.steps]
    linked = {m for text in texts for m in re.findall(r"/tjekliste\?id=([a-z0-9-]+)", text)}
    assert {"anbringelse", "vold-og-overgreb"} <= linked
    assert linked <= set(CHECKLISTS)


def test_every_guideline_link_in_checklist_help_points_to_a_guideline_that_exists():
    linked = {m for c in CHECKLISTS.values() for s in c.steps for m in re.findall(r"\]\(([a-z0-9-]+)(?:#[^)]*)?\)", s.help)}
    assert linked <= set(LIBRARY.guidelines)


# -- The guidelines -------------------------------------------------------------------------------


@pytest.mark.parametrize("guideline_id", NEW_GUIDELINES)
def test_new_guideline_is_substantial_with_the_houses_sections(guideline_id):
    g = LIBRARY.get(guideline_id)
    assert len(re.findall(r"\w+", g.body)) >= 600
    headings = re.findall(r"^## (.+)$", g.body, re.M)
    assert headings[: len(SECTIONS)] == SECTIONS or all(s in headings for s in SECTIONS)
    assert g.type == "retningslinje" and g.legal_refs[0].startswith("Barnets lov")


def test_underretninger_covers_the_duty_to_notify():
    g = LIBRARY.get("underretninger")
    assert "Barnets lov § 133" in g.legal_refs
    assert "underretningspligt" in g.body.lower() and "§ 133" in g.body
    assert "## Underretningspligt og tilbagemelding" in g.body


def test_anbringelse_is_a_step_of_its_own_in_the_case_flow():
    flow = {s.number: (s.label, [g.id for g in s.guidelines]) for s in LIBRARY.case_flow()}
    assert flow[5] == ("Anbringelse", ["anbringelse"])
    assert flow[4][1] == ["barnets-plan"] and flow[6][1] == ["opfoelgning"]


def test_a_til_z_links_the_new_guidelines():
    body = LIBRARY.get("sagsbehandling-a-til-z").body
    assert "](anbringelse)" in body and "](vold-og-overgreb-mod-boern)" in body


def test_the_rulers_red_zone_points_to_the_new_guidelines():
    scale, problems = load_scale_from(PATHS.config_dir)
    assert problems == []
    red = scale.zones[0]
    assert red.name == "Rød"
    assert {"vold-og-overgreb-mod-boern", "anbringelse"} <= set(red.guidelines)


def test_law_map_and_synonyms_know_the_new_terms():
    assert CONFIG.old_to_new["153"] == ("133",)
    assert "154" not in CONFIG.old_to_new  # § 135 is settled from guidance, not from the law text
    assert CONFIG.subjects["135"] == "almindelig underretningspligt for alle"
    assert CONFIG.old_to_new["68b"] == ("53",)
    assert CONFIG.old_to_new["58"] == ("47",)
    assert ("tvangsanbringelse", "anbringelse uden samtykke", "tvangsfjernelse", "tvangsanbragt") in CONFIG.synonym_groups


# -- Search ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    idx = SearchIndex(tmp_path_factory.mktemp("idx") / "search_index", CONFIG)
    idx.sync(documents_for(LIBRARY.all(), CONFIG))
    return idx


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("anbringelse uden samtykke", "anbringelse"),
        ("tvangsanbringelse", "anbringelse"),
        ("mistanke om vold mod barn", "vold-og-overgreb-mod-boern"),
        ("hvad gør jeg hvis barnet bliver slået derhjemme", "vold-og-overgreb-mod-boern"),
        ("underretningspligt", "underretninger"),
        ("skærpet underretningspligt", "underretninger"),
        ("§ 153", "underretninger"),
        ("barnets lov § 133", "underretninger"),
    ],
)
def test_search_finds_the_new_content_in_the_top_three(index, query, expected):
    assert expected in [hit.id for hit in index.search(query).hits[:3]]
