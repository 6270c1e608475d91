"""Whether the index on disk was built from the content as it is now, without reading it.

The command line searches in a fresh process: loading and parsing every guideline and checklist
to check the index's content hashes took most of its 1.5 s. After a sync the command writes a
stamp of the content files (their paths, sizes and modification times, the schema version and
the word list's) beside the index; a later search whose stamp still matches opens the index
directly. Any change to a file, an added or removed one, or a new index generation (another
process synced) gives another stamp, and the full sync runs as before.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from handbook.search.decompound import HUNSPELL_DA
from handbook.search.folder import IndexFolder
from handbook.search.schema import SCHEMA_VERSION

STAMP_FILE = "handbook-sources.json"


def sources_stamp(folders: list[Path]) -> str:
    """A digest of every file under folders (path, size, modification time), the schema version
    and the Danish word list's size and time."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                path = Path(root) / name
                try:
                    stat = path.stat()
                except OSError:
                    continue
                digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    try:
        stat = HUNSPELL_DA.stat()
        digest.update(f"{stat.st_size}|{stat.st_mtime_ns}".encode())
    except OSError:
        digest.update(b"no word list")
    return digest.hexdigest()


def is_current(index_dir: Path, stamp: str) -> bool:
    """Whether the index was last synced from sources with this stamp (and not changed since)."""
    try:
        saved = json.loads((index_dir / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(saved, dict) and saved.get("sources") == stamp and saved.get("index") == IndexFolder(index_dir).stamp()


def remember(index_dir: Path, stamp: str) -> None:
    """Record that the index now matches the sources with this stamp."""
    path = index_dir / STAMP_FILE
    temporary = path.with_suffix(".tmp")
    try:
        temporary.write_text(json.dumps({"sources": stamp, "index": IndexFolder(index_dir).stamp()}), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass  # only a missed shortcut: the next search syncs again
