"""The CPR guard inside the database: the last line of defence behind the checks in the code.

Every connection gets a SQL function `handbook_cpr(text)` (handbook.privacy.cpr's check), and every
table gets triggers that refuse an INSERT or UPDATE whose free-text columns contain a CPR-like
number. The triggers are (re)made for every table and text column each time the store opens, so
a table or column added later is guarded too. So whatever path writes to the store, what is
stored is checked exactly as it is stored. Columns that hold machine values (times, hashes,
tokens) are left out: a hex hash can contain ten digits that look like a date.

Write attempts refused by a trigger surface as handbook.privacy.cpr.PersonalDataError (see
Store.write), never as a raw database error.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3

from handbook.privacy.cpr import contains_cpr

SQL_FUNCTION = "handbook_cpr"
TRIGGER_PREFIX = "cpr_guard_"
REFUSAL = "CPR-nummer afvist"
# Machine times: "10:11:00+01:00" or "08:12:40.101295+00:00" hold ten digits that read as a date and
# a serial, so a guard on them would refuse ordinary writes at some moments of the day.
_MACHINE_SUFFIXES = ("_at", "_hash", "_seen", "token", "nonce", "_state", "_activity", "_start", "_login")
_MACHINE_NAMES = {"at", "effective", "review_by", "content_hash", "marker"}  # marker: a SHA-256 hex digest

log = logging.getLogger("handbook")


def _cpr(value: object) -> int:
    return 1 if isinstance(value, str) and contains_cpr(value) else 0


def register(conn: sqlite3.Connection) -> None:
    """Make handbook_cpr() available on a connection (needed before any write)."""
    conn.create_function(SQL_FUNCTION, 1, _cpr, deterministic=True)


def guarded_columns(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Table name -> its free-text columns that the guard checks."""
    tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\'")]
    result = {}
    for table in tables:
        columns = [
            row[1]
            for row in conn.execute(f'PRAGMA table_info("{table}")')
            if "TEXT" in (row[2] or "").upper() and row[1] not in _MACHINE_NAMES and not row[1].endswith(_MACHINE_SUFFIXES)
        ]
        if columns:
            result[table] = columns
    return result


def install_triggers(conn: sqlite3.Connection) -> None:
    """Create the guard triggers for every table (inside the caller's write transaction);
    triggers for a changed column list are replaced."""
    wanted: dict[str, str] = {}
    for table, columns in guarded_columns(conn).items():
        condition = " OR ".join(f'{SQL_FUNCTION}(NEW."{c}")' for c in columns)
        digest = hashlib.sha256(f"2|{table}|{condition}".encode()).hexdigest()[:10]  # 2: trigger format
        column_list = ", ".join(f'"{c}"' for c in columns)
        for event in ("INSERT", f"UPDATE OF {column_list}"):
            name = f"{TRIGGER_PREFIX}{table}_{event.split()[0].lower()}_{digest}"
            wanted[name] = f'CREATE TRIGGER "{name}" BEFORE {event} ON "{table}" WHEN {condition} BEGIN SELECT RAISE(ABORT, \'{REFUSAL}\'); END'
    existing = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?", [TRIGGER_PREFIX + "%"])}
    for name in existing - set(wanted):
        conn.execute(f'DROP TRIGGER "{name}"')
    for name in set(wanted) - existing:
        conn.execute(wanted[name])


def is_refusal(error: BaseException) -> bool:
    return isinstance(error, sqlite3.IntegrityError) and REFUSAL in str(error)


# Rows that are whole documents are deleted; in these tables the text is redacted instead, so
# the account and the audit trail stay.
_REDACT = {"users", "audit", "run_steps"}
REDACTED = "[fjernet: indeholdt et CPR-nummer]"


def scrub(conn: sqlite3.Connection) -> int:
    """Remove CPR-like numbers that were stored before this guard existed; return how many rows
    were deleted or redacted. Documents (revisions, search misses, runs, worksheets, drafts,
    assessments) are deleted; user names, audit details and notes are redacted."""
    changed = 0
    for table, columns in guarded_columns(conn).items():
        condition = " OR ".join(f'{SQL_FUNCTION}("{c}")' for c in columns)
        rowids = [row[0] for row in conn.execute(f'SELECT rowid FROM "{table}" WHERE {condition}')]
        for rowid in rowids:
            if table in _REDACT:
                values = conn.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in columns)} FROM "{table}" WHERE rowid = ?', [rowid]).fetchone()
                changes = {c: REDACTED for c, v in zip(columns, values) if _cpr(v)}
                conn.execute(f'UPDATE "{table}" SET {", ".join(f"{chr(34)}{c}{chr(34)} = ?" for c in changes)} WHERE rowid = ?', [*changes.values(), rowid])
            else:
                if table == "checklist_runs":
                    conn.execute("DELETE FROM run_steps WHERE run_id = (SELECT id FROM checklist_runs WHERE rowid = ?)", [rowid])
                conn.execute(f'DELETE FROM "{table}" WHERE rowid = ?', [rowid])
            changed += 1
        if rowids:
            log.warning("CPR-vagt: %d rækker i %s indeholdt et CPR-nummer og er %s", len(rowids), table, "anonymiseret" if table in _REDACT else "slettet")
    return changed
