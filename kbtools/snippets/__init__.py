"""Executable snippets: header, runner, recorded results, pytest plugin."""
