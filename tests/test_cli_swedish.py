"""Everything the command line prints is Swedish: our help texts and what typer and click print themselves."""

import re

from typer.testing import CliRunner

from samverkan import app

runner = CliRunner()
#: Words of the libraries' English that must not reach a user.
ENGLISH = re.compile(r"\b(Usage|Options|Arguments|Commands|Show this message|Missing argument|Invalid value|"
                     r"No such option|is not one of|Input should|Try '|\[default|\[required)\b")


def test_every_help_page_is_swedish():
    commands = ["", "ingest", "actors", "partners", "between", "agreements", "projects", "matrix", "brokers",
                "communities", "show", "evidence", "view", "export", "search", "eval", "setup", "store migrate",
                "review", "review confirm", "review add"]
    for command in commands:
        result = runner.invoke(app, [*command.split(), "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, (command, result.output)
        assert not ENGLISH.search(result.output), (command, ENGLISH.search(result.output).group(0))
        assert "Användning:" in result.output and "Visa den här hjälpen och avsluta." in result.output


def test_argument_errors_are_swedish():
    cases = [(["partners"], "Argumentet 'NAMN' saknas."),
             (["partners", "X", "--format", "bad"], "Ogiltigt värde för '--format': 'bad' är inte något av"),
             (["partners", "X", "--nope"], "Flaggan finns inte: --nope"),
             (["view", "--depth", "9"], "värdet får vara högst 6"),
             (["view", "--depth", "x"], "ett heltal behövs"),
             (["nosuchcommand"], "finns inte")]
    for args, expected in cases:
        result = runner.invoke(app, args, env={"COLUMNS": "200"})
        assert result.exit_code == 2, (args, result.output)
        assert expected in result.output, (args, result.output)
        assert not ENGLISH.search(result.output), (args, result.output)
