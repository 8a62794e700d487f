"""`--as-of` and `agreements --expiring` as a user types them, on a store of documents from several years."""

import json

import pytest
from typer.testing import CliRunner

from graph.sqlite import SQLiteStore
from samverkan import app
from tests.graph.test_asof import _history

runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("asof") / "g.sqlite"
    s = SQLiteStore(path)
    for x in _history():
        s.add(x)
    s.close()
    return str(path)


def _json(result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_partners_as_of_a_year(store):
    rows = _json(runner.invoke(app, ["partners", "Ekby kommun", "--as-of", "2017", "--format", "json", "--store", store]))
    assert sorted(r["partner"] for r in rows) == ["Ekby folkhögskola", "Polisen Ekby"]


def test_between_as_of_leaves_out_what_had_ended(store):
    result = _json(runner.invoke(app, ["between", "Ekby kommun", "Polisen Ekby", "--as-of", "2020", "--format", "json",
                                       "--store", store]))
    assert result["direct"] == []
    result = _json(runner.invoke(app, ["between", "Ekby kommun", "Polisen Ekby", "--as-of", "2018-12", "--format",
                                       "json", "--store", store]))
    assert len(result["direct"]) == 1


def test_agreements_show_their_period_and_as_of(store):
    rows = _json(runner.invoke(app, ["agreements", "--format", "json", "--store", store]))
    assert [(r["valid_from"], r["valid_to"]) for r in rows] == [("2016-01-01", "2018-12-31")]
    assert _json(runner.invoke(app, ["agreements", "--as-of", "2019", "--format", "json", "--store", store])) == []
    assert len(_json(runner.invoke(app, ["agreements", "--as-of", "2016", "--format", "json", "--store", store]))) == 1


def test_agreements_expiring_in_a_year(store):
    assert len(_json(runner.invoke(app, ["agreements", "--expiring", "2018", "--format", "json", "--store", store]))) == 1
    assert _json(runner.invoke(app, ["agreements", "--expiring", "2019", "--format", "json", "--store", store])) == []


def test_matrix_view_and_export_take_as_of(store, tmp_path):
    result = runner.invoke(app, ["matrix", "--as-of", "2024", "--format", "json", "--store", store])
    assert result.exit_code == 0 and "Polisen Ekby" not in result.stdout
    page = tmp_path / "karta.html"
    result = runner.invoke(app, ["view", "-o", str(page), "--as-of", "2017", "--store", store])
    assert result.exit_code == 0, result.output
    assert "Polisen Ekby" in page.read_text(encoding="utf-8")
    exported = _json(runner.invoke(app, ["export", "--as-of", "2024", "--store", store]))
    names = {e["name"] for e in exported["entities"]}
    tied = {r["source"] for r in exported["relations"]} | {r["target"] for r in exported["relations"]}
    assert "ekby-hembygdsforening" in tied and "polisen-ekby" not in tied and "Polisen Ekby" in names


def test_a_bad_date_is_one_swedish_line(store):
    result = runner.invoke(app, ["partners", "Ekby kommun", "--as-of", "2019-13", "--store", store])
    assert result.exit_code == 2
    assert "inget datum" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["agreements", "--expiring", "nästa år", "--store", store])
    assert result.exit_code == 2 and "inget datum" in result.output


def test_evidence_as_of_shows_only_the_quotes_of_ties_in_force(store):
    then = runner.invoke(app, ["evidence", "Ekby kommun", "Polisen Ekby", "--as-of", "2017", "--format", "json",
                               "--store", store])
    later = runner.invoke(app, ["evidence", "Ekby kommun", "Polisen Ekby", "--as-of", "2020", "--format", "json",
                                "--store", store])
    assert then.exit_code == 0 and later.exit_code == 0, then.output + later.output
    assert len(json.loads(then.stdout)) >= 1 and json.loads(later.stdout) == []
