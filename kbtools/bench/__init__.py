"""Cross-framework performance protocol: result files, aggregation, site pages and RDF triples.

The measurements themselves live in ``benchmarks/frameworks/`` (one module per framework and a
driver); this package knows their results: :mod:`.schema` checks a result file, :mod:`.aggregate`
summarises its runs, :mod:`.render` writes the pages of ``docs/benchmarks/`` and
:func:`bench_triples` turns every result into ``kb:BenchmarkResult`` triples.
"""

from __future__ import annotations

from .triples import bench_triples

__all__ = ["bench_triples"]
