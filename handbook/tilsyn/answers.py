"""Recording a round: per drawn case and criterion one answer – ja; nej with a fix-by date
(default 14 days, as the guideline says) and a follow-up status; ikke relevant with a reason –
and an optional CPR-guarded note. Each answer is its own row, saved as it is given. Also the
corrections (open, overdue, done, confirmed) and the import of reviews done on paper or in Excel.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from handbook.identity.auth import PermissionDenied, User
from handbook.privacy.cpr import PersonalDataError, contains_cpr
from handbook.store.database import Store, utc_now
from handbook.tilsyn.model import ANSWER_LABELS, ANSWERS, IKKE_RELEVANT, NEJ, Criterion
from handbook.tilsyn.rounds import Round, TilsynError, get_round, round_for_leader
from handbook.tilsyn.sampling import CaseListError

FIX_DAYS = 14  # the guideline: a missing plan, follow-up or journal is put right within 14 days
OPEN, DONE, CONFIRMED = "åben", "rettet", "bekræftet"
STATUS_LABELS = {OPEN: "Åben", DONE: "Rettet – venter på lederens bekræftelse", CONFIRMED: "Bekræftet af lederen"}
IMPORT_COLUMNS = ("case_ref", "caseworker", "criterion", "answer", "reason", "note", "fix_by")
CPR_REFUSED = "Teksten ser ud til at indeholde et CPR-nummer og er ikke gemt. Skriv ikke CPR-numre i Håndbogen."


@dataclass(frozen=True)
class Answer:
    case_id: int
    criterion_id: str
    answer: str
    reason: str = ""
    note: str = ""
    fix_by: str = ""
    status: str = ""
    answered_by: str = ""

    @property
    def label(self) -> str:
        return ANSWER_LABELS.get(self.answer, self.answer)


def _answer(row: dict) -> Answer:
    return Answer(row["case_id"], row["criterion_id"], row["answer"], row["reason"] or "", row["note"] or "", row["fix_by"] or "", row["status"] or "", row["answered_by"])


def round_answers(store: Store, round_id: int) -> dict[tuple[int, str], Answer]:
    """The answers of a round by (case id, criterion id)."""
    return {(row["case_id"], row["criterion_id"]): _answer(row) for row in store.round_answers([round_id])}


def _checked_text(value: str, what: str, limit: int = 1000) -> str:
    value = (value or "").strip()
    if contains_cpr(value):
        raise PersonalDataError(CPR_REFUSED)
    if len(value) > limit:
        raise TilsynError(f"{what} må højst have {limit} tegn.")
    return value


def _case_and_criterion(store: Store, found: Round, case_id: int, criterion_id: str) -> tuple[dict, Criterion]:
    case = next((c for c in store.round_cases(found.id, drawn_only=True) if c["id"] == case_id), None)
    if case is None:
        raise TilsynError("Sagen er ikke trukket til denne runde.")
    criterion = found.template.criterion(criterion_id)
    if criterion is None or not criterion.applies_to(case["case_type"] or ""):
        raise TilsynError(f"Kriteriet '{criterion_id}' gælder ikke for sagen.")
    return case, criterion


def answer_row(criterion: Criterion, answer: str, reason: str, note: str, fix_by: date | None, today: date, where: str = "") -> dict:
    """The stored fields of one answer, checked: 'ikke relevant' needs a reason and must be allowed;
    'nej' gets a fix-by date (default today + 14 days) and the status 'åben'."""
    if answer not in ANSWERS:
        raise TilsynError(f"{where}Ukendt svar '{answer}'. Brug ja, nej eller ikke relevant.")
    reason, note = _checked_text(reason, "Begrundelsen"), _checked_text(note, "Noten")
    if answer == IKKE_RELEVANT and not criterion.not_relevant_allowed:
        raise TilsynError(f"{where}Kriteriet '{criterion.id}' kan ikke besvares med ikke relevant.")
    if answer == IKKE_RELEVANT and not reason:
        raise TilsynError(f"{where}Skriv en begrundelse, når kriteriet '{criterion.id}' er ikke relevant (fx barnets alder).")
    row = {"answer": answer, "reason": reason if answer == IKKE_RELEVANT else None, "note": note or None, "fix_by": None, "status": None, "done_at": None, "confirmed_at": None, "confirmed_by": None}
    if answer == NEJ:
        row.update(fix_by=(fix_by or today + timedelta(days=FIX_DAYS)).isoformat(), status=OPEN)
    return row


def record_answer(store: Store, user: User | None, round_id: int, case_id: int, criterion_id: str, answer: str, *, today: date, reason: str = "", note: str = "", fix_by: date | None = None) -> None:
    """Save one answer at once (an upsert of its own row, so another reviewer's answers in the
    same round are never overwritten)."""
    found = round_for_leader(store, user, round_id)
    assert user is not None
    if found.closed_at:
        raise TilsynError("Runden er lukket; svarene kan ikke ændres.")
    _, criterion = _case_and_criterion(store, found, case_id, criterion_id)
    row = answer_row(criterion, answer, reason, note, fix_by, today)
    store.upsert_answers([{**row, "case_id": case_id, "criterion_id": criterion_id, "round_id": round_id, "answered_by": user.name, "answered_at": utc_now()}])


def clear_answer(store: Store, user: User | None, round_id: int, case_id: int, criterion_id: str) -> None:
    found = round_for_leader(store, user, round_id)
    if found.closed_at:
        raise TilsynError("Runden er lukket; svarene kan ikke ændres.")
    store.delete_answer(case_id, criterion_id)


# -- corrections ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Correction:
    round_id: int
    case_id: int
    case_ref: str
    caseworker: str
    criterion: Criterion
    fix_by: date
    status: str
    note: str

    def overdue(self, today: date) -> bool:
        """Still open after its fix-by date."""
        return self.status == OPEN and self.fix_by < today

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def corrections(store: Store, rounds: list[Round], caseworker: str | None = None) -> list[Correction]:
    """The 'nej' answers of rounds (of one caseworker, if given), earliest fix-by date first."""
    by_id = {r.id: r for r in rounds}
    result = []
    for row in store.round_answers(list(by_id)):
        criterion = by_id[row["round_id"]].template.criterion(row["criterion_id"])
        if row["answer"] != NEJ or criterion is None or (caseworker is not None and row["caseworker"] != caseworker):
            continue
        result.append(Correction(row["round_id"], row["case_id"], row["case_ref"] or "(slettet)", row["caseworker"], criterion, date.fromisoformat(row["fix_by"]), row["status"] or OPEN, row["note"] or ""))
    return sorted(result, key=lambda c: (c.fix_by, c.case_ref, c.criterion.id))


def is_caseworker(user: User | None, caseworker: str) -> bool:
    """Whether the caseworker named in a round is this user (login or display name)."""
    return user is not None and caseworker.strip().casefold() in {user.name.casefold(), user.display_name.casefold()}


def mark_done(store: Store, user: User | None, round_id: int, case_id: int, criterion_id: str) -> None:
    """The caseworker marks a correction as done (in an opened round, on their own case)."""
    found = get_round(store, round_id)
    row = _correction_row(store, found, case_id, criterion_id)
    if found.opened_at is None or not is_caseworker(user, row["caseworker"]):
        raise PermissionDenied("Kun rådgiveren på sagen kan markere rettelsen som udført, når runden er åbnet.")
    if row["status"] == OPEN:
        store.update_answer(case_id, criterion_id, {"status": DONE, "done_at": utc_now()})


def confirm(store: Store, user: User | None, round_id: int, case_id: int, criterion_id: str) -> None:
    """The leader confirms a correction (done by the caseworker, or seen to directly)."""
    found = round_for_leader(store, user, round_id)
    assert user is not None
    row = _correction_row(store, found, case_id, criterion_id)
    if row["status"] != CONFIRMED:
        store.update_answer(case_id, criterion_id, {"status": CONFIRMED, "confirmed_at": utc_now(), "confirmed_by": user.name})


def _correction_row(store: Store, found: Round, case_id: int, criterion_id: str) -> dict:
    row = next((r for r in store.round_answers([found.id]) if r["case_id"] == case_id and r["criterion_id"] == criterion_id), None)
    if row is None or row["answer"] != NEJ:
        raise TilsynError("Der er ingen rettelse på den sag og det kriterium.")
    return row


# -- import ---------------------------------------------------------------------------------------


def import_answers(store: Store, round_id: int, text: str, today: date, actor: str = "import") -> int:
    """Answers from a CSV file (columns case_ref, caseworker, criterion, answer, reason, note,
    fix_by); every bad row is reported with its line number and nothing is stored. Cases not yet
    in the round are added as drawn. Returns how many answers were stored."""
    found = get_round(store, round_id)
    if found.closed_at:
        raise TilsynError("Runden er lukket; der kan ikke importeres svar.")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","))
    header = [h.strip().lower() for h in rows[0]] if rows else []
    if header != list(IMPORT_COLUMNS):
        raise CaseListError([f"Linje 1: kolonnerne skal være {','.join(IMPORT_COLUMNS)}."])
    existing = {c["case_ref"]: c for c in store.round_cases(round_id)}
    problems: list[str] = []
    new_cases: dict[str, dict] = {}
    answers: dict[tuple[str, str], dict] = {}
    for number, fields in enumerate(rows[1:], start=2):
        if not any(f.strip() for f in fields):
            continue
        try:
            answers_key, answer, new_case = _import_row(found, fields, existing, new_cases, today, f"Linje {number}: ")
        except PersonalDataError:
            problems.append(f"Linje {number}: ser ud til at indeholde et CPR-nummer. Intet fra filen er gemt.")
            continue
        except TilsynError as exc:
            problems.append(str(exc))
            continue
        if answers_key in answers:
            problems.append(f"Linje {number}: sagen {answers_key[0]} har allerede et svar på kriteriet '{answers_key[1]}' i filen.")
            continue
        if new_case is not None:
            new_cases[new_case["case_ref"]] = new_case
        answers[answers_key] = {**answer, "answered_by": actor, "answered_at": utc_now()}
    if problems:
        raise CaseListError(problems)
    store.import_answers(round_id, list(new_cases.values()), list(answers.values()))
    return len(answers)


def _import_row(found: Round, fields: list[str], existing: dict, new_cases: dict, today: date, where: str) -> tuple[tuple[str, str], dict, dict | None]:
    if len(fields) != len(IMPORT_COLUMNS):
        raise TilsynError(f"{where}der skal være {len(IMPORT_COLUMNS)} felter ({','.join(IMPORT_COLUMNS)}), ikke {len(fields)}.")
    case_ref, caseworker, criterion_id, answer, reason, note, fix_by = (f.strip() for f in fields)
    if contains_cpr(case_ref) or contains_cpr(caseworker):
        raise PersonalDataError(CPR_REFUSED)
    if not case_ref or not caseworker:
        raise TilsynError(f"{where}sagsnummer og rådgiver skal udfyldes.")
    criterion = found.template.criterion(criterion_id)
    if criterion is None:
        raise TilsynError(f"{where}ukendt kriterium '{criterion_id}'. Kriterier i '{found.template.title}': {', '.join(c.id for c in found.template.criteria)}.")
    case = existing.get(case_ref) or new_cases.get(case_ref)
    if case is not None and case["caseworker"] != caseworker:
        raise TilsynError(f"{where}sagen {case_ref} hører til {case['caseworker']}, ikke {caseworker}.")
    if case is not None and not criterion.applies_to(case.get("case_type") or ""):
        raise TilsynError(f"{where}kriteriet '{criterion_id}' gælder ikke for sagstypen '{case['case_type']}'.")
    try:
        due = date.fromisoformat(fix_by) if fix_by else None
    except ValueError:
        raise TilsynError(f"{where}fristen '{fix_by}' skal være en dato på formen ÅÅÅÅ-MM-DD.") from None
    if due is not None and answer.lower() != NEJ:
        raise TilsynError(f"{where}en frist (fix_by) hører kun til svaret nej.")
    row = answer_row(criterion, answer.strip().lower(), reason, note, due, today, where)
    new_case = {"case_ref": case_ref, "caseworker": caseworker, "case_type": ""} if case is None else None
    return (case_ref, criterion_id), {**row, "case_ref": case_ref, "criterion_id": criterion_id}, new_case
