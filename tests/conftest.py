"""Shared test configuration: the ``pytester`` fixture drives pytest plugins in a scratch folder."""

pytest_plugins = ["pytester"]
