"""kbtools: notes → RDF graph → site, SPARQL and verified snippets."""

__version__ = "0.1.0"
