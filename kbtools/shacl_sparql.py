"""SHACL shapes translated into SPARQL queries that Oxigraph runs on the graph's own store.

Only the part of SHACL Core that ``ontology/shapes.ttl`` uses is translated, with pySHACL's
semantics (the reference: ``kbtools.shacl`` falls back to pySHACL and a test compares the two):

- node shapes with the targets ``sh:targetClass`` (instances of the class or of its subclasses by
  ``rdfs:subClassOf*`` in the data), ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, ``sh:targetNode``;
  ``sh:deactivated``; no constraint on the node shape itself;
- their property shapes (``sh:property``) whose ``sh:path`` is one IRI, each with exactly one
  ``sh:message``, an optional ``sh:severity``, and the constraints ``sh:minCount``, ``sh:maxCount``,
  ``sh:datatype``, ``sh:minLength``, ``sh:maxLength``, ``sh:class``, ``sh:nodeKind``, ``sh:pattern``
  (with ``sh:flags`` i and m, as pySHACL reads them).

Anything else in the shapes graph (another constraint, a path expression, ``sh:node``, SPARQL-based
constraints or targets, rules, a shape without ``sh:message`` whose generic message pySHACL words
itself, two messages, a triple about a node that is no shape...) raises :class:`Unsupported`, so
that the caller runs pySHACL instead: no constraint is ever skipped silently.

Results are :class:`Result` tuples, one per focus node for the counts and one per (focus node, value
node) for the other constraints, as pySHACL reports them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD


class Unsupported(Exception):
    """The shapes use a SHACL feature this translator does not know (the message names it)."""


class Result(NamedTuple):
    """One validation result: the focus node (IRI string, or the term's text), the path, the
    severity (an ``sh:`` IRI) and the shape's message."""

    focus: str
    path: URIRef
    severity: URIRef
    message: str


# Predicates a node shape may carry, and those of a property shape (rdf:type is checked apart).
# Non-validating ones (labels, comments, order, group) are accepted: they change no result.
_NON_VALIDATING = {RDFS.label, RDFS.comment, SH.name, SH.description, SH.order, SH.group}
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
_NODE_KEYS = {*_TARGETS, SH.property, SH.deactivated, SH.severity, SH.message, *_NON_VALIDATING}
_VALUE_KEYS = (SH.datatype, SH.minLength, SH.maxLength, SH["class"], SH.nodeKind, SH.pattern)
_PROPERTY_KEYS = {SH.path, SH.message, SH.severity, SH.deactivated, SH.minCount, SH.maxCount, SH.flags,
                  *_VALUE_KEYS, *_NON_VALIDATING}
_NODE_KINDS = {  # sh:nodeKind → SPARQL test of ?v
    SH.IRI: "isIRI(?v)",
    SH.BlankNode: "isBlank(?v)",
    SH.Literal: "isLiteral(?v)",
    SH.BlankNodeOrIRI: "(isBlank(?v) || isIRI(?v))",
    SH.BlankNodeOrLiteral: "(isBlank(?v) || isLiteral(?v))",
    SH.IRIOrLiteral: "(isIRI(?v) || isLiteral(?v))",
}
# The Python type of a literal's value that pySHACL requires for these datatypes
# (pyshacl.constraints.core.value_constraints.DatatypeConstraintComponent._assert_actual_datatype);
# other datatypes only need a well-formed literal.
_VALUE_TYPES = {XSD.integer: int, XSD.float: float, XSD.decimal: Decimal, XSD.boolean: bool,
                XSD.date: date, XSD.time: time, XSD.dateTime: datetime}


@dataclass
class PropertyCheck:
    """One property shape under one node shape: the focus nodes' pattern and the constraints."""

    focus: str  # a SPARQL group pattern that holds when ?this is a focus node (may bind it more than once)
    path: URIRef
    message: str
    severity: URIRef
    # (constraint parameter, its value): a Literal for the counts and lengths, an IRI for datatype,
    # node kind and class, a compiled regular expression for the pattern
    constraints: list[tuple[URIRef, Literal | URIRef | re.Pattern]] = field(default_factory=list)


def compile_shapes(shapes: Graph) -> list[PropertyCheck]:
    """The checks of a shapes graph; raises :class:`Unsupported` on any feature outside the subset."""
    property_shapes = set(shapes.objects(None, SH.property))
    node_shapes = {s for s in shapes.subjects() if s not in property_shapes and _is_node_shape(shapes, s)}
    for subject in set(shapes.subjects()) - node_shapes - property_shapes:
        raise Unsupported(f"{_show(subject)} is neither a node shape with targets nor a property shape")
    checks = []
    for node in sorted(node_shapes, key=str):
        _only(shapes, node, _NODE_KEYS, {SH.NodeShape})
        if _deactivated(shapes, node):
            continue
        focus = _focus_pattern(shapes, node)
        for prop in sorted(shapes.objects(node, SH.property), key=str):
            check = _property_check(shapes, prop, focus)
            if check is not None:
                checks.append(check)
    return checks


def run(store: ox.Store, checks: list[PropertyCheck]) -> list[Result]:
    """Every violation of ``checks`` in the default graph of ``store``."""
    results = []
    for check in checks:
        for kind, value in check.constraints:
            for focus in _violations(store, check, kind, value):
                results.append(Result(focus, check.path, check.severity, check.message))
    return results


def _is_node_shape(shapes: Graph, node) -> bool:
    typed = (node, RDF.type, SH.NodeShape) in shapes
    return typed or any((node, t, None) in shapes for t in (*_TARGETS, SH.property))


def _only(shapes: Graph, node, allowed: set, types: set) -> None:
    for p, o in shapes.predicate_objects(node):
        if p == RDF.type and o in types:
            continue
        if p not in allowed:
            raise Unsupported(f"{_show(p)} {_show(o)} on shape {_show(node)}")


def _single(shapes: Graph, node, p):
    values = list(shapes.objects(node, p))
    if len(values) > 1:
        raise Unsupported(f"{len(values)} values of {_show(p)} on shape {_show(node)}")
    return values[0] if values else None


def _deactivated(shapes: Graph, node) -> bool:
    flag = _single(shapes, node, SH.deactivated)
    if flag is None:
        return False
    if not isinstance(flag, Literal) or not isinstance(flag.value, bool):
        raise Unsupported(f"sh:deactivated {_show(flag)} on shape {_show(node)}")
    return flag.value


def _focus_pattern(shapes: Graph, node) -> str:
    """A group pattern that holds when ``?this`` is a focus node of ``node`` ("" when it has none)."""
    parts = []
    for target in sorted(shapes.objects(node, SH.targetClass), key=str):
        parts.append(f"?this a/<{RDFS.subClassOf}>* {_term(target)} .")
    for prop in sorted(shapes.objects(node, SH.targetSubjectsOf), key=str):
        parts.append(f"?this {_iri(prop)} [] .")
    for prop in sorted(shapes.objects(node, SH.targetObjectsOf), key=str):
        parts.append(f"[] {_iri(prop)} ?this .")
    for target in sorted(shapes.objects(node, SH.targetNode), key=str):
        parts.append(f"VALUES ?this {{ {_term(target)} }}")
    return " UNION ".join("{ " + p + " }" for p in parts)


def _property_check(shapes: Graph, prop, focus: str) -> PropertyCheck | None:
    _only(shapes, prop, _PROPERTY_KEYS, {SH.PropertyShape})
    path = _single(shapes, prop, SH.path)
    if not isinstance(path, URIRef):
        raise Unsupported(f"sh:path {_show(path)} on shape {_show(prop)}: only a single IRI is translated")
    messages = list(shapes.objects(prop, SH.message))
    if len(messages) != 1 or not isinstance(messages[0], Literal):
        raise Unsupported(f"{len(messages)} sh:message on shape {_show(prop)}: exactly one literal is translated")
    severity = _checked_iri(_single(shapes, prop, SH.severity) or SH.Violation, prop)
    if _deactivated(shapes, prop) or not focus:
        return None
    check = PropertyCheck(focus, path, str(messages[0]), severity)
    for kind in (SH.minCount, SH.maxCount, SH.minLength, SH.maxLength):
        value = _single(shapes, prop, kind)
        if value is not None:
            if not isinstance(value, Literal) or type(value.value) is not int or value.value < 0:
                raise Unsupported(f"{_show(kind)} {_show(value)} on shape {_show(prop)}")
            check.constraints.append((kind, value))
    datatype = _single(shapes, prop, SH.datatype)
    if datatype is not None:
        if _checked_iri(datatype, prop) == RDFS.Datatype:
            raise Unsupported(f"sh:datatype rdfs:Datatype on shape {_show(prop)}")
        check.constraints.append((SH.datatype, datatype))
    node_kind = _single(shapes, prop, SH.nodeKind)
    if node_kind is not None:
        if node_kind not in _NODE_KINDS:
            raise Unsupported(f"sh:nodeKind {_show(node_kind)} on shape {_show(prop)}")
        check.constraints.append((SH.nodeKind, node_kind))
    pattern, flags = _single(shapes, prop, SH.pattern), _single(shapes, prop, SH.flags)
    if pattern is not None:
        check.constraints.append((SH.pattern, _regex(pattern, flags, prop)))
    elif flags is not None:
        raise Unsupported(f"sh:flags without sh:pattern on shape {_show(prop)}")
    for cls in sorted(shapes.objects(prop, SH["class"]), key=str):
        check.constraints.append((SH["class"], _checked_iri(cls, prop)))
    return check


def _regex(pattern, flags, prop) -> re.Pattern:
    """pySHACL's reading: Python's ``re``, flags i and m honoured, the others ignored."""
    if not isinstance(pattern, Literal) or (flags is not None and not isinstance(flags, Literal)):
        raise Unsupported(f"sh:pattern {_show(pattern)} on shape {_show(prop)}")
    options = 0
    text = str(flags.value if flags is not None else "").lower()
    options |= re.I if "i" in text else 0
    options |= re.M if "m" in text else 0
    try:
        return re.compile(str(pattern), options)
    except re.error as exc:
        raise Unsupported(f"sh:pattern {_show(pattern)}: {exc}") from None


def _violations(store: ox.Store, check: PropertyCheck, kind: URIRef, value) -> list[str]:
    """Focus nodes (as text) of each violation of one constraint, repeated once per value node."""
    path = _iri(check.path)
    if kind == SH.minCount:
        n = value.value
        if n == 0:
            return []
        if n == 1:  # MINUS, not FILTER NOT EXISTS: a hash join, 4× faster on Oxigraph
            return _focus_column(store, f"SELECT DISTINCT ?this WHERE {{ {{ {check.focus} }} MINUS {{ ?this {path} [] }} }}")
        focus = f"{{ SELECT DISTINCT ?this WHERE {{ {check.focus} }} }}"
        q = (f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(?v) AS ?n) WHERE {{ {focus} OPTIONAL {{ ?this {path} ?v }} }} "
             f"GROUP BY ?this }} FILTER(?n < {n}) }}")
        return _focus_column(store, q)
    if kind == SH.maxCount:
        return _focus_column(store, _on_focus(check, f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(?v) AS ?n) WHERE "
                                                     f"{{ ?this {path} ?v }} GROUP BY ?this }} FILTER(?n > {value.value}) }}"))
    if kind == SH.pattern:
        rows = store.query(_on_focus(check, f"SELECT ?this (STR(?v) AS ?s) WHERE {{ ?this {path} ?v }}", "?s"))
        return [_text(s["this"]) for s in rows if s["s"] is None or not value.search(s["s"].value)]
    if kind == SH.datatype:
        return _datatype_violations(store, check, value)
    if kind == SH["class"]:  # MINUS again: the class test on every value, then the focus test on the few left
        where = f"MINUS {{ ?v a/<{RDFS.subClassOf}>* {_term(value)} }}"
    elif kind == SH.nodeKind:
        where = f"FILTER(!{_NODE_KINDS[value]})"
    elif kind == SH.minLength:
        if value.value == 0:
            return []
        where = f"FILTER(isBlank(?v) || STRLEN(STR(?v)) < {value.value})"
    else:  # sh:maxLength
        where = f"FILTER(isBlank(?v) || STRLEN(STR(?v)) > {value.value})"
    return _focus_column(store, _values(check, where))


def _values(check: PropertyCheck, where: str) -> str:
    """A query of ?this for each value ?v of the path that ``where`` keeps, ?this a focus node."""
    return _on_focus(check, f"SELECT ?this ?v WHERE {{ ?this {_iri(check.path)} ?v . {where} }}")


def _on_focus(check: PropertyCheck, inner: str, *more: str) -> str:
    """``inner``'s rows whose ?this is a focus node. The focus test comes last, on the rows the
    constraint kept (a subquery keeps Oxigraph to that order): the fastest order when few violate."""
    return f"SELECT ?this {' '.join(more)} WHERE {{ {{ {inner} }} FILTER EXISTS {{ {check.focus} }} }}"


def _datatype_violations(store: ox.Store, check: PropertyCheck, datatype: URIRef) -> list[str]:
    if datatype == RDFS.Literal:
        return _focus_column(store, _values(check, "FILTER(!isLiteral(?v))"))
    if datatype == RDF.langString:  # pySHACL: any literal with a language tag
        return _focus_column(store, _values(check, "FILTER(!(isLiteral(?v) && LANG(?v) != \"\"))"))
    same = f"isLiteral(?v) && DATATYPE(?v) = {_term(datatype)}"
    found = _focus_column(store, _values(check, f"FILTER(!({same}))"))
    # A literal of the right datatype must also be well formed as rdflib reads it (pySHACL reads
    # rdflib's terms): each distinct lexical form of the path's values is checked once here.
    lexical = store.query(f"SELECT DISTINCT (STR(?v) AS ?s) WHERE {{ [] {_iri(check.path)} ?v . FILTER({same}) }}")
    bad = {s["s"].value for s in lexical if not _well_typed(s["s"].value, datatype)}
    if bad:  # rare: the focus nodes of those values
        rows = store.query(_on_focus(check, f"SELECT ?this (STR(?v) AS ?s) WHERE {{ ?this {_iri(check.path)} ?v . FILTER({same}) }}", "?s"))
        found += [_text(s["this"]) for s in rows if s["s"].value in bad]
    return found


def _well_typed(lexical: str, datatype: URIRef) -> bool:
    """pySHACL's test of a literal whose datatype is the one required (see ``_VALUE_TYPES``)."""
    rdflib_log = logging.getLogger("rdflib.term")  # it logs a traceback for each ill-typed literal
    quiet, rdflib_log.disabled = rdflib_log.disabled, True
    try:
        literal = Literal(lexical, datatype=datatype)
    finally:
        rdflib_log.disabled = quiet
    if getattr(literal, "ill_typed", None) is True:
        return False
    wanted = _VALUE_TYPES.get(datatype, str if datatype == XSD.string else None)
    return wanted is None or isinstance(literal.value, wanted)


def _focus_column(store: ox.Store, query: str) -> list[str]:
    return [_text(s["this"]) for s in store.query(query)]


def _text(term) -> str:
    return term.value if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)) else str(term)


def _checked_iri(value, shape):
    if not isinstance(value, URIRef):
        raise Unsupported(f"{_show(value)} on shape {_show(shape)}: an IRI is expected")
    return value


def _iri(value) -> str:
    if not isinstance(value, URIRef):
        raise Unsupported(f"{_show(value)}: an IRI is expected")
    return _term(value)


def _term(term) -> str:
    """A term in SPARQL syntax (N-Triples form, which SPARQL accepts)."""
    if isinstance(term, BNode):
        raise Unsupported(f"blank node {term} as a constant")
    try:
        return term.n3()
    except Exception as exc:  # an IRI that N-Triples cannot write
        raise Unsupported(f"{term!r}: {exc}") from None


def _show(term) -> str:
    return term.n3() if hasattr(term, "n3") else repr(term)
