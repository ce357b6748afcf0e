"""``python -m corpus``: run the bad-input corpus and print its counts (see ``corpus/__init__.py``)."""

import sys

from corpus import main

sys.exit(main())
