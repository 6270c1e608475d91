"""Published revisions: what is in force on a date, what is scheduled, history and diffs.

Every published version of every guideline is a revision in the store with its exact file
text. A file edited outside the portal (in git) becomes a new revision the next time content is
loaded; a version published in the portal is a revision of its own. The version in force on a
day is the published revision with the latest effective date on or before that day (among
revisions with the same effective date, the one published last). A retirement is a revision
too, so "what applied on 3 March" also knows when a guideline stopped applying.
"""

from __future__ import annotations

import difflib
import html
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from handbook.content.guideline import Guideline, parse_guideline_text
from handbook.content.library import Library, build_library, load_config, load_library
from handbook.problems import ContentProblem
from handbook.settings import Paths, PortalConfig
from handbook.store.database import Store

PUBLISHED, RETIRED = "published", "retired"
FILE_SOURCE, PORTAL_SOURCE = "fil", "portal"
ID_LINE = re.compile(r"^id:\s*['\"]?(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)['\"]?\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Revision:
    """One published version (or the retirement) of a guideline."""

    id: int
    guideline_id: str
    version: str
    effective: date
    published_at: datetime
    author: str
    change_note: str
    content_hash: str
    text: str
    source: str
    status: str
    path: str

    @property
    def retired(self) -> bool:
        return self.status == RETIRED

    @property
    def author_label(self) -> str:
        if self.author:
            return self.author
        return "fil i git" if self.source == FILE_SOURCE else "ukendt"

    def to_json(self) -> dict[str, object]:
        return {
            "revision": self.id,
            "version": self.version,
            "effective": self.effective.isoformat(),
            "published_at": self.published_at.isoformat(),
            "author": self.author_label,
            "change_note": self.change_note,
            "status": self.status,
            "source": self.source,
            "content_hash": self.content_hash,
        }


def revision_from_row(row: dict) -> Revision:
    return Revision(
        id=row["id"],
        guideline_id=row["guideline_id"],
        version=row["version"],
        effective=date.fromisoformat(row["effective"]),
        published_at=datetime.fromisoformat(row["recorded_at"]),
        author=row.get("author") or "",
        change_note=row.get("change_note") or "",
        content_hash=row["content_hash"],
        text=row.get("text") or "",
        source=row.get("source") or FILE_SOURCE,
        status=row.get("status") or PUBLISHED,
        path=row.get("path") or "",
    )


def revision_row(guideline: Guideline, text: str, *, source: str, author: str = "", path: str = "") -> dict:
    """The store row for a published guideline text."""
    return {
        "guideline_id": guideline.id,
        "version": guideline.version,
        "effective": guideline.effective.isoformat(),
        "content_hash": guideline.content_hash,
        "front_matter": json.dumps(guideline.front_matter(), default=str, ensure_ascii=False),
        "body": guideline.body,
        "text": text,
        "source": source,
        "author": author,
        "change_note": guideline.change_note,
        "status": PUBLISHED,
        "path": path or str(guideline.path),
    }


def history(store: Store, guideline_id: str) -> list[Revision]:
    """Every revision of a guideline, oldest publication first."""
    return [revision_from_row(row) for row in store.revisions(guideline_id)]


def _order(revision: Revision) -> tuple:
    return (revision.effective, revision.published_at, revision.id)


def in_force(revisions: list[Revision], day: date) -> Revision | None:
    """The revision that applied on day, or None if none did yet (or it was retired)."""
    candidates = [r for r in revisions if r.effective <= day]
    if not candidates:
        return None
    best = max(candidates, key=_order)
    return None if best.retired else best


def scheduled(revisions: list[Revision], day: date) -> list[Revision]:
    """Published versions that come into force after day, earliest first."""
    return sorted((r for r in revisions if r.effective > day and not r.retired), key=_order)


def find_version(revisions: list[Revision], version: str) -> Revision | None:
    """The last published revision with this version number."""
    matching = [r for r in revisions if r.version == version and not r.retired]
    return max(matching, key=lambda r: (r.published_at, r.id)) if matching else None


def guideline_of(revision: Revision, config: PortalConfig) -> Guideline | None:
    """The guideline as it was in a revision (None for a retirement or a text that no longer
    passes validation)."""
    if revision.retired:
        return None
    result = parse_guideline_text(revision.text, Path(revision.path or f"{revision.guideline_id}.md"), config)
    return result.guideline


@dataclass
class LoadedContent:
    """The library in force on a day plus everything needed to explain it."""

    library: Library
    revisions: dict[str, list[Revision]]
    new_revisions: int


def record_file_revisions(store: Store, paths: Paths) -> tuple[Library, int]:
    """Parse the files and keep every valid text not seen before as a revision."""
    files = load_library(paths)
    texts = {g.id: g.path.read_text(encoding="utf-8") for g in files.guidelines.values()}
    rows = [revision_row(g, texts[g.id], source=FILE_SOURCE, path=_relative(g.path, paths)) for g in files.guidelines.values()]
    new = store.record_revisions(rows) if rows else 0
    return files, new


def load_current(store: Store, paths: Paths, day: date) -> LoadedContent:
    """The handbook as it stands on day: files recorded as revisions, then for every guideline
    the revision in force. A file that is broken right now leaves its last good version in
    force (its problems are still reported); a guideline whose file was deleted and that was
    never published in the portal is gone."""
    files, new = record_file_revisions(store, paths)
    config = files.config
    present = set(files.guidelines) | _ids_of_left_out(files)
    by_id: dict[str, list[Revision]] = {}
    for row in store.revisions():
        by_id.setdefault(row["guideline_id"], []).append(revision_from_row(row))
    results = []
    for guideline_id, revisions in by_id.items():
        if guideline_id not in present and not any(r.source == PORTAL_SOURCE for r in revisions):
            continue
        current = in_force(revisions, day)
        if current is None:
            continue
        results.append(parse_guideline_text(current.text, _absolute(current.path, paths, guideline_id), config))
    library = build_library(results, config)
    _, config_problems = load_config(paths)
    file_problems = [p for problems in files.left_out.values() for p in problems] + _version_clashes(files, by_id)
    library.problems = config_problems + file_problems + [p for p in library.problems if p not in file_problems]
    library.left_out = {**files.left_out, **library.left_out}
    return LoadedContent(library=library, revisions=by_id, new_revisions=new)


def _version_clashes(files: Library, by_id: dict[str, list[Revision]]) -> list[ContentProblem]:
    """A file that reuses the version number of a different text published in the portal: both
    are kept, but the editor must give the file a new number so the history stays readable."""
    problems = []
    for guideline in files.guidelines.values():
        for revision in by_id.get(guideline.id, []):
            if revision.source == PORTAL_SOURCE and not revision.retired and revision.version == guideline.version and revision.content_hash != guideline.content_hash:
                problems.append(
                    ContentProblem(
                        guideline.path,
                        guideline.field_lines.get("version", 2),
                        f"Version {guideline.version} er allerede offentliggjort i portalen af {revision.author} ({revision.published_at:%d.%m.%Y}) med en anden tekst. Giv filen et nyt versionsnummer.",
                    )
                )
                break
    return problems


def _ids_of_left_out(files: Library) -> set[str]:
    ids = set()
    for path in files.left_out:
        try:
            match = ID_LINE.search(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        if match:
            ids.add(match.group("id"))
    return ids


def _relative(path: Path, paths: Paths) -> str:
    try:
        return str(path.relative_to(paths.content_root))
    except ValueError:
        return str(path)


def _absolute(stored: str, paths: Paths, guideline_id: str) -> Path:
    if not stored:
        return paths.guidelines_dir / f"{guideline_id}.md"
    path = Path(stored)
    return path if path.is_absolute() else paths.content_root / path


def unified_diff(old: Revision, new: Revision) -> str:
    """A unified diff of two revisions' file texts."""
    return "".join(
        difflib.unified_diff(
            old.text.splitlines(keepends=True),
            new.text.splitlines(keepends=True),
            fromfile=f"{old.guideline_id} version {old.version}",
            tofile=f"{new.guideline_id} version {new.version}",
        )
    )


def diff_html(old_text: str, new_text: str, context: int = 2) -> str:
    """The changes between two texts as HTML: removed lines struck through in red, added lines
    in green, changed words marked within them, and unchanged stretches folded. Escaped."""
    old_lines, new_lines = old_text.splitlines(), new_text.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    rows: list[str] = []
    for group in matcher.get_grouped_opcodes(context):
        if rows:
            rows.append('<div class="hb-diff-gap">…</div>')
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [f'<div class="hb-diff-same">{_line(line)}</div>' for line in old_lines[i1:i2]]
            elif tag == "replace" and i2 - i1 == j2 - j1:
                for old_line, new_line in zip(old_lines[i1:i2], new_lines[j1:j2]):
                    removed, added = _word_diff(old_line, new_line)
                    rows.append(f'<div class="hb-diff-del">{removed}</div>')
                    rows.append(f'<div class="hb-diff-ins">{added}</div>')
            else:
                rows += [f'<div class="hb-diff-del">{_line(line)}</div>' for line in old_lines[i1:i2]]
                rows += [f'<div class="hb-diff-ins">{_line(line)}</div>' for line in new_lines[j1:j2]]
    if not rows:
        return '<div class="hb-diff"><div class="hb-diff-same">Ingen forskelle i teksten.</div></div>'
    return f'<div class="hb-diff">{"".join(rows)}</div>'


def _line(text: str) -> str:
    return html.escape(text, quote=False) or "&nbsp;"


def _word_diff(old: str, new: str) -> tuple[str, str]:
    old_words, new_words = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    removed, added = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before = html.escape("".join(old_words[i1:i2]), quote=False)
        after = html.escape("".join(new_words[j1:j2]), quote=False)
        if tag == "equal":
            removed.append(before)
            added.append(after)
        else:
            if before:
                removed.append(f"<del>{before}</del>")
            if after:
                added.append(f"<ins>{after}</ins>")
    return "".join(removed) or "&nbsp;", "".join(added) or "&nbsp;"
