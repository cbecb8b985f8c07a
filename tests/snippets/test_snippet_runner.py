"""The runner: a real subprocess per run, figures copied out, failures located, limits enforced."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtools.snippets import device
from kbtools.snippets.hashing import snippet_hash
from kbtools.snippets.header import SnippetSpec, Variant, parse_header, variants
from kbtools.snippets.pytest_plugin import failure_report
from kbtools.snippets.runner import DEFAULT_MEM_MB, RunResult, mem_limit_mb, package_versions, run_snippet, snippet_env


def test_passing_snippet_prints_and_saves_a_figure(data_run: Callable[..., RunResult]) -> None:
    result = data_run("demo/ok_plot.py")
    assert result.passed, result.stderr
    assert result.returncode == 0 and result.killed is None and result.failure is None
    # spec env and the fixed settings reach the child
    assert result.stdout.split() == ["bonjour", "42", "Agg", "0"]
    assert list(result.figures) == ["courbe.png"]
    assert result.figures["courbe.png"].startswith(b"\x89PNG\r\n\x1a\n")
    assert result.versions.keys() == {"matplotlib"} and result.versions["matplotlib"]
    assert result.device.kind == "cpu" and result.device.name
    assert result.python.count(".") == 2
    assert result.date.endswith("+00:00")
    assert result.peak_rss_mb > 5  # matplotlib alone takes tens of MiB
    assert 0 < result.duration_s < 60
    assert result.hash == snippet_hash(result.spec, result.variant)
    assert result.headline == ""


def test_failure_points_at_the_snippet_line(data_run: Callable[..., RunResult]) -> None:
    result = data_run("demo/fails.py")
    assert not result.passed and result.returncode == 1 and result.killed is None
    assert result.failure is not None
    assert result.failure.line == 15
    assert result.headline == "snippets/demo/fails.py:15: snippet failed (exit 1)"
    # the traceback names the snippet by its repository path, not the absolute one
    assert 'File "snippets/demo/fails.py", line 15, in divide' in result.failure.traceback
    assert result.failure.traceback.rstrip().endswith("ZeroDivisionError: division by zero")
    assert str(result.spec.path) not in result.failure.traceback
    report = failure_report(result)
    assert report.splitlines()[0] == result.headline
    assert "un avertissement" in report  # stderr before the traceback
    assert "avant l'erreur" in report  # stdout tail


def test_timeout_kills_the_process_group(data_run: Callable[..., RunResult]) -> None:
    result = data_run("limits/slow.py")
    assert result.killed == "timeout" and not result.passed
    assert 2 <= result.duration_s < 10
    assert result.stdout.strip() == "je dors"
    assert "timeout of 2 s exceeded" in result.headline
    assert failure_report(result).startswith("snippets/limits/slow.py:8: snippet killed: timeout")


def test_memory_cap_from_env_kills(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    monkeypatch.setenv("KB_SNIPPET_MEM_MB", "150")
    spec = parse_header(data_dir / "limits" / "hog.py", data_dir)
    result = run_snippet(spec, variants(spec)[0])
    assert result.killed == "memory", result.stdout
    assert result.mem_limit_mb == 150
    assert 150 < result.peak_rss_mb < 1024
    assert "jamais arrêté" not in result.stdout
    assert "memory cap of 150 MiB exceeded" in failure_report(result)


def test_matrix_variants_get_their_env(data_run: Callable[..., RunResult]) -> None:
    assert [data_run("demo/matrix.py", i).stdout.strip() for i in (0, 1)] == ["saveur sucre", "saveur sel"]


def test_explicit_workdir_keeps_files(data_dir: Path, tmp_path: Path) -> None:
    spec = parse_header(data_dir / "demo" / "ok_plot.py", data_dir)
    result = run_snippet(spec, variants(spec)[0], workdir=tmp_path / "work")
    assert result.passed
    assert (tmp_path / "work" / "courbe.png").read_bytes() == result.figures["courbe.png"]


def test_exit_without_traceback(snippet_copy: Callable[[str], SnippetSpec]) -> None:
    spec = snippet_copy("demo/matrix.py")
    spec.path.write_text(spec.path.read_text().replace('print("saveur"', 'raise SystemExit(3)\nprint("saveur"'))
    result = run_snippet(spec, variants(spec)[0])
    assert result.returncode == 3
    assert result.headline == "snippets/demo/matrix.py: snippet failed (exit 3)"


def test_syntax_error_is_located(snippet_copy: Callable[[str], SnippetSpec]) -> None:
    spec = snippet_copy("demo/matrix.py")
    spec.path.write_text(spec.path.read_text() + "x = (\n")
    result = run_snippet(spec, variants(spec)[0])
    assert result.failure is not None and result.failure.line == 16
    assert "SyntaxError" in result.failure.traceback


def test_hash_follows_file_env_and_variant(snippet_copy: Callable[[str], SnippetSpec]) -> None:
    spec = snippet_copy("demo/matrix.py")
    sucre, sel = variants(spec)
    before = snippet_hash(spec, sucre)
    assert before == snippet_hash(spec, sucre)
    assert before != snippet_hash(spec, sel)
    spec.path.write_text(spec.path.read_text() + "\n# un commentaire\n")
    touched = snippet_hash(spec, sucre)
    assert touched != before
    spec.env = {"OMP_NUM_THREADS": "1"}  # same bytes, other declared needs
    assert snippet_hash(spec, sucre) != touched
    spec.env, spec.device = {}, "cpu"
    assert snippet_hash(spec, sucre) != touched  # device any → cpu
    assert snippet_hash(spec, Variant("KB_FLAVOUR=sucre", {"KB_FLAVOUR": "miel"})) != touched


def test_env_layers(data_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MPLBACKEND", "TkAgg")
    monkeypatch.setenv("KB_FROM_PARENT", "oui")
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    monkeypatch.delenv("KB_SNIPPET_PASS_ENV", raising=False)
    spec = parse_header(data_dir / "demo" / "ok_plot.py", data_dir)
    spec.env = {"KB_DEMO": "spec", "KB_FLAVOUR": "spec", "OMP_NUM_THREADS": "2"}
    env = snippet_env(spec, Variant("KB_FLAVOUR=sel", {"KB_FLAVOUR": "sel"}), tmp_path / "h", tmp_path / "t")
    assert env["MPLBACKEND"] == "Agg"
    assert "KB_FROM_PARENT" not in env  # not on the allow-list
    assert env["OMP_NUM_THREADS"] == "2"  # allowed from the parent, then declared by the header
    assert (env["HOME"], env["TMPDIR"]) == (str(tmp_path / "h"), str(tmp_path / "t"))
    assert (env["KB_DEMO"], env["KB_FLAVOUR"]) == ("spec", "sel")
    assert (env["PYTHONHASHSEED"], env["PYTHONUNBUFFERED"], env["TF_CPP_MIN_LOG_LEVEL"]) == ("0", "1", "2")


def test_mem_limit_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KB_SNIPPET_MEM_MB", raising=False)
    assert mem_limit_mb() == DEFAULT_MEM_MB == 6144
    monkeypatch.setenv("KB_SNIPPET_MEM_MB", "512")
    assert mem_limit_mb() == 512
    monkeypatch.setenv("KB_SNIPPET_MEM_MB", "beaucoup")
    with pytest.raises(ValueError, match="KB_SNIPPET_MEM_MB"):
        mem_limit_mb()


def test_package_versions_reads_metadata_only() -> None:
    versions = package_versions(["psutil>=5", "rich[jupyter]==99; python_version>'3'", "surely-not-installed-kb==1"])
    assert versions["psutil"] and versions["rich"]
    assert versions["surely-not-installed-kb"] is None


def test_gpu_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device, "gpu_names", lambda: ("NVIDIA H100 80GB HBM3",))
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    assert device.gpu_available()
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    assert not device.gpu_available()
    monkeypatch.setattr(device, "gpu_names", lambda: ())
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES")
    assert not device.gpu_available()


def test_gpu_names_without_nvidia_smi(monkeypatch: pytest.MonkeyPatch) -> None:
    device.gpu_names.cache_clear()
    monkeypatch.setattr(device.shutil, "which", lambda name: None)
    try:
        assert device.gpu_names() == ()
    finally:
        device.gpu_names.cache_clear()


def test_cancel_stops_a_run(data_dir: Path) -> None:
    import threading

    spec = parse_header(data_dir / "limits" / "slow.py", data_dir)
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    result = run_snippet(spec, variants(spec)[0], cancel=cancel)
    assert result.killed == "cancelled"
    assert time.monotonic() - started < 1.9


def test_timeout_also_kills_grandchildren(snippet_copy: Callable[[str], SnippetSpec]) -> None:
    import psutil

    spec = snippet_copy("limits/slow.py")
    code = spec.path.read_text().replace(
        'print("je dors", flush=True)',
        'import subprocess, sys\nchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])\nprint(child.pid, flush=True)',
    )
    spec.path.write_text(code)
    result = run_snippet(spec, variants(spec)[0])
    assert result.killed == "timeout"
    pid = int(result.stdout.split()[0])
    time.sleep(0.2)
    try:
        assert psutil.Process(pid).status() == psutil.STATUS_ZOMBIE  # dead, waiting for init to reap it
    except psutil.NoSuchProcess:
        pass
