"""`samverkan review` as a user drives it: statements made, listed and taken back, and every
query, export and the map answering with them applied."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from samverkan import app

runner = CliRunner()

TEXT = ("Kommunstyrelsen i Exempelby och Polisen i Exempelby samverkar sedan 2019 kring trygghet. "
        "Exempelby kommun samarbetar med Räddningstjänsten Syd om brandskydd.")
CHANGED = ("Kommunstyrelsen i Exempelby och Polisen i Exempelby samverkar sedan 2019 kring trygghet och "
           "ordning. Exempelby kommun samarbetar med Räddningstjänsten Syd om brandskydd.")
WIDE = {"COLUMNS": "250"}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    folder = tmp_path_factory.mktemp("granskning")
    (folder / "docs").mkdir()
    (folder / "docs" / "exempelby.txt").write_text(TEXT, encoding="utf-8")
    path = folder / "g.sqlite"
    result = runner.invoke(app, ["ingest", str(folder / "docs"), "--store", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def store(ingested, tmp_path):
    """A copy of the ingested graph of its own for each test."""
    path = tmp_path / "g.sqlite"
    source, target = sqlite3.connect(ingested), sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    return path


def run(store, *args, env=None):
    return runner.invoke(app, [*args, "--store", str(store)], env=env or WIDE)


def partner_names(store, name, *extra) -> set[str]:
    result = run(store, "partners", name, "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return {row["partner"] for row in json.loads(result.output)}


def test_reject_hides_a_tie_everywhere_until_asked(store, tmp_path):
    result = run(store, "review", "reject", "Exempelby kommun", "Räddningstjänsten Syd", "--by", "Anna",
                 "--not", "Avtalet gäller grannkommunen.", "--date", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert "Granskad: avvisad av Anna 2026-12-01: Avtalet gäller grannkommunen." in result.output
    assert partner_names(store, "Exempelby kommun") == set()
    assert partner_names(store, "Exempelby kommun", "--include-rejected") == {"Räddningstjänsten Syd"}
    between = run(store, "between", "Exempelby kommun", "Räddningstjänsten Syd", "--format", "json")
    assert json.loads(between.output)["direct"] == []
    shown = json.loads(run(store, "between", "Exempelby kommun", "Räddningstjänsten Syd", "--format", "json",
                           "--include-rejected").output)
    assert shown["direct"][0]["review"] == "Granskad: avvisad av Anna 2026-12-01: Avtalet gäller grannkommunen."
    matrix = run(store, "matrix").output
    assert "Räddningstjänsten Syd" not in matrix
    assert "Räddningstjänsten Syd" in run(store, "matrix", "--include-rejected").output
    exported = json.loads(run(store, "export").output)
    assert {r["target"] for r in exported["relations"]} == {"polismyndigheten"}
    assert len(json.loads(run(store, "export", "--include-rejected").output)["relations"]) == 2
    hidden = run(store, "view", "-o", str(tmp_path / "karta.html")).output
    shown_map = run(store, "view", "-o", str(tmp_path / "alla.html"), "--include-rejected").output
    assert "1 samband" in hidden and "2 samband" in shown_map


def test_a_rejected_tie_stays_rejected_after_reingest_of_the_same_and_a_changed_document(store, tmp_path):
    run(store, "review", "reject", "Exempelby kommun", "Räddningstjänsten Syd", "--by", "Anna")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "exempelby.txt").write_text(TEXT, encoding="utf-8")
    assert run(store, "ingest", str(docs)).exit_code == 0
    assert partner_names(store, "Exempelby kommun") == set()
    (docs / "exempelby.txt").write_text(CHANGED, encoding="utf-8")
    assert run(store, "ingest", str(docs)).exit_code == 0
    quotes = json.loads(run(store, "evidence", "Kommunstyrelsen", "Polismyndigheten", "--format", "json").output)
    assert quotes[0]["sentence"].endswith("trygghet och ordning.")  # the changed document is the one read
    assert partner_names(store, "Exempelby kommun") == set()
    assert partner_names(store, "Exempelby kommun", "--include-rejected") == {"Räddningstjänsten Syd"}


def test_merge_is_seen_in_partners(store):
    result = run(store, "review", "merge", "Exempelby kommun", "Kommunstyrelsen", "--by", "Bo")
    assert result.exit_code == 0, result.output
    assert partner_names(store, "Exempelby kommun") == {"Polismyndigheten", "Räddningstjänsten Syd"}
    actors = json.loads(run(store, "actors", "--format", "json").output)
    assert "Kommunstyrelsen" not in {a["name"] for a in actors}


def test_status_in_swedish_and_the_review_line_in_between_and_evidence(store):
    result = run(store, "review", "status", "Kommunstyrelsen", "Polismyndigheten", "planerad", "--by", "Anna",
                 "--not", "Bara planerat.", "--date", "2026-12-03")
    assert result.exit_code == 0, result.output
    line = "Granskad: status rättad till planerad av Anna 2026-12-03: Bara planerat."
    between = run(store, "between", "Kommunstyrelsen", "Polismyndigheten")
    assert "planerad" in between.output and line in between.output
    evidence = run(store, "evidence", "Kommunstyrelsen", "Polismyndigheten")
    assert line in evidence.output
    assert line in run(store, "evidence", "Kommunstyrelsen", "Polismyndigheten", "--format", "csv").output


def test_rename_then_confirm_under_the_new_name(store):
    assert run(store, "review", "rename", "Polismyndigheten", "Polisen i Exempelby", "--by", "Bo").exit_code == 0
    result = run(store, "review", "confirm", "Polisen i Exempelby", "Kommunstyrelsen", "--by", "Bo")
    assert result.exit_code == 0, result.output
    assert partner_names(store, "Polismyndigheten") == {"Kommunstyrelsen (Exempelby kommun)"}  # the old name finds it
    assert "Granskad: bekräftad av Bo" in run(store, "between", "Polisen i Exempelby", "Kommunstyrelsen").output


def test_add_a_tie_on_a_persons_word(store):
    result = run(store, "review", "add", "Polismyndigheten", "Räddningstjänsten Syd", "--typ", "samverkar",
                 "--not", "Övar tillsammans varje vår.", "--källa", "Samtal med räddningschefen", "--by", "Anna")
    assert result.exit_code == 0, result.output
    rows = json.loads(run(store, "partners", "Polismyndigheten", "--format", "json").output)
    added = next(r for r in rows if r["partner"] == "Räddningstjänsten Syd")
    assert added["evidence"][0]["sentence"] == "Övar tillsammans varje vår. (källa: Samtal med räddningschefen)"
    assert added["evidence"][0]["rule"] == "review:add"
    assert "granskning Anna" in run(store, "partners", "Polismyndigheten").output


def test_list_and_remove(store):
    run(store, "review", "reject", "Exempelby kommun", "Räddningstjänsten Syd", "--by", "Anna", "--date", "2026-12-01")
    listed = json.loads(run(store, "review", "list", "--format", "json").output)
    assert [(r["by"], r["date"], r["statement"]) for r in listed] == [
        ("Anna", "2026-12-01", "avvisad: Exempelby kommun – Räddningstjänsten Syd (samverkar med)")]
    result = run(store, "review", "remove", listed[0]["id"][:10])
    assert result.exit_code == 0 and listed[0]["id"] in result.output
    assert partner_names(store, "Exempelby kommun") == {"Räddningstjänsten Syd"}
    assert "Inga granskningsuttalanden" in run(store, "review", "list").output


@pytest.mark.parametrize("args, message", [
    (["confirm", "Exempelby kommun", "Polismyndigheten"], "Inget samband mellan Exempelby kommun och Polismyndigheten"),
    (["confirm", "Exempelby kommun", "Räddningstjänsten Syd", "--typ", "part i"], "Inget samband av typen part i"),
    (["merge", "Exempelby kommun", "Exempelby kommun"], "är redan samma aktör"),
    (["split", "Exempelby kommun", "Kommunhuset"], "har inget annat namn 'Kommunhuset'"),
    (["rename", "Exempelby kommun", "Exempelby kommun"], "heter redan så"),
    (["confirm", "Exempelby kommun", "Räddningstjänsten Syd", "--date", "igår"], "'igår' är inget datum; skriv det som ÅÅÅÅ-MM-DD."),
])
def test_a_statement_that_cannot_be_made_is_one_line(store, args, message):
    result = run(store, "review", *args, "--by", "Anna")
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert json.loads(run(store, "review", "list", "--format", "json").output) == []


def test_a_statement_needs_its_author_and_an_unknown_id_is_named(store):
    result = run(store, "review", "confirm", "Exempelby kommun", "Räddningstjänsten Syd")
    assert result.exit_code == 2 and "--by" in result.output
    result = run(store, "review", "remove", "rev-0000")
    assert result.exit_code == 1 and "Inget uttalande med id rev-0000" in result.output


def test_via_names_what_the_pair_cooperates_through(store):
    result = run(store, "review", "via", "Exempelby kommun", "Räddningstjänsten Syd", "Exempelby", "--by", "Anna",
                 "--date", "2026-12-03")
    assert result.exit_code == 0, result.output
    assert "Granskad: via rättad till Exempelby av Anna 2026-12-03" in result.output
    direct = json.loads(run(store, "between", "Exempelby kommun", "Räddningstjänsten Syd", "--format", "json").output)
    assert direct["direct"][0]["via"] == "Exempelby"
