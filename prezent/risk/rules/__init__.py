"""The county coordinator's pages for the scoring engine's rule set: read the version in force, save an edit as the
next version, recompute. The rule sets themselves are the engine's (`prezent/risk/services.py`, `selectors.py`)."""
