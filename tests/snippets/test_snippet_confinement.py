"""Confinement of snippet runs: escaped processes, environment, writes outside the run, figures.

Every test runs real snippets written into ``tmp_path`` in real subprocesses.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from kbtools.snippets import confine, figures
from kbtools.snippets.figures import PNG_SIGNATURE, collect_figures
from kbtools.snippets.header import SnippetSpec, parse_header, variants
from kbtools.snippets.runner import RunResult, run_snippet

# A real (tiny) PNG: signature, IHDR 1×1 grey, IDAT, IEND.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a49444154789c63600000000200015e2b4e1a0000000049454e44ae426082"
)


def _snippet(tmp_path: Path, body: str, timeout: float = 30, env: str = "{}") -> SnippetSpec:
    path = tmp_path / "snippets" / "demo" / "ex.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    header = [
        "# /// script",
        "# dependencies = []",
        "#",
        "# [tool.kb]",
        '# title = "t"',
        f"# timeout = {timeout}",
        f"# env = {env}",
        "# ///",
    ]
    path.write_text("\n".join(header) + "\n" + body)
    return parse_header(path, tmp_path / "snippets")


@pytest.fixture
def make_snippet(tmp_path: Path) -> Callable[..., SnippetSpec]:
    """``make_snippet(body, timeout=30, env="{}")``: a snippet with that code, parsed."""
    return lambda body, **kw: _snippet(tmp_path, body, **kw)


@pytest.fixture(params=["cgroup2", "subreaper"])
def tree(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each process-tree mechanism in turn; the cgroup one only where this process may create cgroups."""
    if request.param == "subreaper":
        monkeypatch.setenv("KB_SNIPPET_TREE", "subreaper")
    elif confine.cgroup2_dir() is None:
        pytest.skip("no cgroup v2 hierarchy on this machine: runs use the subreaper alone")
    yield request.param


def _check_tree(result: RunResult, tree: str) -> None:
    if result.confinement["process_tree"] != tree:
        pytest.skip(f"this process may not create a child cgroup and move into it: runs use the {result.confinement['process_tree']}")


# The main process double-forks; the grandchild calls setsid(), reports its pid through a pipe,
# allocates ALLOC bytes (written, so resident), then sleeps. The middle process exits at once, so the
# grandchild is an orphan in a session of its own: the classic daemon escape.
ESCAPE = """
import os, sys, time

ALLOC = {alloc}
r, w = os.pipe()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.write(w, f"{{os.getpid()}}\\n".encode())
        time.sleep(0.5)  # the main process prints the pid meanwhile
        data = b"x" * ALLOC
        time.sleep(60)
        os._exit(0)
    os._exit(0)
os.wait()
os.close(w)
print(int(os.read(r, 64)), flush=True)
{then}
"""


def _gone(pid: int) -> bool:
    """True once ``pid`` no longer runs (gone, or a zombie waiting to be reaped)."""
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False


def test_escaped_grandchild_memory_counts_and_it_is_killed(make_snippet, tree: str) -> None:
    spec = make_snippet(ESCAPE.format(alloc=300 * 2**20, then="time.sleep(60)"))
    result = run_snippet(spec, variants(spec)[0], mem_mb=200)
    _check_tree(result, tree)
    escapee = int(result.stdout.split()[0])
    assert result.killed == "memory", (result.stdout, result.stderr)
    assert result.peak_rss_mb > 200  # the escapee's 300 MB counted, though it left the session
    assert _gone(escapee)


def test_escaped_grandchild_is_killed_at_timeout(make_snippet, tree: str) -> None:
    spec = make_snippet(ESCAPE.format(alloc=60 * 2**20, then="time.sleep(60)"), timeout=2)
    result = run_snippet(spec, variants(spec)[0])
    _check_tree(result, tree)
    assert result.killed == "timeout"
    assert 2 <= result.duration_s < 10
    assert result.peak_rss_mb >= 60
    assert _gone(int(result.stdout.split()[0]))


def test_escaped_grandchild_dies_with_the_snippet(make_snippet, tree: str) -> None:
    spec = make_snippet(ESCAPE.format(alloc=1024, then='print("fini")'))
    result = run_snippet(spec, variants(spec)[0])
    _check_tree(result, tree)
    assert result.passed and result.stdout.split()[1] == "fini"
    assert _gone(int(result.stdout.split()[0]))


def test_killing_the_launcher_does_not_free_the_snippet(make_snippet, tree: str) -> None:
    # The snippet tries to kill the supervisor above it, then leaves an escapee behind.
    body = ESCAPE.format(
        alloc=1024,
        then=(
            "import signal\n"
            "try:\n"
            "    os.kill(os.getppid(), signal.SIGKILL)\n"
            "    print('launcher killed', flush=True)\n"
            "except PermissionError:\n"
            "    print('launcher protected', flush=True)\n"
            "time.sleep(60)"
        ),
    )
    spec = make_snippet(body, timeout=3)
    result = run_snippet(spec, variants(spec)[0])
    _check_tree(result, tree)
    escapee = int(result.stdout.split()[0])
    if confine.landlock_abi() >= 6:
        assert "launcher protected" in result.stdout  # Landlock's signal scope
    assert _gone(escapee)


def test_environment_is_an_allow_list(make_snippet, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "aws-secret")
    monkeypatch.setenv("KB_PRIVATE", "private")
    monkeypatch.setenv("KB_ALLOWED_EXTRA", "extra")
    monkeypatch.setenv("KB_SNIPPET_PASS_ENV", "KB_ALLOWED_EXTRA")
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.setenv("LC_TIME", "C")
    code = (
        "import json, os, tempfile\n"
        "json.dump({'env': dict(os.environ), 'tempdir': tempfile.gettempdir(),"
        " 'home': os.path.expanduser('~')}, open('env.json', 'w'))\n"
    )
    spec = make_snippet(code, env='{ KB_DECLARED = "oui" }')
    workdir = spec.path.parent.parent.parent / "work"
    result = run_snippet(spec, variants(spec)[0], workdir=workdir)
    assert result.passed, result.stderr
    seen = json.loads((workdir / "env.json").read_text())
    env = seen["env"]
    assert "GITHUB_TOKEN" not in env and "AWS_SECRET_ACCESS_KEY" not in env and "KB_PRIVATE" not in env
    assert "ghp_secret" not in json.dumps(env)
    assert (env["KB_ALLOWED_EXTRA"], env["KB_DECLARED"], env["OMP_NUM_THREADS"], env["LC_TIME"]) == ("extra", "oui", "1", "C")
    assert env["PATH"] == os.environ["PATH"]
    assert seen["home"] != os.path.expanduser("~") and Path(seen["home"]).name == "home"
    assert Path(seen["tempdir"]).name == "tmp" and Path(seen["tempdir"]).parent == Path(seen["home"]).parent
    assert not Path(seen["home"]).exists()  # thrown away after the run
    assert result.confinement["environment"] == "allow-list"


WRITES = """
import os, pathlib
for target in {targets!r}:
    try:
        pathlib.Path(target).write_text("évadé")
        print("written", target)
    except OSError as exc:
        print("refused", target, exc.errno)
for inside in ("ici.txt", os.path.join(os.environ["HOME"], ".cache", "x"), os.path.join(os.environ["TMPDIR"], "y")):
    os.makedirs(os.path.dirname(inside) or ".", exist_ok=True)
    pathlib.Path(inside).write_text("ok")
with open("/dev/null", "w") as null:
    null.write("ok")
print("inside ok")
with open("/dev/stdout", "a") as out:  # reopens the runner's capture file (last: it has its own offset)
    out.write("stdout reopened\\n")
"""


def _write_outside(tmp_path: Path) -> tuple[RunResult, list[Path]]:
    outside = [tmp_path / "a" / "relative.txt", tmp_path / "absolute.txt"]
    spec = _snippet(tmp_path, WRITES.format(targets=["../../relative.txt", str(outside[1])]))
    workdir = tmp_path / "a" / "b" / "work"
    return run_snippet(spec, variants(spec)[0], workdir=workdir), outside


@pytest.mark.skipif(
    confine.landlock_abi() == 0, reason="Landlock is not available on this kernel (Linux < 5.13 or disabled): writes are not confined"
)
def test_writes_outside_the_run_fail_under_landlock(tmp_path: Path) -> None:
    result, outside = _write_outside(tmp_path)
    assert result.passed, result.stderr
    assert result.stdout.count("refused") == 2 and "written" not in result.stdout
    assert "inside ok" in result.stdout and "stdout reopened" in result.stdout
    assert not any(p.exists() for p in outside)
    assert result.confinement["writes"].startswith("run folders only")


def test_landlock_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_SNIPPET_LANDLOCK", "off")
    confine.landlock_abi.cache_clear()
    try:
        result, outside = _write_outside(tmp_path)
    finally:
        monkeypatch.undo()
        confine.landlock_abi.cache_clear()
    assert result.passed, result.stderr
    assert all(p.read_text() == "évadé" for p in outside)  # the check above can fail: this is what it prevents
    assert result.confinement["writes"] == "not restricted"


def test_nan_timeout_is_refused_by_the_runner_too(make_snippet) -> None:
    spec = make_snippet("print(1)")
    spec.timeout = math.nan  # a spec built by hand, past the header check
    with pytest.raises(ValueError, match="finite number of seconds"):
        run_snippet(spec, variants(spec)[0])


FIGURES = """
import os, pathlib
os.symlink({secret!r}, "lien.png")
pathlib.Path("faux.png").write_text("ceci n'est pas une image")
pathlib.Path("vraie.png").write_bytes(bytes.fromhex({png!r}))
os.mkfifo("tube.png")
"""


def test_only_real_png_files_become_figures(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG_SIGNATURE + b"secret du proprietaire")
    body = FIGURES.format(secret=str(secret), png=TINY_PNG.hex())
    spec = _snippet(tmp_path, body)
    result = run_snippet(spec, variants(spec)[0])
    assert result.passed, result.stderr
    assert list(result.figures) == ["vraie.png"] and result.figures["vraie.png"] == TINY_PNG
    assert result.refused_figures == {
        "lien.png": "a symbolic link",
        "faux.png": "not a PNG image (no PNG signature)",
        "tube.png": "not a regular file",
    }
    assert [d.code for d in result.warnings] == ["KB204"] * 3
    assert result.warnings[0].format().startswith("snippets/demo/ex.py:10:1: KB204 warning: figure 'faux.png' not kept")


def test_collect_figures_refuses_links_and_fakes(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    private = tmp_path / "private.png"
    private.write_bytes(PNG_SIGNATURE + b"private")
    (run / "ok.png").write_bytes(TINY_PNG)
    (run / "passwd.png").symlink_to("/etc/passwd")
    (run / "private.png").symlink_to(private)
    os.link(private, run / "hard.png")
    (run / "text.png").write_text("<svg/>")
    (run / "dir.png").mkdir()
    (run / "note.txt").write_bytes(TINY_PNG)  # not a .png name: not a figure at all
    kept, refused = collect_figures(run)
    assert kept == {"ok.png": TINY_PNG}
    assert refused == {
        "dir.png": "not a regular file",
        "hard.png": "a hard link to another file",
        "passwd.png": "a symbolic link",
        "private.png": "a symbolic link",
        "text.png": "not a PNG image (no PNG signature)",
    }


def test_figures_are_capped_per_file_and_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(figures, "MAX_FIGURE_BYTES", 100)
    monkeypatch.setattr(figures, "MAX_TOTAL_BYTES", 150)
    for name, size in (("a.png", 80), ("b.png", 80), ("c.png", 60), ("d.png", 101)):
        (tmp_path / name).write_bytes(PNG_SIGNATURE + b"x" * (size - len(PNG_SIGNATURE)))
    kept, refused = collect_figures(tmp_path)
    assert sorted(kept) == ["a.png", "c.png"]  # 80 + 60 bytes; b would make 160
    assert refused == {"b.png": "the run's figures would exceed 0 MiB", "d.png": "larger than 0 MiB"}
