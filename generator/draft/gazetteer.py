"""Word lists the drafting rules rely on: states and their demonyms and capitals, international
bodies, news agencies, titles and role nouns.

A capitalized word alone cannot tell a state that acts from a city where something happens,
or a person from a think tank; these lists, and the word's place in the sentence, can. They
are deliberately small and common: a name the lists do not know is still drafted when the
sentence shows what it is (a title before it, "an analyst at" after it, a verb after it).
"""
from __future__ import annotations

STATES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    # name: (demonym, other names, capitals that stand for the state as an actor)
    "Russia": ("Russian", ("Russian Federation",), ("Moscow",)),
    "Ukraine": ("Ukrainian", (), ("Kyiv", "Kiev")),
    "United States": ("American", ("U.S.", "US", "USA", "U.S.A.", "United States of America"), ("Washington",)),
    "United Kingdom": ("British", ("UK", "U.K.", "Britain", "Great Britain"), ("London",)),
    "France": ("French", (), ("Paris",)),
    "Germany": ("German", (), ("Berlin",)),
    "Poland": ("Polish", (), ("Warsaw",)),
    "Turkey": ("Turkish", ("Türkiye", "Turkiye"), ("Ankara",)),
    "Greece": ("Greek", (), ("Athens",)),
    "Bulgaria": ("Bulgarian", (), ("Sofia",)),
    "Cyprus": ("Cypriot", (), ("Nicosia",)),
    "Italy": ("Italian", (), ("Rome",)),
    "Spain": ("Spanish", (), ("Madrid",)),
    "China": ("Chinese", (), ("Beijing",)),
    "Japan": ("Japanese", (), ("Tokyo",)),
    "India": ("Indian", (), ("New Delhi",)),
    "Belarus": ("Belarusian", (), ()),
    "Georgia": ("Georgian", (), ("Tbilisi",)),
    "Moldova": ("Moldovan", (), ("Chisinau",)),
    "Romania": ("Romanian", (), ("Bucharest",)),
    "Hungary": ("Hungarian", (), ("Budapest",)),
    "Lithuania": ("Lithuanian", (), ("Vilnius",)),
    "Latvia": ("Latvian", (), ("Riga",)),
    "Estonia": ("Estonian", (), ("Tallinn",)),
    "Finland": ("Finnish", (), ("Helsinki",)),
    "Sweden": ("Swedish", (), ("Stockholm",)),
    "Norway": ("Norwegian", (), ("Oslo",)),
    "Denmark": ("Danish", (), ("Copenhagen",)),
    "Netherlands": ("Dutch", (), ("The Hague",)),
    "Belgium": ("Belgian", (), ()),
    "Austria": ("Austrian", (), ("Vienna",)),
    "Switzerland": ("Swiss", (), ("Bern",)),
    "Czech Republic": ("Czech", ("Czechia",), ("Prague",)),
    "Slovakia": ("Slovak", (), ("Bratislava",)),
    "Israel": ("Israeli", (), ()),
    "Iran": ("Iranian", (), ("Tehran",)),
    "Iraq": ("Iraqi", (), ("Baghdad",)),
    "Syria": ("Syrian", (), ("Damascus",)),
    "Egypt": ("Egyptian", (), ("Cairo",)),
    "Saudi Arabia": ("Saudi", (), ("Riyadh",)),
    "Qatar": ("Qatari", (), ("Doha",)),
    "Lebanon": ("Lebanese", (), ("Beirut",)),
    "Canada": ("Canadian", (), ("Ottawa",)),
    "Mexico": ("Mexican", (), ()),
    "Brazil": ("Brazilian", (), ("Brasilia",)),
    "Australia": ("Australian", (), ("Canberra",)),
    "Kazakhstan": ("Kazakh", (), ("Astana",)),
    "Azerbaijan": ("Azerbaijani", (), ("Baku",)),
    "Armenia": ("Armenian", (), ("Yerevan",)),
    "Serbia": ("Serbian", (), ("Belgrade",)),
    "Croatia": ("Croatian", (), ("Zagreb",)),
    "Ireland": ("Irish", (), ("Dublin",)),
    "Portugal": ("Portuguese", (), ("Lisbon",)),
    "Pakistan": ("Pakistani", (), ("Islamabad",)),
    "Afghanistan": ("Afghan", (), ("Kabul",)),
    "North Korea": ("North Korean", (), ("Pyongyang",)),
    "South Korea": ("South Korean", (), ("Seoul",)),
}
"""States: drafted as organizations of type `state` wherever they appear."""

BODIES: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    # name: (type, other names, parent state)
    "European Union": ("alliance", ("EU", "E.U."), None),
    "NATO": ("alliance", ("North Atlantic Treaty Organization",), None),
    "United Nations": ("alliance", ("UN", "U.N."), None),
    "OSCE": ("alliance", ("Organization for Security and Co-operation in Europe",), None),
    "African Union": ("alliance", (), None),
    "Kremlin": ("office", ("The Kremlin",), "Russia"),
    "White House": ("office", ("The White House",), "United States"),
    "Pentagon": ("office", (), "United States"),
    "Downing Street": ("office", (), "United Kingdom"),
    "Reuters": ("news-agency", (), None),
    "Associated Press": ("news-agency", ("AP",), None),
    "AFP": ("news-agency", ("Agence France-Presse",), None),
    "Bloomberg": ("news-agency", (), None),
    "TASS": ("news-agency", (), None),
    "Interfax": ("news-agency", (), None),
    "RIA Novosti": ("news-agency", (), None),
    "Ukrinform": ("news-agency", (), None),
    "Anadolu": ("news-agency", ("Anadolu Agency",), None),
    "BBC": ("news-agency", (), None),
}
"""International bodies, seats of government and news agencies."""

DEMONYMS: dict[str, str | None] = {demonym: state for state, (demonym, _, _) in STATES.items()}
DEMONYMS.update({"European": None, "Western": None, "Eastern": None, "Arab": None, "Soviet": None,
                 "Kurdish": None, "Palestinian": None, "Crimean": None, "Europeans": None, "Americans": None})
"""Adjectives of nationality, with the state they name (None: no single state)."""

TITLES = {"President", "Prime", "Minister", "Foreign", "Defence", "Defense", "Deputy", "Vice", "Secretary",
          "Chancellor", "Ambassador", "Envoy", "General", "Chief", "Spokesman", "Spokeswoman", "Speaker",
          "Senator", "Governor", "Mayor", "King", "Queen", "Prince", "Pope", "Premier", "Interior", "Finance",
          "Justice", "Culture", "Special", "Representative", "Commander", "Admiral", "Marshal", "Director",
          "Chairman", "Chairwoman", "Patriarch", "Sheikh", "Emir", "Sultan", "Former", "Acting", "State"}
"""Capitalized words of titles placed before a name (Turkish Foreign Minister Hakan Fidan)."""
TITLE_HEADS = {"President", "Minister", "Secretary", "Chancellor", "Ambassador", "Envoy", "General", "Chief",
               "Spokesman", "Spokeswoman", "Speaker", "Senator", "Governor", "Mayor", "King", "Queen", "Prince",
               "Pope", "Premier", "Representative", "Commander", "Admiral", "Marshal", "Director", "Chairman",
               "Chairwoman", "Patriarch", "Sheikh", "Emir", "Sultan"}
"""Title words that end a title (the word after them begins the name)."""
GOVERNMENT_TITLES = {"President", "Minister", "Premier", "Chancellor", "King", "Queen", "Ambassador", "Envoy",
                     "Secretary", "Spokesman", "Spokeswoman"}
"""Titles of office-holders who serve the state their demonym names (Turkish President → Turkey)."""
HONORIFICS = {"Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Mr", "Ms", "Mrs", "Dr", "Mx."}

ROLE_NOUNS = {"minister", "president", "diplomat", "engineer", "hydrologist", "envoy", "analyst", "expert",
              "spokesman", "spokeswoman", "spokesperson", "official", "adviser", "advisor", "ambassador",
              "negotiator", "journalist", "reporter", "economist", "professor", "commander", "chief", "head",
              "leader", "mediator", "premier", "chancellor", "secretary", "governor", "mayor", "senator",
              "general", "researcher", "scholar", "historian", "lawyer", "director", "chairman", "chairwoman",
              "representative", "aide", "correspondent", "editor", "founder", "member", "fellow", "politician",
              "lawmaker", "activist", "scientist", "specialist", "strategist", "consultant", "observer"}
"""Lowercase nouns saying what a person is (the engineer Hélène Lefèvre-Müller)."""
ROLE_MODIFIERS = {"former", "deputy", "foreign", "defence", "defense", "culture", "water", "prime", "vice",
                  "senior", "chief", "top", "interior", "finance", "economy", "health", "justice", "energy",
                  "trade", "security", "military", "political", "policy", "acting", "special", "lead", "leading",
                  "veteran", "independent", "presidential", "government", "opposition", "peace", "chief"}
"""Lowercase words that belong to a role before its noun (former culture minister)."""

ORG_HEADS = {
    "Authority": "agency", "Agency": "agency", "Commission": "agency", "Bureau": "agency", "Service": "agency",
    "Centre": "think-tank", "Center": "think-tank", "Institute": "think-tank", "Foundation": "think-tank",
    "Council": "group", "Ministry": "office", "Office": "office", "Department": "office",
    "Union": "alliance", "Alliance": "alliance", "League": "alliance", "Organization": "alliance",
    "Organisation": "alliance", "Government": "government", "Administration": "government",
    "Army": "group", "Forces": "group", "Party": "group", "Front": "group", "Movement": "group",
    "Group": "group", "Association": "group", "Committee": "group", "Delegation": "delegation",
}
"""Last words of organizations' names, with the organization type they suggest."""
ORG_NOUNS = {"think tank": "think-tank", "administration": "government", "government": "government",
             "delegation": "delegation", "foreign ministry": "office", "ministry": "office",
             "separatists": "group", "rebels": "group", "militants": "group", "leaders": "group"}
"""Lowercase nouns after a name that make it an organization's (the Trump administration)."""

ATTRIBUTION = ("said", "says", "say", "told", "tells", "noted", "notes", "stated", "states", "remarked", "asserted",
               "asserts", "added", "adds", "argued", "argues", "insisted", "declared", "claimed", "explained",
               "wrote", "writes", "warned", "warns", "stressed", "emphasized", "emphasised", "indicated",
               "confirmed", "announced", "acknowledged", "admitted", "observed", "commented", "replied",
               "responded", "called", "described", "urged", "suggested", "maintained", "stating", "saying",
               "noting", "adding", "insisting", "arguing", "warning")
"""Verbs that attribute words to a speaker."""

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

CAPITALIZED_WORDS = {"The", "A", "An", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "I",
                     "Its", "His", "Her", "Their", "Our", "But", "And", "Or", "Yet", "So", "If", "As", "When",
                     "While", "After", "Before", "Since", "Although", "However", "Instead", "Nonetheless",
                     "Firstly", "Secondly", "Thirdly", "Finally", "Meanwhile", "Any", "Another", "Both", "Just",
                     "Last", "Next", "According", "In", "On", "At", "By", "For", "From", "With", "Further",
                     "Officers", "Delegates", "Negotiators", "Sign", "Accept", "Read", "More", "Mr", "Ms"}
"""Capitalized words that begin sentences and name no one."""
