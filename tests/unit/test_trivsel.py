"""Trivselslinealen: zone look-up at every boundary, a scale that is only configuration (a 1-5
scale with three zones), broken configurations refused at their line, group placements and the
texts for the journal and the minutes."""

import json
from datetime import UTC, date, datetime, time, timedelta

import altair as alt
import pandas as pd
import pytest

from handbook.checklists.schema import load_checklists
from handbook.content.library import load_library
from handbook.dates.deadlines import COPENHAGEN
from handbook.identity import auth
from handbook.identity.auth import PermissionDenied
from handbook.privacy.cpr import PersonalDataError, check_initials
from handbook.problems import ContentError
from handbook.settings import PROJECT_ROOT, paths_from_env
from handbook.store.database import Store
from handbook.trivsel.assessments import assess, assessments_for, distribution, progression, purge_assessments, save_assessment, zone_distribution
from handbook.trivsel.charts import DANISH_LOCALE, chart_spec, picked_position, ruler
from handbook.trivsel.guidance import zone_guidance
from handbook.trivsel.intake import intake, intake_status
from handbook.trivsel.meeting import Placement, group_result, meeting
from handbook.trivsel.scale import load_scale
from tests.conftest import write
from tests.unit.test_cli import run_cli

BUNDLED = load_scale(PROJECT_ROOT / "config" / "trivselslinealen.yaml")
LIBRARY = load_library(paths_from_env({}))

THREE_ZONES = """\
scale: {min: 1, max: 5, low_label: Truet trivsel, high_label: I trivsel}
zones:
  - {name: Rød, min: 1, max: 2, color: "#e57373", meaning: Truet trivsel, action: Underretning}
  - {name: Gul, min: 3, max: 3, color: "#f5d547", meaning: Sårbar, action: Drøftelse på distriktsmøde}
  - {name: Grøn, min: 4, max: 5, color: "#5cb85c", meaning: I trivsel, action: Almen indsats}
"""


@pytest.mark.parametrize(
    ("value", "zone"),
    [(1, "Rød"), (2, "Rød"), (3, "Orange"), (4, "Orange"), (5, "Gul"), (6, "Gul"), (7, "Gul"), (8, "Grøn"), (9, "Grøn"), (10, "Grøn"), (2.5, "Rød"), (7.5, "Gul")],
)
def test_the_default_scale_puts_every_position_in_the_zone_domain_md_gives(value, zone):
    assert BUNDLED.zone_for(value).name == zone


@pytest.mark.parametrize("value", [0, 0.5, 10.5, 11])
def test_positions_outside_the_scale_are_refused(value):
    with pytest.raises(ValueError, match="uden for skalaen 1–10"):
        BUNDLED.zone_for(value)


def test_the_default_scale_has_actions_factors_for_the_three_ics_sides_and_age_groups():
    assert [(z.min, z.max) for z in BUNDLED.zones] == [(1, 2), (3, 4), (5, 7), (8, 10)]
    assert all(z.action and z.next_steps for z in BUNDLED.zones)
    assert [f.side for f in BUNDLED.factors] == ["Barnets udvikling", "Forældrekompetencer", "Familie og netværk"]
    assert BUNDLED.zones[0].signs_for("0-2 år")[: len(BUNDLED.zones[0].signs["alle"])] == BUNDLED.zones[0].signs["alle"]


def test_a_municipality_with_a_1_to_5_scale_and_three_zones_changes_only_the_file(tmp_path):
    scale = load_scale(write(tmp_path / "trivselslinealen.yaml", THREE_ZONES))
    assert scale.positions == [1, 2, 3, 4, 5]
    assert [scale.zone_for(v).name for v in scale.positions] == ["Rød", "Rød", "Gul", "Grøn", "Grøn"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("min: 3, max: 3", "min: 4, max: 4"), "trivselslinealen.yaml:5: Zonen 'Grøn' (4–5) overlapper zonen 'Gul' (4–4)."),
        (("min: 3, max: 3", "min: 4, max: 4"), "trivselslinealen.yaml:4: Hul i skalaen: ingen zone dækker 3–3 mellem 'Rød' og 'Gul'."),
        (("min: 3, max: 3", "min: 2, max: 3"), "trivselslinealen.yaml:4: Zonen 'Gul' (2–3) overlapper zonen 'Rød' (1–2)."),
        (("{name: Grøn, min: 4, max: 5", "{name: Grøn, min: 5, max: 5"), "trivselslinealen.yaml:5: Hul i skalaen: ingen zone dækker 4–4 mellem 'Gul' og 'Grøn'."),
        (("{name: Grøn, min: 4, max: 5", "{name: Grøn, min: 4, max: 4"), "trivselslinealen.yaml:5: Zonerne dækker ikke skalaen til 5"),
        (("{name: Rød, min: 1", "{name: Rød, min: 0"), "trivselslinealen.yaml:3: Zonerne dækker ikke skalaen fra 1"),
        (('color: "#5cb85c"', "color: grøn"), "trivselslinealen.yaml:5: Zonen 'Grøn': farven skal skrives som hex"),
        (("action: Almen indsats}", "}"), "trivselslinealen.yaml:5: Zonen 'Grøn' mangler action."),
        (("scale: {min: 1, max: 5,", "scale: {min: 5, max: 1,"), "trivselslinealen.yaml:1: 'scale' skal have hele tal min og max"),
        (('color: "#f5d547"', 'color: "#f5d547'), "trivselslinealen.yaml:4: YAML-syntaksfejl"),
    ],
)
def test_a_broken_scale_is_refused_with_file_and_line(tmp_path, change, expected):
    old, new = change
    assert old in THREE_ZONES
    with pytest.raises(ContentError) as error:
        load_scale(write(tmp_path / "trivselslinealen.yaml", THREE_ZONES.replace(old, new)))
    assert any(str(p).endswith(expected) or expected in str(p) for p in error.value.problems), [str(p) for p in error.value.problems]


def test_validate_reports_a_broken_scale_and_the_cli_gives_zones_as_json(tmp_path, content_root):
    env = {"HANDBOOK_CONTENT_DIR": str(content_root)}
    zones = json.loads(run_cli("trivsel", "zones", "--json", env=env).stdout)
    assert [(z["name"], z["min"], z["max"]) for z in zones] == [("Rød", 1, 2), ("Orange", 3, 4), ("Gul", 5, 7), ("Grøn", 8, 10)]
    assert all(z["color"].startswith("#") and z["action"] for z in zones)
    assert json.loads(run_cli("trivsel", "zone", "8", "--json", env=env).stdout)["name"] == "Grøn"
    outside = run_cli("trivsel", "zone", "11", "--json", env=env)
    assert outside.returncode == 1 and "uden for skalaen" in outside.stderr
    write(content_root / "config" / "trivselslinealen.yaml", THREE_ZONES.replace("min: 3, max: 3", "min: 4, max: 4"))
    result = run_cli("validate", env=env)
    assert result.returncode == 1 and "trivselslinealen.yaml:5: Zonen 'Grøn' (4–5) overlapper zonen 'Gul' (4–4)." in result.stdout
    assert run_cli("trivsel", "zones", env=env).returncode == 1


def test_group_placements_give_median_spread_and_flag_more_than_one_zone_apart():
    close = group_result(BUNDLED, [Placement("AB", 3), Placement("CD", 5), Placement("EF", 6)])
    assert (close.median, close.low, close.high, close.median_zone.name, close.flagged) == (5, 3, 6, "Gul", False)
    apart = group_result(BUNDLED, [Placement("AB", 2), Placement("CD", 5), Placement("EF", 6)])
    assert apart.flagged and [z.name for z in apart.zones] == ["Rød", "Gul"]
    assert group_result(BUNDLED, [Placement("AB", 4), Placement("CD", 5)]).median == 4.5
    with pytest.raises(ValueError, match="initialer"):
        check_initials("Anne Hansen")


def test_modtageteam_sees_the_24_hour_deadline_and_the_acute_path():
    status = intake_status(datetime(2026, 3, 28, 15, 40), True, datetime(2026, 3, 29, 10, 40, tzinfo=COPENHAGEN))
    assert status.due.isoformat() == "2026-03-29T16:40:00+02:00" and status.remaining_text == "om 6 timer" and status.acute


def test_assessments_are_saved_only_on_request_without_cpr_and_leaders_see_zones_only(tmp_path):
    store = Store(tmp_path / "h.db")
    worker = auth.add_user(store, "mads", "en-lang-adgangskode", "medarbejder")
    leader = auth.add_user(store, "lise", "en-lang-adgangskode", "redaktør")
    with pytest.raises(PersonalDataError):
        save_assessment(store, worker, BUNDLED, 3, "010203-1234")
    with pytest.raises(PermissionDenied):
        save_assessment(store, None, BUNDLED, 3, "Sag 17")
    save_assessment(store, worker, BUNDLED, 3, "Sag 17")
    save_assessment(store, worker, BUNDLED, 6, "Sag 17")
    assert [r["value"] for r in assessments_for(store, worker, "Sag 17")] == [3, 6]
    distribution = zone_distribution(store, leader)
    assert sorted((d["zone"], d["count"]) for d in distribution) == [("Gul", 1), ("Orange", 1)]
    assert "Sag 17" not in repr(distribution)
    with pytest.raises(PermissionDenied):
        zone_distribution(store, worker)
    assert purge_assessments(store, 180, now=datetime.now(UTC) + timedelta(days=181)) == 2


def test_a_zone_shows_the_signs_for_the_childs_age_group_and_links_the_guidelines_that_exist():
    guidance = zone_guidance(BUNDLED, 1, LIBRARY, "0-2 år")
    red = BUNDLED.zones[0]
    assert guidance.zone == red and guidance.signs == red.signs_for("0-2 år") and guidance.signs_heading == "Typiske tegn (0-2 år)"
    assert [g.id for g in guidance.guidelines] == [g for g in red.guidelines if LIBRARY.get(g) is not None] != []
    assert zone_guidance(BUNDLED, 1, LIBRARY).signs_heading == "Typiske tegn"
    with pytest.raises(ValueError, match="uden for skalaen"):
        zone_guidance(BUNDLED, 11, LIBRARY)


def test_an_assessment_puts_the_factors_written_one_per_line_into_the_journal_text():
    assessment = assess(BUNDLED, LIBRARY, 3, "3-5 år", ["Stabil skolegang"], [], "  Farmor henter\n\nGod kontakt til pædagog ", "Mor er syg")
    assert assessment.guidance.zone.name == "Orange"
    text = assessment.journal_text("  Sag 17 ", "Skal drøftes")
    assert "Reference: Sag 17\nAldersgruppe: 3-5 år\nPlacering: 3 på skalaen 1–10 (Orange:" in text
    assert "Beskyttende faktorer: Stabil skolegang; Farmor henter; God kontakt til pædagog" in text
    assert "Risikofaktorer: Mor er syg" in text and "Faglig vurdering: Skal drøftes" in text


def test_a_distriktsmoede_round_warns_when_the_placements_lie_more_than_one_zone_apart():
    placements = [Placement("AB", 2), Placement("CD", 5), Placement("EF", 6)]
    shown = meeting(BUNDLED, placements, LIBRARY, date(2026, 4, 13))
    assert shown.warning == "Placeringerne spænder fra rød til gul zone – mere end én zone fra hinanden. Drøft forskellen, før I beslutter næste skridt."
    assert shown.guidance.zone.name == "Gul" and "Median 5 (gul zone)" in shown.ruler.text and "AB på 2 (rød zone)" in shown.ruler.text
    assert meeting(BUNDLED, placements[1:], LIBRARY, date(2026, 4, 13)).warning is None


def test_the_acute_path_offers_the_underretning_checklist_and_guideline_only_with_signs_of_violence():
    checklists = load_checklists(PROJECT_ROOT / "checklists")
    now = datetime(2026, 3, 29, 10, 40, tzinfo=COPENHAGEN)
    acute = intake(date(2026, 3, 28), time(15, 40), True, now, checklists, LIBRARY)
    assert acute.received == datetime(2026, 3, 28, 15, 40) and acute.due_text == "søn. 29. marts 2026 kl. 16.40"
    assert acute.status.remaining_text == "om 6 timer" and acute.checklist.id == "underretning" and acute.guideline.id == "underretninger"
    calm = intake(date(2026, 3, 28), time(15, 40), False, now, checklists, LIBRARY)
    assert not calm.status.acute and calm.checklist is None and calm.guideline is None


def test_progression_and_the_leaders_distribution_show_nothing_until_an_assessment_is_saved(tmp_path):
    store = Store(tmp_path / "h.db")
    worker = auth.add_user(store, "mads", "en-lang-adgangskode", "medarbejder")
    leader = auth.add_user(store, "lise", "en-lang-adgangskode", "redaktør")
    assert progression(store, worker, BUNDLED, "Sag 17", 180) is None
    assert distribution(store, leader, BUNDLED) is None
    assess(BUNDLED, LIBRARY, 3, None, [], []).save(store, worker, " Sag 17 ")
    save_assessment(store, worker, BUNDLED, 8, "Sag 17")
    followed = progression(store, worker, BUNDLED, "Sag 17 ", 180)
    assert followed is not None and followed.summary.startswith("2 vurderinger fra ") and followed.summary.endswith("Vurderinger slettes efter 180 dage.")
    assert "(2 vurderinger)" in followed.text
    shown = distribution(store, leader, BUNDLED)
    assert shown is not None and sorted((r["Zone"], r["Antal"]) for r in shown.table) == [("Grøn", 1), ("Orange", 1)]
    assert distribution(store, leader, None) is None
    with pytest.raises(PermissionDenied):
        distribution(store, worker, BUNDLED)


def test_a_click_on_the_drawn_ruler_picks_a_whole_position():
    assert picked_position({"pick": [{"position": 9.0}]}) == 9
    assert picked_position({"pick": []}) is None and picked_position({}) is None and picked_position(None) is None


def test_the_ruler_is_drawn_as_streamlit_draws_charts_without_switching_altairs_theme():
    drawn = ruler(BUNDLED, [("Barnet", 4)], clickable=True)
    assert "Barnet på 4 (orange zone)" in drawn.text
    assert drawn.spec["config"]["view"] == {"strokeWidth": 0}  # no default size from Altair's theme
    chart = alt.Chart(alt.to_values(pd.DataFrame({"x": [1, 2]}))).mark_point().encode(x="x:Q")
    active = alt.theme.active
    with alt.theme.enable("none"):
        expected = chart.to_dict()
    danish = {**expected, "config": {**expected.get("config", {}), "locale": DANISH_LOCALE}}  # decimal comma, Danish months
    assert chart_spec(chart) == danish and alt.theme.active == active
    assert DANISH_LOCALE["number"]["decimal"] == "," and drawn.spec["config"]["locale"] == DANISH_LOCALE
