"""Exports: three formats that parse back to the same graph, written atomically."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kbtools import atomic
from kbtools import export as export_mod
from kbtools.config import load_config
from kbtools.pipeline import build_knowledge_base
from tests.kbtest import INVALID, ROOT, TEST_SITE, VALID, run_kb


def _plain(graph: Graph) -> Graph:
    out = Graph()
    out.parse(data=graph.serialize(format="ox-nt"), format="nt")
    return out


def test_cli_export_writes_three_formats_that_round_trip(tmp_path):
    proc = run_kb("export", str(VALID), "--site-url", TEST_SITE, "-o", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    expected = _plain(build_knowledge_base(load_config(VALID, site_url=TEST_SITE)).graph)
    for name, fmt in (("kb.ttl", "turtle"), ("kb.nt", "nt"), ("kb.jsonld", "json-ld")):
        parsed = Graph().parse(tmp_path / name, format=fmt)
        assert isomorphic(_plain(parsed), expected), name


def test_jsonld_uses_the_project_context(tmp_path):
    run_kb("export", str(VALID), "--site-url", TEST_SITE, "-o", str(tmp_path), "--format", "jsonld")
    text = (tmp_path / "kb.jsonld").read_text(encoding="utf-8")
    assert '"@context"' in text and '"title": "Alpha"' in text
    assert not (tmp_path / "kb.ttl").exists()


def test_export_refuses_a_vault_with_errors(tmp_path):
    proc = run_kb("export", str(INVALID), "-o", str(tmp_path))
    assert proc.returncode == 1 and "export refused" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_failed_serialisation_leaves_previous_files_intact(tmp_path, monkeypatch):
    kb = build_knowledge_base(load_config(VALID, site_url=TEST_SITE))
    (tmp_path / "kb.ttl").write_text("ancien", encoding="utf-8")
    real = export_mod.serialize

    def failing(graph, fmt, context=None):
        if fmt == "jsonld":
            raise RuntimeError("disque plein")
        return real(graph, fmt, context)

    monkeypatch.setattr(export_mod, "serialize", failing)
    with pytest.raises(RuntimeError):
        export_mod.export(kb.graph, tmp_path, ["ttl", "jsonld"])
    assert (tmp_path / "kb.ttl").read_text(encoding="utf-8") == "ancien"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb.ttl"]


def test_write_atomic_keeps_the_old_file_when_the_rename_fails(tmp_path, monkeypatch):
    target = tmp_path / "x.ttl"
    atomic.write_atomic(target, "ancien")
    target.chmod(0o640)

    def refuse(src, dst):
        raise OSError("disque plein")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(OSError):
        atomic.write_atomic(target, "nouveau")
    assert target.read_text(encoding="utf-8") == "ancien"
    assert [p.name for p in tmp_path.iterdir()] == ["x.ttl"]


def test_write_atomic_keeps_the_mode_and_makes_new_files_readable(tmp_path):
    old = tmp_path / "old.ttl"
    atomic.write_atomic(old, "a")
    old.chmod(0o640)
    atomic.write_atomic(old, "b")
    assert old.stat().st_mode & 0o777 == 0o640
    fresh = atomic.write_atomic(tmp_path / "new.ttl", "c")
    assert fresh.stat().st_mode & 0o044 == 0o044  # group and others can read (umask 022 or laxer)


# ---------- where exports cannot go, and what a failure leaves ----------

CODE = "import sys; from kbtools.cli import main; sys.exit(main())"


def _can_mount() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", "mount -t tmpfs -o size=4k tmpfs /tmp"],
                           capture_output=True, timeout=30)
    return probe.returncode == 0


needs_mount = pytest.mark.skipif(not _can_mount(), reason="needs unshare and a mount namespace to put a small or read-only tmpfs under the export")


def _export_on_tmpfs(folder: Path, options: str) -> tuple[int, str, dict[str, str]]:
    """``kb export`` into ``folder``, a fresh tmpfs mounted with ``options`` in a private mount namespace,
    where kb.ttl already holds "ancien". Returns the exit status, stderr and what the folder holds then."""
    folder.mkdir()
    script = (
        'mount -t tmpfs -o "$OPTS" tmpfs "$D" && printf ancien > "$D/kb.ttl" && mount -o "remount,$OPTS,$EXTRA" "$D" '
        '&& { "$PY" -c "$CODE" export "$VAULT" --site-url "$SITE" -o "$D" 2>"$D.err"; echo "rc=$?"; '
        'for f in "$D"/* "$D"/.[!.]*; do [ -e "$f" ] && printf "%s\\t%s\\n" "${f##*/}" "$(head -c 20 "$f")"; done; }'
    )
    size, _, extra = options.partition(",")
    env = {**os.environ, "D": str(folder), "OPTS": size, "EXTRA": extra or "rw", "PY": sys.executable, "CODE": CODE,
           "VAULT": str(VALID), "SITE": TEST_SITE, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
                          capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    lines = proc.stdout.splitlines()
    assert lines and lines[0].startswith("rc="), proc.stdout + proc.stderr
    files = dict(line.split("\t", 1) for line in lines[1:])
    return int(lines[0][3:]), Path(str(folder) + ".err").read_text(encoding="utf-8"), files


@needs_mount
def test_a_full_disk_is_kb603_and_changes_nothing(tmp_path):
    rc, err, files = _export_on_tmpfs(tmp_path / "small", "size=40k")  # kb.ttl and kb.jsonld fit, kb.nt does not
    assert rc == 1 and "KB603 error: no space left to write" in err and "Traceback" not in err
    assert files == {"kb.ttl": "ancien"}  # the old file untouched, no new one alone, no temporary file left


@needs_mount
def test_a_read_only_folder_is_kb601(tmp_path):
    rc, err, files = _export_on_tmpfs(tmp_path / "ro", "size=1m,ro")
    assert rc == 1 and "KB601 error: cannot write: Read-only file system" in err and "Traceback" not in err
    assert files == {"kb.ttl": "ancien"}


def test_a_file_too_big_for_the_process_limit_changes_nothing(tmp_path):
    """RLIMIT_FSIZE makes the system refuse the write (EFBIG) half-way: the same path as a full disk, anywhere."""
    resource = pytest.importorskip("resource")
    (tmp_path / "kb.ttl").write_text("ancien", encoding="utf-8")

    def limit():  # in the child only
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (16_000, 16_000))

    proc = subprocess.run([sys.executable, "-c", CODE, "export", str(VALID), "--site-url", TEST_SITE, "-o", str(tmp_path)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, preexec_fn=limit)
    assert proc.returncode == 1 and "KB603" in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb.ttl"]
    assert (tmp_path / "kb.ttl").read_text(encoding="utf-8") == "ancien"


def test_output_that_is_a_file_or_an_impossible_name(tmp_path):
    afile = tmp_path / "fichier"
    afile.write_text("x", encoding="utf-8")
    for target, code in ((afile, "KB602"), (afile / "sous-dossier", "KB602"), (tmp_path / ("n" * 300), "KB601")):
        proc = run_kb("export", str(VALID), "--site-url", TEST_SITE, "-o", str(target))
        assert proc.returncode == 1 and f"{code} error" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert afile.read_text(encoding="utf-8") == "x"


def test_output_inside_the_vault_is_refused_even_through_a_symlink(tmp_path):
    vault = tmp_path / "vault"
    shutil.copytree(VALID, vault)
    (tmp_path / "lien").symlink_to(vault)
    for target in (vault / "exports", tmp_path / "lien" / "exports"):
        proc = run_kb("export", str(vault), "--site-url", TEST_SITE, "-o", str(target))
        assert proc.returncode == 1 and "KB604 error: the export folder is inside the vault" in proc.stderr
    assert not (vault / "exports").exists()


def test_stale_temporary_files_of_dead_runs_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    stale = tmp_path / f"{atomic.TMP_PREFIX}{dead}-kb.nt.abc123.tmp"
    stale.write_bytes(b"<a> <b> ")  # what a SIGKILL half-way leaves
    live = tmp_path / f"{atomic.TMP_PREFIX}{os.getpid()}-kb.nt.def456.tmp"  # a run still going (this one)
    live.write_bytes(b"")
    other = tmp_path / "notes.tmp"
    other.write_bytes(b"")
    proc = run_kb("export", str(VALID), "--site-url", TEST_SITE, "-o", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["kb.jsonld", "kb.nt", "kb.ttl", live.name, "notes.tmp"])


def test_a_killed_export_leaves_the_previous_set_whole(tmp_path):
    """SIGKILL while the temporary files are written: the three old files stay, all from one run."""
    first = run_kb("export", str(VALID), "--site-url", TEST_SITE, "-o", str(tmp_path))
    assert first.returncode == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    script = (
        "import os, signal, sys\n"
        "from kbtools import atomic\n"
        "real = atomic._stage\n"
        "def stage(path, data):\n"
        "    tmp = real(path, data)\n"
        "    if path.name == 'kb.jsonld':\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return tmp\n"
        "atomic._stage = stage\n"
        "from kbtools.cli import main\n"
        f"sys.exit(main(['export', {str(VALID)!r}, '--site-url', {TEST_SITE!r}, '-o', {str(tmp_path)!r}]))\n"
    )
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120, cwd=ROOT)
    assert killed.returncode == -signal.SIGKILL
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if not p.name.startswith(atomic.TMP_PREFIX)}
    assert after == before
    assert run_kb("export", str(VALID), "--site-url", TEST_SITE, "-o", str(tmp_path)).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb.jsonld", "kb.nt", "kb.ttl"]  # the leftovers went


def test_a_long_target_name_still_gets_a_temporary_file(tmp_path):
    target = tmp_path / ("é" * 120 + ".md")  # 245 bytes: fits, but not with a prefix and suffix around it whole
    atomic.write_atomic(target, "texte")
    assert [p.name for p in tmp_path.iterdir()] == [target.name] and target.read_text(encoding="utf-8") == "texte"
