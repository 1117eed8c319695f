"""``python -m tuangou_core``: the same as the ``tuangou`` command."""

import sys

from tuangou_core.cli import main

if __name__ == "__main__":
    sys.exit(main())
