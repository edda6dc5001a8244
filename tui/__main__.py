"""`python -m tui` runs the feedtui command line."""

import sys

from tui.cli import main

sys.exit(main())
