"""No published signing key: the demo generates its own, a server on a real database needs its keys."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError

from opencse.security.keys import generated_key, require_production_keys


def test_without_a_configured_key_the_signing_key_is_random_and_kept_under_var() -> None:
    if not settings.SECRET_KEY_GENERATED:
        pytest.skip("OPENCSE_SECRET_KEY is set in this environment")
    kept = (Path(settings.VAR_DIR) / "secret.key").read_text().strip()

    assert kept == settings.SECRET_KEY
    assert len(settings.SECRET_KEY) >= 50
    assert settings.SECRET_KEY not in Path(settings.BASE_DIR, "settings.py").read_text()


def test_a_generated_key_is_made_once_and_then_reused(tmp_path: Path) -> None:
    first = generated_key(tmp_path / "secret.key")

    assert generated_key(tmp_path / "secret.key") == first
    assert generated_key(tmp_path / "other.key") != first
    assert sorted(path.name for path in tmp_path.iterdir()) == ["other.key", "secret.key"]


def test_a_real_database_without_the_keys_is_refused(monkeypatch: pytest.MonkeyPatch, settings: object) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://opencse@db.invalid:5432/opencse")
    settings.SECRET_KEY_GENERATED = True  # type: ignore[attr-defined]
    settings.OPENCSE_FIELD_KEY = ""  # type: ignore[attr-defined]

    with pytest.raises(ImproperlyConfigured, match="OPENCSE_SECRET_KEY and OPENCSE_FIELD_KEY are not"):
        require_production_keys()

    settings.SECRET_KEY_GENERATED = False  # type: ignore[attr-defined]
    settings.OPENCSE_FIELD_KEY = "configured"  # type: ignore[attr-defined]
    require_production_keys()


def test_the_demo_on_embedded_sqlite_needs_no_keys(monkeypatch: pytest.MonkeyPatch, settings: object) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings.SECRET_KEY_GENERATED = True  # type: ignore[attr-defined]

    require_production_keys()


def test_serve_refuses_to_start_on_a_real_database_without_keys(
    monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://opencse@db.invalid:5432/opencse")
    settings.SECRET_KEY_GENERATED = True  # type: ignore[attr-defined]
    started: list[str] = []
    monkeypatch.setattr("opencse.cli.management.commands.serve.call_command", lambda *args, **_: started.append(args))

    with pytest.raises(CommandError, match="DATABASE_URL is set but OPENCSE_SECRET_KEY and OPENCSE_FIELD_KEY are not"):
        call_command("serve")

    assert started == []


def test_gunicorn_refuses_to_start_on_a_real_database_without_keys(tmp_path: Path) -> None:
    environment = {
        key: value for key, value in os.environ.items() if key not in ("OPENCSE_SECRET_KEY", "OPENCSE_FIELD_KEY")
    }
    environment |= {"DATABASE_URL": "postgres://opencse@db.invalid:5432/opencse", "OPENCSE_VAR_DIR": str(tmp_path)}

    loaded = subprocess.run(
        [sys.executable, "-c", "import opencse.wsgi"], env=environment, capture_output=True, text=True, timeout=120
    )

    assert loaded.returncode != 0
    assert "ImproperlyConfigured: DATABASE_URL is set but OPENCSE_SECRET_KEY and OPENCSE_FIELD_KEY are not" in (
        loaded.stderr
    )
