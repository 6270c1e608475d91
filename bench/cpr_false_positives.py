"""How many numbers in the bundled handbook the CPR guard flags (it should be none).

    python bench/cpr_false_positives.py [folder ...]      # default: guidelines/ checklists/ config/

Reads every text file under the folders, counts the stretches of digits (numbers, dates, phone
numbers, case numbers, § references: every run of digits and separators, as the guard sees it)
and reports each line the guard flags as file:line with the flagged text.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handbook.privacy.cpr import find_cpr_numbers, normalise  # noqa: E402
from handbook.settings import PROJECT_ROOT  # noqa: E402

NUMBERS = re.compile(r"\d+(?:\W{1,12}\d+)*")


def main(folders: list[Path]) -> int:
    files = numbers = flagged = 0
    started = time.perf_counter()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.suffix not in (".md", ".yaml", ".yml", ".txt", ".toml"):
                continue
            files += 1
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                numbers += len(NUMBERS.findall(normalise(line)))
                for found in find_cpr_numbers(line):
                    flagged += 1
                    print(f"{path.relative_to(PROJECT_ROOT)}:{number}: {found!r}")
    print(f"{files} filer, {numbers} tal (talstrækninger), {flagged} markeret som CPR-nummer, {time.perf_counter() - started:.2f} s")
    return 1 if flagged else 0


if __name__ == "__main__":
    arguments = [Path(a) for a in sys.argv[1:]] or [PROJECT_ROOT / name for name in ("guidelines", "checklists", "config")]
    raise SystemExit(main(arguments))
