"""Synthetic content: a valid, deterministic content tree of N records for benchmarks and tests.

Every kind appears in realistic proportions, records refer to each other, and every excerpt,
quote text and date's time words is written into a synthetic source text first and copied
from it, so `briefing check --strict` passes on the result.
"""
from __future__ import annotations

import random
from pathlib import Path


from .kinds import KINDS
from .pipeline import copy_site_inputs
from .synth_history import record_text, write_history

PER_THOUSAND = {"source": 40, "person": 200, "organization": 120, "demand": 120,
                "agreement": 80, "event": 200, "quote": 150, "assessment": 90}
"""Records of each kind per 1,000 records."""


_SYLLABLES = ("ar", "ben", "cor", "dal", "en", "fen", "gar", "hol", "is", "jar", "kel", "lin", "mar",
              "nor", "ol", "pel", "quin", "ros", "sar", "tov", "ul", "var", "wen", "yor", "zan", "vik",
              "mir", "dan", "tes", "bor", "ska", "lev", "nik", "ora", "sten", "gol")
_CYRILLIC = str.maketrans({"a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г",
                           "h": "х", "i": "и", "j": "й", "k": "к", "l": "л", "m": "м", "n": "н",
                           "o": "о", "p": "п", "q": "к", "r": "р", "s": "с", "t": "т", "u": "у",
                           "v": "в", "w": "в", "y": "ы", "z": "з"})
_GREEK = str.maketrans({"a": "α", "b": "β", "c": "κ", "d": "δ", "e": "ε", "f": "φ", "g": "γ",
                        "h": "η", "i": "ι", "j": "ι", "k": "κ", "l": "λ", "m": "μ", "n": "ν",
                        "o": "ο", "p": "π", "q": "κ", "r": "ρ", "s": "σ", "t": "τ", "u": "υ",
                        "v": "β", "w": "ω", "y": "υ", "z": "ζ"})
_ARABIC = str.maketrans({"a": "ا", "b": "ب", "c": "ك", "d": "د", "e": "ي", "f": "ف", "g": "غ",
                         "h": "ه", "i": "ي", "j": "ج", "k": "ك", "l": "ل", "m": "م", "n": "ن",
                         "o": "و", "p": "ب", "q": "ق", "r": "ر", "s": "س", "t": "ت", "u": "و",
                         "v": "ف", "w": "و", "y": "ي", "z": "ز"})
_SCRIPTS = (("ru", _CYRILLIC), ("uk", _CYRILLIC), ("el", _GREEK), ("ar", _ARABIC))
"""Languages of synthetic native names, and the letter maps that write them in their script."""
_TOPICS = ("ceasefire", "prisoner exchange", "border crossings", "grain corridor", "sanctions relief",
           "troop withdrawal", "energy supplies", "nuclear plant safety", "humanitarian access",
           "maritime security", "refugee returns", "reconstruction funds", "air defence", "security guarantees",
           "election timetable", "water rights", "rail links", "customs union", "observer mission",
           "demining", "frozen assets", "port access", "power grid repairs", "civilian evacuation")
_VERBS = ("proposed", "rejected", "welcomed", "questioned", "endorsed", "criticised", "postponed", "outlined",
          "demanded", "discussed", "reviewed", "announced")
_ADJ = ("preliminary", "lasting", "partial", "comprehensive", "unconditional", "phased", "monitored",
        "temporary", "binding", "limited", "regional", "joint")
_ROLES = ("foreign minister", "defence minister", "chief negotiator", "deputy prime minister", "envoy",
          "spokesperson", "analyst", "ambassador", "presidential adviser", "head of delegation",
          "senior fellow", "general")
_ORG_FORMS = (("Republic of {}", "state"), ("Government of {}", "government"),
              ("{} delegation", "delegation"), ("{} Alliance", "alliance"), ("{} Institute", "think-tank"),
              ("{} Relief Agency", "agency"), ("{} News", "news-agency"), ("{} Civic Group", "group"),
              ("Office of the {} President", "office"))
_WHEN = ("yesterday", "last Monday", "last Tuesday", "on Wednesday", "late Thursday", "on Friday",
         "earlier this month", "last week", "this morning", "over the weekend")
_EVENT_TYPES = ("meeting", "talks", "announcement", "statement", "proposal", "ultimatum", "briefing",
                "agreement", "violation", "other")
_DEMAND_STATUS = ("standing", "unchanged", "escalated", "rejected", "accepted", "met", "withdrawn")
_AGREEMENT = (("agreement", "agreed"), ("acknowledgement", "acknowledged"),
              ("statement-of-willingness", "stated"), ("earlier-agreement", "implemented"),
              ("agreement", "pending"), ("agreement", "violated"))
_PUBLISHERS = ("Example Wire", "Daily Ledger", "Northern Review", "Policy Monitor", "Coastal Times")


def counts(n: int) -> dict[str, int]:
    """Records of each kind for `n` records in total (largest remainder; at least one of each)."""
    if n < len(PER_THOUSAND):
        raise ValueError(f"at least {len(PER_THOUSAND)} records are needed (one of each kind)")
    exact = {k: n * v / 1000 for k, v in PER_THOUSAND.items()}
    out = {k: max(1, int(x)) for k, x in exact.items()}
    by_remainder = sorted(PER_THOUSAND, key=lambda k: (out[k] - exact[k], k))
    i = 0
    while sum(out.values()) != n:  # hand out (or take back) the rounding difference
        k = by_remainder[i % len(by_remainder)]
        if sum(out.values()) < n:
            out[k] += 1
        elif out[k] > 1:
            out[k] -= 1
        i += 1
    return out


class _Synth:
    """State of one synthetic tree: the random generator, names, ids and source paragraphs."""

    def __init__(self, n: int, seed: int):
        self.rnd = random.Random(seed)
        self.n = counts(n)
        self.used: set[str] = set()
        self.names: dict[str, str] = {}
        self.ids: dict[str, list[str]] = {k: [] for k in KINDS}
        self.paragraphs: dict[str, list[str]] = {}
        self.published: dict[str, tuple[int, int, int]] = {}
        self.next_source = 0
        self.org_types: dict[str, str] = {}
        self.aliases: set[str] = set()
        """Names and aliases of people and organizations given so far (case-folded)."""

    def unique_name(self, make) -> str:
        """`make()` until it gives a name no person or organization has (two would be one: same-name)."""
        name = make()
        while name.casefold() in self.aliases:
            name = make()
        self.aliases.add(name.casefold())
        return name

    def unique_alias(self, alias: str) -> bool:
        """True (and the alias taken) when no record has it yet: two with one alias would be the
        same one (`same-name`)."""
        key = alias.casefold()
        if key in self.aliases:
            return False
        self.aliases.add(key)
        return True

    def word(self, parts: int = 2) -> str:
        """A pronounceable made-up word, capitalised."""
        return "".join(self.rnd.choice(_SYLLABLES) for _ in range(parts)).capitalize()

    def new_id(self, kind: str, name: str) -> str:
        """A unique id made from a name (ids are unique across kinds)."""
        base = "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())[:60].strip("-")
        rid, i = base, 2
        while rid in self.used:
            rid, i = f"{base}-{i}", i + 1
        self.used.add(rid)
        self.ids[kind].append(rid)
        self.names[rid] = name
        return rid

    def pick(self, kind: str, k: int = 1, exclude: str = "") -> list[str]:
        """`k` distinct ids of a kind (fewer if there are not enough)."""
        pool = self.ids[kind]
        chosen = self.rnd.sample(pool, min(k + 1, len(pool)))
        return [c for c in chosen if c != exclude][:k]

    def actor(self) -> str:
        """A person or an organization."""
        return self.pick("person" if self.rnd.random() < 0.5 else "organization")[0]

    def source(self) -> str:
        """A source to cite: each in turn first (so every source is cited), then at random."""
        sources = self.ids["source"]
        if self.next_source < len(sources):
            self.next_source += 1
            return sources[self.next_source - 1]
        return self.rnd.choice(sources)

    def cite(self, sentence: str, excerpt: str | None = None, source: str | None = None) -> dict:
        """Write `sentence` into a source text and return a citation quoting it (or `excerpt` of it)."""
        sid = source or self.source()
        self.paragraphs[sid].append(sentence)
        return {"source": sid, "excerpt": (excerpt or sentence).replace("’", "'")}

    def date(self, sid: str, words: str | None = None, precision: int = 3) -> dict:
        """A date near the source's publication, inferred from its time words."""
        y, m, d = self.published[sid]
        d = max(1, d - self.rnd.randint(0, 6))
        value = f"{y:04d}" if precision == 1 else f"{y:04d}-{m:02d}" if precision == 2 else f"{y:04d}-{m:02d}-{d:02d}"
        out: dict = {"value": value}
        if words:
            out["words"] = words
            out["inferred"] = True
            out["basis"] = f"the source, published {y:04d}-{m:02d}-{self.published[sid][2]:02d}, says '{words}'"
        else:
            out["inferred"] = False
        return out

    def summary(self, subject: str) -> str:
        """One or two sentences of varied prose."""
        r = self.rnd
        first = (f"{subject} {r.choice(_VERBS)} a {r.choice(_ADJ)} plan on {r.choice(_TOPICS)} "
                 f"after {r.choice(_ADJ)} talks on {r.choice(_TOPICS)}.")
        if r.random() < 0.5:
            return first
        return first + f" Observers called the move {r.choice(_ADJ)} and {r.choice(_ADJ)}."


def _person(s: _Synth, rid: str) -> dict:
    r = s.rnd
    name = s.names[rid]
    surname = name.split()[-1]
    orgs = s.pick("organization", r.randint(1, 2))
    role = f"{r.choice(_ROLES)} of {s.names[orgs[0]]}"
    data: dict = {"name": name}
    if r.random() < 0.3:
        lang, letters = r.choice(_SCRIPTS)
        data["native_name"] = {"text": name.lower().translate(letters).title(), "lang": lang}
    if r.random() < 0.4:
        alias = f"Mr. {surname}" if r.random() < 0.5 else f"Ms. {surname}"
        if s.unique_alias(alias):
            data["aliases"] = [alias]
    data["role"] = role
    data["affiliations"] = orgs
    data["summary"] = s.summary(name)
    data["sources"] = [s.cite(f"{name}, the {role}, {r.choice(_VERBS)} the {r.choice(_TOPICS)} proposal.",
                              f"{name}, the {role}")]
    if r.random() < 0.2:
        data["notes"] = "The source gives no first name in later paragraphs."
    return data


def _organization(s: _Synth, rid: str) -> dict:
    r = s.rnd
    name = s.names[rid]
    data: dict = {"name": name, "type": s.org_types[rid]}
    if r.random() < 0.3:
        alias = name.split()[0] if name.split()[0] not in ("Republic", "Government", "Office") else name.split()[-1]
        if s.unique_alias(alias):
            data["aliases"] = [alias]
    others = [o for o in s.ids["organization"] if o != rid]
    if others and r.random() < 0.3:
        data["parent"] = r.choice(others)
    if s.ids["person"] and r.random() < 0.5:
        data["leader"] = s.pick("person")[0]
    if r.random() < 0.4:
        data["members"] = s.pick("person", r.randint(1, 4))
    data["summary"] = s.summary(name)
    data["sources"] = [s.cite(f"The {name} {r.choice(_VERBS)} talks on the {r.choice(_TOPICS)}.",
                              f"The {name}")]
    return data


def _event(s: _Synth, rid: str) -> dict:
    r = s.rnd
    title = s.names[rid]
    sid = s.source()
    words = r.choice(_WHEN)
    participants = [s.actor() for _ in range(r.randint(2, 4))]
    participants = list(dict.fromkeys(participants))
    location = s.word(2)
    sentence = (f"Delegates of {s.names[participants[0]]} and {s.names[participants[-1]]} met in {location} "
                f"{words} for {r.randint(1, 9)} hours on the {r.choice(_TOPICS)}.")
    data: dict = {"title": title, "type": r.choice(_EVENT_TYPES)}
    if r.random() < 0.1:
        data["status"] = r.choice(("expected", "possible"))
    data["date"] = s.date(sid, words, precision=3 if r.random() < 0.9 else 2)
    data["location"] = location
    data["participants"] = participants
    data["summary"] = s.summary(s.names[participants[0]])
    data["sources"] = [s.cite(sentence, source=sid)]
    if r.random() < 0.3:
        data["inferred"] = [{"what": "The meeting took place in the morning.",
                             "basis": "The source lists it before the midday briefing."}]
    return data


def _demand(s: _Synth, rid: str) -> dict:
    r = s.rnd
    sid = s.source()
    party, target = s.actor(), s.actor()
    status = r.choice(_DEMAND_STATUS)
    year = s.published[sid][0] - r.randint(1, 6)
    words = f"since {year}"
    sentence = f"{s.names[party]} demands {s.names[rid].lower()}, a demand {status} {words}."
    data: dict = {"title": s.names[rid], "party": party}
    if target != party:
        data["target"] = target
    data["status"] = status
    data["status_note"] = f"{status} {words}"
    data["since"] = {"value": f"{year:04d}", "words": words, "inferred": False}
    opposed = [o for o in s.pick("organization", 2) if o != party] if r.random() < 0.4 else []
    if opposed:
        data["opposed_by"] = opposed
    data["summary"] = s.summary(s.names[party])
    data["sources"] = [s.cite(sentence, source=sid)]
    return data


def _agreement(s: _Synth, rid: str) -> dict:
    r = s.rnd
    sid = s.source()
    kind, status = r.choice(_AGREEMENT)
    parties = list(dict.fromkeys([s.actor(), s.actor()]))
    words = r.choice(_WHEN)
    sentence = f"Both sides agreed {words} on {s.names[rid].lower()}."
    data: dict = {"title": s.names[rid], "type": kind, "status": status, "parties": parties}
    if r.random() < 0.4:
        data["mediator"] = s.actor()
    if s.ids["event"]:
        data["event"] = s.pick("event")[0]
    data["date"] = s.date(sid, words)
    data["summary"] = s.summary(s.names[parties[0]])
    data["sources"] = [s.cite(sentence, source=sid)]
    return data


def _quote(s: _Synth, rid: str) -> dict:
    r = s.rnd
    sid = s.source()
    text = s.names[rid]
    data: dict = {"text": text}
    if r.random() < 0.85:
        speaker = s.actor()
        data["speaker"] = speaker
        sentence = f"{s.names[speaker]} said the {r.choice(_TOPICS)} talks were “{text}.”"
        data["speaker_note"] = f"the source attributes it to {s.names[speaker]}"
    else:
        sentence = f"One official, speaking on condition of anonymity, called the talks “{text}.”"
        data["speaker_note"] = "the source does not name the speaker"
    if r.random() < 0.05 and len(s.ids["quote"]) > 1:
        data["variant_of"] = s.pick("quote", exclude=rid)[0]
    if s.ids["event"] and r.random() < 0.6:
        data["event"] = s.pick("event")[0]
    if r.random() < 0.5:
        data["about"] = s.pick(r.choice(("demand", "agreement", "event")), r.randint(1, 2))
    data["sources"] = [s.cite(sentence, source=sid)]
    return data


def _assessment(s: _Synth, rid: str) -> dict:
    r = s.rnd
    data: dict = {"title": s.names[rid]}
    if r.random() < 0.7:
        author = s.actor()
        data["author"] = author
        who = s.names[author]
    else:
        data["author_note"] = "the article's writer"
        who = "The writer"
    data["subjects"] = s.pick(r.choice(("demand", "agreement", "event", "person")), r.randint(1, 3))
    judgement = f"{s.names[rid].rstrip('.')}, in the {r.choice(_ADJ)} view of the talks"
    data["summary"] = f"{who} judges that {judgement[0].lower() + judgement[1:]}."
    data["sources"] = [s.cite(f"{who} argued that {judgement[0].lower() + judgement[1:]}.")]
    return data


def _names(s: _Synth) -> None:
    """Allocate ids and display names of every record, so any record can refer to any other."""
    r = s.rnd
    for i in range(s.n["source"]):
        title = f"{s.word(2)} talks: {r.choice(_ADJ)} {r.choice(_TOPICS)} on the table"
        sid = s.new_id("source", f"{title} {i + 1}")
        s.names[sid] = title
        s.paragraphs[sid] = [title]
        s.published[sid] = (r.randint(2023, 2026), r.randint(1, 12), r.randint(7, 28))
    for _ in range(s.n["organization"]):
        form, kind = r.choice(_ORG_FORMS)
        rid = s.new_id("organization", s.unique_name(lambda: form.format(s.word(2))))
        s.org_types[rid] = kind
    for _ in range(s.n["person"]):
        s.new_id("person", s.unique_name(lambda: f"{s.word(2)} {s.word(r.randint(2, 3))}"))
    for _ in range(s.n["event"]):
        s.new_id("event", f"{r.choice(_ADJ).capitalize()} {r.choice(('talks', 'meeting', 'briefing', 'summit'))} "
                          f"in {s.word(2)} on the {r.choice(_TOPICS)}")
    for _ in range(s.n["demand"]):
        s.new_id("demand", f"{s.word(2)} ends the {r.choice(_TOPICS)} {r.choice(('blockade', 'dispute', 'programme'))}")
    for _ in range(s.n["agreement"]):
        s.new_id("agreement", f"{r.choice(_ADJ).capitalize()} {r.choice(_TOPICS)} deal for {s.word(2)}")
    for _ in range(s.n["quote"]):
        s.new_id("quote", f"a {r.choice(_ADJ)} step on the {r.choice(_TOPICS)} for {s.word(2)}")
    for _ in range(s.n["assessment"]):
        s.new_id("assessment", f"{s.word(2)} will not accept a {r.choice(_ADJ)} {r.choice(_TOPICS)}")


_FILL = {"person": _person, "organization": _organization, "event": _event, "demand": _demand,
         "agreement": _agreement, "quote": _quote, "assessment": _assessment}


def synthesize(n: int, seed: int = 1) -> tuple[dict[str, dict], dict[str, str]]:
    """Records (`<plural>/<id>.yaml` -> fields) and source texts (`sources/<id>.txt` -> text)."""
    s = _Synth(n, seed)
    _names(s)
    records: dict[str, dict] = {}
    for kind in ("organization", "person", "event", "demand", "agreement", "quote", "assessment"):
        for rid in s.ids[kind]:
            data = _FILL[kind](s, rid)
            if s.rnd.random() < 0.15:
                other = s.rnd.choice(sorted(s.used))
                if other != rid:
                    data["related"] = [other]
            records[f"{KINDS[kind].plural}/{rid}.yaml"] = data
    texts = {}
    for sid in s.ids["source"]:
        y, m, d = s.published[sid]
        records[f"sources/{sid}.yaml"] = {
            "title": s.names[sid], "type": s.rnd.choice(("article", "report", "transcript", "statement")),
            "publisher": s.rnd.choice(_PUBLISHERS), "url": f"https://example.org/{sid}",
            "published": {"value": f"{y:04d}-{m:02d}-{d:02d}", "inferred": False},
            "summary": s.summary("The report")}
        # Paragraphs use typographic apostrophes, as real articles do; excerpts use ASCII ones.
        texts[f"sources/{sid}.txt"] = "\n\n".join(p.replace("'", "’") for p in s.paragraphs[sid]) + "\n"
    return records, texts


def write_project(out: Path, n: int, template: Path, seed: int = 1, commits: int = 0) -> int:
    """Write `out/content/` with `n` records plus mkdocs.yml, static/ and overrides/ copied from `template`.

    With `commits`, `out` becomes a git repository of that many commits whose last one holds the
    content (see synth_history.py). Refuses to write over an existing `out/content/`. Returns the
    number of files in content/.
    """
    content = out / "content"
    if content.exists():
        raise FileExistsError(f"{content} exists; choose an empty folder")
    records, texts = synthesize(n, seed)
    if commits:
        write_history(out, records, texts, commits, seed)
    else:
        for d in {p.rsplit("/", 1)[0] for p in records}:
            (content / d).mkdir(parents=True, exist_ok=True)
        for rel, data in records.items():
            (content / rel).write_text(record_text(rel, data), encoding="utf-8")
        for rel, text in texts.items():
            (content / rel).write_text(text, encoding="utf-8")
    copy_site_inputs(template, out)
    return sum(1 for p in content.rglob("*") if p.is_file())


def default_template(root: Path) -> Path:
    """Where to copy mkdocs.yml, static/ and overrides/ from: the project root, else this package's repository."""
    if (root / "mkdocs.yml").is_file():
        return root
    return Path(__file__).resolve().parent.parent
