"""The deadline rules a leader can write (docs/content-format.md): years and multi-part
durations, 'before', rolling to a working day, date questions counted as the whole day, rule
lists chosen by `when`, `earliest`, unknown sources giving no date, and the Danish file:line
messages for every mistake."""

from datetime import date, datetime
from pathlib import Path

import pytest

from handbook.checklists.case import parse_answers, rule_text, steps_with_deadlines
from handbook.checklists.model import NOT_RELEVANT
from handbook.checklists.schema import parse_checklist_text
from handbook.dates.deadlines import COPENHAGEN, day_flag, due_at, due_before, end_of_day, format_due, parse_duration

PATH = Path("checklists/plan.yaml")


def cph(*args) -> datetime:
    return datetime(*args, tzinfo=COPENHAGEN)


# -- durations -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "within", "expected"),
    [
        (cph(2026, 1, 31, 10, 0), "1 måned", cph(2026, 2, 28, 10, 0)),  # month end clamps
        (cph(2028, 1, 31, 10, 0), "1 måned", cph(2028, 2, 29, 10, 0)),  # leap year
        (cph(2028, 2, 29, 10, 0), "1 år", cph(2029, 2, 28, 10, 0)),  # 29 February + 1 år
        (cph(2028, 2, 29, 10, 0), "4 år", cph(2032, 2, 29, 10, 0)),
        (cph(2011, 2, 28, 23, 59), "16 år og 3 måneder", cph(2027, 5, 28, 23, 59)),
        (cph(2010, 11, 30, 12, 0), "16 år og 3 måneder", cph(2027, 2, 28, 12, 0)),  # one clamp for years+months
        (cph(2026, 5, 4, 9, 0), "1 uge, 2 dage", cph(2026, 5, 13, 9, 0)),
        (cph(2026, 4, 1, 15, 40), "0 dage", cph(2026, 4, 1, 15, 40)),
        (cph(2026, 4, 1, 15, 40), "1 dag og 2 timer", cph(2026, 4, 2, 17, 40)),
        # summer time starts 29 March 2026: a month keeps the clock, hours are elapsed time
        (cph(2026, 3, 1, 9, 30), "1 måned", cph(2026, 4, 1, 9, 30)),
        (cph(2026, 3, 28, 23, 0), "1 dag og 3 timer", cph(2026, 3, 30, 2, 0)),
    ],
)
def test_years_months_and_several_parts(start, within, expected):
    assert due_at(start, within).isoformat() == expected.isoformat()


def test_several_parts_read_back_as_written():
    assert str(parse_duration("16 år og 3 måneder")) == "16 år og 3 måneder"
    assert str(parse_duration("1 uge, 1 dag")) == "1 uge og 1 dag"


@pytest.mark.parametrize(
    ("start", "within", "expected"),
    [
        # Saturday 5 December 2026 -> Monday 7 December
        (cph(2026, 12, 4, 15, 0), "1 dag", cph(2026, 12, 7, 15, 0)),
        # 30 days from 24 March 2026 is Maundy Thursday (2 April): Easter moves it to Tuesday 7 April
        (cph(2026, 3, 3, 10, 0), "30 dage", cph(2026, 4, 7, 10, 0)),
        # Christmas: 25 (Friday) and 26 December 2026 are holidays, 27 is a Sunday -> Monday 28
        (cph(2026, 12, 24, 9, 0), "1 dag", cph(2026, 12, 28, 9, 0)),
        # a working day stays where it is
        (cph(2026, 12, 1, 9, 0), "1 dag", cph(2026, 12, 2, 9, 0)),
    ],
)
def test_roll_moves_a_weekend_or_holiday_to_the_next_working_day(start, within, expected):
    assert due_at(start, within, roll="hverdag").isoformat() == expected.isoformat()


def test_before_counts_back_and_rolls_to_the_working_day_before():
    assert due_before(cph(2026, 5, 1, 23, 59), "4 uger").isoformat() == cph(2026, 4, 3, 23, 59).isoformat()  # Langfredag
    assert due_before(cph(2026, 5, 1, 23, 59), "4 uger", roll="hverdag").isoformat() == cph(2026, 4, 1, 23, 59).isoformat()
    assert due_before(cph(2026, 4, 14, 12, 0), "6 hverdage").date() == date(2026, 4, 1)  # back across Easter
    assert due_before(cph(2029, 2, 28, 10, 0), "1 år").date() == date(2028, 2, 28)


def test_a_date_counts_as_the_whole_day_in_danish_time():
    moment = end_of_day(date(2027, 2, 10))
    assert moment.isoformat() == "2027-02-10T23:59:00+01:00"
    assert end_of_day(date(2026, 7, 1)).isoformat() == "2026-07-01T23:59:00+02:00"  # summer time
    assert format_due(moment, all_day=True) == "ons. 10. februar 2027 (senest denne dag)"


@pytest.mark.parametrize(
    ("day", "flag"),
    [
        (cph(2026, 12, 5, 15, 0), "weekend (lørdag)"),
        (cph(2026, 12, 6, 15, 0), "weekend (søndag)"),
        (cph(2026, 4, 6, 9, 0), "helligdag (Anden påskedag)"),
        (cph(2026, 12, 24, 9, 0), "juleaftensdag (hverdag, men afdelingen kan have lukket)"),
        (cph(2026, 12, 7, 9, 0), ""),
    ],
)
def test_every_weekend_or_holiday_deadline_is_flagged(day, flag):
    assert day_flag(day) == flag


# -- rules in a checklist --------------------------------------------------------------------------

PLAN = """\
id: plan
title: Barnets plan
version: "1.0"
guideline: barnets-plan
start: {label: Arbejdet begynder}
questions:
  - {id: samtykke, label: Er der samtykke til anbringelsen?, type: bool}
  - {id: afgoerelse, label: Dato for afgørelsen, type: date}
  - {id: foedselsdato, label: Fødselsdato, type: date}
  - {id: undersoegelse_slut, label: Undersøgelsen slutter, type: date}
steps:
  - id: opfoelgning
    title: Første opfølgning
    due:
      earliest:
        - {from: start, within: "3 måneder"}
        - {from: undersoegelse_slut, within: "0 dage"}
  - id: plan
    title: Planen
    due:
      - {when: {samtykke: false}, from: afgoerelse, within: "0 dage"}
      - {from: afgoerelse, within: "3 måneder"}
  - id: ungeplan
    title: Ungeplan
    due: {from: foedselsdato, within: "16 år"}
  - id: klage
    title: Klage
    due: {from: start, within: "30 dage", roll: hverdag}
  - id: efter-plan
    title: Efter planen
    due: {from: plan, within: "2 uger"}
"""
START = cph(2027, 1, 4, 10, 0)


def dues(answers, completed=None, text=PLAN):
    checklist, problems = parse_checklist_text(text, PATH)
    assert problems == [], problems
    return {s.step.id: (s.due.isoformat() if s.due else None, s.all_day) for s in steps_with_deadlines(checklist, START, answers, completed)}


def test_the_documented_example_computes_every_form():
    result = dues(parse_answers("samtykke=false,afgoerelse=2027-02-10,foedselsdato=2011-03-15", parse_checklist_text(PLAN, PATH)[0]))
    assert result["plan"] == ("2027-02-10T23:59:00+01:00", True)  # before the decision: that day
    assert result["ungeplan"] == ("2027-03-15T23:59:00+01:00", True)
    assert result["opfoelgning"] == ("2027-04-04T10:00:00+02:00", False)  # no end date: 3 months
    assert result["klage"] == ("2027-02-03T10:00:00+01:00", False)
    assert result["efter-plan"] == (None, False)  # counts from a step not ticked yet


def test_a_rule_list_takes_the_first_rule_whose_when_holds():
    assert dues({"samtykke": True, "afgoerelse": date(2027, 2, 10)})["plan"] == ("2027-05-10T23:59:00+02:00", True)
    assert dues({"afgoerelse": date(2027, 2, 10)})["plan"][0].startswith("2027-05-10")  # unanswered: the condition does not hold
    assert dues({"samtykke": NOT_RELEVANT, "afgoerelse": date(2027, 2, 10)})["plan"][0].startswith("2027-05-10")
    assert dues({"samtykke": False})["plan"] == (None, False)  # the decision date is not known yet


def test_earliest_takes_the_earliest_that_can_be_computed():
    assert dues({"undersoegelse_slut": date(2027, 2, 19)})["opfoelgning"] == ("2027-02-19T23:59:00+01:00", True)
    assert dues({"undersoegelse_slut": date(2027, 6, 1)})["opfoelgning"] == ("2027-04-04T10:00:00+02:00", False)


def test_a_step_rule_counts_from_when_the_step_was_ticked():
    assert dues({}, {"plan": cph(2027, 2, 1, 14, 0)})["efter-plan"] == ("2027-02-15T14:00:00+01:00", False)


def test_29_february_birthday_turns_16_on_28_february():
    assert dues({"foedselsdato": date(2012, 2, 29)})["ungeplan"][0] == "2028-02-29T23:59:00+01:00"  # 2028 is a leap year
    assert dues({"foedselsdato": date(2008, 2, 29)})["ungeplan"][0] == "2024-02-29T23:59:00+01:00"
    assert dues({"foedselsdato": date(2011, 2, 28)})["ungeplan"][0] == "2027-02-28T23:59:00+01:00"
    text = PLAN.replace('within: "16 år"}', 'within: "17 år"}')
    assert dues({"foedselsdato": date(2012, 2, 29)}, text=text)["ungeplan"][0] == "2029-02-28T23:59:00+01:00"


def test_existing_single_rules_keep_their_meaning():
    old = PLAN.replace('due: {from: start, within: "30 dage", roll: hverdag}', 'due: {from: start, within: "6 hverdage"}')
    assert dues({}, text=old)["klage"][0] == "2027-01-12T10:00:00+01:00"


def test_rules_read_in_danish():
    checklist = parse_checklist_text(PLAN, PATH)[0]
    assert rule_text(checklist, checklist.step("plan").due) == "0 dage efter »Dato for afgørelsen« (når Er der samtykke til anbringelsen? Nej); ellers 3 måneder efter »Dato for afgørelsen«"
    assert rule_text(checklist, checklist.step("opfoelgning").due).startswith("det tidligste af: 3 måneder efter arbejdet begynder; 0 dage efter »Undersøgelsen slutter«")


def test_date_answers_on_the_command_line_are_checked():
    checklist = parse_checklist_text(PLAN, PATH)[0]
    assert parse_answers("afgoerelse=10.02.2027", checklist) == {"afgoerelse": date(2027, 2, 10)}
    assert parse_answers("samtykke=ikke-relevant", checklist) == {"samtykke": NOT_RELEVANT}
    with pytest.raises(ValueError, match="'afgoerelse' er et datospørgsmål; skriv datoen som ÅÅÅÅ-MM-DD"):
        parse_answers("afgoerelse=2027-02-30", checklist)
    with pytest.raises(ValueError, match="skal ligge mellem 1900 og 2200"):
        parse_answers("afgoerelse=9999-12-31", checklist)  # far dates would run off the calendar


# -- the validator -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("{from: undersoegelse_slut, within", "{from: undersoegelse_slutt, within", "plan.yaml:17: Fristen for 'opfoelgning' regnes fra 'undersoegelse_slutt', som hverken er 'start', et trin eller et datospørgsmål i tjeklisten. Mente du 'undersoegelse_slut'?"),
        ('within: "16 år"}', 'within: "16 aar"}', "plan.yaml:25: Ukendt frist '16 aar'. Mente du 'år'?"),
        ('within: "16 år"}', 'within: "9999 år"}', "plan.yaml:25: Fristen '9999 år' er for lang: højst 150 år."),
        ('within: "16 år"}', 'within: "16 år og 2 år"}', "plan.yaml:25: Ukendt frist '16 år og 2 år': enheden 'år' står to gange."),
        ("{when: {samtykke: false},", "{when: {samtyke: false},", "plan.yaml:21: 'when' i fristen for 'plan' henviser til spørgsmålet 'samtyke', som ikke findes. Mente du 'samtykke'?"),
        ("{when: {samtykke: false},", "{when: {samtykke: nej},", "plan.yaml:21: Spørgsmålet 'samtykke' besvares med true eller false, ikke 'nej'."),
        ("{when: {samtykke: false},", "{when: {afgoerelse: false},", "plan.yaml:21: 'when' i fristen for 'plan' bruger datospørgsmålet 'afgoerelse'"),
        ("{from: start, within: \"30 dage\", roll: hverdag}", "{from: start, within: \"30 dage\", roll: weekend}", "plan.yaml:28: 'roll' i fristen for 'klage' kan kun være 'hverdag'"),
        ("{from: start, within: \"30 dage\", roll: hverdag}", "{from: start, within: \"30 dage\", before: \"2 dage\"}", "plan.yaml:28: Fristen for 'klage' har både 'within' og 'before'."),
        ("{from: start, within: \"30 dage\", roll: hverdag}", "{from: start}", "plan.yaml:28: Fristen for 'klage' har hverken 'within' eller 'before'."),
        ("{from: start, within: \"30 dage\", roll: hverdag}", "{from: start, within: 30}", "plan.yaml:28: Ukendt frist '30'."),
        ("{from: start, within: \"30 dage\", roll: hverdag}", "{from: start, within: [30, dage]}", "plan.yaml:28: 'within' i fristen for 'klage' skal være tekst"),
        ("{from: start, within: \"30 dage\", roll: hverdag}", "{from: samtykke, within: \"30 dage\"}", "plan.yaml:28: Fristen for 'klage' regnes fra 'samtykke', som er et spørgsmål af typen bool."),
        ("{from: start, within: \"30 dage\", roll: hverdag}", "{from: klage, within: \"30 dage\"}", "plan.yaml:28: Fristen for 'klage' kan ikke regnes fra trinnet selv."),
        ("{from: start, within: \"30 dage\", roll: hverdag}", "{from: start, within: \"30 dage\", unless: x}", "plan.yaml:28: Ukendt felt 'unless' i fristen for 'klage'."),
        ("{from: start, within: \"30 dage\", roll: hverdag}", "start + 30 dage", "plan.yaml:28: 'due' i trinnet 'klage' skal være en regel"),
        ("{from: start, within: \"30 dage\", roll: hverdag}", "[]", "plan.yaml:28: Fristen for 'klage' er en tom liste"),
        ("{from: start, within: \"30 dage\", roll: hverdag}", "{earliest: [{from: start, within: \"1 dag\"}]}", "plan.yaml:28: 'earliest' i fristen for 'klage' skal være en liste med mindst to regler"),
        ("{from: start, within: \"30 dage\", roll: hverdag}", "[[{from: start, within: \"1 dag\"}]]", "plan.yaml:28: Fristen for 'klage': en liste kan ikke stå direkte i en liste"),
        ("      - {when: {samtykke: false}, from: afgoerelse, within: \"0 dage\"}\n      - {from: afgoerelse, within: \"3 måneder\"}",
         "      - {from: afgoerelse, within: \"3 måneder\"}\n      - {when: {samtykke: false}, from: afgoerelse, within: \"0 dage\"}",
         "plan.yaml:22: Fristen for 'plan': reglen i linje 22 bruges aldrig, fordi reglen i linje 21 ikke har nogen 'when' og altid gælder."),
        ("  - {id: afgoerelse, label: Dato for afgørelsen, type: date}", "  - {id: afgoerelse, label: Dato for afgørelsen, type: dato}", "plan.yaml:8: Spørgsmålet 'afgoerelse' har ukendt type 'dato'. Brug 'bool' (ja/nej), 'choice' (med options) eller 'date' (en dato)."),
        ("  - {id: afgoerelse, label: Dato for afgørelsen, type: date}", "  - {id: afgoerelse, label: Dato for afgørelsen, type: date, options: [a, b]}", "plan.yaml:8: Spørgsmålet 'afgoerelse' har typen date; 'options' bruges kun ved type: choice."),
    ],
)
def test_every_rule_mistake_is_reported_in_danish_at_its_line(old, new, expected):
    assert old in PLAN
    checklist, problems = parse_checklist_text(PLAN.replace(old, new), PATH)
    assert checklist is None
    reported = [str(p) for p in problems]
    assert any(p.startswith(f"checklists/{expected}") for p in reported), reported


def test_steps_counting_from_each_other_in_a_ring_are_reported():
    text = PLAN.replace('due: {from: foedselsdato, within: "16 år"}', 'due: {from: efter-plan, within: "1 dag"}').replace(
        'due: {from: plan, within: "2 uger"}', 'due: {from: ungeplan, within: "2 uger"}'
    )
    checklist, problems = parse_checklist_text(text, PATH)
    assert checklist is None
    assert [str(p) for p in problems] == ["checklists/plan.yaml:23: Fristerne regnes fra hinanden i ring: ungeplan → efter-plan → ungeplan. Ingen af trinnene kan få en frist; lad mindst ét af dem regne fra start eller et datospørgsmål."]


def test_a_step_may_count_from_a_later_step_and_an_id_shared_by_a_step_and_a_date_question_is_refused():
    forward = PLAN.replace('due: {from: foedselsdato, within: "16 år"}', 'due: {from: efter-plan, within: "1 dag"}')
    assert parse_checklist_text(forward, PATH)[1] == []
    clash = PLAN.replace("  - id: klage\n", "  - id: afgoerelse\n").replace("{from: plan, within", "{from: afgoerelse, within")
    problems = [str(p) for p in parse_checklist_text(clash, PATH)[1]]
    assert any("regnes fra 'afgoerelse', som både er et trin og et datospørgsmål" in p for p in problems), problems


def test_every_checklist_example_in_the_leaders_guide_is_valid():
    """A leader copies from docs/content-format.md: every checklist example there must parse."""
    guide = (Path(__file__).resolve().parents[2] / "docs" / "content-format.md").read_text(encoding="utf-8")
    section = guide[guide.index("## Tjeklister"):guide.index("## Trivselslinealen")]
    examples = [block.split("```", 1)[0] for block in section.split("```yaml\n")[1:]]
    checklists = [text for text in examples if text.startswith("id:")]
    assert checklists
    for text in checklists:
        checklist, problems = parse_checklist_text(text, PATH)
        assert problems == [], problems
        result = {s.step.id: s.due for s in steps_with_deadlines(checklist, START, parse_answers("samtykke=false,afgoerelse=2027-02-10", checklist))}
        assert result["plan"].date() == date(2027, 2, 10)


def test_steering_questions_are_those_in_conditions_and_the_dates_rules_count_from():
    text = PLAN.replace("  - {id: undersoegelse_slut, label: Undersøgelsen slutter, type: date}\n", "  - {id: undersoegelse_slut, label: Undersøgelsen slutter, type: date}\n  - {id: klage, label: Er der klaget?, type: bool}\n  - {id: noter, label: Noget at notere?, type: bool}\n")
    checklist, problems = parse_checklist_text(text.replace("{from: plan, within", "{from: klage, within"), PATH)
    assert problems == [], problems
    # 'klage' is both a bool question and a step: counting from the step does not make the question steer
    assert [q.id for q in checklist.steering_questions()] == ["samtykke", "afgoerelse", "foedselsdato", "undersoegelse_slut"]


@pytest.mark.parametrize(
    ("start", "within", "expected"),
    [
        # winter time starts 25 October 2026 at 03:00 -> 02:00; 02:30 happens twice: the first counts
        (cph(2026, 10, 24, 2, 30), "1 dag", "2026-10-25T02:30:00+02:00"),
        (cph(2026, 10, 23, 12, 0), "1 dag og 24 timer", "2026-10-25T11:00:00+01:00"),  # days first, then elapsed hours
        # summer time starts 29 March 2026: 02:30 does not exist that day and moves forward
        (cph(2026, 3, 28, 2, 30), "1 dag", "2026-03-29T03:30:00+02:00"),
        (cph(2026, 3, 28, 9, 0), "1 hverdag", "2026-03-30T09:00:00+02:00"),
    ],
)
def test_summer_time_switches(start, within, expected):
    assert due_at(start, within).isoformat() == expected
