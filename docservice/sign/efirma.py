"""The e.firma as SAT issues it: a ``.cer`` (X.509, DER) and a ``.key`` (PKCS#8, encrypted DER).

Reads the signer's identity the way SAT writes it: name in CN, RFC in x500UniqueIdentifier
(text), CURP in serialNumber, and the "número de certificado" as the hex serial read as ASCII
digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import keys, pem, x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

from docservice.sign import _asn1  # noqa: F401  # the x500UniqueIdentifier fix, before any parsing

_SERIAL_DIGITS = 20


@dataclass(frozen=True)
class Firmante:
    """Who a certificate names, in the terms printed on a document and in reports."""

    nombre: str
    rfc: str
    """RFC as SAT writes it; a company's reads "RFC_empresa / RFC_representante"."""
    curp: str
    numero_certificado: str
    """SAT's "número de certificado" (20 digits), or the serial in hex for other CAs."""
    emisor: str
    valido_desde: datetime
    valido_hasta: datetime


def sat_serial(cert: x509.Certificate) -> str:
    """SAT's "número de certificado": the serial's bytes read as ASCII digits.

    Serial 0x3330303031303030303030333030303233363835 reads "30001000000300023685". A serial
    that is not digits in ASCII (another CA) is returned in upper-case hex.
    """
    serial: int = cert.serial_number
    length = max(1, (serial.bit_length() + 7) // 8)
    raw = serial.to_bytes(length, "big")
    text = raw.decode("ascii", errors="replace")
    if len(raw) == _SERIAL_DIGITS and text.isdigit():
        return text
    return f"{serial:X}"


def sat_serial_number(numero: str) -> int:
    """The serial number that prints as ``numero`` (20 ASCII digits) in SAT's form."""
    if len(numero) != _SERIAL_DIGITS or not numero.isdigit():
        raise ValueError("el número de certificado debe tener 20 dígitos")
    return int.from_bytes(numero.encode("ascii"), "big")


def _name_text(name: x509.Name, field: str) -> str:
    value = name.native.get(field, "")
    if isinstance(value, list):  # a repeated attribute: SAT does not, others may
        return " / ".join(str(v) for v in value)
    return str(value).strip()


def firmante_info(cert: x509.Certificate) -> Firmante:
    """Name, RFC, CURP, certificate number and validity from a certificate."""
    subject = cert.subject
    nombre = _name_text(subject, "common_name") or _name_text(subject, "name")
    validity = cert["tbs_certificate"]["validity"]
    return Firmante(
        nombre=nombre,
        rfc=_name_text(subject, "unique_identifier"),
        curp=_name_text(subject, "serial_number"),
        numero_certificado=sat_serial(cert),
        emisor=_name_text(cert.issuer, "common_name") or cert.issuer.human_friendly,
        valido_desde=validity["not_before"].native,
        valido_hasta=validity["not_after"].native,
    )


def load_certificate(data: bytes) -> x509.Certificate:
    """A certificate in DER (SAT's ``.cer``) or PEM."""
    if data.lstrip().startswith(b"-----BEGIN"):
        _, _, data = pem.unarmor(data)
    cert: x509.Certificate = x509.Certificate.load(data)
    cert.native  # noqa: B018  # parse everything now: a damaged file fails here, not when signing
    return cert


def load_certificate_file(path: Path) -> x509.Certificate:
    return load_certificate(path.read_bytes())


def read_password(path: Path) -> bytes:
    """A password file's content, without the trailing newline editors add."""
    return path.read_bytes().rstrip(b"\r\n")


def load_private_key(data: bytes, password: bytes | None) -> PrivateKeyTypes:
    """A private key in PKCS#8 encrypted DER (SAT's ``.key``) or PEM.

    Raises ValueError for a wrong password or a damaged file, TypeError when a password is
    missing or not needed (cryptography's own distinctions).
    """
    if data.lstrip().startswith(b"-----BEGIN"):
        return serialization.load_pem_private_key(data, password)
    return serialization.load_der_private_key(data, password)


def public_key_info(key: PrivateKeyTypes) -> keys.PublicKeyInfo:
    """The SubjectPublicKeyInfo of a private key, to compare with a certificate's."""
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return keys.PublicKeyInfo.load(der)


def validity_problem(cert: x509.Certificate, now: datetime | None = None) -> str | None:
    """Why a certificate cannot sign now (expired or not yet valid), else None."""
    momento = now or datetime.now(UTC)
    info = firmante_info(cert)
    numero = info.numero_certificado
    if momento < info.valido_desde:
        return f"el certificado {numero} aún no es válido (lo será el {info.valido_desde:%Y-%m-%d})"
    if momento > info.valido_hasta:
        return f"el certificado {numero} venció el {info.valido_hasta:%Y-%m-%d}"
    return None
