"""Problems are data: every stage reports them as `Problem` values; only the CLI formats them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a look) in the content tree."""

    path: str
    """File the problem is in, relative to the project root (POSIX separators)."""
    line: int
    """1-based line number (1 when the problem concerns the whole file)."""
    column: int
    """1-based column number."""
    code: str
    """Stable machine-readable code, e.g. `unknown-key`, `excerpt-not-found`."""
    message: str
    """Human-readable explanation: what was expected, what was found, a suggestion."""
    level: str = "error"
    """`error` (fails the build) or `warning` (fails only with --strict)."""

    def format(self) -> str:
        """Render as `path:line:col: [level] message (code)`."""
        return f"{self.path}:{self.line}:{self.column}: [{self.level}] {self.message} ({self.code})"

    def as_dict(self) -> dict:
        """Return a JSON-serialisable dict (for `--format json`)."""
        return {"path": self.path, "line": self.line, "column": self.column,
                "level": self.level, "code": self.code, "message": self.message}


class ProblemError(Exception):
    """Raised to stop a pipeline stage; carries every problem found so far."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def has_errors(problems: list[Problem]) -> bool:
    """True when any problem is an error (warnings alone do not fail a build)."""
    return any(p.level == "error" for p in problems)
