"""The mkdocs side: plugin and the small modules it hands work to."""
