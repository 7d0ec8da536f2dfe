from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.intake.referral_files import GOOD


@pytest.fixture
def referral_file(tmp_path: Path) -> Path:
    path = tmp_path / "tanf-20260302.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


@pytest.fixture
def system(db: None) -> Any:
    from opencse.security.services import system_actor

    return system_actor()
