"""Written feedback to each caseworker, on the guideline's template: what is good, what must be
corrected and by when, with links to the guideline sections. The caseworker reads it under "Mit
tilsyn" once the round is opened, acknowledges it and marks corrections done; the text can be
copied into the case system."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from handbook.content.render import guideline_url
from handbook.dates.danish_time import date_text
from handbook.identity.auth import PermissionDenied, User
from handbook.privacy.cpr import PersonalDataError, contains_cpr
from handbook.store.database import Store, utc_now
from handbook.tilsyn.answers import CPR_REFUSED, Answer, Correction, corrections, is_caseworker, round_answers
from handbook.tilsyn.model import IKKE_RELEVANT, JA, NEJ, Criterion
from handbook.tilsyn.rounds import Round, TilsynError, round_for_leader, round_from_row


@dataclass(frozen=True)
class CaseFeedback:
    case_id: int
    case_ref: str
    good: tuple[Criterion, ...]
    to_correct: tuple[tuple[Criterion, Answer], ...]
    not_relevant: tuple[tuple[Criterion, Answer], ...]


@dataclass(frozen=True)
class Feedback:
    round: Round
    caseworker: str
    cases: tuple[CaseFeedback, ...]
    comment: str
    acknowledged_at: str | None

    def text(self, titles: Mapping[str, str]) -> str:
        """The feedback as plain text (to copy into the case system); titles: guideline id -> title."""
        t = self.round.template
        lines = [f"Tilbagemelding fra ledelsestilsyn – {t.title} (version {t.version})", f"Team {self.round.team}, periode {self.round.period}. Leder: {self.round.reviewer}.", ""]
        good = [c for case in self.cases for c in case.good]
        if good:
            lines.append("Det er godt:")
            for criterion in dict.fromkeys(good):
                n = sum(criterion in case.good for case in self.cases)
                lines.append(f"- {criterion.question} (i orden i {n} af dine {len(self.cases)} sager)")
            lines.append("")
        fixes = [(case, c, a) for case in self.cases for c, a in case.to_correct]
        lines.append("Det skal rettes:" if fixes else "Der er intet, der skal rettes.")
        for case, criterion, answer in fixes:
            lines.append(f"- Sag {case.case_ref}: {criterion.question} Ret senest {date_text(answer.fix_by)}." + (f" Note: {answer.note}" if answer.note else ""))
            lines.append(f"  Se {section_label(criterion, titles)}: {guideline_url(criterion.guideline_id, criterion.anchor)}")
        if self.comment:
            lines += ["", "Kommentar fra lederen:", self.comment]
        lines += ["", "Vi tager en kort mundtlig opfølgning inden for to uger."]
        return "\n".join(lines) + "\n"


def section_label(criterion: Criterion, titles: Mapping[str, str]) -> str:
    """'Barnets plan – afsnittet "frister"' for a criterion's guideline section."""
    return f"{titles.get(criterion.guideline_id, criterion.guideline_id)} – afsnittet »{criterion.anchor.replace('-', ' ')}«"


def build_feedback(store: Store, found: Round, caseworker: str) -> Feedback:
    answers = round_answers(store, found.id)
    cases = []
    for case in store.round_cases(found.id, drawn_only=True):
        if case["caseworker"] != caseworker:
            continue
        given = [(c, answers[(case["id"], c.id)]) for c in found.template.criteria_for(case["case_type"] or "") if (case["id"], c.id) in answers]
        cases.append(CaseFeedback(
            case["id"], case["case_ref"] or "(slettet)", tuple(c for c, a in given if a.answer == JA),
            tuple((c, a) for c, a in given if a.answer == NEJ), tuple((c, a) for c, a in given if a.answer == IKKE_RELEVANT),
        ))
    row = store.feedback_row(found.id, caseworker) or {}
    return Feedback(found, caseworker, tuple(cases), row.get("comment") or "", row.get("acknowledged_at"))


def caseworkers(store: Store, found: Round) -> list[str]:
    return sorted({c["caseworker"] for c in store.round_cases(found.id, drawn_only=True)})


def feedback_for_leader(store: Store, user: User | None, round_id: int, caseworker: str) -> Feedback:
    return build_feedback(store, round_for_leader(store, user, round_id), caseworker)


def write_comment(store: Store, user: User | None, round_id: int, caseworker: str, comment: str) -> None:
    """The leader's own words in the feedback (CPR-guarded, at most 2,000 characters)."""
    found = round_for_leader(store, user, round_id)
    assert user is not None
    if contains_cpr(comment):
        raise PersonalDataError(CPR_REFUSED)
    if len(comment) > 2000:
        raise TilsynError("Kommentaren må højst have 2.000 tegn.")
    if caseworker not in caseworkers(store, found):
        raise TilsynError(f"{caseworker} har ingen sager i runden.")
    store.upsert_feedback({"round_id": round_id, "caseworker": caseworker, "comment": comment.strip(), "written_by": user.name, "written_at": utc_now()})


@dataclass(frozen=True)
class MyRound:
    """One opened round as the caseworker sees it: their feedback and their corrections."""

    feedback: Feedback
    corrections: tuple[Correction, ...]


def my_tilsyn(store: Store, user: User | None) -> list[MyRound]:
    """The opened rounds with cases drawn for user, newest first. A round not yet opened shows
    nothing: the caseworker cannot tell which cases were drawn."""
    if user is None:
        return []
    result = []
    for row in store.tilsyn_rounds():
        if not row["opened_at"]:
            continue
        names = {c["caseworker"] for c in store.round_cases(row["id"], drawn_only=True) if is_caseworker(user, c["caseworker"])}
        for name in sorted(names):
            found = round_from_row(row)
            result.append(MyRound(build_feedback(store, found, name), tuple(corrections(store, [found], caseworker=name))))
    return result


def acknowledge(store: Store, user: User | None, round_id: int) -> None:
    """The caseworker confirms having read the feedback of an opened round."""
    mine = [m for m in my_tilsyn(store, user) if m.feedback.round.id == round_id]
    if not mine:
        raise PermissionDenied("Du har ingen tilbagemelding i den runde, eller runden er ikke åbnet endnu.")
    for m in mine:
        if m.feedback.acknowledged_at is None:
            store.upsert_feedback({"round_id": round_id, "caseworker": m.feedback.caseworker, "acknowledged_at": utc_now()})


def overdue_count(items: list[Correction], today: date) -> int:
    return sum(c.overdue(today) for c in items)
