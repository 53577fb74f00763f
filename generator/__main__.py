"""`python -m generator` runs the briefing CLI."""
from .cli import command

command()
