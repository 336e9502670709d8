"""The demo's one error."""


class DemoError(Exception):
    """The demo cannot be built (production settings, data already there, a wrong option)."""
