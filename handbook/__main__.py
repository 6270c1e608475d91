"""python -m handbook <command>: the command line for editors and administrators (see handbook/cli/main.py)."""

import sys

from handbook.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
