"""Shared pytest fixtures. Tests run in the Europe/Bucharest time zone (settings.TIME_ZONE)."""

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
