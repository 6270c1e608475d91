"""What a portal process holds once and shares between its sessions: the paths, the store, the
search index, the content in force today (with the watch that reloads it when files change or a
version is published), the collector tuning after the first load, and the background threads for
retention and e-mail.

Only caching lives here; every decision is made in the handbook package.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime

import streamlit as st

from handbook.checklists.schema import ChecklistSet, load_checklists
from handbook.content.library import Library, content_fingerprint, load_config
from handbook.dates.deadlines import COPENHAGEN
from handbook.publishing import mail, notifications
from handbook.publishing.revisions import LoadedContent, load_current
from handbook.retention import PURGE_INTERVAL, purge
from handbook.search.config import SearchConfig, load_search_config
from handbook.search.documents import documents_for
from handbook.search.index import SearchIndex
from handbook.settings import Paths, paths_from_env
from handbook.store.database import Store
from handbook.tilsyn.schema import TemplateSet, load_templates
from handbook.trivsel.scale import Scale, load_scale_from
from handbook.validate import guideline_anchors

log = logging.getLogger("handbook")


@st.cache_resource
def paths() -> Paths:
    return paths_from_env()


@st.cache_resource
def store() -> Store:
    return Store(paths().database_path)


@st.cache_resource
def search_index() -> SearchIndex:
    """The one search index of this process; its searcher is shared by every session."""
    return SearchIndex(paths().index_dir, SearchConfig())


@st.cache_resource(max_entries=2)
def _content_for(fingerprint: str | None, revision_stamp: tuple[int, int] | None, day: date) -> tuple[LoadedContent, ChecklistSet, Scale | None, TemplateSet]:
    """Load content as in force on day (files become revisions first) and the checklists, bring
    the search index up to date. (Retention runs on its own schedule: retention_job.)"""
    log.info("Indholdet indlæses (filer %s, revisioner %s, dag %s)", fingerprint, revision_stamp, day)
    loaded = load_current(store(), paths(), day)
    library = loaded.library
    checklists = load_checklists(paths().checklists_dir, library.config, guideline_anchors(library))
    templates = load_templates(paths().tilsyn_dir, library.config, guideline_anchors(library), checklists)
    scale, scale_problems = load_scale_from(paths().config_dir)
    config, problems = load_search_config(paths().config_dir)
    library.problems.extend(problems + scale_problems)
    index = search_index()
    index.config = config
    try:
        index.sync(documents_for(library.all(), config, checklists.all()))
    except Exception:
        log.exception("Søgeindekset kunne ikke opdateres")
    try:
        notifications.review_dates_due(store(), library, day)
    except sqlite3.Error as exc:
        log.warning("Kunne ikke give besked om revisionsdatoer: %s", exc)
    return loaded, checklists, scale, templates


@st.cache_resource
def retention_job() -> threading.Thread:
    """Retention on a schedule, independent of page views: one background thread per server
    process deletes what is past its retention at start and then every hour."""
    thread = threading.Thread(target=_retention_loop, args=(store(), paths()), name="handbook-retention", daemon=True)
    thread.start()
    return thread


def _retention_loop(shared_store: Store, where: Paths) -> None:
    while shared_store.path.exists():
        try:
            config, _ = load_config(where)
            log.info(purge(shared_store, config).text())
        except Exception:
            log.exception("Sletning efter opbevaringsperioden mislykkedes; prøver igen om en time")
        time.sleep(PURGE_INTERVAL.total_seconds())


# How often a process looks for content files edited on disk (name, size and mtime of each file).
CONTENT_CHECK_SECONDS = 2.0

# How often it asks the database whether another process published a version (its own
# publications show on the next run).
REVISION_CHECK_SECONDS = 1.0


@dataclass
class _ContentWatch:
    """This process's last look at the content: when the files were checked, their digest, and
    the content loaded for a key. Page runs read it without locking; one thread at a time
    re-checks the files, the others keep using what is loaded meanwhile."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    checked_at: float = float("-inf")
    files: str | None = None
    loaded: tuple = (None, None)  # (key, content), replaced as one object
    # (when read, revisions written by this process then, the stamp), replaced as one object
    revisions: tuple = (float("-inf"), -1, None)


@st.cache_resource
def _content_watch() -> _ContentWatch:
    return _ContentWatch()


def _files_digest() -> str:
    return hashlib.sha1(repr(content_fingerprint(paths())).encode()).hexdigest()


def _current() -> tuple[LoadedContent, ChecklistSet, Scale | None, TemplateSet]:
    """The content for this run. Files are stat'ed at most every CONTENT_CHECK_SECONDS (so an
    edit on disk shows within seconds); the revision stamp is read again after a publication in
    this process and at most REVISION_CHECK_SECONDS after the last read, so a version published
    through another process on the host shows within a second."""
    watch = _content_watch()
    shared = store()
    read_at, writes, stamp = watch.revisions
    if writes != shared.revision_writes or time.monotonic() - read_at >= REVISION_CHECK_SECONDS:
        writes = shared.revision_writes
        stamp = shared.revision_stamp()
        watch.revisions = (time.monotonic(), writes, stamp)
    if time.monotonic() - watch.checked_at >= CONTENT_CHECK_SECONDS and watch.lock.acquire(blocking=watch.files is None):
        try:
            watch.files = _files_digest()
            watch.checked_at = time.monotonic()
        finally:
            watch.lock.release()
    key = (watch.files, stamp, today())
    loaded_key, value = watch.loaded
    if key != loaded_key or value is None:
        value = _content_for(*key)
        watch.loaded = (key, value)
        _freeze_startup_objects()
    return value


_startup_frozen = False


# Python's collection thresholds for a portal process: the youngest generation is collected
# after 20,000 new objects instead of 700. A page run makes tens of thousands of short-lived
# objects (protobuf messages, element trees); with 700 the collector ran dozens of times per run
# and walked whatever the running scripts still held each time. Load bench, 50 users, one
# process: p95 650 -> 270-450 ms, runs per CPU second 48 -> 57; memory over 10 minutes: see
# docs/operations.md.
GC_THRESHOLDS = (20_000, 20, 20)


def _freeze_startup_objects() -> None:
    """Once per process, after the first content load: move everything loaded so far (modules,
    content) out of reach of the cyclic garbage collector. Streamlit's collection after every run
    is off (.streamlit/config.toml); Python's own full collections then only walk what page
    runs create, instead of the ~140,000 objects of Streamlit, pandas, Altair and the content
    (a full collection over those took most of a page run's time). Measured: docs/operations.md."""
    global _startup_frozen
    if not _startup_frozen:
        _startup_frozen = True
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)


def content() -> LoadedContent:
    """The content in force today with every guideline's revisions; reloaded when a file under
    guidelines/, checklists/, tilsyn/ or config/ changes, a version is published, or a scheduled version
    comes into force at midnight."""
    return _current()[0]


def checklists() -> ChecklistSet:
    """The bundled checklists that passed validation (with the problems of the others)."""
    return _current()[1]


def scale() -> Scale | None:
    """The Trivselslinealen scale from config/, or None when the file is broken (see problems)."""
    return _current()[2]


def tilsyn_templates() -> TemplateSet:
    """The tilsyn templates of tilsyn/ that passed validation (with the problems of the others)."""
    return _current()[3]


def library() -> Library:
    """The guidelines in force today."""
    return content().library


def today() -> date:
    """Today in Denmark (the server may run in UTC)."""
    return now().date()


def now() -> datetime:
    """The current moment in Danish time."""
    return datetime.now(COPENHAGEN)


@st.cache_resource
def start_mail_sender() -> mail.OutboxSender | None:
    """The one background thread of this process that e-mails notifications; only started
    when SMTP is configured (a changed SMTP setting takes effect after a restart)."""
    if notifications.env_settings() is None:
        return None
    return mail.OutboxSender(store(), notifications.env_settings).start()
