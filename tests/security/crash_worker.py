"""A process that does what a portal process does on a publish, a Word import or a checklist
save, over and over, until it is killed (tests/security/test_untested_paths.py kills it with
SIGKILL at a random moment). It uses the same core functions the pages call.

    python -m tests.security.crash_worker publish|word|checklist DATA_DIR
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path

from handbook.checklists.runs import complete_step, start_run
from handbook.checklists.schema import load_checklists
from handbook.identity.auth import User
from handbook.publishing import drafts as pub
from handbook.publishing import word_import
from handbook.settings import PROJECT_ROOT, PortalConfig
from handbook.store.database import Store
from tests.conftest import guideline_text
from tests.docx_builder import realistic_guideline

EDITOR = User("rikke", "Rikke", "redaktør")
CASEWORKER = User("mads", "Mads", "medarbejder")
LAST_LINE = "Sidste linje i kladden."


def main(kind: str, data_dir: Path) -> None:
    store = Store(data_dir / "handbook.db")
    config = PortalConfig(review_required=False)
    checklist = load_checklists(PROJECT_ROOT / "checklists").get("underretning")
    document = realistic_guideline().bytes()
    print("klar", flush=True)
    for number in range(1_000_000):
        tag = f"{os.getpid()}-{number}"
        if kind == "publish":
            text = guideline_text(f"ny-{tag}", effective="effective: 2099-01-01", review_by="review_by: 2100-01-01", body=f"## Formål\n\nTekst {tag}.\n\n{LAST_LINE}\n")
            draft_id = pub.start_new_guideline(store, EDITOR, text, set())
            pub.publish(store, EDITOR, draft_id, date(2026, 5, 4), config, set(), require_review=False)
        elif kind == "word":
            imported = word_import.convert(document, "underretninger.docx", config, set(), date(2026, 5, 4), "Leder", f"import-{tag}")
            pub.start_new_guideline(store, EDITOR, imported.text, set())
        else:
            run_id = start_run(store, CASEWORKER, checklist, datetime(2026, 5, 4, 9, 0), reference=f"Sag {tag}", answers={"akut": False})
            for step in checklist.steps[:3]:
                complete_step(store, CASEWORKER, run_id, step.id, note=f"Note {tag}")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
