"""Split a note into YAML frontmatter and body, keeping the line and column of every value.

Values come from PyYAML's *composed* node tree rather than ``safe_load``: nodes carry
marks, so an error can point at ``file:line:col`` of the very key or list item at fault.
Scalars stay strings (no implicit dates, numbers or YAML 1.1 booleans such as ``no``): the checks
decide what they mean.

Reading is bounded: YAML aliases are expanded at most :data:`MAX_NODES` nodes in all and
:data:`MAX_DEPTH` levels deep, so a "billion laughs" block or a self-referring anchor is a KB002
diagnostic, not minutes of work or a ``RecursionError``.

Unquoted wikilinks, the commonest slip in hand-written frontmatter, are recovered where their meaning
is certain (``key: [[Cible]]``, which YAML reads as a list in a list: a KB116 warning) and reported
with the fix otherwise (``[[A, B]]``, ``[[A]], [[B]]``: a KB116 error; the other keys are still read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from yaml.resolver import BaseResolver

from .diagnostics import Diagnostic, Severity

MAX_NODES = 20_000  # YAML nodes visited per key, aliases expanded
MAX_TOTAL_NODES = 10 * MAX_NODES  # and per frontmatter
MAX_DEPTH = 64  # nesting of lists and mappings
# A top-level key whose value starts with an unquoted wikilink.
_UNQUOTED_LINK = re.compile(r"^(?P<key>[^\s:#][^:]*):[ \t]+(?P<value>!?\[\[.*)$")
NULL_TAG = "tag:yaml.org,2002:null"
# YAML 1.1's plain nulls: what PyYAML's own resolver reads as null (its ``null`` implicit resolver).
_PLAIN_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class _NullResolver(BaseResolver):
    """The one tag the checks need: null for a plain null, else PyYAML's default tag by node kind.

    PyYAML's full resolver also matches every scalar against its booleans, numbers and timestamps,
    one Python call per value, for tags nobody reads here (scalars stay strings). An explicit tag
    (``!!null x``, ``!!str null``) is kept by the parser without asking the resolver, as before.
    """

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return NULL_TAG if implicit[0] and value in _PLAIN_NULLS else self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG

    def descend_resolver(self, current_node, current_index):  # no path resolvers here
        pass

    def ascend_resolver(self):
        pass


try:  # libyaml's parser is several times faster; the pure one gives the same nodes
    from yaml.cyaml import CParser as _Parser

    class _Loader(_Parser, _NullResolver):
        def __init__(self, stream):
            _Parser.__init__(self, stream)
            _NullResolver.__init__(self)

except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Loader(Reader, Scanner, Parser, Composer, _NullResolver):  # type: ignore[no-redef]
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            _NullResolver.__init__(self)


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
    yaml_lines = lines[1:end]
    body = "\n".join(lines[end + 1 :])
    fm = Frontmatter(present=True, body=body, body_line=end + 2)
    diags: list[Diagnostic] = []
    node = None
    for _attempt in range(len(yaml_lines) + 1):  # each retry blanks one more unquoted-link line
        yaml_text = "\n".join(yaml_lines)
        try:
            node = yaml.compose(yaml_text, Loader=_Loader)
            break
        except RecursionError:
            return fm, [Diagnostic(path, 2, 1, "KB002", "frontmatter is nested too deeply", f"keep it under {MAX_DEPTH} levels")]
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            index = mark.line if mark else 0
            blanked = _blank_unquoted_links(yaml_lines, index, path, diags)
            if blanked is None:
                line = index + 2
                col = (mark.column + 1) if mark else 1
                problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
                diags.append(Diagnostic(path, line, col, "KB002", f"malformed YAML frontmatter: {problem}", "quote values that contain ': ' or start with '['"))
                return fm, diags
            yaml_lines = blanked
    if node is None:
        return fm, diags
    if not isinstance(node, yaml.MappingNode):
        return fm, [*diags, Diagnostic(path, 2, 1, "KB003", "frontmatter must be a mapping of keys to values")]
    reader = _Composer(path, yaml_text, diags)
    for key_node, value_node in node.value:
        key = _scalar_text(key_node)
        line, col = _pos(key_node)
        if key is None:
            diags.append(Diagnostic(path, line, col, "KB003", "frontmatter keys must be plain strings"))
            continue
        if key in fm.entries:
            diags.append(Diagnostic(path, line, col, "KB002", f"key '{key}' appears twice", f"first at line {fm.entries[key].line}"))
            continue
        try:
            reader.start_key()
            value = reader.value(value_node, 0)
        except _TooBig as exc:
            diags.append(Diagnostic(path, line, col, "KB002", str(exc), "write the values out instead of YAML aliases"))
            continue
        fm.entries[key] = Entry(key, line, col, value)
    return fm, diags


def _blank_unquoted_links(lines: list[str], index: int, path: str, diags: list[Diagnostic]) -> list[str] | None:
    """If the YAML error is on (or right after) a ``key: [[A]], [[B]]`` line, report it and return the
    lines with that value emptied, so the other keys are still read; else None."""
    for i in (index, index - 1):
        if 0 <= i < len(lines) and (m := _UNQUOTED_LINK.match(lines[i])):
            key, value = m.group("key"), m.group("value").rstrip()
            links = re.findall(r"\[\[[^\[\]]*\]\]", value)
            quoted = ", ".join("'" + link.replace("'", "''") + "'" for link in links) or repr(value)
            diags.append(
                Diagnostic(path, i + 2, m.start("value") + 1, "KB116", f"unquoted wikilinks in '{key}' are not valid YAML",
                           f"quote each link: {key}: [{quoted}]", Severity.ERROR)
            )
            return [*lines[:i], f"{key}:", *lines[i + 1 :]]
    return None


class _TooBig(Exception):
    pass


class _Composer:
    """Composed YAML nodes → positioned :class:`Value` trees, within :data:`MAX_NODES` and :data:`MAX_DEPTH`."""

    def __init__(self, path: str, text: str, diags: list[Diagnostic]):
        self.path = path
        self.text = text
        self.diags = diags
        self.visited = 0  # for the key being read
        self.total = 0

    def start_key(self) -> None:
        self.visited = 0

    def value(self, node: yaml.Node, depth: int) -> Value:
        self.visited += 1
        self.total += 1
        if self.visited > MAX_NODES:
            raise _TooBig(f"value expands to more than {MAX_NODES} values (YAML aliases?)")
        if self.total > MAX_TOTAL_NODES:
            raise _TooBig(f"frontmatter expands to more than {MAX_TOTAL_NODES} values (YAML aliases?)")
        if depth > MAX_DEPTH:
            raise _TooBig(f"frontmatter is nested more than {MAX_DEPTH} levels deep (a YAML alias that refers to itself?)")
        mark = node.start_mark  # as _pos(), inlined: this runs once per value of every note
        line, col = mark.line + 2, mark.column + 1
        if isinstance(node, yaml.ScalarNode):
            return Value(None if node.tag == NULL_TAG else node.value, line, col)
        if isinstance(node, yaml.SequenceNode):
            inner = self._unquoted_wikilink(node) if node.flow_style else None
            if inner is not None:
                return inner
            depth += 1
            return Value([self.value(item, depth) for item in node.value], line, col)
        mapping: dict[str, Value] = {}
        for key_node, value_node in node.value:
            key = _scalar_text(key_node)
            if key is not None:
                mapping[key] = self.value(value_node, depth + 1)
        return Value(mapping, line, col)

    def _unquoted_wikilink(self, node: yaml.SequenceNode) -> Value | None:
        """``[[Cible]]`` unquoted is a flow list holding a flow list: read it as the link it was meant
        to be (KB116 warning); ``[[A, B]]`` could be one title with a comma or two: KB116 error."""
        if not (node.flow_style and len(node.value) == 1):
            return None
        inner = node.value[0]
        if not (isinstance(inner, yaml.SequenceNode) and inner.flow_style and inner.value):
            return None
        if not all(isinstance(leaf, yaml.ScalarNode) for leaf in inner.value):
            return None
        line, col = _pos(node)
        raw = self.text[node.start_mark.index : node.end_mark.index]
        if len(inner.value) == 1:
            link = f"[[{inner.value[0].value}]]"
            self.diags.append(Diagnostic(self.path, line, col, "KB116", f"unquoted wikilink read as '{link}'", f"quote it: '{link}'", Severity.WARNING))
            return Value(link, line, col)
        self.diags.append(
            Diagnostic(self.path, line, col, "KB116", f"unquoted {raw} is read by YAML as a list of {len(inner.value)} values",
                       f"quote it: '{raw}' (one title with a comma) or write a list of quoted links", Severity.ERROR)
        )
        return Value(None, line, col)


def _pos(node: yaml.Node) -> tuple[int, int]:
    # +1 for 1-based lines, +1 again for the opening '---' line that the YAML text omits
    return node.start_mark.line + 2, node.start_mark.column + 1


def _scalar_text(node: yaml.Node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None
