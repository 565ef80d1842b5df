"""The one Settings object: environment variables prefixed ``DOCSERVICE_``, nested with ``__``.

Built once at the composition root (``api.create_app``, the CLI callback) and passed down;
nothing here is read at import time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Discriminator, Field, SecretStr, Tag, TypeAdapter, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseModel):
    """HTTP edge."""

    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = Field(default=5 * 1024 * 1024, gt=0)
    """Requests whose body is larger get 413."""
    public_base_url: str = "http://127.0.0.1:8000"
    """Base of the public verification URLs printed in QR codes."""
    secreto_sesion: SecretStr | None = None
    """Signs the legal staff's session cookie; a random one per process when unset (set it
    when several service processes share the ledger: their sessions are in its database)."""
    cookie_segura: bool = False
    """Send the session cookie only over HTTPS; always so when ``public_base_url`` is https."""
    sesion_horas: float = Field(default=8.0, gt=0)
    """A session of the legal staff's pages ends this long after login (or at logout)."""
    ingreso_fallos: int = Field(default=5, ge=1)
    """Failed logins from one client address, or with one key prefix, that lock it…"""
    ingreso_ventana_min: float = Field(default=15.0, gt=0)
    """…when they happen within this many minutes…"""
    ingreso_bloqueo_min: float = Field(default=15.0, gt=0)
    """…for this many minutes (a correct key is refused too until then)."""


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
    confinar: bool = True
    """Run soffice and its bridge in a mount namespace showing only the system and their own
    work directory, as ``soffice_uid`` (needs root; see ``convert/confinamiento.py``)."""
    soffice_uid: int = Field(default=64900, ge=1)
    """An uid that owns no file and no process on the machine: soffice's, when confined."""


class RenderSettings(BaseModel):
    """Case-data validation and template rendering."""

    rfc_check_digit: Literal["error", "advertencia"] = "error"
    """Some real RFCs carry a wrong check digit: ``advertencia`` accepts them with a warning."""
    borrador_tiempo_s: float = Field(default=20.0, gt=0)
    """A version under review is linted and previewed in a child process: its wall time…"""
    borrador_memoria_mb: int = Field(default=1024, ge=256)
    """…and its address space."""
    revisiones_simultaneas: int = Field(default=2, ge=1)
    """Uploaded versions reviewed at once (each in its own bounded child); past it, 503."""
    revision_espera_s: float = Field(default=10.0, ge=0)
    """How long an upload may wait for a free review slot before 503 with Retry-After."""
    calendario_carpeta: Path | None = None
    """Folder of ``AAAA.toml`` files with the institute's non-working days; a year found here
    replaces the one shipped in ``docservice/calendario/inhabiles/``."""
    procesos: int = Field(default=2, ge=1, le=16)
    """Long-lived worker processes that fill published plantillas (never the API process)."""
    tiempo_s: float = Field(default=10.0, gt=0)
    """Wall time of one fill in a worker; past it the worker is killed and replaced (422)."""
    memoria_mb: int = Field(default=1024, ge=256)
    """Address-space limit (RLIMIT_AS) of each render worker."""
    cola: int = Field(default=16, ge=0)
    """Requests that may wait for a free render worker; one more is a 503 with Retry-After."""
    vistas_previas_simultaneas: int = Field(default=2, ge=1)
    """Previews (plantillas and leyendas) rendered at once in a process; past it, 429."""
    zona_horaria: str = "America/Mexico_City"
    """The day ``documento.fecha_expedicion`` prints; always ``Settings.zona_horaria``."""
    precompilar: bool = True
    """At start the service compiles every plantilla in service in each render worker, in the
    background, so no request pays a compilation."""


# --- Signing (docservice.sign) --------------------------------------------------------------

NivelPades = Literal["B-B", "B-T", "B-LT", "B-LTA"]
"""PAdES baseline level: B-T adds a signature timestamp, B-LT the validation data (OCSP/CRL),
B-LTA a document timestamp over everything."""

DEV_PKI_DIR = Path("certs/dev")


class _ProfileSettings(BaseModel):
    """What every signing profile declares, whatever holds its key: who signs, and how
    documents signed with it look. One subclass per key source adds where the key is."""

    titular: str | None = None
    """The official the profile belongs to, as printed (with honorific); the certificate's
    holder must be this person, or the profile is unavailable."""
    cargo: str | None = None
    """The official's post, printed under the name."""
    unidades: list[str] = Field(default_factory=list)
    """Units the official signs for; a request for another unit is refused."""
    rfc: str | None = None
    """When given, the certificate's RFC must be exactly this."""
    nivel: NivelPades = "B-B"
    tsa_url: str | None = None
    """RFC 3161 time-stamping service; required from B-T on."""
    tsa_timeout_s: float = Field(default=10.0, gt=0)
    revocacion_cache_s: float = Field(default=300.0, ge=0)
    """From B-LT on, the OCSP answers and CRLs fetched for the profile's chain are reused by
    later signatures this long (never past their ``nextUpdate``); 0 fetches for every one."""
    motivo: str = "Firma electrónica del documento"
    ubicacion: str = "Ciudad de México"
    sello_visible: bool = True
    """Draw the visible stamp (signer, RFC, certificate, QR) on the last page."""
    certificar: bool = False
    """Certification signature (DocMDP P=2: later form filling and signatures only)."""
    raices: list[Path] = Field(default_factory=list)
    """Trust roots (PEM or DER) for the validation data embedded from B-LT on."""
    intermedios: list[Path] = Field(default_factory=list)
    """Intermediate certificates embedded in every signature."""

    @model_validator(mode="before")
    @classmethod
    def _check_source(cls, data: Any) -> Any:
        """The source's own required fields, named in Spanish when missing (before pydantic's
        English «Field required»)."""
        if isinstance(data, dict):
            missing = [
                name
                for name, info in cls.model_fields.items()
                if info.is_required() and name != "fuente" and data.get(name) is None
            ]
            if missing:
                fuente = data.get("fuente")
                raise ValueError(f"la fuente {fuente} requiere: {', '.join(missing)}")
        return data

    @model_validator(mode="after")
    def _check_level(self) -> _ProfileSettings:
        if self.nivel != "B-B" and not self.tsa_url:
            raise ValueError(f"el nivel {self.nivel} requiere tsa_url")
        if self.nivel in ("B-LT", "B-LTA") and not self.raices:
            raise ValueError(f"el nivel {self.nivel} requiere al menos una raíz de confianza")
        return self


class EfirmaProfileSettings(_ProfileSettings):
    """A SAT e.firma: certificate and encrypted private key files, password in a file."""

    fuente: Literal["efirma"]
    cer: Path
    """e.firma certificate (``.cer``, DER)."""
    key: Path
    """e.firma private key (``.key``, PKCS#8 encrypted DER)."""
    password_file: Path
    """File holding the password of the ``.key`` (keep it 0600)."""


class Pkcs12ProfileSettings(_ProfileSettings):
    """A PKCS#12 file (``.p12``/``.pfx``) with key and certificate, password in a file."""

    fuente: Literal["pkcs12"]
    archivo: Path
    password_file: Path
    """File holding the password of the ``.p12`` (keep it 0600)."""


class Pkcs11ProfileSettings(_ProfileSettings):
    """A key in an HSM or token through PKCS#11. Set the PIN through the environment, e.g.
    ``DOCSERVICE_SIGN__PERFILES__hsm__PIN``; profile names are lower case."""

    fuente: Literal["pkcs11"]
    modulo: Path
    """PKCS#11 module, e.g. ``/usr/lib/softhsm/libsofthsm2.so``."""
    token: str
    """PKCS#11 token label."""
    key_label: str
    cert_label: str
    pin: SecretStr | None = None
    """PKCS#11 user PIN; from the environment only."""


def _fuente(value: Any) -> Any:
    return value.get("fuente") if isinstance(value, dict) else getattr(value, "fuente", None)


SigningProfileSettings = Annotated[
    Annotated[EfirmaProfileSettings, Tag("efirma")]
    | Annotated[Pkcs12ProfileSettings, Tag("pkcs12")]
    | Annotated[Pkcs11ProfileSettings, Tag("pkcs11")],
    Discriminator(
        _fuente,
        custom_error_type="fuente_de_llave",
        custom_error_message="la fuente debe ser efirma, pkcs12 o pkcs11",
    ),
]
"""One signing profile, one type per key source chosen by ``fuente`` (as pyHanko's config
does): ``efirma``, ``pkcs12`` or ``pkcs11``."""

_PROFILE_ADAPTER: TypeAdapter[SigningProfileSettings] = TypeAdapter(SigningProfileSettings)


def signing_profile(**values: Any) -> SigningProfileSettings:
    """Validate one profile's fields into the type of its ``fuente``."""
    return _PROFILE_ADAPTER.validate_python(values)


DEV_OFICIAL: dict[str, Any] = {
    "titular": "Lic. Mariana Téllez Quiroga",
    "cargo": "Jefa de la Oficina para Cobros de la Subdelegación Naucalpan",
    "unidades": ["Oficina para Cobros de la Subdelegación Naucalpan"],
}
"""The dev PKI's official (``titular`` in certs/dev-pki.yml): the one the ejemplos name."""


def _perfiles_desarrollo() -> dict[str, SigningProfileSettings]:
    """The dev PKI's official, B-B, no service needed: ``desarrollo`` signs documents,
    ``certificacion`` certifies constancias and copies (DocMDP P=2)."""
    return {
        "desarrollo": EfirmaProfileSettings(
            **DEV_OFICIAL,
            fuente="efirma",
            cer=DEV_PKI_DIR / "titular.cer",
            key=DEV_PKI_DIR / "titular.key",
            password_file=DEV_PKI_DIR / "titular.password",
            nivel="B-B",
            tsa_url="http://127.0.0.1:9077/docservice/tsa/tsa",
            raices=[DEV_PKI_DIR / "root.cer"],
            intermedios=[DEV_PKI_DIR / "interm.cer"],
        ),
        "certificacion": EfirmaProfileSettings(
            **DEV_OFICIAL,
            fuente="efirma",
            cer=DEV_PKI_DIR / "titular.cer",
            key=DEV_PKI_DIR / "titular.key",
            password_file=DEV_PKI_DIR / "titular.password",
            nivel="B-B",
            motivo="Certificación electrónica del documento",
            certificar=True,
            raices=[DEV_PKI_DIR / "root.cer"],
            intermedios=[DEV_PKI_DIR / "interm.cer"],
        ),
    }


class ConstanciaSettings(BaseModel):
    """Constancias: rendered from a plantilla, given a folio, signed as certification."""

    serie: str = Field(default="CONST", pattern=r"^[A-Z0-9][A-Z0-9-]{0,19}$")
    """Folio series used when the caller names none."""
    perfil_firma: str = "certificacion"
    reserva_vencida_s: float = Field(default=900.0, gt=0)
    """A folio still reserved after this long (its process died) is voided."""
    barrido_s: float = Field(default=60.0, gt=0)
    """How often a running service voids such reservations (also once at start)."""


class CertificacionSettings(BaseModel):
    """Certified copies of PDFs someone uploads."""

    serie: str = Field(default="CERT", pattern=r"^[A-Z0-9][A-Z0-9-]{0,19}$")
    perfil_firma: str = "certificacion"
    max_paginas: int = Field(default=500, ge=1)
    max_archivo_bytes: int = Field(default=100 * 1024 * 1024, gt=0)
    """Upload limit of ``POST /v1/certificaciones`` (scanned copies are large)."""


class VerificacionSettings(BaseModel):
    """Verification of PDFs someone brings: trust, revocation, and the worker's bounds."""

    raices: list[Path] = Field(default_factory=lambda: [DEV_PKI_DIR / "root.cer"])
    """Trust roots (DER or PEM): the dev root by default; add a national CA's here."""
    intermedios: list[Path] = Field(default_factory=lambda: [DEV_PKI_DIR / "interm.cer"])
    consultar_revocacion: bool = True
    """Ask OCSP responders and CRL servers named in the certificates."""
    timeout_revocacion_s: float = Field(default=5.0, gt=0)
    cache_revocacion_s: float = Field(default=60.0, ge=0)
    """Revocation answers are reused this long."""
    workers: int = Field(default=2, ge=1, le=16)
    tiempo_limite_s: float = Field(default=15.0, gt=0)
    """Wall time of one verification; past it the worker is killed and replaced."""
    memoria_limite_mb: int = Field(default=1536, ge=256)
    """Address-space limit of each verification worker."""
    max_archivo_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    """Upload limit of ``POST /v1/verificaciones``."""


class SignSettings(BaseModel):
    """Signing profiles and the development PKI."""

    perfiles: dict[str, SigningProfileSettings] = Field(default_factory=_perfiles_desarrollo)
    perfil_predeterminado: str = "desarrollo"
    dev_pki_dir: Path = DEV_PKI_DIR
    """Generated keys and certificates of the dev PKI (git-ignored)."""
    dev_pki_config: Path = Path("certs/dev-pki.yml")
    fuente_sello: Path = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
    """TrueType font whose widths measure the stamp's Helvetica text (metric-compatible)."""


class Settings(BaseSettings):
    """Everything configurable in docservice."""

    model_config = SettingsConfigDict(
        env_prefix="DOCSERVICE_", env_nested_delimiter="__", extra="ignore"
    )

    var_dir: Path = Path("var")
    """Database, stored documents, LibreOffice profiles and the development key live here."""
    plantillas_dir: Path = Path("plantillas")
    leyendas_dir: Path = Path("leyendas")
    zona_horaria: str = "America/Mexico_City"
    """Decides the year of a folio and the dates printed on pages."""
    database_url: str | None = None
    """SQLAlchemy URL; SQLite under ``var_dir`` when unset."""
    api: ApiSettings = ApiSettings()
    convert: ConvertSettings = ConvertSettings()
    render: RenderSettings = RenderSettings()
    sign: SignSettings = SignSettings()
    constancias: ConstanciaSettings = ConstanciaSettings()
    certificaciones: CertificacionSettings = CertificacionSettings()
    verificacion: VerificacionSettings = VerificacionSettings()

    @model_validator(mode="after")
    def _render_zone(self) -> Settings:
        """The render stage (its workers get RenderSettings only) dates in our zone."""
        if self.render.zona_horaria != self.zona_horaria:
            self.render = self.render.model_copy(update={"zona_horaria": self.zona_horaria})
        return self

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'docservice.db'}"

    @property
    def dev_key_file(self) -> Path:
        return self.var_dir / "dev-api-key"


def load_settings(**overrides: object) -> Settings:
    """Read the environment (and any explicit overrides) into a Settings."""
    return Settings(**overrides)  # type: ignore[arg-type]  # pydantic validates the overrides
