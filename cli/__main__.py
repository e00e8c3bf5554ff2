"""`python -m cli`: the same as the installed `aidigest` command."""

import sys

from cli.main import main

sys.exit(main())
