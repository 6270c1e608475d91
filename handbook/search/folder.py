"""The index on disk: one folder with the Whoosh index and a manifest of what it holds.

`sync` re-indexes only documents whose content hash changed, and rebuilds a missing, corrupt
or outdated index without anyone asking; a rebuild is made in a side folder and swapped in.
One process writes at a time (a lock file); readers keep using their searcher until the new
one is committed.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as whoosh_index

from handbook.search.schema import SCHEMA_VERSION, estimate_common_words, make_schema

if TYPE_CHECKING:  # the command line's search does not load the content model
    from handbook.search.documents import SearchDocument

MANIFEST = "handbook-manifest.json"
# A rebuild of at least this many documents analyses them in one process per core.
PARALLEL_FROM = 2000


@dataclass
class SyncReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    rebuilt: bool = False
    seconds: float = 0.0
    reasons: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.removed


class IndexFolder:
    """The folder of one index: building it, updating it, and the manifest that says which
    documents (by content hash) it holds and with which schema version."""

    def __init__(self, index_dir: Path):
        self.index_dir = index_dir

    def sync(self, documents: Sequence[SearchDocument]) -> SyncReport:
        """Bring the index in line with documents: re-index changed ones, rebuild if broken."""
        with self._process_lock():
            manifest = self._read_manifest()
            problem = self._health_problem(manifest)
            if problem:
                report = self._rebuild_locked(documents)
                report.reasons.append(problem)
            else:
                assert manifest is not None  # a missing manifest is a health problem
                report = self._update_locked(documents, manifest["documents"])
        return report

    def rebuild(self, documents: Sequence[SearchDocument]) -> SyncReport:
        """Build the index from scratch in a side folder and swap it in."""
        with self._process_lock():
            return self._rebuild_locked(documents)

    def stamp(self) -> int | None:
        """When the manifest was last written (None: there is none): a new stamp means a
        new generation of the index."""
        try:
            return (self.index_dir / MANIFEST).stat().st_mtime_ns
        except OSError:
            return None

    def _health_problem(self, manifest: dict | None) -> str | None:
        if manifest is None:
            return "indekset mangler"
        if manifest.get("schema") != SCHEMA_VERSION:
            return "indekset er bygget med en ældre version"
        try:
            ix = whoosh_index.open_dir(str(self.index_dir))
            with ix.searcher() as searcher:
                if searcher.doc_count() != len(manifest["documents"]):
                    return "indekset passer ikke med sin fortegnelse"
        except Exception as exc:  # any failure to open means the files are damaged
            return f"indekset kunne ikke åbnes ({type(exc).__name__})"
        return None

    def _update_locked(self, documents: Sequence[SearchDocument], indexed: dict[str, str]) -> SyncReport:
        report = SyncReport()
        wanted = {d.key: d for d in documents}
        changed = [d for d in documents if indexed.get(d.key) != d.content_hash]
        removed = [key for key in indexed if key not in wanted]
        if not changed and not removed:
            return report
        ix = whoosh_index.open_dir(str(self.index_dir))
        writer = ix.writer(timeout=30)
        try:
            for doc in changed:
                writer.update_document(**doc.fields())
            for key in removed:
                writer.delete_by_term("key", key)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        report.added = sum(1 for d in changed if d.key not in indexed)
        report.updated = len(changed) - report.added
        report.removed = len(removed)
        self._write_manifest({d.key: d.content_hash for d in documents})
        return report

    def _rebuild_locked(self, documents: Sequence[SearchDocument]) -> SyncReport:
        building = self.index_dir.with_name(f"{self.index_dir.name}.building-{os.getpid()}")
        old = self.index_dir.with_name(f"{self.index_dir.name}.old-{os.getpid()}")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        ix = whoosh_index.create_in(str(building), make_schema(estimate_common_words(documents)))
        # Large rebuilds analyse documents in one process per core and keep one segment each.
        procs = min(os.cpu_count() or 1, 4) if len(documents) >= PARALLEL_FROM else 1
        writer = ix.writer(limitmb=1024, procs=procs, multisegment=procs > 1)
        for doc in documents:
            writer.add_document(**doc.fields())
        writer.commit()
        self._write_manifest({d.key: d.content_hash for d in documents}, folder=building)
        if self.index_dir.exists():
            os.replace(self.index_dir, old)
        os.replace(building, self.index_dir)
        shutil.rmtree(old, ignore_errors=True)
        return SyncReport(added=len(documents), rebuilt=True)

    @contextmanager
    def _process_lock(self) -> Iterator[None]:
        self.index_dir.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.index_dir.with_name(f".{self.index_dir.name}.lock")
        with open(lock_path, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read_manifest(self) -> dict | None:
        try:
            return json.loads((self.index_dir / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _write_manifest(self, documents: dict[str, str], folder: Path | None = None) -> None:
        target = (folder or self.index_dir) / MANIFEST
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps({"schema": SCHEMA_VERSION, "documents": documents}), encoding="utf-8")
        os.replace(temporary, target)
