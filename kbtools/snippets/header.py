"""Parse the PEP 723 header of a snippet (``# /// script`` … ``# ///``) into a :class:`SnippetSpec`.

The header is TOML inside comments; ``[tool.kb]`` carries what the knowledge base needs
(title, illustrated notes, device, timeout, env, matrix). Every problem is reported as a
KB201 diagnostic pointing at ``path:line:col`` of the file, never as a bare TOML error.
"""

from __future__ import annotations

import ast
import itertools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic
from .pep723 import KeyLocator, SnippetHeaderError, find_block, has_header, header_error, read_toml

__all__ = [
    "SnippetHeaderError",
    "SnippetSpec",
    "Variant",
    "candidates",
    "discover",
    "find_root",
    "has_header",
    "is_candidate_path",
    "parse_header",
    "scan",
    "timeout_problem",
    "variants",
]

DEVICES = ("cpu", "gpu", "any")
DEFAULT_TIMEOUT = 300
MAX_TIMEOUT = 3600  # seconds; a snippet is an example, not a training run
KB_KEYS = ("title", "illustrates", "device", "timeout", "env", "matrix")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(slots=True)
class SnippetSpec:
    """Everything the runner, the recorder and the site need to know about one snippet."""

    path: Path  # absolute
    root: Path  # the ``snippets`` folder it belongs to
    framework: str
    name: str
    title: str
    illustrates: list[str] = field(default_factory=list)
    device: str = "cpu"
    timeout: float = DEFAULT_TIMEOUT
    env: dict[str, str] = field(default_factory=dict)
    matrix: dict[str, list[str]] = field(default_factory=dict)
    dependencies: list[str] = field(default_factory=list)
    requires_python: str | None = None
    docstring: str = ""
    code: str = ""  # the script without its header
    code_line: int = 1  # 1-based line of the file where ``code`` starts

    @property
    def rel(self) -> str:
        """Display path, stable across machines: ``snippets/<framework>/<name>.py``."""
        return f"{self.root.name}/{self.path.relative_to(self.root).as_posix()}"

    @property
    def results_dir(self) -> Path:
        return self.root / self.framework / "results" / self.name


@dataclass(frozen=True, slots=True)
class Variant:
    """One combination of the matrix: ``id`` is ``default`` or ``KEY=value[,KEY2=value2]``."""

    id: str
    env: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def slug(self) -> str:
        """The id made safe for a file name: ``KERAS_BACKEND=jax`` → ``KERAS_BACKEND-jax``."""
        return _UNSAFE.sub("_", self.id.replace("=", "-").replace(",", "_"))


def variants(spec: SnippetSpec) -> list[Variant]:
    """The runs a snippet asks for: the product of its matrix, or the single ``default`` variant."""
    if not spec.matrix:
        return [Variant("default")]
    keys = list(spec.matrix)
    out = []
    for values in itertools.product(*(spec.matrix[k] for k in keys)):
        env = dict(zip(keys, values, strict=True))
        out.append(Variant(",".join(f"{k}={v}" for k, v in env.items()), env))
    return out


def find_root(path: Path) -> Path:
    """The nearest ``snippets`` folder above ``path`` (at least two levels up), else the grandparent."""
    for parent in path.parents[1:]:
        if parent.name == "snippets":
            return parent
    return path.parent.parent


def parse_header(path: str | Path, root: str | Path | None = None) -> SnippetSpec:
    """Read ``path`` and return its spec; raise :class:`SnippetHeaderError` (KB201) on a bad header."""
    path = Path(path).absolute()
    root = Path(root).absolute() if root is not None else find_root(path)
    shown = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise header_error(shown, 1, 1, f"unreadable snippet: {exc}") from None
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    start, end = find_block(lines, shown)
    meta = read_toml(lines, start, end, shown)
    locate = KeyLocator(lines, start, end)
    kb = meta.get("tool", {}).get("kb") if isinstance(meta.get("tool"), dict) else None
    if not isinstance(kb, dict):
        raise header_error(shown, start + 1, 1, "script header has no [tool.kb] table", 'add "# [tool.kb]" with at least title = "…"')
    for key in kb:
        if key not in KB_KEYS:
            raise header_error(shown, *locate(key), f"unknown key {key!r} in [tool.kb]", "known keys: " + ", ".join(KB_KEYS))
    title = kb.get("title")
    if not isinstance(title, str) or not title.strip():
        raise header_error(shown, *locate("title"), "[tool.kb] needs a non-empty string title")
    device = kb.get("device", "cpu")
    if device not in DEVICES:
        raise header_error(shown, *locate("device"), f"device must be one of {', '.join(DEVICES)}, not {device!r}")
    timeout = kb.get("timeout", DEFAULT_TIMEOUT)
    problem = timeout_problem(timeout)
    if problem:
        raise header_error(shown, *locate("timeout"), problem, f"write a number of seconds, e.g. timeout = {DEFAULT_TIMEOUT}")
    code_line = end + 2
    while code_line <= len(lines) and not lines[code_line - 1].strip():
        code_line += 1
    code = "\n".join(lines[code_line - 1 :])
    rel_parts = path.relative_to(root).parts if path.is_relative_to(root) else (path.parent.name, path.name)
    return SnippetSpec(
        path=path,
        root=root,
        framework=rel_parts[0],
        name=Path(*rel_parts[1:]).with_suffix("").as_posix(),
        title=title.strip(),
        illustrates=_str_list(kb.get("illustrates", []), "illustrates", shown, locate),
        device=device,
        timeout=timeout,
        env=_env(kb.get("env", {}), shown, locate),
        matrix=_matrix(kb.get("matrix", {}), shown, locate),
        dependencies=_str_list(meta.get("dependencies", []), "dependencies", shown, locate),
        requires_python=meta.get("requires-python"),
        docstring=_docstring(code),
        code=code,
        code_line=code_line,
    )


def timeout_problem(value: object) -> str:
    """Why ``value`` is no usable timeout (empty when it is): a finite number of seconds in ]0, :data:`MAX_TIMEOUT`].

    TOML lets ``nan``, ``inf`` and ``-inf`` through as floats; a limit that never expires is no limit.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"timeout must be a number of seconds, not {value!r}"
    if not math.isfinite(value) or value <= 0 or value > MAX_TIMEOUT:
        return f"timeout must be a finite number of seconds between 0 and {MAX_TIMEOUT}, not {value!r}"
    return ""


def scan(root: str | Path = "snippets") -> tuple[list[SnippetSpec], list[Diagnostic]]:
    """Parse every snippet under ``root``; bad headers come back as diagnostics instead of raising."""
    specs, problems = [], []
    for path in candidates(root):
        try:
            specs.append(parse_header(path, root))
        except SnippetHeaderError as exc:
            problems.extend(exc.diagnostics)
    return specs, problems


def discover(root: str | Path = "snippets") -> list[SnippetSpec]:
    """All snippets under ``root``, sorted by path; raise :class:`SnippetHeaderError` listing every bad header."""
    specs, problems = scan(root)
    if problems:
        raise SnippetHeaderError(problems)
    return specs


def candidates(root: str | Path) -> list[Path]:
    """``root/<framework>/…/*.py`` files that open a script header, skipping ``results/``, ``_private`` and dot paths."""
    root = Path(root)
    out = []
    for path in sorted(root.rglob("*.py")):
        if is_candidate_path(path.relative_to(root)) and _opens_header(path):
            out.append(path)
    return out


def is_candidate_path(rel: Path) -> bool:
    """Whether a path relative to a ``snippets`` folder may hold a snippet (by its name alone)."""
    parts = rel.parts
    return len(parts) >= 2 and "results" not in parts[:-1] and not any(p.startswith(("_", ".")) for p in parts) and rel.suffix == ".py"


def _opens_header(path: Path) -> bool:
    try:
        return has_header(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return False


def _str_list(value: object, key: str, shown: str, locate: KeyLocator) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise header_error(shown, *locate(key), f"{key} must be a list of non-empty strings")
    return [v.strip() for v in value]


def _scalar(value: object) -> str | None:
    """Env values may be written unquoted (``OMP_NUM_THREADS = 1``); booleans are too ambiguous to guess."""
    if isinstance(value, bool):
        return None
    return str(value) if isinstance(value, str | int | float) else None


def _env(value: object, shown: str, locate: KeyLocator) -> dict[str, str]:
    if not isinstance(value, dict):
        raise header_error(shown, *locate("env"), 'env must be a table of NAME = "value"')
    out = {}
    for name, raw in value.items():
        text = _scalar(raw)
        if text is None:
            raise header_error(shown, *locate("env"), f"env value of {name} must be a string or a number, not {raw!r}")
        out[name] = text
    return out


def _matrix(value: object, shown: str, locate: KeyLocator) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise header_error(shown, *locate("matrix"), 'matrix must be a table of NAME = ["value", …]')
    out = {}
    for name, raw in value.items():
        texts = [_scalar(v) for v in raw] if isinstance(raw, list) else []
        if not texts or None in texts:
            raise header_error(shown, *locate("matrix"), f"matrix entry {name} must be a non-empty list of strings or numbers")
        if len(set(texts)) != len(texts):
            raise header_error(shown, *locate("matrix"), f"matrix entry {name} repeats a value")
        out[name] = texts
    return out


def _docstring(code: str) -> str:
    try:
        return ast.get_docstring(ast.parse(code)) or ""
    except SyntaxError:
        # The run will report the syntax error with its line; the header itself is fine.
        return ""
