"""Data to take away: JSON and CSV files, download links, schema.org JSON-LD."""
from __future__ import annotations

import csv
import io
import json
import re

from conftest import FIXTURE
from generator import export
from generator.export import data_files, dataset_json, json_ld, json_ld_block, kind_csv, script_json
from generator.index import build_index
from generator.kinds import KINDS
from generator.load import Document
from generator.pipeline import check
from generator.render import render_home, render_kind_index, render_record, render_site


def fixture_index():
    return check(FIXTURE).index


def test_data_files_are_one_dataset_and_one_json_and_csv_per_kind():
    files = data_files(fixture_index())
    expected = {"data/briefing.json"} | {f"data/{k.plural}.{ext}" for k in KINDS.values() for ext in ("json", "csv")}
    assert set(files) == expected
    # Rendered with the pages, so the writer puts them into site_src and MkDocs copies them.
    assert expected <= set(render_site(fixture_index()))


def test_the_dataset_reuses_the_rows_of_kept_kind_files_and_equals_one_made_anew():
    """A build that keeps a kind's data file reads its rows back for the whole dataset: the
    dataset is the same bytes, with line breaks, U+2028 and an empty kind among the rows."""
    index = fixture_index()
    person = next(r for r in index.records.values() if r.kind == "person")
    person.data["role"] = "envoy,\n line two\u2028 and \",\n \" quoted"
    whole = data_files(index)
    kind_files = {p for k in KINDS for p in export.kind_data_files(k)}
    read: list[str] = []

    def kept(path: str) -> str:
        read.append(path)
        return whole[path]

    reused = data_files(index, frozenset(kind_files), kept)
    assert set(reused) == {"data/briefing.json"}
    assert reused["data/briefing.json"] == whole["data/briefing.json"]
    assert sorted(read) == sorted(export.kind_data_files(k)[0] for k in KINDS)
    assert export._rows_of(export._json_list([]) + "\n") == []
    assert export._rows_of(export._json_list(['{"a": 1}']) + "\n") == ['{"a": 1}']

    def gone(path: str) -> str:
        raise FileNotFoundError(path)

    assert data_files(index, frozenset(kind_files), gone)["data/briefing.json"] == whole["data/briefing.json"]


def test_dataset_json_holds_every_record_with_its_fields():
    index = fixture_index()
    data = json.loads(dataset_json(index))
    assert list(data["kinds"]) == [k.plural for k in KINDS.values()]
    assert sum(len(v) for v in data["kinds"].values()) == len(index.records)
    berg = next(r for r in data["kinds"]["people"] if r["id"] == "berg")
    assert berg == {"id": "berg", "kind": "person", "name": "Anna Berg",
                    "native_name": {"text": "Anna Berg", "lang": "en"}, "aliases": ["A. Berg"],
                    "role": "Northland's envoy", "affiliations": ["northland"],
                    "sources": [{"source": "report", "excerpt": "Northland's envoy Anna Berg"}]}
    # Deterministic: same content, same bytes (the writer keeps unchanged files).
    assert dataset_json(index) == dataset_json(fixture_index())


def test_kind_csv_columns_and_cells():
    rows = list(csv.reader(io.StringIO(kind_csv(fixture_index(), "event"))))
    assert rows[0] == ["id", "title", "type", "status", "date", "date_words", "date_inferred", "location",
                       "participants", "summary", "sources", "inferred", "caveats", "disputes", "related", "notes",
                       "former_ids", "replaces"]
    assert rows[1][:9] == ["geneva-talks", "Talks in Geneva", "talks", "", "2024-03-01", "yesterday", "true",
                           "Geneva", "northland; southland; berg"]
    assert json.loads(rows[1][10]) == [{"excerpt": "Delegates from Northland and Southland met in Geneva yesterday "
                                                   "for two hours.", "source": "report"}]
    people = list(csv.reader(io.StringIO(kind_csv(fixture_index(), "person"))))
    assert people[0][:4] == ["id", "name", "native_name", "native_name_lang"]
    assert people[1][:4] == ["berg", "Anna Berg", "Anna Berg", "en"]


def test_csv_defuses_spreadsheet_formulas():
    docs = [Document("content/people/p.yaml", "person", "p",
                     {"name": "=HYPERLINK(\"http://evil\")", "role": "+1", "aliases": ["@x", "-y"]})]
    index, _ = build_index(docs)
    row = list(csv.reader(io.StringIO(kind_csv(index, "person"))))[1]
    assert row[1] == "'=HYPERLINK(\"http://evil\")"
    assert row[5] == "'+1"
    assert row[4] == "'@x; -y"


def test_download_links_on_home_and_index_pages():
    index = fixture_index()
    home = render_home(index)
    assert "## Download the data {#download}" in home
    assert "[everything as one JSON file](data/briefing.json)" in home
    assert "| People | [JSON](data/people.json) | [CSV](data/people.csv) |" in home
    assert "Download: [JSON](../data/demands.json) · [CSV](../data/demands.csv)" in render_kind_index(index, "demand")


def test_json_ld_person_event_organization():
    index = fixture_index()
    assert json_ld(index, index.get("berg")) == {
        "@context": "https://schema.org", "@type": "Person", "name": "Anna Berg",
        "alternateName": ["A. Berg"], "jobTitle": "Northland's envoy",
        "affiliation": [{"@type": "Organization", "name": "Northland"}]}
    event = json_ld(index, index.get("geneva-talks"))
    assert event["@type"] == "Event" and event["startDate"] == "2024-03-01"
    assert event["location"] == {"@type": "Place", "name": "Geneva"}
    assert event["attendee"] == [{"@type": "Organization", "name": "Northland"},
                                 {"@type": "Organization", "name": "Southland"},
                                 {"@type": "Person", "name": "Anna Berg"}]
    assert json_ld(index, index.get("southland"))["alternateName"] == ["South Land"]
    assert json_ld(index, index.get("troop-withdrawal")) is None
    page = render_record(index, index.get("berg"))
    assert page.count('<script type="application/ld+json">') == 1
    assert "application/ld+json" not in render_record(index, index.get("troop-withdrawal"))


def test_json_ld_cannot_close_its_script_element():
    hostile = "</script><script>alert(1)</script> & <!-- \u2028"
    docs = [Document("content/people/p.yaml", "person", "p", {"name": hostile, "summary": hostile})]
    index, _ = build_index(docs)
    block = json_ld_block(index, index.get("p"))[0]
    inner = block[len('<script type="application/ld+json">'):-len("</script>")]
    assert not re.search(r"[<>&\u2028]", inner)
    assert json.loads(inner)["name"] == hostile  # the escapes are still the same JSON
    assert script_json({"a": "<&>"}) == '{"a":"\\u003c\\u0026\\u003e"}'
