"""The one Settings object: environment variables prefixed ``DOCSERVICE_``, nested with ``__``.

Built once at the composition root (``api.create_app``, the CLI callback) and passed down;
nothing here is read at import time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseModel):
    """HTTP edge."""

    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = Field(default=5 * 1024 * 1024, gt=0)
    """Requests whose body is larger get 413."""
    public_base_url: str = "http://127.0.0.1:8000"
    """Base of the public verification URLs printed in QR codes."""


class ConvertSettings(BaseModel):
    """The pool of warm LibreOffice processes."""

    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, le=32)
    """Warm soffice processes; one per core by default."""
    queue_limit: int = Field(default=16, ge=0)
    """Requests allowed to wait for a free process; past it the service answers 503."""
    queue_timeout_s: float = Field(default=30.0, gt=0)
    """How long a request may wait for a free process before 503."""
    conversion_timeout_s: float = Field(default=30.0, gt=0)
    """A conversion running longer is killed with its process."""
    start_timeout_s: float = Field(default=60.0, gt=0)
    restart_after: int = Field(default=500, ge=1)
    """Conversions after which a process is replaced (bounds LibreOffice's memory creep)."""
    monitor_interval_s: float = Field(default=1.0, gt=0)
    """How often dead idle processes are looked for and replaced."""
    soffice_bin: Path = Path("/usr/lib/libreoffice/program/soffice.bin")
    uno_python: Path = Path("/usr/bin/python3")
    """A Python that can ``import uno`` (Debian: python3-uno)."""
    isolate_network: bool = True
    """Run soffice in a network namespace of its own (``unshare -n``) when the system allows."""


class RenderSettings(BaseModel):
    """Case-data validation and template rendering."""

    rfc_check_digit: Literal["error", "advertencia"] = "error"
    """Some real RFCs carry a wrong check digit: ``advertencia`` accepts them with a warning."""


class Settings(BaseSettings):
    """Everything configurable in docservice."""

    model_config = SettingsConfigDict(
        env_prefix="DOCSERVICE_", env_nested_delimiter="__", extra="ignore"
    )

    var_dir: Path = Path("var")
    """Database, stored documents, LibreOffice profiles and the development key live here."""
    plantillas_dir: Path = Path("plantillas")
    database_url: str | None = None
    """SQLAlchemy URL; SQLite under ``var_dir`` when unset."""
    api: ApiSettings = ApiSettings()
    convert: ConvertSettings = ConvertSettings()
    render: RenderSettings = RenderSettings()

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'docservice.db'}"

    @property
    def dev_key_file(self) -> Path:
        return self.var_dir / "dev-api-key"


def load_settings(**overrides: object) -> Settings:
    """Read the environment (and any explicit overrides) into a Settings."""
    return Settings(**overrides)  # type: ignore[arg-type]  # pydantic validates the overrides
