"""Alerts from the escalation ladder: opening and closing them with the scores (services), the pure rules of a step's
trigger (`rules.py`), the work lists and overviews, and the notices to parents (`notices.py`: the letter, SMS and
e-mail). The pages are in the "risk" URL namespace."""
