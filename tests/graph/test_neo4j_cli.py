"""The command line against a Bolt server (FalkorDB standing in for Neo4j): the same tables."""

from typer.testing import CliRunner

from samverkan import app
from tests.conftest import EXAMPLES

runner = CliRunner()


def test_ingest_and_partners_on_the_server_match_the_embedded_store(falkordb_uri, tmp_path):
    env = {"NEO4J_DIALECT": "falkordb", "COLUMNS": "250"}
    from graph.neo4j import Neo4jStore

    Neo4jStore(falkordb_uri, dialect="falkordb").clear()
    served = runner.invoke(app, ["ingest", str(EXAMPLES), "--neo4j", falkordb_uri], env=env)
    assert served.exit_code == 0, served.output
    local = runner.invoke(app, ["ingest", str(EXAMPLES), "--store", str(tmp_path / "g.json")], env=env)
    assert local.exit_code == 0
    outputs = {}
    for command in (["partners", "Polisregion Stockholm"], ["agreements"],
                    ["between", "Kriminalvården", "Polisregion Stockholm"]):
        on_server = runner.invoke(app, [*command, "--neo4j", falkordb_uri], env=env)
        on_disk = runner.invoke(app, [*command, "--store", str(tmp_path / "g.json")], env=env)
        assert on_server.exit_code == 0, on_server.output
        assert on_server.output == on_disk.output
        outputs[command[0]] = on_server.output
    assert "I slutet av 2019 tecknade staden och Polisregion Stockholm" in outputs["partners"]


def test_an_unreachable_server_is_a_clear_error_and_nothing_is_written(tmp_path):
    result = runner.invoke(app, ["ingest", str(EXAMPLES), "--neo4j", "bolt://127.0.0.1:1"],
                           env={"NEO4J_DIALECT": "neo4j"})
    assert result.exit_code == 2
    assert "cannot reach the Neo4j server" in result.output and "bolt://127.0.0.1:1" in result.output


def test_the_read_commands_of_one_actor_or_pair_never_read_the_whole_graph(falkordb_uri, tmp_path, monkeypatch):
    """partners, show, between and evidence (every format) read what their actors need:
    the whole-graph reads are left to brokers, communities, matrix, view without --focus
    and export. Each whole-graph read of the server store fails the command here."""
    from graph.neo4j import Neo4jStore

    env = {"NEO4J_DIALECT": "falkordb", "COLUMNS": "250"}
    Neo4jStore(falkordb_uri, dialect="falkordb").clear()
    assert runner.invoke(app, ["ingest", str(EXAMPLES), "--neo4j", falkordb_uri], env=env).exit_code == 0
    assert runner.invoke(app, ["ingest", str(EXAMPLES), "--store", str(tmp_path / "g.json")], env=env).exit_code == 0

    def refuse(*_, **__):
        raise AssertionError("a read command read the whole graph")

    for method in ("snapshot", "dump", "to_networkx", "entities", "entity_document_counts", "stats"):
        monkeypatch.setattr(Neo4jStore, method, refuse)
    relations, names = Neo4jStore.relations, Neo4jStore.names

    def relations_of_one(self, entity=None, *args, **kwargs):
        if entity is None:
            refuse()
        return relations(self, entity, *args, **kwargs)

    def names_of_some(self, ids=None):
        if ids is None:
            refuse()
        return names(self, ids)

    monkeypatch.setattr(Neo4jStore, "relations", relations_of_one)
    monkeypatch.setattr(Neo4jStore, "names", names_of_some)
    for command in (["partners", "Polisregion Stockholm"], ["show", "Kriminalvården"],
                    ["between", "Kriminalvården", "Polisregion Stockholm"],
                    ["evidence", "Kriminalvården", "Polisregion Stockholm"]):
        for form in ([], ["--format", "json"], ["--format", "csv"]):
            on_server = runner.invoke(app, [*command, *form, "--neo4j", falkordb_uri], env=env)
            on_disk = runner.invoke(app, [*command, *form, "--store", str(tmp_path / "g.json")], env=env)
            assert on_server.exit_code == 0, (command, form, on_server.output, on_server.exception)
            assert on_server.output == on_disk.output, (command, form)
