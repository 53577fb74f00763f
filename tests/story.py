"""A fixture story told in commits: the mini project in a temporary git repository, changed the
way editors change a briefing (a status change, a new record, a second source that disagrees
with the first, a removal, a rename, a formatting-only edit), one commit each, on set dates."""
from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

from conftest import Project, copy_fixture

GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(root: Path, *args: str, date: str | None = None) -> str:
    """Run git in `root` (as editor "Ed", at `date` for commits); its stdout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | GIT_ENV
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    cmd = ["git", "-c", "user.name=Ed", "-c", "user.email=ed@example.org", "-c", "commit.gpgsign=false",
           "-c", "init.defaultBranch=main", *args]
    return subprocess.run(cmd, cwd=root, env=env, check=True, capture_output=True, text=True).stdout


class Story(Project):
    """A project whose content/ lives in git."""

    def commit(self, message: str, date: str) -> str:
        """Commit everything (additions, edits, removals) at `date`; the new commit's id."""
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", message, date=date)
        return git(self.root, "rev-parse", "HEAD").strip()

    def edit(self, rel: str, old: str, new: str) -> None:
        """Replace one passage of a file (it must be there exactly once)."""
        path = self.path(rel)
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (rel, old)
        path.write_text(text.replace(old, new), encoding="utf-8")


FOLLOW_UP = """\
Talks in Geneva, a follow-up

Delegates from Northland and Southland met in Geneva on Thursday for three hours, officials said.

The exchange of 50 prisoners was completed on Friday.
"""

COMMITS = {
    "first": "2024-03-02T10:00:00+00:00",
    "status": "2024-03-03T09:00:00+00:00",
    "new-record": "2024-03-04T09:00:00+00:00",
    "second-source": "2024-03-08T18:30:00+01:00",
    "removal": "2024-03-09T09:00:00+00:00",
    "rename": "2024-03-10T09:00:00+00:00",
    "formatting": "2024-03-11T09:00:00+00:00",
}
"""The date of each commit of the story."""


def tell_story(dest: Path) -> tuple[Story, dict[str, str]]:
    """Write the story's repository into `dest`: (the project, commit id by step)."""
    story = Story(copy_fixture(dest).root)
    git(story.root, "init", "-q")
    shas = {}
    story.edit("content/demands/troop-withdrawal.yaml", "since:",
               "summary: Northland wants Southland's troops away from the border.\nsince:")
    shas["first"] = story.commit("Geneva report: the first briefing", COMMITS["first"])

    # a status change: the report says the exchange was agreed, not that it is pending
    story.edit("content/agreements/prisoner-exchange.yaml", "status: pending", "status: agreed")
    shas["status"] = story.commit("Prisoner exchange: agreed, as the report says", COMMITS["status"])

    story.write("content/organizations/institute-for-peace.yaml", """\
        name: Institute for Peace
        type: think-tank
        members: [olsen]
        sources:
          - source: report
            excerpt: an analyst at the Institute for Peace
        """)
    shas["new-record"] = story.commit("Add the Institute for Peace", COMMITS["new-record"])

    # a second source, which disagrees with the first on the day and length of the talks
    story.write("content/sources/follow-up.txt", FOLLOW_UP)
    story.write("content/sources/follow-up.yaml", """\
        title: Talks in Geneva, a follow-up
        type: article
        publisher: Example Wire
        published:
          value: '2024-03-08'
          inferred: false
        """)
    story.edit("content/events/geneva-talks.yaml", "summary: Delegates of both states met for two hours.", """\
summary: Delegates of both states met for two hours.
disputes:
  date:
    - value:
        value: '2024-03-01'
        words: yesterday
        inferred: true
        basis: the article is dated 2 March 2024
      source: report
      excerpt: Delegates from Northland and Southland met in Geneva yesterday for two hours.
    - value:
        value: '2024-02-29'
        words: on Thursday
        inferred: true
        basis: the follow-up of 8 March 2024 names the Thursday before the report
      source: follow-up
      excerpt: Delegates from Northland and Southland met in Geneva on Thursday for three hours
  summary:
    - value: Delegates of both states met for two hours.
      source: report
      excerpt: met in Geneva yesterday for two hours
    - value: Delegates of both states met for three hours.
      source: follow-up
      excerpt: met in Geneva on Thursday for three hours""")
    story.edit("content/agreements/prisoner-exchange.yaml", "status: agreed", "status: implemented")
    story.path("content/agreements/prisoner-exchange.yaml").write_text(
        story.path("content/agreements/prisoner-exchange.yaml").read_text(encoding="utf-8")
        + "  - source: follow-up\n    excerpt: The exchange of 50 prisoners was completed on Friday.\n",
        encoding="utf-8")
    shas["second-source"] = story.commit("Second source: the follow-up gives another day and length",
                                         COMMITS["second-source"])

    # a removal, with its reason, and the record that replaces it
    story.remove("content/demands/troop-withdrawal.yaml")
    story.write("content/demands/border-pullback.yaml", """\
        title: Southland pulls its troops back from the border
        party: northland
        target: southland
        status: unchanged
        replaces: [troop-withdrawal]
        sources:
          - source: report
            excerpt: Northland demands that Southland withdraw its troops from the border
        """)
    story.edit("content/assessments/border-open.yaml", "subjects: [troop-withdrawal]", "subjects: [border-pullback]")
    shas["removal"] = story.commit("Remove the withdrawal demand: the report asks for a pull-back\n\n"
                                   "The new record words it as the report does.", COMMITS["removal"])

    # a rename with an edit in the same commit; every reference follows it
    git(story.root, "mv", "content/people/berg.yaml", "content/people/anna-berg.yaml")
    story.edit("content/people/anna-berg.yaml", "role: Northland's envoy", "role: envoy of Northland")
    story.edit("content/people/anna-berg.yaml", "Northland's envoy Anna Berg", "envoy Anna Berg")
    story.edit("content/quotes/first-step.yaml", "speaker: berg", "speaker: anna-berg")
    story.edit("content/events/geneva-talks.yaml", "participants: [northland, southland, berg]",
               "participants: [northland, southland, anna-berg]")
    shas["rename"] = story.commit("Rename berg to anna-berg", COMMITS["rename"])

    # formatting only: indentation, key order, quote style, a comment
    story.path("content/agreements/prisoner-exchange.yaml").write_text(textwrap.dedent("""\
        # Tidied: keys in the order of the schema.
        title: "Exchange of 50 prisoners"
        type: 'agreement'
        status: implemented
        parties:
            - northland
            - southland
        event: geneva-talks
        date:
            value: "2024-03-01"
            words: 'yesterday'
            inferred: true
            basis: the article is dated 2 March 2024
        sources:
            - excerpt: Both sides agreed to exchange 50 prisoners next week.
              source: report
            - source: follow-up
              excerpt: "The exchange of 50 prisoners was completed on Friday."
        """), encoding="utf-8")
    shas["formatting"] = story.commit("Tidy YAML formatting", COMMITS["formatting"])
    return story, shas
