"""``python -m helpers``: the command table, its help text and a wrong command name."""

import importlib

import pytest

from helpers.__main__ import COMMANDS, main


def test_help_lists_every_command_with_its_module(capsys):
    assert main(["--help"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for name, (module, _, what) in COMMANDS.items():
        row = next(line for line in lines if line.split()[:1] == [name])
        assert f"({module})" in row and what.splitlines()[0] in row
    assert "merges --shard runs" in "\n".join(lines)       # a continued line is kept


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_names_a_function_that_exists(name):
    module, func, _ = COMMANDS[name]
    assert callable(getattr(importlib.import_module(module), func))


def test_an_unknown_command_names_the_commands(capsys):
    assert main(["trian"]) == 2
    err = capsys.readouterr().err
    assert "unknown command 'trian'" in err and "build-labs" in err
