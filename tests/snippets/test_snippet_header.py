"""Header parsing: valid headers give the right spec, bad ones a KB201 at the right ``line:col``."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbtools.diagnostics import KBError
from kbtools.snippets.header import (
    DEFAULT_TIMEOUT,
    SnippetHeaderError,
    candidates,
    discover,
    has_header,
    is_candidate_path,
    parse_header,
    scan,
    variants,
)

# Header lines are built from lists so that no line of this file opens a script block itself.
OPEN, CLOSE = "# /// script", "# ///"
BODY = ['"""Docstring de l\'exemple."""', "", "print('ok')", ""]


def write(tmp_path: Path, lines: list[str], body: list[str] = BODY, name: str = "pytorch/ex.py") -> Path:
    path = tmp_path / "snippets" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([*lines, *body]), encoding="utf-8")
    return path


def header(*kb: str, deps: str = 'dependencies = ["torch==2.14.1", "scikit-learn>=1.5"]') -> list[str]:
    return [OPEN, '# requires-python = ">=3.11"', f"# {deps}", "#", "# [tool.kb]", *(f"# {line}" for line in kb), CLOSE]


VALID = [
    pytest.param(
        ['title = "Un MLP"'],
        {"title": "Un MLP", "device": "cpu", "timeout": DEFAULT_TIMEOUT, "env": {}, "matrix": {}, "illustrates": []},
        id="defaults",
    ),
    pytest.param(
        ['title = "  Un MLP "', 'illustrates = ["Présentation de PyTorch", "Rétropropagation"]', 'device = "gpu"', "timeout = 180"],
        {"title": "Un MLP", "device": "gpu", "timeout": 180, "illustrates": ["Présentation de PyTorch", "Rétropropagation"]},
        id="full",
    ),
    pytest.param(
        ['title = "t"', 'env = { OMP_NUM_THREADS = "1", SEED = 3 }'],
        {"env": {"OMP_NUM_THREADS": "1", "SEED": "3"}},
        id="env-numbers-become-strings",
    ),
    pytest.param(
        ['title = "t"', 'device = "any"  # cpu | gpu | any', "timeout = 2.5  # seconds"],
        {"device": "any", "timeout": 2.5},
        id="trailing-comments",
    ),
    pytest.param(
        ['title = "t"', "timeout = 3600"],
        {"timeout": 3600},
        id="longest-timeout",
    ),
    pytest.param(
        ['title = "t"', 'matrix = { KERAS_BACKEND = ["torch", "tensorflow", "jax"] }'],
        {"matrix": {"KERAS_BACKEND": ["torch", "tensorflow", "jax"]}},
        id="matrix",
    ),
]


@pytest.mark.parametrize(("kb", "expected"), VALID)
def test_valid_headers(tmp_path: Path, kb: list[str], expected: dict) -> None:
    spec = parse_header(write(tmp_path, header(*kb)))
    for key, value in expected.items():
        assert getattr(spec, key) == value, key
    assert spec.framework == "pytorch"
    assert spec.name == "ex"
    assert spec.rel == "snippets/pytorch/ex.py"
    assert spec.dependencies == ["torch==2.14.1", "scikit-learn>=1.5"]
    assert spec.requires_python == ">=3.11"
    assert spec.docstring == "Docstring de l'exemple."


def test_code_body_and_start_line(tmp_path: Path) -> None:
    lines = header('title = "t"')
    spec = parse_header(write(tmp_path, ["#!/usr/bin/env python", *lines, "", ""]))
    # shebang + header lines + two blank lines, then the docstring line
    assert spec.code_line == 1 + len(lines) + 2 + 1
    assert spec.code.splitlines()[0] == BODY[0]
    assert OPEN not in spec.code
    assert spec.path.read_text().splitlines()[spec.code_line - 1] == BODY[0]


BAD = [
    pytest.param([OPEN, "# [tool.kb]", '# title = "t"'], (4, 1), "not closed before this line", id="unclosed"),
    pytest.param([OPEN, "# [tool.kb]", 'title = "t"', CLOSE], (3, 1), "not closed before this line", id="uncommented-line"),
    pytest.param(header('title = "t'), (6, 13), "invalid TOML", id="bad-toml-at-end"),
    pytest.param(header('title = "t', "timeout = 3"), (6, 13), "invalid TOML", id="bad-toml"),
    pytest.param([OPEN, '# dependencies = ["x"]', CLOSE], (1, 1), "no [tool.kb]", id="no-kb-table"),
    pytest.param(header("timeout = 3"), (5, 3), "non-empty string title", id="missing-title"),
    pytest.param(header('title = ""'), (6, 3), "non-empty string title", id="empty-title"),
    pytest.param(header('title = "t"', 'device = "tpu"'), (7, 3), "device must be one of", id="bad-device"),
    pytest.param(header('title = "t"', "timeout = -1"), (7, 3), "finite number of seconds between 0 and 3600", id="negative-timeout"),
    pytest.param(header('title = "t"', 'timeout = "60"'), (7, 3), "number of seconds, not '60'", id="string-timeout"),
    # TOML floats include nan and ±inf: a limit that never expires is no limit
    pytest.param(header('title = "t"', "timeout = nan"), (7, 3), "finite number of seconds", id="nan-timeout"),
    pytest.param(header('title = "t"', "timeout = inf"), (7, 3), "finite number of seconds", id="inf-timeout"),
    pytest.param(header('title = "t"', "timeout = -inf"), (7, 3), "finite number of seconds", id="minus-inf-timeout"),
    pytest.param(header('title = "t"', "timeout = 1e400"), (7, 3), "finite number of seconds", id="overflowing-timeout"),
    pytest.param(header('title = "t"', "timeout = 0"), (7, 3), "finite number of seconds", id="zero-timeout"),
    pytest.param(header('title = "t"', "timeout = 0.0"), (7, 3), "finite number of seconds", id="zero-float-timeout"),
    pytest.param(header('title = "t"', "timeout = 3601"), (7, 3), "between 0 and 3600, not 3601", id="huge-timeout"),
    pytest.param(header('title = "t"', "timeout = 1_000_000_000_000"), (7, 3), "between 0 and 3600", id="absurd-timeout"),
    pytest.param(header('title = "t"', "timeout = true"), (7, 3), "number of seconds, not True", id="bool-timeout"),
    pytest.param(header('title = "t"', "timeout = [60]"), (7, 3), "number of seconds, not [60]", id="list-timeout"),
    pytest.param(header('title = "t"', 'illustrates = "Tenseur"'), (7, 3), "list of non-empty strings", id="illustrates-not-list"),
    pytest.param(header('title = "t"', "env = { A = true }"), (7, 3), "string or a number", id="env-bool"),
    pytest.param(header('title = "t"', "matrix = { A = [] }"), (7, 3), "non-empty list", id="empty-matrix"),
    pytest.param(header('title = "t"', 'matrix = { A = ["x", "x"] }'), (7, 3), "repeats", id="matrix-repeat"),
    pytest.param(header('title = "t"', 'ilustrates = ["x"]'), (7, 3), "unknown key 'ilustrates'", id="typo-key"),
    pytest.param(header('title = "t"', deps="dependencies = [1]"), (3, 3), "dependencies must be", id="bad-deps"),
    pytest.param([OPEN, "# [tool.kb]", '# title = "t"', CLOSE, OPEN, CLOSE], (5, 1), "second", id="two-blocks"),
]


@pytest.mark.parametrize(("lines", "where", "message"), BAD)
def test_bad_headers_point_at_line_and_col(tmp_path: Path, lines: list[str], where: tuple[int, int], message: str) -> None:
    path = write(tmp_path, lines)
    with pytest.raises(SnippetHeaderError) as info:
        parse_header(path)
    (diag,) = info.value.diagnostics
    assert diag.code == "KB201"
    assert (diag.line, diag.col) == where
    assert message in diag.message
    assert str(info.value).startswith(f"{path}:{where[0]}:{where[1]}: KB201 error:")
    assert isinstance(info.value, KBError)  # the CLI prints KBError diagnostics without a traceback


def test_block_open_until_end_of_file(tmp_path: Path) -> None:
    with pytest.raises(SnippetHeaderError, match=r":1:1: KB201 error: '# /// script' block is never closed"):
        parse_header(write(tmp_path, [OPEN, "# [tool.kb]", '# title = "t"'], body=[]))


def test_not_utf8_is_a_header_error(tmp_path: Path) -> None:
    path = tmp_path / "snippets" / "jax" / "latin.py"
    path.parent.mkdir(parents=True)
    path.write_bytes("# é\n".encode("latin-1"))
    with pytest.raises(SnippetHeaderError, match="unreadable"):
        parse_header(path)


def test_variants_without_and_with_matrix(tmp_path: Path) -> None:
    plain = parse_header(write(tmp_path, header('title = "t"'), name="a/plain.py"))
    assert [(v.id, v.env, v.slug) for v in variants(plain)] == [("default", {}, "default")]
    multi = parse_header(write(tmp_path, header('title = "t"', 'matrix = { B = ["torch", "jax"], N = [1, 2] }'), name="a/multi.py"))
    got = [(v.id, v.env) for v in variants(multi)]
    assert got == [
        ("B=torch,N=1", {"B": "torch", "N": "1"}),
        ("B=torch,N=2", {"B": "torch", "N": "2"}),
        ("B=jax,N=1", {"B": "jax", "N": "1"}),
        ("B=jax,N=2", {"B": "jax", "N": "2"}),
    ]
    assert variants(multi)[0].slug == "B-torch_N-1"


def test_discover_and_scan_fixture_tree(data_dir: Path) -> None:
    specs, problems = scan(data_dir)
    assert [s.rel for s in specs] == [
        "snippets/demo/fails.py",
        "snippets/demo/matrix.py",
        "snippets/demo/ok_plot.py",
        "snippets/gpu/needs_gpu.py",
        "snippets/limits/hog.py",
        "snippets/limits/slow.py",
    ]
    assert [(d.path.endswith("broken/bad_header.py"), d.line, d.code) for d in problems] == [(True, 5, "KB201")]
    with pytest.raises(SnippetHeaderError, match=r"bad_header\.py:5:"):
        discover(data_dir)


def test_candidates_skip_results_private_and_headerless(tmp_path: Path) -> None:
    good = write(tmp_path, header('title = "t"'), name="jax/good.py")
    write(tmp_path, header('title = "t"'), name="jax/_helper.py")
    write(tmp_path, header('title = "t"'), name="jax/results/good/x.py")
    write(tmp_path, ["# juste un module"], name="jax/plain.py")
    write(tmp_path, header('title = "t"'), name="top.py")
    assert candidates(tmp_path / "snippets") == [good]
    assert [s.name for s in discover(tmp_path / "snippets")] == ["good"]


@pytest.mark.parametrize(
    ("rel", "ok"),
    [("pytorch/x.py", True), ("x.py", False), ("pytorch/_x.py", False), ("pytorch/results/x/y.py", False), ("pytorch/x.txt", False)],
)
def test_is_candidate_path(rel: str, ok: bool) -> None:
    assert is_candidate_path(Path(rel)) is ok


def test_has_header() -> None:
    assert has_header("\n".join([OPEN, "# [tool.kb]", CLOSE]))
    assert not has_header("x = '# /// script'\n")


@pytest.mark.parametrize(
    ("requirement", "name"),
    [("torch==2.14.1", "torch"), ("dm-sonnet>=2.0.2", "dm-sonnet"), ("  keras-hub >=0.22", "keras-hub"), ("zope.interface", "zope.interface"), ("==1.0", None), ("", None)],
)
def test_requirement_name(requirement: str, name: str | None) -> None:
    from kbtools.snippets.pep723 import requirement_name

    assert requirement_name(requirement) == name
