"""Every test stores its scans in a folder of its own under pytest's tmp_path (never the project's var/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def scans_folder(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "var" / "correspondence"
    settings.CORRESPONDENCE_DIR = folder
    settings.STATIC_ROOT = tmp_path / "var" / "static"
    return folder
