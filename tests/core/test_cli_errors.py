"""The CLI's one error boundary: whatever escapes a command is a ``path:line:col: KBnnn`` diagnostic
and a non-zero exit; a traceback only with ``kb --debug``."""

from __future__ import annotations

import errno
import json
import re
import shutil

import pytest
import yaml

from kbtools import cli
from kbtools.diagnostics import CODES
from tests.kbtest import VALID, run_kb

DIAGNOSTIC = re.compile(r"^\S.*:\d+:\d+: KB\d{3} (error|warning): .+$")


@pytest.fixture
def broken_project(tmp_path):
    """A project whose JSON-LD context is cut short: the export cannot read it."""
    shutil.copytree(VALID, tmp_path / "docs")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_url: https://kb.test/\n", encoding="utf-8")
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "context.jsonld").write_text('{"@context": {"a": ', encoding="utf-8")
    return tmp_path


def test_a_broken_input_file_is_a_diagnostic_with_its_position(broken_project):
    proc = run_kb("export", "-o", str(broken_project / "out"), cwd=broken_project)
    assert proc.returncode == 1
    [line] = proc.stderr.splitlines()
    assert line.startswith(str(broken_project / "ontology" / "context.jsonld") + ":1:20: KB606 error: cannot parse")
    assert not (broken_project / "out").exists()


def test_every_code_has_a_name_and_the_new_ones_are_there():
    assert {"KB305", "KB306", "KB307", "KB601", "KB602", "KB603", "KB604", "KB605", "KB606", "KB900"} <= set(CODES)
    assert len({name for _, name in CODES.values()}) == len(CODES)


@pytest.mark.parametrize(
    ("exc", "code", "where"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "/data/kb.nt"), "KB603", "/data/kb.nt:1:1"),
        (PermissionError(errno.EACCES, "Permission denied", "/etc/kb"), "KB605", "/etc/kb:1:1"),
        (ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"), "KB303", "<http>:1:1"),
        (json.JSONDecodeError("Expecting value", '{\n  "a": }', 9), "KB606", "<input>:2:8"),
        (SyntaxError("error at 3:4: expected }", ("q.rq", 3, 4, "")), "KB606", "q.rq:3:4"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "KB606", "<input>:1:1"),
        (RuntimeError("boom"), "KB900", "<kb>:1:1"),
    ],
)
def test_boundary_diagnostics(exc, code, where):
    diag = cli.boundary_diagnostic(exc)
    assert diag.code == code and diag.format().startswith(where + f": {code} error: ")


def test_a_yaml_error_keeps_its_line():
    with pytest.raises(yaml.YAMLError) as err:
        yaml.safe_load("a: 1\nb: [2,\n")
    diag = cli.boundary_diagnostic(err.value)
    assert diag.code == "KB606" and diag.line == 3


def test_an_internal_error_shows_the_traceback_only_with_debug(monkeypatch, capsys):
    def boom(args):
        raise RuntimeError("un bogue")

    monkeypatch.setattr(cli, "cmd_check", boom)
    assert cli.main(["check", str(VALID)]) == 1
    err = capsys.readouterr().err
    assert DIAGNOSTIC.match(err.strip()) and "KB900 error: internal error: RuntimeError: un bogue" in err
    assert "Traceback" not in err and "--debug" in err
    assert cli.main(["--debug", "check", str(VALID)]) == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "KB900" in err


def test_keyboard_interrupt_is_exit_130_without_traceback(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_check", interrupted)
    assert cli.main(["check", str(VALID)]) == 130
    assert capsys.readouterr().err.strip() == "kb: interrupted"


@pytest.mark.parametrize("option", [("--timeout", "0"), ("--timeout", "nan"), ("--max-answer-mb", "-1"), ("--timeout", "inf")])
def test_bad_numbers_for_query_limits_are_refused(option, capsys):
    assert cli.main(["query", "ASK { ?s ?p ?o }", "--vault", str(VALID), *option]) == 1
    err = capsys.readouterr().err
    assert f"KB401 error: {option[0]} must be a positive number" in err and "Traceback" not in err
