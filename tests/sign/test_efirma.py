"""A certificate shaped like SAT's e.firma: RFC as text, CURP, número de certificado."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_cert_from_pemder

from docservice.sign import firmante_info, load_certificate, sat_serial, sat_serial_number
from docservice.sign.efirma import validity_problem

SAT_SERIAL = 0x3330303031303030303030333030303233363835


def sat_like_certificate() -> bytes:
    """Self-signed, subject as SAT writes it: x500UniqueIdentifier as PrintableString."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "EMPRESA EJEMPLO SA DE CV"),
            x509.NameAttribute(x509.ObjectIdentifier("2.5.4.41"), "EMPRESA EJEMPLO SA DE CV"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "EMPRESA EJEMPLO SA DE CV"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
            x509.NameAttribute(
                NameOID.X500_UNIQUE_IDENTIFIER,
                "EEJ0101019Z4 / GODE561231GR8",
                _ASN1Type.PrintableString,
            ),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, " / GODE561231HDFNZM06"),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(SAT_SERIAL)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def test_stock_asn1crypto_cannot_read_sat_certificates() -> None:
    """The failure the fix is for (checked against the original spec, then restored)."""
    der = sat_like_certificate()
    specs = asn1_x509.NameTypeAndValue._oid_specs
    fixed = specs["unique_identifier"]
    specs["unique_identifier"] = asn1_x509.OctetBitString
    try:
        with pytest.raises(ValueError, match="tag should have been 3, but 19 was found"):
            asn1_x509.Certificate.load(der).subject.native  # noqa: B018
    finally:
        specs["unique_identifier"] = fixed


def test_sat_certificate_reads_rfc_curp_and_number() -> None:
    der = sat_like_certificate()
    cert = load_certificate(der)
    info = firmante_info(cert)
    assert info.nombre == "EMPRESA EJEMPLO SA DE CV"
    assert info.rfc == "EEJ0101019Z4 / GODE561231GR8"
    assert info.curp == "/ GODE561231HDFNZM06"
    assert info.numero_certificado == "30001000000300023685"
    assert sat_serial(cert) == "30001000000300023685"


def test_pyhanko_loads_the_sat_certificate(tmp_path: Path) -> None:
    path = tmp_path / "empresa.cer"
    path.write_bytes(sat_like_certificate())
    cert = load_cert_from_pemder(str(path))
    assert cert.subject.native["unique_identifier"] == "EEJ0101019Z4 / GODE561231GR8"


def test_sat_serial_round_trip_and_other_cas() -> None:
    assert sat_serial_number("30001000000300023685") == SAT_SERIAL
    with pytest.raises(ValueError, match="20 dígitos"):
        sat_serial_number("123")
    cert = load_certificate(sat_like_certificate())
    other = cert.copy()
    other["tbs_certificate"]["serial_number"] = 0x1A2B
    assert sat_serial(other) == "1A2B"


def test_validity_problem_names_expiry_and_future() -> None:
    cert = load_certificate(sat_like_certificate())
    assert validity_problem(cert) is None
    later = datetime.now(UTC) + timedelta(days=400)
    assert "venció" in (validity_problem(cert, later) or "")
    earlier = datetime.now(UTC) - timedelta(days=2)
    assert "aún no es válido" in (validity_problem(cert, earlier) or "")
