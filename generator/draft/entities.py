"""People and organizations a source introduces, found by deterministic rules.

A capitalized run of words is a person when the sentence says so — a title before it
("Turkish Foreign Minister Hakan Fidan"), a role noun before it ("the engineer Hélène
Lefèvre-Müller"), an apposition after it ("Witold Rodkiewicz, a Polish expert on …"), an
honorific ("Mr. Dickinson", kept surname-only) or an attributing verb ("noted Witold
Rodkiewicz"). It is an organization when a list knows it (states, international bodies, news
agencies), when its last word names an institution ("Centre for Eastern Studies"), when a noun
after it does ("the Ukrainian Prism think tank", "the Trump administration"), or when a
capitalized word the lists do not know acts in a sentence ("Northland demands …",
"Negotiators for Eastland"). A word after "in", "at" or "to" with no such role is a place, and
places are not organizations; a capital city acting for its state ("Moscow signaled") is kept
as another name of that state.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..names import fold
from . import gazetteer as gz
from .text import Sentence

_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_](?:\w|['’\-](?=\w))*\.?")
_PLACE_PREPS = {"in", "at", "near", "to", "from", "across", "outside", "inside", "into", "toward", "towards",
                "via", "around", "through", "of", "over", "on"}
_GROUP_NOUNS = {"negotiators", "delegates", "representatives", "officials", "leaders", "diplomats", "envoys"}
_VERBISH = {"has", "have", "had", "is", "was", "will", "would", "sent", "met", "said", "can", "could", "must",
            "should", "may", "did", "does", "agreed", "wants", "seeks", "made", "took", "gave", "put", "set"}
_STATE_NAMES = {alias: state for state, (_, aliases, _) in gz.STATES.items() for alias in (state, *aliases)}
_CAPITALS = {capital: state for state, (_, _, capitals) in gz.STATES.items() for capital in capitals}
_BODY_NAMES = {alias: body for body, (_, aliases, _) in gz.BODIES.items() for alias in (body, *aliases)}
_SOURCE_RE = re.compile(r"\b(?:a|an)\s+((?:[A-Z][\w-]+\s+)?(?:(?:senior|diplomatic|government|military|intelligence|"
                        r"official|security|western|european)\s+)?source)\b")
_PAIR_RE = re.compile(r"\b([A-Z][\w-]+) and ([A-Z][\w-]+) (delegations|governments)\b")


def key(name: str) -> str:
    """A name as compared here: without diacritics, case, dots and extra spaces."""
    return " ".join(re.sub(r"[.\s’']+", " ", fold(name)).casefold().split())


@dataclass
class Token:
    """A word of a sentence, with its place in the source text."""

    text: str
    start: int
    end: int
    possessive: bool = False

    @property
    def capital(self) -> bool:
        """True when the word begins with a capital letter."""
        return self.text[:1].isupper()


@dataclass
class Entity:
    """A drafted person or organization."""

    kind: str
    """`person` or `organization`."""
    name: str
    sentence: Sentence
    """The sentence that introduces it (its excerpt)."""
    role: str | None = None
    type: str | None = None
    """An organization's type (one of the schema's values)."""
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None
    """Name of the organization this one belongs to."""
    affiliations: list[str] = field(default_factory=list)
    """Names of organizations a person serves (from the role)."""

    @property
    def names(self) -> list[str]:
        """Its name and aliases."""
        return [self.name, *self.aliases]

    def add_alias(self, alias: str) -> None:
        """Add another name, unless it is one already (compared by `key`)."""
        if key(alias) not in {key(n) for n in self.names}:
            self.aliases.append(alias)


def tokens(sentence: Sentence) -> list[Token]:
    """The words of a sentence; a full stop stays only on abbreviations, a possessive `’s` is
    taken off (and noted)."""
    out = []
    for m in _TOKEN.finditer(sentence.text):
        text, start = m.group(), sentence.start + m.start()
        if text.endswith(".") and text not in gz.HONORIFICS and not re.fullmatch(r"(?:\w\.)+", text):
            text = text[:-1]
        possessive = bool(re.search(r"['’]s$", text))
        if possessive:
            text = text[:-2]
        out.append(Token(text, start, start + len(text), possessive))
    return out


class Finder:
    """Collects the people and organizations of a text, sentence by sentence."""

    def __init__(self, text: str, sentences: list[Sentence]):
        self.text = text
        self.sentences = sentences
        self.people: dict[str, Entity] = {}
        """By surname key."""
        self.orgs: dict[str, Entity] = {}
        """By name key."""
        self.places: set[str] = set()
        mid = set()
        for s in sentences:
            toks = tokens(s)
            mid |= {t.text for i, t in enumerate(toks) if i > 0 and t.capital}
        self.mid_capitals = mid
        """Capitalized words seen inside sentences (so not capitalized only for starting one)."""

    # --- registering -------------------------------------------------------------------------
    def person(self, name: str, sentence: Sentence, role: str | None = None, alias: str | None = None) -> Entity:
        """Register a person (merged with one already found by surname)."""
        surname = key(name.split()[-1])
        found = self.people.get(surname)
        if found is None:
            found = self.people[surname] = Entity("person", name, sentence, role)
        elif len(name.split()) > len(found.name.split()):
            found.add_alias(found.name)
            found.name = name
            found.aliases = [a for a in found.aliases if key(a) != key(name)]
            if role and not found.role:
                found.role, found.sentence = role, sentence
        if role and not found.role:
            found.role = role
            found.sentence = sentence
        if alias:
            found.add_alias(alias)
        return found

    def org(self, name: str, sentence: Sentence, type_: str, parent: str | None = None,
            aliases: tuple[str, ...] = ()) -> Entity:
        """Register an organization (once per name)."""
        found = self.orgs.get(key(name))
        if found is None:
            found = self.orgs[key(name)] = Entity("organization", name, sentence, type=type_, parent=parent)
        for alias in aliases:
            found.add_alias(alias)
        return found

    def state(self, name: str, sentence: Sentence) -> Entity:
        """Register a state from the lists (with its other names)."""
        return self.org(name, sentence, "state")

    # --- reading -----------------------------------------------------------------------------
    def runs(self, sentence: Sentence, toks: list[Token]) -> list[list[int]]:
        """Runs of capitalized words next to each other (with `for`, `of`, `&` inside
        institutions' names), as lists of token positions."""
        runs: list[list[int]] = []
        current: list[int] = []
        for i, tok in enumerate(toks):
            gap = self.text[toks[i - 1].end:tok.start] if i else ""
            joined = current and (gap in (" ", "’s ", "'s ") and not toks[i - 1].possessive)
            if tok.capital and tok.text not in gz.DAYS and tok.text not in gz.MONTHS:
                if current and not joined:
                    runs.append(current)
                    current = []
                current.append(i)
            elif current and tok.text in ("for", "of") and gap == " " and toks[current[-1]].text in gz.ORG_HEADS:
                current.append(i)
            else:
                if current:
                    runs.append(current)
                current = []
            if current and self.text[tok.end:tok.end + 3] == " & ":
                continue
        if current:
            runs.append(current)
        merged: list[list[int]] = []
        for run in runs:  # "Levant Water & Power Authority": runs joined by an ampersand
            if merged and self.text[toks[merged[-1][-1]].end:toks[run[0]].start] == " & " \
                    and toks[run[-1]].text in gz.ORG_HEADS:
                merged[-1] += run
            else:
                merged.append(run)
        return [[i for i in run if toks[i].text not in ("for", "of") or i != run[-1]] for run in merged]

    def span(self, toks: list[Token], idx: list[int]) -> str:
        """The verbatim text of tokens `idx` (possessive endings left off)."""
        return self.text[toks[idx[0]].start:toks[idx[-1]].end]

    def before(self, sentence: Sentence, offset: int) -> str:
        """The sentence's text before an offset."""
        return self.text[sentence.start:offset]

    def after(self, sentence: Sentence, offset: int) -> str:
        """The sentence's text after an offset."""
        return self.text[offset:sentence.end]

    def scan(self) -> None:
        """Find every person and organization: explicit cues first, then names used again."""
        for s in self.sentences:
            self._patterns(s)
            toks = tokens(s)
            for run in self.runs(s, toks):
                self._run(s, toks, run)
        for s in self.sentences:
            toks = tokens(s)
            for run in self.runs(s, toks):
                self._again(s, toks, run)

    def _patterns(self, s: Sentence) -> None:
        """Organizations named by a phrase rather than a name: unnamed sources, paired delegations."""
        for m in _SOURCE_RE.finditer(s.text):
            words = m.group(1).split()
            if words[0] in gz.DEMONYMS or len(words) > 2:
                self.org(m.group(1), s, "group")
        for m in _PAIR_RE.finditer(s.text):
            if m.group(1) in gz.DEMONYMS and m.group(2) in gz.DEMONYMS:
                noun = m.group(3)[:-1]
                for demonym in (m.group(1), m.group(2)):
                    self.org(f"{demonym} {noun}", s, "delegation" if noun == "delegation" else "government",
                             parent=gz.DEMONYMS.get(demonym))
                    if gz.DEMONYMS.get(demonym):
                        self.state(gz.DEMONYMS[demonym], s)

    def _known(self, s: Sentence, toks: list[Token], run: list[int]) -> list[int]:
        """Register states and bodies the lists know inside a run; return the positions left."""
        left = list(run)
        i = 0
        while i < len(left):
            for size in (4, 3, 2, 1):
                part = left[i:i + size]
                if len(part) < size:
                    continue
                words = self.span(toks, part)
                if words in _STATE_NAMES:
                    state = self.state(_STATE_NAMES[words], s)
                    if words != state.name:
                        state.add_alias(words)  # the name the source uses ("UK"), so the excerpt names it
                elif words in _BODY_NAMES:
                    body = _BODY_NAMES[words]
                    type_, aliases, parent = gz.BODIES[body]
                    self.org(body, s, type_, parent, aliases)
                    if parent:
                        self.state(parent, s)
                else:
                    continue
                del left[i:i + size]
                break
            else:
                i += 1
        return left

    def _run(self, s: Sentence, toks: list[Token], run: list[int]) -> None:
        while run and toks[run[0]].text in gz.CAPITALIZED_WORDS:
            run = run[1:]
        if not run:
            return
        first = toks[run[0]]
        if run[0] == 0 and first.text not in self.mid_capitals and first.text not in gz.TITLES \
                and first.text not in gz.HONORIFICS and first.text not in _STATE_NAMES \
                and first.text not in _BODY_NAMES and first.text not in gz.DEMONYMS \
                and not first.text.startswith("Pro-"):
            run = run[1:]  # a word capitalized only because it starts the sentence
            if not run:
                return
        words = [toks[i].text for i in run]
        last = toks[run[-1]]
        rest = self.after(s, last.end)
        noun = next((n for n in sorted(gz.ORG_NOUNS, key=len, reverse=True)
                     if re.match(rf" {n}\b", rest)), None)
        if words[0] in gz.HONORIFICS:
            if len(words) > 1:
                name = self.span(toks, run[1:])
                self.person(name, s, self._apposition(s, last.end), alias=f"{words[0]} {name}")
            return
        head = self._title_end(words)
        if head is not None and head + 1 < len(words) and not noun:
            name_idx = run[head + 1:]
            if self._namelike(toks, name_idx):
                role = self.span(toks, run[:head + 1])
                person = self.person(self.span(toks, name_idx), s, role)
                for word in words[:head + 1]:
                    state = gz.DEMONYMS.get(word) or _STATE_NAMES.get(word)
                    if state:
                        if words[head] in gz.GOVERNMENT_TITLES and state not in person.affiliations:
                            person.affiliations.append(state)
                        self.state(state, s)
                return
        if noun and toks[run[-1]].text not in gz.HONORIFICS:
            self._with_noun(s, toks, run, noun)
            return
        heads = [toks[i].text for n, i in enumerate(run) if toks[i].text in gz.ORG_HEADS
                 and (i == run[-1] or toks[run[n + 1]].text in ("for", "of"))]
        if heads and len(run) > 1:  # "Levant Water & Power Authority", "Centre for Eastern Studies"
            self.org(self.span(toks, run), s, gz.ORG_HEADS[heads[0]])
            return
        run = self._known(s, toks, run)
        if not run:
            return
        if 2 <= len(run) <= 4 and self._namelike(toks, run):
            role = self._role_before(s, toks[run[0]].start)
            of = re.match(r" (?:of|at) (?:the )?[A-Z][^,.;()]*", self.after(s, toks[run[-1]].end))
            if role and of:  # "the engineer Hélène Lefèvre-Müller of the Levant Water & Power Authority"
                role += of.group()
            role = role or self._apposition(s, toks[run[-1]].end)
            if role is not None or self._attributed(s, toks[run[0]].start, toks[run[-1]].end):
                self.person(self.span(toks, run), s, role or None)

    def _again(self, s: Sentence, toks: list[Token], run: list[int]) -> None:
        """Second pass: surnames of people found, and capitalized words that act (unknown states)."""
        for pos, i in enumerate(run):
            tok = toks[i]
            if key(tok.text) in self.people or tok.text in gz.CAPITALIZED_WORDS:
                continue
            if len(run) != 1 or "-" in tok.text or tok.text in gz.DEMONYMS or tok.text in gz.TITLES:
                continue
            if tok.text in _STATE_NAMES or tok.text in _BODY_NAMES or key(tok.text) in self.orgs:
                continue
            if i == 0 and tok.text not in self.mid_capitals:
                continue
            if self._acts(s, toks, i):
                if tok.text in _CAPITALS:
                    self.state(_CAPITALS[tok.text], s).add_alias(tok.text)
                else:
                    self.org(tok.text, s, "state" if re.search(r"(?:land|stan|ia|mark)$", tok.text) else "group")
            elif i > 0 and toks[i - 1].text in _PLACE_PREPS:
                self.places.add(tok.text)

    def _acts(self, s: Sentence, toks: list[Token], i: int) -> bool:
        """True when the word at `i` is an actor: the subject of a verb, the owner of a
        delegation, the party negotiators come from, or coordinated with an actor."""
        tok = toks[i]
        prev = toks[i - 1].text.lower() if i else ""
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if prev in ("for", "from", "of") and i >= 2 and toks[i - 2].text.lower() in _GROUP_NOUNS:
            return True  # "Negotiators for Eastland"
        if prev == "and" and i >= 3 and key(toks[i - 2].text) in self.orgs \
                and toks[i - 3].text.lower() in ("for", "from") and i >= 4 and toks[i - 4].text.lower() in _GROUP_NOUNS:
            return True  # "Delegates from Northland and Southland"
        if prev in ("the", "a", "an") or prev in _PLACE_PREPS:
            return False
        if tok.possessive and nxt is not None and not nxt.capital:
            return True
        if nxt is not None and not nxt.capital and not tok.possessive \
                and self.text[tok.end:nxt.start] == " " and (
                nxt.text in _VERBISH or nxt.text in gz.ATTRIBUTION
                or (len(nxt.text) > 3 and re.search(r"(?:[^s]s|ed)$", nxt.text))):
            return True
        return False

    def _title_end(self, words: list[str]) -> int | None:
        """Position of the last title word of a leading title (`Turkish Foreign Minister`), if any."""
        head = None
        for i, word in enumerate(words):
            if word in gz.TITLE_HEADS:
                head = i
            elif not (word in gz.TITLES or word in gz.DEMONYMS or word in _STATE_NAMES):
                break
        return head

    def _namelike(self, toks: list[Token], idx: list[int]) -> bool:
        """True when tokens can be a person's name: no list word, no institution, not too long."""
        words = [toks[i].text for i in idx]
        return 1 <= len(words) <= 4 and not any(
            w in gz.TITLES or w in gz.DEMONYMS or w in _STATE_NAMES or w in _BODY_NAMES or w in gz.ORG_HEADS
            or w in gz.CAPITALIZED_WORDS or w in _CAPITALS or w in ("for", "of") for w in words) \
            and not toks[idx[-1]].possessive

    def _with_noun(self, s: Sentence, toks: list[Token], run: list[int], noun: str) -> None:
        """An organization named by a capitalized word and a noun: `Russian delegation`,
        `Trump administration`, `Pro-Russian separatists`, `Ukrainian Prism think tank`."""
        words = [toks[i].text for i in run]
        name = self.span(toks, run)
        if noun == "think tank":
            self.org(name, s, "think-tank")
            return
        base = words[-1].removeprefix("Pro-")
        parent = gz.DEMONYMS.get(base) or _STATE_NAMES.get(name)
        if parent is None and len(run) == 1 and words[0] not in gz.DEMONYMS and noun in ("foreign ministry", "ministry",
                                                                                       "government", "delegation"):
            parent = name
            self.org(name, s, "state" if re.search(r"(?:land|stan|ia|mark)$", name) else "group")
        if parent and parent in gz.STATES:
            self.state(parent, s)
        if words[0] in gz.DEMONYMS and noun == "leaders" and gz.DEMONYMS[words[0]] is not None:
            return  # "Russian leaders": people, not a body the text names
        self.org(f"{name} {noun}", s, gz.ORG_NOUNS[noun], parent=parent)

    def _role_before(self, s: Sentence, offset: int) -> str | None:
        """A role noun phrase just before a name (`former culture minister`, `its water
        minister,`), without its article."""
        words = self.before(s, offset).rstrip().rstrip(",").split()
        if not words or words[-1].lower() not in gz.ROLE_NOUNS:
            return None
        take = 1
        for word in reversed(words[:-1]):
            bare = re.sub(r"['’]s$", "", word)
            if word.lower() in gz.ROLE_MODIFIERS or bare in gz.DEMONYMS or (word[:1].isupper() and bare != word):
                take += 1
            else:
                break
        return " ".join(words[-take:])

    def _apposition(self, s: Sentence, offset: int) -> str | None:
        """The role in an apposition after a name (`, a Polish expert on … at …`), without its
        article; None when there is none or it names no role."""
        m = re.match(r",\s+(?:a|an|the)\s+([^,;()]+)", self.after(s, offset))
        if not m:
            return None
        role = m.group(1).rstrip(" .”\"")
        head = role.split()[:8]
        if not any(w.lower().strip(".,") in gz.ROLE_NOUNS for w in head):
            return None
        return role

    def _attributed(self, s: Sentence, start: int, end: int) -> bool:
        """True when an attributing verb stands right before or after a name."""
        before = self.before(s, start).split()
        after = self.after(s, end).split()
        return bool((before and before[-1].strip(",").lower() in gz.ATTRIBUTION)
                    or (len(before) >= 2 and " ".join(before[-2:]).lower() == "according to")
                    or (after and after[0].strip(",.").lower() in gz.ATTRIBUTION))

    def affiliate(self) -> None:
        """Give people the organizations their role names (`an analyst at the Institute for Peace`)."""
        for person in self.people.values():
            for org in self.orgs.values():
                if person.role and re.search(rf"(?<!\w){re.escape(org.name)}(?!\w)", person.role) \
                        and org.name not in person.affiliations:
                    person.affiliations.append(org.name)


def find_entities(text: str, sentences: list[Sentence]) -> tuple[list[Entity], list[Entity], set[str]]:
    """(people, organizations, place names) a text introduces, in the order first found."""
    finder = Finder(text, sentences)
    finder.scan()
    finder.affiliate()
    return list(finder.people.values()), list(finder.orgs.values()), finder.places
