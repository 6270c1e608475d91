"""The editorial workflow: drafts, optional review by a second redaktør, publishing now or on a
future effective date, and retiring a guideline. Every step checks the actor's role here (a
medarbejder calling publish gets PermissionDenied) and is written to the audit log.

A draft is the whole file text (front matter and body), so the same validator as
`python -m handbook validate` checks it, with line numbers. Saving is optimistic: each draft
has a lock counter, and a save based on an outdated counter does not overwrite the other
editor's text; it is kept as a new draft instead, so nobody loses work.
"""

from __future__ import annotations

import hashlib
import html
import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from handbook.content.guideline import ALL_FIELDS, FIELD_LABELS, ID_PATTERN, Guideline, load_yaml_with_nodes, parse_guideline_text
from handbook.content.render import format_date
from handbook.dates.danish_time import moment_text
from handbook.identity.auth import User, get_user, require
from handbook.privacy.cpr import ensure_no_cpr
from handbook.problems import ContentProblem
from handbook.publishing import notifications
from handbook.publishing.revisions import PORTAL_SOURCE, RETIRED, Revision, diff_html, history, in_force, revision_row
from handbook.settings import PortalConfig
from handbook.store.database import Store, utc_now
from handbook.yamltext import YAMLError

DRAFT, IN_REVIEW, APPROVED, SENT_BACK, PUBLISHED, DISCARDED = "kladde", "til godkendelse", "godkendt", "sendt tilbage", "offentliggjort", "kasseret"
EDITABLE = (DRAFT, SENT_BACK, APPROVED)
DRAFT_PATH = Path("kladde.md")
MAX_ID_LENGTH = 80
_SHOWABLE_ID = re.compile(r"^[A-Za-z0-9æøåÆØÅ -]{1,60}$")  # an id the message may repeat (shown as Markdown)


class WorkflowError(Exception):
    """A step that cannot be taken now, with a Danish message saying why."""


class DraftConflict(WorkflowError):
    """Someone else saved the draft first; the text is kept as a new draft (copy_id)."""

    def __init__(self, message: str, copy_id: int):
        super().__init__(message)
        self.copy_id = copy_id


@dataclass(frozen=True)
class Draft:
    id: int
    guideline_id: str
    base_revision_id: int | None
    text: str
    status: str
    author: str
    updated_by: str
    updated_at: str
    lock: int
    reviewer: str
    review_comment: str

    @property
    def is_new_guideline(self) -> bool:
        return self.base_revision_id is None


def _draft(row: dict) -> Draft:
    return Draft(
        id=row["id"],
        guideline_id=row["guideline_id"],
        base_revision_id=row["base_revision_id"],
        text=row["text"],
        status=row["status"],
        author=row["author"],
        updated_by=row["updated_by"],
        updated_at=row["updated_at"],
        lock=row["lock"],
        reviewer=row["reviewer"] or "",
        review_comment=row["review_comment"] or "",
    )


def get_draft(store: Store, draft_id: int) -> Draft | None:
    row = store.draft(draft_id)
    return _draft(row) if row else None


def open_drafts(store: Store) -> list[Draft]:
    return [_draft(row) for row in store.open_drafts()]


# -- composing and reading the text ---------------------------------------------------------------


def compose_text(fields: dict[str, Any], body: str, order: list[str] | None = None) -> str:
    """A guideline file from front-matter values and a body. Fields come in the given order
    (the order of the file being edited, so a diff shows only real changes), then any others
    in the documented order."""
    data: dict[str, Any] = {}
    for name in dict.fromkeys([*(n for n in order or () if n in ALL_FIELDS), *ALL_FIELDS]):
        value = fields.get(name)
        if value in (None, "", [], ()):
            continue
        if isinstance(value, date):
            value = value.isoformat()
        data[name] = list(value) if isinstance(value, tuple) else value
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=10_000)
    # Dates are written unquoted, as an editor would type them.
    front = re.sub(r"^(effective|review_by): '(\d{4}-\d{2}-\d{2})'$", r"\1: \2", front, flags=re.MULTILINE)
    front = re.sub(r"^version: '([^'\"]*)'$", r'version: "\1"', front, flags=re.MULTILINE)
    return f"---\n{front}---\n{body.strip()}\n"


def normalised_text(text: str) -> str:
    """The text with its front matter written the way the portal writes it, so that a diff
    between a file edited by hand and a version saved in the portal shows content changes
    rather than quoting or list style."""
    fields, body = split_text(text)
    return compose_text(fields, body, order=list(fields)) if fields else text


def version_diff_html(old_text: str, new_text: str) -> str:
    """The changes between two versions as a reader understands them: the facts that changed,
    with their Danish names (old → new), then the body as a text diff."""
    old_fields, old_body = split_text(old_text)
    new_fields, new_body = split_text(new_text)
    rows = []
    for name in dict.fromkeys([*ALL_FIELDS, *old_fields, *new_fields]):
        before, after = _shown_value(old_fields.get(name)), _shown_value(new_fields.get(name))
        if before != after:
            label = html.escape(FIELD_LABELS.get(name, name))
            rows.append(f"<tr><th scope='row'>{label}</th><td><del>{html.escape(before) or '–'}</del></td><td><ins>{html.escape(after) or '–'}</ins></td></tr>")
    facts = ("<table class='hb-diff-facts'><caption>Ændrede oplysninger</caption><thead><tr><th scope='col'>Felt</th><th scope='col'>Før</th>"
             f"<th scope='col'>Nu</th></tr></thead><tbody>{''.join(rows)}</tbody></table>") if rows else "<p>Ingen ændrede oplysninger.</p>"
    return f"{facts}<p><strong>Teksten</strong></p>{diff_html(old_body, new_body)}"


def _shown_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, date):
        return format_date(value)
    text = str(value)
    try:
        return format_date(date.fromisoformat(text)) if len(text) == 10 else text
    except ValueError:
        return text


def split_text(text: str) -> tuple[dict[str, Any], str]:
    """The front-matter values and the body of a file text (values as written, unchecked)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text
    closing = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---"), None)
    if closing is None:
        return {}, text
    try:
        _, data = load_yaml_with_nodes("\n".join(lines[1:closing]))
    except YAMLError:
        return {}, "\n".join(lines[closing + 1:])
    return (data if isinstance(data, dict) else {}), "\n".join(lines[closing + 1:]).strip("\n")


def next_version(version: str) -> str:
    """The next minor version: 3.0 → 3.1, 2.9 → 2.10, 4 → 4.1."""
    parts = version.split(".")
    if parts and parts[-1].isdigit() and len(parts) > 1:
        return ".".join([*parts[:-1], str(int(parts[-1]) + 1)])
    return f"{version}.1"


# -- validation -------------------------------------------------------------------------------------


def check_text(text: str, config: PortalConfig, known_ids: set[str]) -> tuple[Guideline | None, list[ContentProblem]]:
    """Validate a draft's text as the CLI validates a file, plus links to existing guidelines
    and CPR numbers (which may never be published)."""
    result = parse_guideline_text(text, DRAFT_PATH, config)  # refuses CPR-like numbers and oversized texts
    if result.guideline is None:
        return None, result.problems
    guideline = result.guideline
    problems = []
    known = known_ids | {guideline.id}
    for index, related in enumerate(guideline.related):
        if related not in known:
            problems.append(ContentProblem(DRAFT_PATH, guideline.field_lines.get(f"related[{index}]", 2), f"'related' henviser til '{related}', som ikke findes."))
    for target, line in guideline.internal_links():
        if target not in known:
            problems.append(ContentProblem(DRAFT_PATH, line, f"Linket til '{target}' peger ikke på nogen retningslinje."))
    return guideline, problems


def _check_cpr(text: str, limit: int = PortalConfig.max_file_bytes) -> None:
    """Refuse a text that is larger than a content file may be, or has a CPR-like number."""
    if len(text.encode("utf-8", errors="replace")) > limit:
        raise WorkflowError(f"Teksten er for lang (højst {limit // 1000} kB, som en fil i guidelines/).")
    ensure_no_cpr(text, "Teksten")


# -- the workflow -----------------------------------------------------------------------------------


def start_new_version(store: Store, actor: User | None, revision: Revision, today: date) -> int:
    """A draft of the next version of a published guideline: version bumped, effective today,
    the previous change note cleared, and a passed review date moved a year on."""
    actor = require(actor, "edit")
    fields, body = split_text(revision.text)
    order = list(fields)
    fields.update(version=next_version(revision.version), effective=today.isoformat(), change_note="")
    if str(fields.get("review_by", "9999")) < today.isoformat():
        # A new version is a review: propose the next review a year on (visible in the form).
        fields["review_by"] = today.replace(year=today.year + 1, day=min(today.day, 28)).isoformat()
    return _insert_draft(store, actor, revision.guideline_id, revision.id, compose_text(fields, body, order), "ny version", f"af version {revision.version}")


def start_new_guideline(store: Store, actor: User | None, text: str, known_ids: set[str]) -> int:
    """A draft of a guideline that does not exist yet; its id comes from the text."""
    actor = require(actor, "edit")
    _check_cpr(text)
    fields, _ = split_text(text)
    guideline_id = str(fields.get("id") or "").strip()
    if not guideline_id:
        raise WorkflowError("Skriv et id for den nye retningslinje (fx 'ny-retningslinje').")
    if not ID_PATTERN.match(guideline_id) or len(guideline_id) > MAX_ID_LENGTH:
        shown = f"'{guideline_id}' " if _SHOWABLE_ID.match(guideline_id) else ""
        raise WorkflowError(f"Id'et {shown}kan ikke bruges: brug kun små bogstaver a-z, tal og bindestreger mellem ordene, højst {MAX_ID_LENGTH} tegn (fx 'samvaer-og-kontakt'). Der er ikke oprettet nogen kladde.")
    if guideline_id in known_ids:
        raise WorkflowError(f"Id'et '{guideline_id}' bruges allerede. Vælg et andet, eller lav en ny version af den eksisterende.")
    return _insert_draft(store, actor, guideline_id, None, text, "ny retningslinje", "")


def _insert_draft(store: Store, actor: User, guideline_id: str, base_revision_id: int | None, text: str, action: str, details: str) -> int:
    now = utc_now()
    row = {
        "guideline_id": guideline_id,
        "base_revision_id": base_revision_id,
        "text": text,
        "status": DRAFT,
        "author": actor.name,
        "created_at": now,
        "updated_by": actor.name,
        "updated_at": now,
        "lock": 0,
        "reviewer": None,
        "review_comment": None,
        "published_revision_id": None,
    }
    with store.write() as db:
        draft_id = store.insert_draft(db, row)
        store.audit(db, actor.name, f"opret kladde ({action})", guideline_id, f"kladde {draft_id} {details}".strip())
    return draft_id


def save_draft(store: Store, actor: User | None, draft_id: int, text: str, expected_lock: int, config: PortalConfig, known_ids: set[str]) -> list[ContentProblem]:
    """Save a draft's text and return the validator's problems (a draft may be unfinished).

    If another editor saved the draft since expected_lock, nothing of theirs is overwritten:
    this text is kept as a new draft and DraftConflict says which one.
    """
    actor = require(actor, "edit")
    _check_cpr(text, config.max_file_bytes)
    draft = _existing(store, draft_id)
    if draft.status not in (*EDITABLE, IN_REVIEW):
        raise WorkflowError(f"Kladden er {draft.status} og kan ikke længere ændres.")
    _, problems = check_text(text, config, known_ids)
    if draft.is_new_guideline:
        fields, _ = split_text(text)
        new_id = str(fields.get("id") or draft.guideline_id).strip()
        if new_id != draft.guideline_id and new_id in known_ids:
            problems.append(ContentProblem(DRAFT_PATH, 2, f"Id'et '{new_id}' bruges allerede."))
    else:
        new_id = draft.guideline_id
        fields, _ = split_text(text)
        if str(fields.get("id", "")).strip() != draft.guideline_id:
            problems.append(ContentProblem(DRAFT_PATH, 2, f"Id'et skal forblive '{draft.guideline_id}' i en ny version."))
    now = utc_now()
    changes = {"text": text, "updated_by": actor.name, "updated_at": now, "guideline_id": new_id}
    if draft.status in (APPROVED, IN_REVIEW):
        changes["status"] = DRAFT  # a changed text needs a new approval
    with store.write() as db:
        saved = store.update_draft(db, draft_id, expected_lock, changes)
        if saved:
            store.audit(db, actor.name, "gem kladde", draft.guideline_id, f"kladde {draft_id}")
    if not saved:
        current = _existing(store, draft_id)
        copy_id = _insert_draft(store, actor, draft.guideline_id, draft.base_revision_id, text, "konfliktkopi", f"af kladde {draft_id}")
        raise DraftConflict(
            f"Kladden blev gemt af {_display_name(store, current.updated_by)} ({moment_text(current.updated_at)}), efter du åbnede den. "
            f"Din tekst er ikke gået tabt: den er gemt som en ny kladde (nr. {copy_id}). Saml ændringerne i én kladde, og kassér den anden.",
            copy_id,
        )
    return problems


def _display_name(store: Store, name: str) -> str:
    person = get_user(store, name)
    return person.display_name if person else name


def submit_for_review(store: Store, actor: User | None, draft_id: int, today: date, config: PortalConfig, known_ids: set[str]) -> None:
    """Send a draft to another redaktør. Everything publishing checks is checked now (the text,
    the ændringsnote, the version and the dates), so an approved draft can always be published."""
    actor = require(actor, "edit")
    draft = _existing(store, draft_id)
    if draft.status not in EDITABLE:
        raise WorkflowError(f"Kladden er {draft.status} og kan ikke sendes til godkendelse.")
    guideline = publishable(draft, today, config, known_ids)
    _check_publishable(guideline, draft, history(store, draft.guideline_id))
    _transition(store, actor, draft, {"status": IN_REVIEW, "review_comment": None, "reviewer": None}, "send til godkendelse")
    notifications.review_requested(store, actor, draft.id, draft.guideline_id, draft_title(draft))


def approve(store: Store, actor: User | None, draft_id: int) -> None:
    """A second redaktør approves; the one who last changed the text cannot approve it."""
    actor = require(actor, "review")
    draft = _existing(store, draft_id)
    if draft.status != IN_REVIEW:
        raise WorkflowError("Kun en kladde, der er sendt til godkendelse, kan godkendes.")
    if actor.name in (draft.updated_by,):
        raise WorkflowError("En anden redaktør end den, der sidst ændrede kladden, skal godkende den.")
    _transition(store, actor, draft, {"status": APPROVED, "reviewer": actor.name}, "godkend")
    notifications.review_decided(store, actor, draft.id, draft.guideline_id, draft_title(draft), (draft.author, draft.updated_by), approved=True)


def send_back(store: Store, actor: User | None, draft_id: int, comment: str) -> None:
    actor = require(actor, "review")
    if not comment.strip():
        raise WorkflowError("Skriv en kommentar, så forfatteren ved, hvad der skal rettes.")
    _check_cpr(comment)
    draft = _existing(store, draft_id)
    if draft.status != IN_REVIEW:
        raise WorkflowError("Kun en kladde, der er sendt til godkendelse, kan sendes tilbage.")
    _transition(store, actor, draft, {"status": SENT_BACK, "reviewer": actor.name, "review_comment": comment.strip()}, "send tilbage", comment.strip())
    notifications.review_decided(store, actor, draft.id, draft.guideline_id, draft_title(draft), (draft.author, draft.updated_by), approved=False)


def discard(store: Store, actor: User | None, draft_id: int) -> None:
    actor = require(actor, "edit")
    draft = _existing(store, draft_id)
    if draft.status in (PUBLISHED, DISCARDED):
        raise WorkflowError(f"Kladden er allerede {draft.status}.")
    _transition(store, actor, draft, {"status": DISCARDED}, "kassér kladde")


def publish(store: Store, actor: User | None, draft_id: int, today: date, config: PortalConfig, known_ids: set[str], require_review: bool | None = None) -> int:
    """Publish a draft as a new revision, in force from its effective date (today or later).
    Unless require_review says otherwise, `review_required` in config/portal.yaml decides
    whether the draft must have been approved by another redaktør. Followers are notified
    after the transaction. Returns the revision id."""
    require_review = config.review_required if require_review is None else require_review
    actor = require(actor, "publish")
    draft = _existing(store, draft_id)
    if draft.status == IN_REVIEW:
        raise WorkflowError("Kladden venter på godkendelse; den kan offentliggøres, når en anden redaktør har godkendt den.")
    if draft.status not in EDITABLE:
        raise WorkflowError(f"Kladden er {draft.status} og kan ikke offentliggøres.")
    if require_review and draft.status != APPROVED:
        raise WorkflowError("Kladden skal godkendes af en anden redaktør, før den offentliggøres.")
    guideline = publishable(draft, today, config, known_ids)
    # Everything that depends on what others may publish at the same moment is checked inside
    # the write transaction (BEGIN IMMEDIATE: publishers queue), and a UNIQUE index on
    # (guideline_id, published_version) stands behind the check.
    with store.write() as db:
        latest = _existing(store, draft_id)
        if latest.status == PUBLISHED:
            raise WorkflowError("Kladden er allerede offentliggjort (måske lige nu af en anden redaktør eller i en anden fane).")
        if latest.lock != draft.lock:
            raise WorkflowError("Kladden blev ændret, mens du offentliggjorde. Se ændringerne, og prøv igen.")
        revisions = history(store, draft.guideline_id)
        _check_publishable(guideline, draft, revisions)
        base = next((r for r in revisions if r.id == draft.base_revision_id), None)
        path = base.path if base else f"guidelines/{guideline.id}.md"
        row = revision_row(guideline, draft.text, source=PORTAL_SOURCE, author=actor.name, path=path)
        row["content_hash"] = hashlib.sha256(draft.text.encode("utf-8")).hexdigest()
        row["published_version"] = guideline.version
        try:
            revision_id = store.insert_revision(db, row)
        except sqlite3.IntegrityError:
            raise WorkflowError(f"Version {guideline.version} af '{guideline.id}' er allerede offentliggjort med samme nummer eller samme tekst. Giv den nye version et nyt nummer.") from None
        if not store.update_draft(db, draft.id, draft.lock, {"status": PUBLISHED, "published_revision_id": revision_id, "updated_by": actor.name, "updated_at": utc_now()}):
            raise WorkflowError("Kladden blev ændret, mens du offentliggjorde. Se ændringerne, og prøv igen.")
        when = "straks" if guideline.effective <= today else f"fra {guideline.effective.isoformat()}"
        store.audit(db, actor.name, "offentliggør", guideline.id, f"version {guideline.version}, gælder {when}; {guideline.change_note}".strip("; "))
    notifications.new_version(store, actor, guideline.id, guideline.title, guideline.version, guideline.effective)
    return revision_id


def publishable(draft: Draft, today: date, config: PortalConfig, known_ids: set[str]) -> Guideline:
    """The draft's guideline if its text could be published today (no CPR number, no problem
    at any line, not in force backwards); WorkflowError naming what is wrong otherwise."""
    _check_cpr(draft.text)
    guideline, problems = check_text(draft.text, config, known_ids)
    if guideline is None or problems:
        raise WorkflowError("Kladden har fejl og kan ikke offentliggøres: " + "; ".join(f"linje {p.line}: {p.message}" for p in problems))
    if guideline.effective < today:
        raise WorkflowError(f"Gyldighedsdatoen ({format_date(guideline.effective)}) ligger før i dag. En ny version kan ikke gælde bagud; vælg i dag eller en senere dato.")
    return guideline


def _check_publishable(guideline: Guideline, draft: Draft, revisions: list[Revision]) -> None:
    if guideline.id != draft.guideline_id or (draft.is_new_guideline and revisions):
        raise WorkflowError(f"Id'et '{guideline.id}' passer ikke til kladden, eller retningslinjen findes allerede.")
    if revisions and not guideline.change_note:
        raise WorkflowError("Skriv en ændringsnote, så læserne kan se, hvad der er nyt i denne version.")
    if any(r.version == guideline.version and not r.retired for r in revisions):
        raise WorkflowError(f"Version {guideline.version} er allerede offentliggjort. Giv den nye version et nyt nummer.")


def may_publish(draft: Draft, config: PortalConfig) -> bool:
    """Whether "Offentliggør" is offered: never while in review, and with review_required
    only after another redaktør approved the draft."""
    if draft.status not in EDITABLE:
        return False
    return draft.status == APPROVED or not config.review_required


def review_inbox(store: Store, user: User | None) -> list[Draft]:
    """Drafts waiting for review that this user may review (not the last one to change them)."""
    if user is None or not user.can("review"):
        return []
    return [d for d in open_drafts(store) if d.status == IN_REVIEW and d.updated_by != user.name]


def draft_title(draft: Draft) -> str:
    fields, _ = split_text(draft.text)
    return str(fields.get("title") or draft.guideline_id or f"kladde nr. {draft.id}")


def retire(store: Store, actor: User | None, guideline_id: str, today: date, reason: str, effective: date | None = None) -> int:
    """Archive a guideline from effective (default today): it leaves the handbook then, and its
    history stays."""
    actor = require(actor, "publish")
    if not reason.strip():
        raise WorkflowError("Skriv en begrundelse for at arkivere retningslinjen.")
    _check_cpr(reason)
    effective = effective or today
    if effective < today:
        raise WorkflowError("Arkivering kan ikke gælde bagud; vælg i dag eller en senere dato.")
    revisions = history(store, guideline_id)
    current = in_force(revisions, effective) or in_force(revisions, today)
    if current is None:
        raise WorkflowError(f"Retningslinjen '{guideline_id}' er ikke gældende og kan ikke arkiveres.")
    now = utc_now()
    row = {
        "guideline_id": guideline_id,
        "version": current.version,
        "effective": effective.isoformat(),
        "content_hash": hashlib.sha256(f"arkiveret|{guideline_id}|{now}".encode()).hexdigest(),
        "front_matter": "{}",
        "body": "",
        "text": current.text,
        "source": PORTAL_SOURCE,
        "author": actor.name,
        "change_note": reason.strip(),
        "status": RETIRED,
        "path": current.path,
    }
    with store.write() as db:
        revision_id = store.insert_revision(db, row)
        store.audit(db, actor.name, "arkivér", guideline_id, f"fra {effective.isoformat()}: {reason.strip()}")
    return revision_id


def _existing(store: Store, draft_id: int) -> Draft:
    draft = get_draft(store, draft_id)
    if draft is None:
        raise WorkflowError(f"Kladde nr. {draft_id} findes ikke.")
    return draft


def _transition(store: Store, actor: User, draft: Draft, changes: dict, action: str, details: str = "") -> None:
    with store.write() as db:
        if not store.update_draft(db, draft.id, draft.lock, {**changes, "updated_at": utc_now()}):
            raise WorkflowError("Kladden er lige blevet ændret af en anden. Indlæs den igen.")
        store.audit(db, actor.name, action, draft.guideline_id, f"kladde {draft.id}" + (f": {details}" if details else ""))
