"""The development PKI: keys, certificates and CRLs generated from ``certs/dev-pki.yml``.

``init_dev_pki(dest)`` writes, under ``dest`` (``certs/dev``, git-ignored):

- ``keys/<ca>.key.pem``: CA and service keys (root, interm, tsa, ocsp), PEM, 0600;
- ``keys/<nombre>.pub.pem``: each official's public key (what certomancer reads);
- ``<label>.cer``: every certificate, DER;
- ``crl/<repo>.crl``: a CRL of each repository at init time;
- for each official, as SAT hands them out: ``<nombre>.cer`` (DER), ``<nombre>.key`` (PKCS#8
  encrypted DER), ``<nombre>.password`` (0600) and ``<nombre>.p12`` (same password);
- ``pki.json``: what it was built from, so a second call does nothing.

Officials get RSA-2048 keys, except labels ending in ``-ec`` (ECDSA P-256).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificatePublicKeyTypes,
    PrivateKeyTypes,
)
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import load_der_x509_certificate
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID

from docservice.sign import _devconfig
from docservice.sign.efirma import load_private_key, read_password, sat_serial_number

DEFAULT_CONFIG = Path("certs/dev-pki.yml")
_MANIFEST = "pki.json"
_PRIVATE = 0o600


@dataclass(frozen=True)
class DevOfficial:
    """An official's e.firma files, as SAT hands them out, plus a PKCS#12."""

    nombre: str
    cer: Path
    key: Path
    password_file: Path
    p12: Path

    def password(self) -> bytes:
        return read_password(self.password_file)


@dataclass(frozen=True)
class DevPki:
    """Where the development PKI's files are and where its services answer."""

    dir: Path
    config: Path
    url_prefix: str
    officials: dict[str, DevOfficial]

    def cert(self, label: str) -> Path:
        """DER certificate of any entity: root, interm, tsa, ocsp or an official."""
        return self.dir / f"{label}.cer"

    def key(self, label: str) -> Path:
        """PEM key of a CA or service (root, interm, tsa, ocsp)."""
        return self.dir / "keys" / f"{label}.key.pem"

    def crl(self, repo: str) -> Path:
        return self.dir / "crl" / f"{repo}.crl"

    @property
    def root(self) -> Path:
        return self.cert("root")

    @property
    def interm(self) -> Path:
        return self.cert("interm")

    @property
    def tsa_url(self) -> str:
        return f"{self.url_prefix}/{_devconfig.ARCH}/tsa/tsa"

    @property
    def ocsp_url(self) -> str:
        return f"{self.url_prefix}/{_devconfig.ARCH}/ocsp/interm"

    def crl_url(self, repo: str) -> str:
        return f"{self.url_prefix}/{_devconfig.ARCH}/crls/{repo}/latest.crl"


def init_dev_pki(
    dest: Path, *, config: Path = DEFAULT_CONFIG, url_prefix: str | None = None
) -> DevPki:
    """Create the development PKI under ``dest``; does nothing when it is already there.

    ``url_prefix`` (``http://127.0.0.1:<port>``) overrides the YAML's, for tests that serve
    the PKI on a port of their own: the certificates carry it in their CRL and OCSP URLs.
    """
    definition = _devconfig.read_config(config)
    prefix = url_prefix or str(definition["external-url-prefix"])
    pki = _describe(dest, config, prefix, _devconfig.official_labels(definition))
    manifest = _manifest(config, prefix)
    if _is_complete(pki, manifest):
        return pki
    dest.mkdir(parents=True, exist_ok=True, mode=0o700)
    (dest / "keys").mkdir(exist_ok=True, mode=0o700)
    for label in _devconfig.service_labels(definition):
        _ensure_service_key(pki.key(label))
    official_keys = {label: _ensure_official(pki.officials[label]) for label in pki.officials}
    for label, key in official_keys.items():
        _write(dest / "keys" / f"{label}.pub.pem", _public_pem(key), mode=0o644)
    _write_certificates(pki, definition, official_keys)
    _write(dest / _MANIFEST, json.dumps(manifest, indent=2).encode(), mode=0o644)
    return pki


def _describe(dest: Path, config: Path, prefix: str, officials: list[str]) -> DevPki:
    files = {
        label: DevOfficial(
            nombre=label,
            cer=dest / f"{label}.cer",
            key=dest / f"{label}.key",
            password_file=dest / f"{label}.password",
            p12=dest / f"{label}.p12",
        )
        for label in officials
    }
    return DevPki(dir=dest, config=config, url_prefix=prefix, officials=files)


def _manifest(config: Path, prefix: str) -> dict[str, str]:
    digest = hashlib.sha256(config.read_bytes()).hexdigest()
    return {"config_sha256": digest, "url_prefix": prefix}


def _is_complete(pki: DevPki, manifest: dict[str, str]) -> bool:
    path = pki.dir / _MANIFEST
    if not path.is_file() or json.loads(path.read_text("utf-8")) != manifest:
        return False
    needed = [pki.root, pki.interm, pki.cert("tsa"), pki.cert("ocsp")]
    for official in pki.officials.values():
        needed += [official.cer, official.key, official.password_file, official.p12]
    return all(path.is_file() for path in needed)


def _write(path: Path, data: bytes, *, mode: int = _PRIVATE) -> None:
    """Write a file created with ``mode`` from the start (no window with wider rights)."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _ensure_service_key(path: Path) -> None:
    if path.is_file():
        return
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write(path, pem)


def _ensure_official(official: DevOfficial) -> PrivateKeyTypes:
    """The official's key: read from its ``.key`` if there, else generated with a password."""
    if official.key.is_file() and official.password_file.is_file():
        return load_private_key(official.key.read_bytes(), official.password())
    key: PrivateKeyTypes
    if official.nombre.endswith("-ec"):
        key = ec.generate_private_key(ec.SECP256R1())
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    password = secrets.token_urlsafe(18).encode("ascii")
    _write(official.password_file, password)
    encrypted = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password),
    )
    _write(official.key, encrypted)
    return key


def _public_pem(key: PrivateKeyTypes) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _write_certificates(
    pki: DevPki, definition: dict[str, Any], official_keys: dict[str, PrivateKeyTypes]
) -> None:
    certomancer = _devconfig.build_certomancer(definition, pki.dir, pki.url_prefix)
    arch = certomancer.get_pki_arch(_devconfig.arch_label())
    for label in definition["pki-architectures"][_devconfig.ARCH]["certs"]:
        _write(pki.cert(label), arch.get_cert(label).dump(), mode=0o644)
    (pki.dir / "crl").mkdir(exist_ok=True)
    now = datetime.now(UTC)
    for info in arch.service_registry.list_crl_repos():
        crl = arch.service_registry.get_crl(info.label, at_time=now)
        _write(pki.crl(str(info.label)), crl.dump(), mode=0o644)
    interm = load_der_x509_certificate(pki.interm.read_bytes())
    for label, key in official_keys.items():
        official = pki.officials[label]
        cert = load_der_x509_certificate(official.cer.read_bytes())
        bundle = pkcs12.serialize_key_and_certificates(
            name=label.encode("utf-8"),
            key=key,  # type: ignore[arg-type]  # every key generated here is RSA or EC
            cert=cert,
            cas=[interm],
            encryption_algorithm=serialization.BestAvailableEncryption(official.password()),
        )
        _write(official.p12, bundle)


def issue_certificate(
    pki: DevPki,
    public_key: CertificatePublicKeyTypes,
    *,
    nombre: str,
    rfc: str,
    curp: str,
    numero_certificado: str,
    valido_desde: datetime,
    valido_hasta: datetime,
) -> bytes:
    """A SAT-shaped certificate (DER) from the dev intermediate for a key made elsewhere.

    For keys generated inside an HSM, which never leave it: the caller passes the public key.
    The certificate is not in the animator's definition, so OCSP cannot answer for it.
    """
    interm_key = serialization.load_pem_private_key(pki.key("interm").read_bytes(), None)
    interm = load_der_x509_certificate(pki.interm.read_bytes())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, nombre),
            x509.NameAttribute(NameOID.X500_UNIQUE_IDENTIFIER, rfc, _ASN1Type.PrintableString),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, curp),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "INSTITUTO DE SEGURIDAD SOCIAL"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
        ]
    )
    usage = x509.KeyUsage(
        digital_signature=True, content_commitment=True, key_encipherment=False,
        data_encipherment=True, key_agreement=True, key_cert_sign=False, crl_sign=False,
        encipher_only=False, decipher_only=False,
    )  # fmt: skip
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(interm.subject)
        .public_key(public_key)
        .serial_number(sat_serial_number(numero_certificado))
        .not_valid_before(valido_desde)
        .not_valid_after(valido_hasta)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(interm.public_key()),  # type: ignore[arg-type]  # the dev CA is RSA
            critical=False,
        )
    )
    cert = builder.sign(interm_key, hashes.SHA256())  # type: ignore[arg-type]  # RSA, see above
    return cert.public_bytes(serialization.Encoding.DER)
