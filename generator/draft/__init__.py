"""`briefing draft <source-id>`: propose records from a source's text (pure: text and index in,
proposals and mentions out; `store.py` writes them).

The stages: `text` (body sentences; titles, captions, sub-headings, credits and boilerplate set
aside), `entities` (people and organizations), `quotes`, `dates` (events from time words).
Every proposal follows its kind's schema and cites the sentence it comes from verbatim. People
and organizations that `content/` already has are not proposed again: they are listed as
mentions, with the sentence to add to their citations. Quotes and events that a record already
holds (the same words; an excerpt of the same sentence) are left out and counted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..identity import name_key, names_of
from ..index import Index
from ..kinds import KINDS
from ..provenance import normalize
from ..scaffold import make_id
from .dates import Dated, find_dates, publication_date
from .entities import Entity, find_entities, key
from .quotes import find_quotes
from .text import Sentence, blocks, not_facts, sentences

TITLE_WORDS = 12
"""Most words of a sentence an event's title keeps."""
_LEAD = re.compile(r"^(?:However|Nonetheless|Firstly|Secondly|Thirdly|Finally|Instead|Yet|But|And|Meanwhile|"
                   r"Then|Still|Also|Moreover),\s+")
_EVENT_TYPES = (("ultimatum", "ultimatum"), ("briefing", "briefing"), ("violat", "violation"),
                ("agreed", "agreement"), ("agreement", "agreement"), ("propos", "proposal"),
                ("offer", "proposal"), ("announc", "announcement"), ("met ", "meeting"), ("meeting", "meeting"),
                ("talks", "talks"), ("discussion", "talks"), ("negotiat", "talks"), ("said", "statement"),
                ("stated", "statement"), ("remarks", "statement"), ("challenged", "statement"))
"""Words of a sentence and the event type they suggest, first match wins."""


@dataclass
class Proposal:
    """A proposed record: its kind, id and fields in schema order."""

    kind: str
    id: str
    data: dict

    @property
    def path(self) -> str:
        """Where it goes under the drafts folder of its source: `<kind plural>/<id>.yaml`."""
        return f"{KINDS[self.kind].plural}/{self.id}.yaml"


@dataclass
class Mention:
    """An existing record the source mentions, and the passage to cite for it."""

    id: str
    kind: str
    path: str
    """The record's file, e.g. `content/people/putin.yaml`."""
    name: str
    """The name or alias the source uses."""
    excerpt: str
    """The sentence mentioning it, verbatim."""
    cites_source: bool
    """True when the record already cites this source."""


@dataclass
class Draft:
    """Everything `draft` proposes for one source."""

    source_id: str
    proposals: list[Proposal] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    already: list[tuple[str, str]] = field(default_factory=list)
    """(kind, id) of existing quotes and events that already hold what the source says."""
    not_facts: list[tuple[str, str]] = field(default_factory=list)
    """(role, line) of the lines never drafted from (title, headings and captions, boilerplate)."""
    undated: list[str] = field(default_factory=list)
    """Time words left undated because the source record gives no publication day."""

    def count(self, kind: str) -> int:
        """Number of proposals of a kind."""
        return sum(p.kind == kind for p in self.proposals)


def _cite(source_id: str, sentence: Sentence) -> list[dict]:
    return [{"source": source_id, "excerpt": sentence.text}]


class _Ids:
    """Ids for new records: unique across kinds and apart from the ids content/ uses."""

    def __init__(self, taken):
        self.taken = set(taken)

    def new(self, *candidates: str) -> str:
        """The first free id among `candidates` (slugged), else the first with a number."""
        slugs = [make_id(c) for c in candidates if make_id(c)] or ["record"]
        for slug in slugs:
            if slug not in self.taken:
                self.taken.add(slug)
                return slug
        n = 2
        while f"{slugs[0]}-{n}"[:80] in self.taken:
            n += 1
        self.taken.add(f"{slugs[0]}-{n}"[:80])
        return f"{slugs[0]}-{n}"[:80]


def _existing_twin(index: Index, entity: Entity):
    """The record of content/ that is this entity, by name or alias (ignoring case and
    diacritics), or for a person named by surname only, by surname."""
    keys = {name_key(n) for n in entity.names}
    for rec in index.by_kind.get(entity.kind, []):
        names = {name_key(n) for n in names_of(rec.data, rec.title)}
        if keys & names:
            return rec
        if entity.kind == "person":
            theirs, ours = name_key(rec.title).split(), name_key(entity.name).split()
            if theirs and ours and theirs[-1] == ours[-1] and (len(theirs) == 1 or len(ours) == 1):
                return rec
    return None


def _mention_patterns(index: Index) -> list[tuple[object, str, re.Pattern]]:
    """(record, name, pattern) for every name, alias and (for people) surname in content/."""
    out = []
    for kind in ("person", "organization"):
        for rec in index.by_kind.get(kind, []):
            names = names_of(rec.data, rec.title)
            if kind == "person" and len(rec.title.split()) > 1:
                names.append(rec.title.split()[-1])
            for name in sorted(set(names), key=len, reverse=True):
                if len(name) >= 2:
                    out.append((rec, name, re.compile(rf"(?<!\w){re.escape(key(name))}(?!\w)")))
    return out


def _title(sentence: str) -> str:
    """An event's title from its sentence: without a leading connective, cut to TITLE_WORDS."""
    text = _LEAD.sub("", sentence.strip().lstrip("“‘\"'")).rstrip(".")
    text = text[:1].upper() + text[1:]
    words = text.split()
    return " ".join(words[:TITLE_WORDS]).rstrip(",;:") + ("…" if len(words) > TITLE_WORDS else "")


def _event_type(sentence: str) -> str:
    low = sentence.lower()
    return next((kind for word, kind in _EVENT_TYPES if word in low), "other")


def make_draft(source_id: str, text: str, source: dict, index: Index | None = None) -> Draft:
    """Propose records from a source's text.

    `source`: the source record's data (its `published` date is what relative time words are
    counted from). `index`: the records content/ already has (None: none). Returns the
    proposals in the order people, organizations, quotes, events, and the mentions of
    existing records.
    """
    index = index if index is not None else Index({}, {})
    draft = Draft(source_id)
    parts = blocks(text)
    body = sentences(text, parts)
    draft.not_facts = not_facts(text)
    people, orgs, places = find_entities(text, body)
    ids = _Ids(index.records)
    ref: dict[str, str] = {}  # name key -> record id (drafted or existing), for references
    mentions: dict[str, Mention] = {}

    def mention(rec, name: str, sentence: Sentence) -> None:
        if rec.id not in mentions:
            cites = any(isinstance(c, dict) and c.get("source") == source_id for c in rec.data.get("sources") or [])
            mentions[rec.id] = Mention(rec.id, rec.kind, rec.path, name, sentence.text, cites)

    entities: list[tuple[Entity, str]] = []
    for entity in people + orgs:
        twin = _existing_twin(index, entity)
        if twin is not None:
            mention(twin, entity.name, entity.sentence)
            rid = twin.id
        else:
            surname = entity.name.split()[-1] if entity.kind == "person" else entity.name
            rid = ids.new(surname, entity.name)
            entities.append((entity, rid))
        for name in entity.names:
            ref.setdefault(key(name), rid)
        if entity.kind == "person":
            ref.setdefault(key(entity.name.split()[-1]), rid)
    patterns = _mention_patterns(index)
    for s in body:
        folded = key(s.text)
        for rec, name, pattern in patterns:
            if pattern.search(folded):
                mention(rec, name, s)
                ref.setdefault(key(name), rec.id)
    for rec in index.by_kind.get("person", []) + index.by_kind.get("organization", []):
        for name in names_of(rec.data, rec.title):
            ref.setdefault(key(name), rec.id)

    for entity, rid in entities:
        data: dict = {"name": entity.name}
        if entity.kind == "organization":
            data["type"] = entity.type
        if entity.aliases:
            data["aliases"] = entity.aliases
        if entity.kind == "person":
            if entity.role:
                data["role"] = entity.role
            affiliations = [ref[key(a)] for a in entity.affiliations if key(a) in ref]
            if affiliations:
                data["affiliations"] = list(dict.fromkeys(affiliations))
        elif entity.parent and key(entity.parent) in ref and ref[key(entity.parent)] != rid:
            data["parent"] = ref[key(entity.parent)]
        data["sources"] = _cite(source_id, _naming(entity, body))
        if entity.kind == "person" and len(entity.name.split()) == 1:
            data["notes"] = "The source gives only the surname."
        draft.proposals.append(Proposal(entity.kind, rid, data))

    person_ids = {rid for e, rid in entities if e.kind == "person"} | {r.id for r in index.by_kind.get("person", [])}
    positions = sorted((m.start() + s.start, ref[k]) for s in body for k in ref if ref[k] in person_ids
                       for m in re.finditer(rf"(?<!\w){re.escape(k)}(?!\w)", key(s.text)))

    def resolve(phrase: str, sentence: Sentence) -> str | None:
        """A speaker's record id from the words naming them."""
        words = re.sub(r"^(?:Mr|Ms|Mrs|Dr|Prof)\.?\s+", "", phrase.strip())
        if words.lower() in ("he", "she", "they"):
            # (positions are approximate: folding can shorten a sentence; a sentence back is enough)
            before = [rid for pos, rid in positions if pos < sentence.start]
            return before[-1] if before else None
        if "source" in words.lower():
            sources = [rid for k, rid in ref.items() if k.endswith("source")]
            return sources[-1] if sources else None
        for candidate in (words, words.split()[-1]):
            if key(candidate) in ref:
                return ref[key(candidate)]
        return None

    existing_quotes = {_bare(rec.data.get("text", "")) for rec in index.by_kind.get("quote", [])}
    quotes = find_quotes(text, body, resolve)
    quote_ids: list[str | None] = []
    for quote in quotes:
        twin = next((rec for rec in index.by_kind.get("quote", []) if _bare(rec.data.get("text", "")) == _bare(quote.text)),
                    None)
        if twin is not None or _bare(quote.text) in existing_quotes:
            draft.already.append(("quote", twin.id if twin else ""))
            quote_ids.append(twin.id if twin else None)
            continue
        first = " ".join(quote.text.split()[:5])
        rid = ids.new(f"{quote.speaker} {first}" if quote.speaker else first)
        quote_ids.append(rid)
        data = {"text": quote.text}
        if quote.speaker:
            data["speaker"] = quote.speaker
            data["speaker_note"] = f"Attributed in the source: '{quote.attribution}'."
        else:
            data["speaker_note"] = "The source prints this quote without attributing it."
        if quote.variant_of is not None and quote_ids[quote.variant_of]:
            data["variant_of"] = quote_ids[quote.variant_of]
        data["sources"] = _cite(source_id, quote.sentence)
        draft.proposals.append(Proposal("quote", rid, data))

    published, pub_inferred = publication_date(source)
    cited = [(rec, normalize(c["excerpt"])) for rec in index.by_kind.get("event", [])
             for c in rec.data.get("sources") or [] if isinstance(c, dict) and isinstance(c.get("excerpt"), str)]
    for dated in find_dates(body, published, pub_inferred):
        sentence = normalize(dated.sentence.text)
        twin = next((rec for rec, excerpt in cited if excerpt in sentence or sentence in excerpt), None)
        if twin is not None:
            draft.already.append(("event", twin.id))
            continue
        if published is None and dated.value is None:
            draft.undated.append(dated.words)
            continue
        draft.proposals.append(_event(source_id, dated, ids, ref, places))
    draft.mentions = sorted(mentions.values(), key=lambda m: (m.kind, m.id))
    return draft


def _naming(entity: Entity, body: list[Sentence]) -> Sentence:
    """The sentence to cite for an organization: the first that names it (a state is often
    introduced by its adjective, "Russian delegations", and named later); for a person the one
    that introduces them."""
    if entity.kind == "person":
        return entity.sentence
    for s in body:
        if any(re.search(rf"(?<!\w){re.escape(key(n))}(?!\w)", key(s.text)) for n in entity.names):
            return s
    return entity.sentence


def _bare(text) -> str:
    """A quote's words as compared: normalized, lowercase, without closing punctuation."""
    return normalize(str(text)).lower().rstrip(" .,;:!?") if text else ""


def _event(source_id: str, dated: Dated, ids: _Ids, ref: dict[str, str], places: set[str]) -> Proposal:
    """An event proposal for a dated sentence."""
    sentence = dated.sentence.text
    title = _title(sentence)
    data: dict = {"title": title, "type": _event_type(sentence)}
    if dated.expected:
        data["status"] = "expected"
    if dated.value is not None:
        date: dict = {"value": dated.value, "words": dated.words, "inferred": dated.inferred}
        if dated.inferred:
            date["basis"] = dated.basis
        data["date"] = date
    where = [p for p in places if re.search(rf"\b(?:in|at) (?:the )?{re.escape(p)}\b", sentence)]
    if where:
        data["location"] = where[0]
    folded = key(sentence)
    participants = [rid for k, rid in ref.items() if re.search(rf"(?<!\w){re.escape(k)}(?!\w)", folded)]
    if participants:
        data["participants"] = list(dict.fromkeys(participants))
    data["summary"] = sentence
    data["sources"] = _cite(source_id, dated.sentence)
    return Proposal("event", ids.new(" ".join(title.split()[:7])), data)
