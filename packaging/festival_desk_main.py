"""The frozen bundle's entry point: the same `festival-desk` command as the pip-installed one."""

import sys

from festival_desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
