"""`python -m generator` runs the briefing CLI."""
import sys

from .cli import main

sys.exit(main())
