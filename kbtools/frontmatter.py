"""Split a note into YAML frontmatter and body, keeping the line and column of every value.

Values come from PyYAML's *composed* node tree rather than ``safe_load``: nodes carry
marks, so an error can point at ``file:line:col`` of the very key or list item at fault.
Scalars stay strings (no implicit dates or numbers): the checks decide what they mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

try:  # the C loader is several times faster; the pure one gives the same nodes
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from .diagnostics import Diagnostic


@dataclass(slots=True)
class Value:
    """A frontmatter value with its position (1-based line and column in the file)."""

    data: str | list[Value] | dict[str, Value] | None
    line: int
    col: int

    def plain(self):
        """The value without positions."""
        if isinstance(self.data, list):
            return [v.plain() for v in self.data]
        if isinstance(self.data, dict):
            return {k: v.plain() for k, v in self.data.items()}
        return self.data


@dataclass(slots=True)
class Entry:
    """A top-level key of the frontmatter, where the key stands and what it holds."""

    key: str
    line: int
    col: int
    value: Value


@dataclass(slots=True)
class Frontmatter:
    entries: dict[str, Entry] = field(default_factory=dict)
    present: bool = False  # the file opens with a frontmatter block
    body: str = ""
    body_line: int = 1  # line of the file where the body starts


def split(text: str, path: str) -> tuple[Frontmatter, list[Diagnostic]]:
    """Split ``text`` into frontmatter entries and body. Never raises on bad input."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return Frontmatter(body=text), []
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        diag = Diagnostic(path, 1, 1, "KB004", "frontmatter opened with '---' is never closed", "add a closing '---' line")
        return Frontmatter(present=True, body=text), [diag]
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    fm = Frontmatter(present=True, body=body, body_line=end + 2)
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + 2) if mark else 1
        col = (mark.column + 1) if mark else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return fm, [Diagnostic(path, line, col, "KB002", f"malformed YAML frontmatter: {problem}", "quote values that contain ': ' or start with '['")]
    if node is None:
        return fm, []
    if not isinstance(node, yaml.MappingNode):
        return fm, [Diagnostic(path, 2, 1, "KB003", "frontmatter must be a mapping of keys to values")]
    diags: list[Diagnostic] = []
    for key_node, value_node in node.value:
        key = _scalar_text(key_node)
        line, col = _pos(key_node)
        if key is None:
            diags.append(Diagnostic(path, line, col, "KB003", "frontmatter keys must be plain strings"))
            continue
        if key in fm.entries:
            diags.append(Diagnostic(path, line, col, "KB002", f"key '{key}' appears twice", f"first at line {fm.entries[key].line}"))
            continue
        fm.entries[key] = Entry(key, line, col, _value(value_node))
    return fm, diags


def _pos(node: yaml.Node) -> tuple[int, int]:
    # +1 for 1-based lines, +1 again for the opening '---' line that the YAML text omits
    return node.start_mark.line + 2, node.start_mark.column + 1


def _scalar_text(node: yaml.Node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _value(node: yaml.Node) -> Value:
    line, col = _pos(node)
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:null" or (node.style is None and node.value in ("", "~", "null", "Null", "NULL")):
            return Value(None, line, col)
        return Value(node.value, line, col)
    if isinstance(node, yaml.SequenceNode):
        # An unquoted [[Target]] is a YAML list holding a list holding one string:
        # read it as the wikilink its author meant.
        inner = _unquoted_wikilink(node)
        if inner is not None:
            return Value(inner, line, col)
        return Value([_value(item) for item in node.value], line, col)
    mapping: dict[str, Value] = {}
    for key_node, value_node in node.value:
        key = _scalar_text(key_node)
        if key is not None:
            mapping[key] = _value(value_node)
    return Value(mapping, line, col)


def _unquoted_wikilink(node: yaml.SequenceNode) -> str | None:
    if node.flow_style and len(node.value) == 1:
        inner = node.value[0]
        if isinstance(inner, yaml.SequenceNode) and inner.flow_style and len(inner.value) == 1:
            leaf = inner.value[0]
            if isinstance(leaf, yaml.ScalarNode):
                return f"[[{leaf.value}]]"
    return None
