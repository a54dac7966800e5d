"""`python -m festival_desk.cli`: the same as the `festival-desk` command."""

import sys

from festival_desk.cli import main

sys.exit(main())
